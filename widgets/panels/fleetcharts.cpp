#include "panels/fleetcharts.h"

#include "common/figureformat.h"
#include "panels/chartdata.h"
#include "panels/panelstyle.h"
#include "panels/timechartview.h"

#include <QEvent>
#include <QGridLayout>

#include <cmath>

namespace fleetscope::widgets {

using snapshot::RegionData;

namespace {

QString quantileName(double q)
{
    const double pct = q * 100;
    return u'p' + QString::number(pct, 'f', std::fabs(pct - std::round(pct)) < 1e-9 ? 0 : 1);
}

} // namespace

FleetCharts::FleetCharts(QWidget *parent)
    : QWidget(parent)
    // The titles carry the units: a value-axis title is elided to "hit ..." in a chart a small
    // screen leaves 130 px high, and costs the plot its width.
    , m_latency(new TimeChartView(QString(), this))
    , m_hitRatio(new TimeChartView(QString(), this))
    , m_lag(new TimeChartView(QString(), this))
    , m_cost(new TimeChartView(QString(), this))
{
    m_hitRatio->setValueCeiling(100);
    m_lag->setSecondaryAxisTitle(QStringLiteral("queue"));
    auto *grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setSpacing(6);
    grid->addWidget(m_latency, 0, 0);
    grid->addWidget(m_hitRatio, 0, 1);
    grid->addWidget(m_lag, 1, 0);
    grid->addWidget(m_cost, 1, 1);
    for (TimeChartView *v : { m_latency, m_hitRatio, m_lag, m_cost })
        v->setMinimumSize(220, 130);
    refresh();
}

FleetCharts::~FleetCharts() = default;

void FleetCharts::setSnapshot(std::shared_ptr<const snapshot::FleetSnapshot> snapshot)
{
    m_snapshot = std::move(snapshot);
    refresh();
}

void FleetCharts::setSelectedRegion(const QString &code)
{
    if (m_region == code)
        return;
    m_region = code;
    refresh();
}

void FleetCharts::setTopRegionCount(int count)
{
    m_topCount = std::max(1, count);
    refresh();
}

void FleetCharts::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        refresh(); // line colours come from the palette too
    QWidget::changeEvent(event);
}

void FleetCharts::refresh()
{
    const QPalette pal = palette();
    std::vector<ChartLine> latency, hit, lag, cost;
    m_charted.clear();
    QString scope;
    double quantile = 0.95;
    if (m_snapshot) {
        const snapshot::FleetSnapshot &s = *m_snapshot;
        quantile = s.settings.quantile;
        const chartdata::TimeWindow w = chartdata::windowOf(s);
        for (TimeChartView *v : { m_latency, m_hitRatio, m_lag, m_cost })
            v->setTimeRange(w.from, w.to);
        const analytics::PricingProfile *profile = chartdata::pricingProfileOf(s);
        const RegionData *selected = m_region.isEmpty() ? nullptr : s.region(m_region);
        std::vector<const RegionData *> regions;
        if (selected) {
            regions.push_back(selected);
            scope = QStringLiteral("region %1").arg(selected->code);
            std::vector<double> qs = { 0.50, 0.90, 0.95, 0.99 };
            if (std::find_if(qs.begin(), qs.end(),
                             [&](double q) { return std::fabs(q - quantile) < 1e-9; })
                == qs.end())
                qs.push_back(quantile);
            for (std::size_t i = 0; i < qs.size(); ++i) {
                const bool chosen = std::fabs(qs[i] - quantile) < 1e-9;
                latency.push_back({ quantileName(qs[i]),
                                    chartdata::latencyQuantileMs(*selected, qs[i], w),
                                    panelstyle::seriesColour(int(i), pal), Qt::SolidLine,
                                    chosen ? 2.0 : 1.0, false });
            }
        } else {
            const QStringList top = chartdata::topRegions(s, m_topCount);
            for (const QString &code : top)
                regions.push_back(s.region(code));
            scope = s.regions.size() > regions.size() ? QStringLiteral("%1 slowest of %2 regions")
                                                            .arg(regions.size())
                                                            .arg(s.regions.size())
                                                      : QStringLiteral("all regions");
        }
        for (std::size_t i = 0; i < regions.size(); ++i) {
            const RegionData &r = *regions[i];
            m_charted.append(r.code);
            const QColor c = panelstyle::seriesColour(selected ? 0 : int(i), pal);
            if (!selected)
                latency.push_back({ r.code, chartdata::latencyQuantileMs(r, quantile, w), c,
                                    Qt::SolidLine, 1, false });
            hit.push_back({ r.code, chartdata::hitRatioPercent(r, w), c, Qt::SolidLine, 1, false });
            // With several regions the legend names the region (the title says solid is lag).
            lag.push_back({ r.code + QStringLiteral(" lag"),
                            chartdata::gaugeValues(r, QStringLiteral("replica_lag"), w), c,
                            Qt::SolidLine, 1, false, true, selected ? QString() : r.code });
            // With several regions the legend names each region once (its lag line); the axis
            // title says dashed lines are queues.
            lag.push_back({ r.code + QStringLiteral(" queue"),
                            chartdata::gaugeValues(r, QStringLiteral("queue_depth"), w),
                            selected ? panelstyle::seriesColour(1, pal) : c, Qt::DashLine, 1.5,
                            true, selected != nullptr });
            cost.push_back(
                { r.code, chartdata::costUsdPerHour(r, profile, w), c, Qt::SolidLine, 1, false });
        }
    }
    // The scope (which regions) is said once, by whoever frames the charts (the dock's title,
    // a report's caption): repeated in four titles it pushed what each chart shows out of view.
    // Title, then lines, chart by chart: a chart settles (lays out and repaints) when its lines
    // are set, and whatever marked it dirty after that would paint it a second time.
    m_latency->setTitle(m_region.isEmpty() || !m_snapshot || !m_snapshot->region(m_region)
                            ? QStringLiteral("%1 latency (ms)").arg(quantileName(quantile))
                            : QStringLiteral("Latency quantiles (ms)"));
    m_latency->setLines(std::move(latency));
    m_hitRatio->setTitle(QStringLiteral("Cache hit ratio (%)"));
    m_hitRatio->setLines(std::move(hit));
    m_lag->setTitle(m_charted.size() > 1 ? QStringLiteral("Replica lag (s), queue dashed")
                                         : QStringLiteral("Replica lag (s) and write queue"));
    m_lag->setLines(std::move(lag));
    m_cost->setTitle(QStringLiteral("Serverless cost rate (USD/h)"));
    m_cost->setEmptyText(m_snapshot && !chartdata::pricingProfileOf(*m_snapshot)
                             ? QStringLiteral("not priced (no pricing profile)")
                             : QStringLiteral("no data"));
    m_cost->setLines(std::move(cost));
    if (scope != m_scope) {
        m_scope = scope;
        Q_EMIT scopeChanged(m_scope);
    }
}

} // namespace fleetscope::widgets
