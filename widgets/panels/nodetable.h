#pragma once

// NodeTable: the scrape targets of a snapshot in a sortable table (every column; numbers sort as
// numbers) with a filter box matching any column and a health filter; a selected region narrows
// it to that region's targets. GUI thread; owns its model, proxy and child widgets.

#include "panels/figuresortproxy.h"
#include "snapshot/fleetsnapshot.h"

#include <QWidget>

#include <memory>

QT_BEGIN_NAMESPACE
class QComboBox;
class QLabel;
class QLineEdit;
class QTableView;
QT_END_NAMESPACE

namespace fleetscope::widgets {

class NodeTableModel;

class NodeTable : public QWidget
{
    Q_OBJECT
public:
    explicit NodeTable(QWidget *parent = nullptr);
    ~NodeTable() override;

    void setSnapshot(std::shared_ptr<const snapshot::FleetSnapshot> snapshot);
    // Shows only the region's targets ("" = all).
    void setSelectedRegion(const QString &code);

    QLineEdit *filterEdit() const { return m_filter; }
    QComboBox *healthCombo() const { return m_health; }
    QTableView *view() const { return m_view; }
    NodeTableModel *model() const { return m_model; }
    FigureSortProxy *proxy() const { return m_proxy; }

protected:
    void changeEvent(QEvent *event) override;

private:
    void updateCount();

    NodeTableModel *m_model;
    FigureSortProxy *m_proxy;
    QLineEdit *m_filter;
    QComboBox *m_health;
    QLabel *m_count;
    QTableView *m_view;
    QString m_region;
};

} // namespace fleetscope::widgets
