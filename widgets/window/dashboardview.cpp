#include "window/dashboardview.h"

#include "map/regionmapwidget.h"
#include "panels/costtable.h"
#include "panels/fleetcharts.h"
#include "panels/kpitiles.h"
#include "panels/lightfloorchart.h"
#include "panels/nodetable.h"
#include "panels/phasebreakdownchart.h"

#include <QDockWidget>
#include <QEvent>
#include <QFontMetrics>

#include <QVBoxLayout>
#include <algorithm>

namespace fleetscope::widgets {

DashboardView::DashboardView(QWidget *parent)
    : QMainWindow(parent)
{
    setObjectName(QStringLiteral("DashboardView"));
    setWindowFlags(Qt::Widget); // a main window used as a child, for its docks
    setDockNestingEnabled(true);

    auto *centre = new QWidget(this);
    auto *layout = new QVBoxLayout(centre);
    layout->setContentsMargins(4, 4, 4, 4);
    m_tiles = new KpiTiles(centre);
    m_map = new RegionMapWidget(centre);
    layout->addWidget(m_tiles);
    layout->addWidget(m_map, 1);
    setCentralWidget(centre);

    auto dock = [this](QWidget *w, const QString &title, const QString &name,
                       Qt::DockWidgetArea area) {
        auto *d = new QDockWidget(title, this);
        d->setObjectName(name);
        d->setWidget(w);
        d->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable
                       | QDockWidget::DockWidgetClosable);
        addDockWidget(area, d);
        return d;
    };
    m_charts = new FleetCharts(this);
    m_phases = new PhaseBreakdownChart(this);
    m_floor = new LightFloorChart(this);
    m_costs = new CostTable(this);
    m_nodes = new NodeTable(this);
    QDockWidget *charts = dock(m_charts, QStringLiteral("Trends"), QStringLiteral("chartsDock"),
                               Qt::RightDockWidgetArea);
    QDockWidget *floor = dock(m_floor, QStringLiteral("Measured vs speed of light"),
                              QStringLiteral("floorDock"), Qt::RightDockWidgetArea);
    QDockWidget *phases = dock(m_phases, QStringLiteral("Where the time goes"),
                               QStringLiteral("phasesDock"), Qt::RightDockWidgetArea);
    QDockWidget *nodes = dock(m_nodes, QStringLiteral("Nodes"), QStringLiteral("nodesDock"),
                              Qt::BottomDockWidgetArea);
    QDockWidget *costs =
        dock(m_costs, QStringLiteral("Cost"), QStringLiteral("costDock"), Qt::BottomDockWidgetArea);
    tabifyDockWidget(floor, phases);
    tabifyDockWidget(nodes, costs);
    floor->raise();
    nodes->raise();
    resizeDocks({ charts, floor }, { 3, 2 }, Qt::Vertical);
    resizeDocks({ charts }, { 520 }, Qt::Horizontal);
    resizeDocks({ nodes }, { 220 }, Qt::Vertical);

    connect(m_map, &RegionMapWidget::regionSelected, this, &DashboardView::regionSelected);
    connect(m_charts, &FleetCharts::scopeChanged, charts, [charts](const QString &scope) {
        charts->setWindowTitle(scope.isEmpty() ? QStringLiteral("Trends")
                                               : QStringLiteral("Trends \u2014 %1").arg(scope));
    });
    // The bar charts show as many regions as their height can label legibly.
    m_floor->installEventFilter(this);
    m_phases->installEventFilter(this);
}

bool DashboardView::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::Resize && (watched == m_floor || watched == m_phases)) {
        auto *w = static_cast<QWidget *>(watched);
        const int row = QFontMetrics(w->font()).height() + 4;
        const int regions = std::clamp((w->height() - 120) / row, 3, 15);
        if (watched == m_floor)
            m_floor->setMaxRegions(regions);
        else
            m_phases->setMaxRegions(regions);
    }
    return QMainWindow::eventFilter(watched, event);
}

DashboardView::~DashboardView() = default;

void DashboardView::setSnapshot(std::shared_ptr<const snapshot::FleetSnapshot> snapshot)
{
    m_snapshot = std::move(snapshot);
    refresh();
}

void DashboardView::setRegionFilter(const QString &text)
{
    if (text.trimmed() == m_filter)
        return;
    m_filter = text.trimmed();
    refresh();
}

void DashboardView::refresh()
{
    if (!m_snapshot)
        return;
    if (m_filter.isEmpty()) {
        m_filtered = m_snapshot;
    } else {
        // Every panel draws the same narrowed snapshot, so they agree about what is shown.
        auto f = std::make_shared<snapshot::FleetSnapshot>(*m_snapshot);
        const QStringList words = m_filter.split(u',', Qt::SkipEmptyParts);
        auto matches = [&](const snapshot::RegionData &r) {
            for (QString w : words) {
                w = w.trimmed();
                if (!w.isEmpty()
                    && (r.code.contains(w, Qt::CaseInsensitive)
                        || r.name.contains(w, Qt::CaseInsensitive)
                        || r.city.contains(w, Qt::CaseInsensitive)))
                    return true;
            }
            return false;
        };
        std::erase_if(f->regions, [&](const snapshot::RegionData &r) { return !matches(r); });
        QSet<QString> kept;
        for (const auto &r : f->regions)
            kept.insert(r.code);
        std::erase_if(f->targets,
                      [&](const snapshot::TargetRow &t) { return !kept.contains(t.region); });
        m_filtered = std::move(f);
    }
    // Charts last: each chart hands its scene's changes to its view at once (settleChart), and
    // QGraphicsScene then paints the window's dirty widgets at once. Widgets updated before
    // that are painted once, with the new snapshot; one updated after it would be painted
    // twice, first with the old one.
    m_map->setSnapshot(m_filtered);
    m_tiles->setSnapshot(m_filtered);
    m_costs->setSnapshot(m_filtered);
    m_nodes->setSnapshot(m_filtered);
    m_charts->setSnapshot(m_filtered);
    m_phases->setSnapshot(m_filtered);
    m_floor->setSnapshot(m_filtered);
    setSelectedRegion(m_selected);
}

void DashboardView::setSelectedRegion(const QString &code)
{
    m_selected = code;
    m_map->setSelectedRegion(code);
    m_tiles->setSelectedRegion(code);
    m_charts->setSelectedRegion(code);
    m_phases->setSelectedRegion(code);
    m_floor->setSelectedRegion(code);
    m_costs->setSelectedRegion(code);
    m_nodes->setSelectedRegion(code);
}

QByteArray DashboardView::saveLayout() const
{
    return saveState();
}

void DashboardView::restoreLayout(const QByteArray &state)
{
    if (!state.isEmpty())
        restoreState(state);
}

} // namespace fleetscope::widgets
