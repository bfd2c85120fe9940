#include "panels/costtable.h"

#include "panels/costtablemodel.h"
#include "panels/figuresortproxy.h"
#include "panels/statictextdelegate.h"

#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QTableView>
#include <QVBoxLayout>

namespace fleetscope::widgets {

namespace {
constexpr int kColumnSlack = 16; // pixels beyond the widest cell: room for one more digit
}

CostTable::CostTable(QWidget *parent)
    : QWidget(parent)
    , m_model(new CostTableModel(this))
    , m_proxy(new FigureSortProxy(this))
    , m_profile(new QLabel(this))
    , m_view(new QTableView(this))
{
    m_proxy->setSourceModel(m_model);
    m_profile->setTextFormat(Qt::PlainText);
    m_profile->setWordWrap(true);
    m_view->setModel(m_proxy);
    m_view->setItemDelegate(new StaticTextDelegate(m_view)); // text laid out once, not per paint
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(CostTableModel::PerMillion, Qt::DescendingOrder); // dearest first
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->setVisible(false);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 8);
    m_view->horizontalHeader()->setHighlightSections(false);
    // Columns fit their contents when the rows change (a fleet, a filter), not at every snapshot:
    // QHeaderView::ResizeToContents measured every cell of every column again at each update,
    // a few percent of a whole dashboard frame. The slack keeps a figure that gains a digit
    // whole; the user may drag a column wider.
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_view->horizontalHeader()->setStretchLastSection(true);
    connect(m_model, &QAbstractItemModel::modelReset, this, &CostTable::fitColumns);
    m_view->setAccessibleName(QStringLiteral("Cost per region"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    layout->addWidget(m_profile);
    layout->addWidget(m_view, 1);
}

CostTable::~CostTable() = default;

void CostTable::setSnapshot(std::shared_ptr<const snapshot::FleetSnapshot> snapshot)
{
    QString profile;
    if (snapshot) {
        const snapshot::PricingInfo &p = snapshot->pricing;
        profile = p.name.isEmpty() ? p.id : p.name;
        profile = profile.isEmpty()
            ? QStringLiteral("No pricing profile: costs are not priced.")
            : QStringLiteral("Pricing: %1%2. Monthly figures project the window to 30 days "
                             "after free amounts.")
                  .arg(profile,
                       p.asOf.isEmpty() ? QString() : QStringLiteral(" (as of %1)").arg(p.asOf));
    }
    m_profile->setText(profile);
    m_profile->setVisible(!profile.isEmpty());
    m_model->setSnapshot(std::move(snapshot));
    selectRegion();
}

void CostTable::fitColumns()
{
    m_view->resizeColumnsToContents();
    for (int c = 0; c + 1 < m_proxy->columnCount(); ++c)
        m_view->setColumnWidth(c, m_view->columnWidth(c) + kColumnSlack);
}

void CostTable::setSelectedRegion(const QString &code)
{
    m_region = code;
    selectRegion();
}

void CostTable::selectRegion()
{
    QItemSelectionModel *selection = m_view->selectionModel();
    if (m_region.isEmpty()) {
        selection->clearSelection();
        return;
    }
    for (int row = 0; row < m_proxy->rowCount(); ++row) {
        const QModelIndex index = m_proxy->index(row, 0);
        if (index.data(kRegionRole).toString() == m_region) {
            selection->select(index,
                              QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
            m_view->scrollTo(index);
            return;
        }
    }
    selection->clearSelection();
}

} // namespace fleetscope::widgets
