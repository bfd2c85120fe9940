#pragma once

// CompareWindow: two snapshots side by side (before and after a deploy). A sortable table with
// one row per region and figure: region, figure, before, after, delta and percent change;
// regions present in one snapshot only say so. Exports the comparison (.csv .html .pdf).
// GUI thread; labels from the snapshots are plain text.

#include "report/comparison.h"

#include <QMainWindow>

class QComboBox;
class QLabel;
class QSortFilterProxyModel;
class QStandardItemModel;
class QTableView;

namespace fleetscope::widgets {

class CompareWindow : public QMainWindow
{
    Q_OBJECT

public:
    // Table columns.
    enum Column {
        RegionColumn,
        NameColumn,
        FigureColumn,
        BeforeColumn,
        AfterColumn,
        DeltaColumn,
        ChangeColumn,
        ColumnCount
    };

    explicit CompareWindow(QWidget *parent = nullptr);

    void setComparison(const report::Comparison &comparison, const QString &beforeLabel,
                       const QString &afterLabel);
    const report::Comparison &comparison() const { return m_comparison; }

    // For tests and accessibility: the table as shown (sorted and filtered).
    QTableView *table() const { return m_table; }
    QString cellText(int row, int column) const;
    int rowCount() const;
    // Show one figure only (-1: every figure).
    void showFigure(int figure);

    // Writes the comparison; false with a message in *error.
    bool exportTo(const QString &path, QString *error);

private:
    void chooseExport();

    report::Comparison m_comparison;
    QStandardItemModel *m_model = nullptr;
    QSortFilterProxyModel *m_proxy = nullptr;
    QTableView *m_table = nullptr;
    QComboBox *m_figure = nullptr;
    QLabel *m_header = nullptr;
};

} // namespace fleetscope::widgets
