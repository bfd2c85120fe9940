#include "compare/comparewindow.h"

#include "compare/compareexport.h"

#include <QAction>
#include <QComboBox>
#include <QDateTime>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeySequence>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QRegularExpression>
#include <QSortFilterProxyModel>
#include <QStandardItemModel>
#include <QStatusBar>
#include <QTableView>
#include <QTimeZone>
#include <QVBoxLayout>

#include <cmath>
#include <limits>

namespace fleetscope::widgets {

namespace {

constexpr int kSortRole = Qt::UserRole + 1;
constexpr int kFigureRole = Qt::UserRole + 2;

QString utc(double t)
{
    if (!std::isfinite(t))
        return QStringLiteral("unknown time");
    return QDateTime::fromMSecsSinceEpoch(qint64(std::llround(t * 1000)), QTimeZone::utc())
        .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss 'UTC'"));
}

QStandardItem *textItem(const QString &text)
{
    auto *item = new QStandardItem(text); // item views draw plain text
    item->setEditable(false);
    item->setData(text.toLower(), kSortRole);
    return item;
}

// Sorted by value, not by text; "no data" sorts as +inf so it gathers at one end.
QStandardItem *numberItem(const QString &text, double value)
{
    auto *item = new QStandardItem(text);
    item->setEditable(false);
    item->setData(std::isnan(value) ? std::numeric_limits<double>::infinity() : value, kSortRole);
    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

} // namespace

CompareWindow::CompareWindow(QWidget *parent)
    : QMainWindow(parent)
{
    setObjectName(QStringLiteral("CompareWindow"));
    setWindowTitle(QStringLiteral("Compare snapshots — FleetScope"));
    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    m_header = new QLabel(central);
    m_header->setObjectName(QStringLiteral("compareHeader"));
    m_header->setTextFormat(Qt::PlainText);
    m_header->setWordWrap(true);
    layout->addWidget(m_header);

    auto *row = new QHBoxLayout;
    auto *figureLabel = new QLabel(QStringLiteral("&Figure:"), central);
    m_figure = new QComboBox(central);
    m_figure->setObjectName(QStringLiteral("compareFigureCombo"));
    m_figure->setAccessibleName(QStringLiteral("Figure"));
    m_figure->addItem(QStringLiteral("All figures"), -1);
    for (int i = 0; i < report::kCompareFigureCount; ++i)
        m_figure->addItem(
            QString::fromLatin1(report::compareFigureInfo(report::CompareFigure(i)).label), i);
    figureLabel->setBuddy(m_figure);
    row->addWidget(figureLabel);
    row->addWidget(m_figure);
    row->addStretch(1);
    layout->addLayout(row);

    m_model = new QStandardItemModel(0, ColumnCount, this);
    m_model->setHorizontalHeaderLabels({ QStringLiteral("Region"), QStringLiteral("Name"),
                                         QStringLiteral("Figure"), QStringLiteral("Before"),
                                         QStringLiteral("After"), QStringLiteral("Delta"),
                                         QStringLiteral("Change") });
    m_proxy = new QSortFilterProxyModel(this);
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(kSortRole);
    m_proxy->setFilterRole(kFigureRole);
    m_proxy->setFilterKeyColumn(FigureColumn);
    m_table = new QTableView(central);
    m_table->setObjectName(QStringLiteral("compareTable"));
    m_table->setAccessibleName(QStringLiteral("Per-region differences"));
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(RegionColumn, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(false);
    layout->addWidget(m_table, 1);
    setCentralWidget(central);
    connect(m_figure, &QComboBox::currentIndexChanged, this,
            [this] { showFigure(m_figure->currentData().toInt()); });

    QMenu *file = menuBar()->addMenu(QStringLiteral("&File"));
    QAction *exportAction = file->addAction(QStringLiteral("&Export Comparison…"));
    exportAction->setShortcut(QKeySequence(QStringLiteral("Ctrl+E")));
    connect(exportAction, &QAction::triggered, this, &CompareWindow::chooseExport);
    QAction *close = file->addAction(QStringLiteral("&Close"));
    close->setShortcut(QKeySequence::Close);
    connect(close, &QAction::triggered, this, &QWidget::close);
    resize(1000, 640);
}

void CompareWindow::setComparison(const report::Comparison &comparison, const QString &beforeLabel,
                                  const QString &afterLabel)
{
    m_comparison = comparison;
    m_header->setText(QStringLiteral("Before: %1 (%2, %3)\nAfter: %4 (%5, %6)\n%7 regions; delta "
                                     "is after minus before, change is relative to before.")
                          .arg(beforeLabel, comparison.before.fleetName,
                               utc(comparison.before.time), afterLabel, comparison.after.fleetName,
                               utc(comparison.after.time))
                          .arg(comparison.rows.size()));
    m_model->removeRows(0, m_model->rowCount());
    for (const report::CompareRow &r : comparison.rows) {
        for (int i = 0; i < report::kCompareFigureCount; ++i) {
            const auto which = report::CompareFigure(i);
            const report::FigureChange &f = r.at(which);
            QList<QStandardItem *> items;
            items << textItem(r.region) << textItem(r.name);
            QStandardItem *figure =
                textItem(QString::fromLatin1(report::compareFigureInfo(which).label));
            figure->setData(i, kSortRole);
            figure->setData(QString::number(i), kFigureRole);
            items << figure;
            items << (r.presence == report::Presence::AfterOnly
                          ? numberItem(QStringLiteral("not in before"), f.before)
                          : numberItem(report::compareShown(which, f.before), f.before));
            items << (r.presence == report::Presence::BeforeOnly
                          ? numberItem(QStringLiteral("not in after"), f.after)
                          : numberItem(report::compareShown(which, f.after), f.after));
            items << numberItem(report::compareShownDelta(which, f.delta), f.delta);
            items << numberItem(std::isnan(f.percent)
                                    ? QStringLiteral("—")
                                    : (f.percent > 0 ? QStringLiteral("+") : QString())
                                        + QString::number(f.percent, 'f', 1) + QStringLiteral(" %"),
                                f.percent);
            if (!std::isnan(f.delta) && f.delta != 0) {
                const bool better = (f.delta < 0) == report::compareFigureInfo(which).lowerIsBetter;
                const QString tip = better ? QStringLiteral("better") : QStringLiteral("worse");
                items[DeltaColumn]->setToolTip(tip);
                items[ChangeColumn]->setToolTip(tip);
                items[DeltaColumn]->setForeground(better ? QColor(0x0a, 0x7a, 0x28)
                                                         : QColor(0xb0, 0x00, 0x20));
                items[ChangeColumn]->setForeground(items[DeltaColumn]->foreground());
            }
            m_model->appendRow(items);
        }
    }
    m_table->resizeColumnsToContents();
    m_table->horizontalHeader()->setSectionResizeMode(NameColumn, QHeaderView::Stretch);
}

QString CompareWindow::cellText(int row, int column) const
{
    return m_proxy->index(row, column).data(Qt::DisplayRole).toString();
}

int CompareWindow::rowCount() const
{
    return m_proxy->rowCount();
}

void CompareWindow::showFigure(int figure)
{
    const int index = m_figure->findData(figure);
    if (index >= 0 && index != m_figure->currentIndex()) {
        m_figure->setCurrentIndex(index); // comes back here through the signal
        return;
    }
    m_proxy->setFilterRegularExpression(
        figure < 0 ? QRegularExpression() : QRegularExpression(QStringLiteral("^%1$").arg(figure)));
}

bool CompareWindow::exportTo(const QString &path, QString *error)
{
    return exportComparison(m_comparison, path, QPageSize::A4, error);
}

void CompareWindow::chooseExport()
{
    const QString path = QFileDialog::getSaveFileName(
        this, QStringLiteral("Export the comparison"), QStringLiteral("comparison.pdf"),
        QStringLiteral("PDF report (*.pdf);;Web page (*.html);;Spreadsheet (*.csv)"));
    if (path.isEmpty())
        return;
    QString error;
    if (exportTo(path, &error)) {
        statusBar()->showMessage(QStringLiteral("Wrote %1").arg(path), 8000);
        return;
    }
    QMessageBox box(QMessageBox::Warning, QStringLiteral("FleetScope"), error, QMessageBox::Ok,
                    this);
    box.setTextFormat(Qt::PlainText);
    box.exec();
}

} // namespace fleetscope::widgets
