#include "panels/nodetable.h"

#include "panels/nodetablemodel.h"
#include "panels/statictextdelegate.h"

#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QTableView>
#include <QVBoxLayout>

namespace fleetscope::widgets {

using HealthFilter = FigureSortProxy::HealthFilter;

NodeTable::NodeTable(QWidget *parent)
    : QWidget(parent)
    , m_model(new NodeTableModel(this))
    , m_proxy(new FigureSortProxy(this))
    , m_filter(new QLineEdit(this))
    , m_health(new QComboBox(this))
    , m_count(new QLabel(this))
    , m_view(new QTableView(this))
{
    m_proxy->setSourceModel(m_model);
    m_model->setPalette(palette());

    m_filter->setPlaceholderText(QStringLiteral("Filter targets (any column)"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setAccessibleName(QStringLiteral("Filter targets"));
    connect(m_filter, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_proxy->setFilterText(text);
        updateCount();
    });

    const std::pair<QString, HealthFilter> healthItems[] = {
        { QStringLiteral("All health"), HealthFilter::All },
        { QStringLiteral("Not up (down, stale, unknown)"), HealthFilter::NotUp },
        { QStringLiteral("Up"), HealthFilter::Up },
        { QStringLiteral("Idle"), HealthFilter::Idle },
        { QStringLiteral("Down"), HealthFilter::Down },
        { QStringLiteral("Stale"), HealthFilter::Stale },
        { QStringLiteral("Unknown"), HealthFilter::Unknown },
    };
    for (const auto &[text, filter] : healthItems)
        m_health->addItem(text, int(filter));
    m_health->setAccessibleName(QStringLiteral("Health filter"));
    connect(m_health, &QComboBox::currentIndexChanged, this, [this](int index) {
        m_proxy->setHealthFilter(HealthFilter(m_health->itemData(index).toInt()));
        updateCount();
    });

    m_count->setTextFormat(Qt::PlainText);

    m_view->setModel(m_proxy);
    m_view->setItemDelegate(new StaticTextDelegate(m_view)); // text laid out once, not per paint
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(NodeTableModel::Health, Qt::AscendingOrder); // worst first
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->setTextElideMode(Qt::ElideRight);
    m_view->verticalHeader()->setVisible(false);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 8);
    m_view->horizontalHeader()->setHighlightSections(false);
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_view->horizontalHeader()->setStretchLastSection(false);
    m_view->horizontalHeader()->setSectionResizeMode(NodeTableModel::Cause, QHeaderView::Stretch);
    m_view->setAccessibleName(QStringLiteral("Scrape targets"));
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &NodeTable::updateCount);
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, &NodeTable::updateCount);
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, &NodeTable::updateCount);

    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(0, 0, 0, 0);
    bar->addWidget(m_filter, 1);
    bar->addWidget(m_health);
    bar->addWidget(m_count);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    layout->addLayout(bar);
    layout->addWidget(m_view, 1);
    updateCount();
}

NodeTable::~NodeTable() = default;

void NodeTable::setSnapshot(std::shared_ptr<const snapshot::FleetSnapshot> snapshot)
{
    const bool first = m_model->rowCount() == 0;
    m_model->setSnapshot(std::move(snapshot));
    if (first && m_model->rowCount() > 0) {
        // Size columns to their contents once; afterwards the user's widths stay.
        m_view->resizeColumnsToContents();
        for (int c = 0; c < NodeTableModel::ColumnCount; ++c) {
            if (c != NodeTableModel::Cause)
                m_view->setColumnWidth(c, std::min(m_view->columnWidth(c) + 12, 260));
        }
    }
    updateCount();
}

void NodeTable::setSelectedRegion(const QString &code)
{
    m_region = code;
    m_proxy->setRegionFilter(code);
    updateCount();
}

void NodeTable::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        m_model->setPalette(palette());
    QWidget::changeEvent(event);
}

void NodeTable::updateCount()
{
    const int shown = m_proxy->rowCount();
    const int total = m_model->rowCount();
    QString text = shown == total ? QStringLiteral("%1 targets").arg(total)
                                  : QStringLiteral("%1 of %2 targets").arg(shown).arg(total);
    if (!m_region.isEmpty())
        text += QStringLiteral(" in %1").arg(m_region);
    m_count->setText(text);
}

} // namespace fleetscope::widgets
