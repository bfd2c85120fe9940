#include "panels/kpitiles.h"

#include "common/figureformat.h"
#include "panels/chartdata.h"
#include "panels/kpitile.h"
#include "panels/panelstyle.h"
#include "snapshot/analysis.h"

#include <QEvent>
#include <QHBoxLayout>

#include <cmath>

namespace fleetscope::widgets {

using analytics::SloStatus;
using snapshot::FleetSnapshot;
using snapshot::kNaN;
using snapshot::RegionData;

namespace {

struct Figure
{
    QString value;
    SloStatus status = SloStatus::NoData;
    QString caption;
    QString toolTip;
};

QString windowText(double seconds)
{
    return formatSeconds(seconds);
}

// The region with the largest (or smallest) finite value of `get`, or null.
template<typename Get>
const RegionData *extreme(const std::vector<const RegionData *> &regions, Get get, bool largest)
{
    const RegionData *best = nullptr;
    for (const RegionData *r : regions) {
        const double v = get(*r);
        if (!std::isfinite(v))
            continue;
        if (!best || (largest ? v > get(*best) : v < get(*best)))
            best = r;
    }
    return best;
}

double counterIncrease(const RegionData &r, const QString &key, chartdata::TimeWindow w)
{
    const auto it = r.counters.find(key);
    return it == r.counters.end() ? kNaN : snapshot::increaseOver(it->second, w.from, w.to).value;
}

} // namespace

KpiTiles::KpiTiles(QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(8);
    const QString titles[kTileCount] = {
        QStringLiteral("p95 latency"),
        QStringLiteral("Cache hit ratio"),
        QStringLiteral("Worst replica lag"),
        QStringLiteral("Cost per million"),
        QStringLiteral("Nodes up / idle / down"),
    };
    for (int i = 0; i < kTileCount; ++i) {
        m_tiles[std::size_t(i)] = new KpiTile(titles[i], this);
        layout->addWidget(m_tiles[std::size_t(i)], 1);
    }
    setAccessibleName(QStringLiteral("Headline figures"));
    refresh();
}

KpiTiles::~KpiTiles() = default;

void KpiTiles::setSnapshot(std::shared_ptr<const FleetSnapshot> snapshot)
{
    m_snapshot = std::move(snapshot);
    refresh();
}

void KpiTiles::setSelectedRegion(const QString &code)
{
    if (m_region == code)
        return;
    m_region = code;
    refresh();
}

analytics::SloStatus KpiTiles::status(Tile tile) const
{
    return m_tiles[std::size_t(tile)]->status();
}

QString KpiTiles::valueText(Tile tile) const
{
    return m_tiles[std::size_t(tile)]->value();
}

QString KpiTiles::statusText(Tile tile) const
{
    return m_tiles[std::size_t(tile)]->statusText();
}

QString KpiTiles::captionText(Tile tile) const
{
    return m_tiles[std::size_t(tile)]->caption();
}

QColor KpiTiles::statusColour(Tile tile) const
{
    return m_tiles[std::size_t(tile)]->statusColour();
}

QWidget *KpiTiles::tileWidget(Tile tile) const
{
    return m_tiles[std::size_t(tile)];
}

void KpiTiles::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        update();
    QWidget::changeEvent(event);
}

void KpiTiles::refresh()
{
    std::array<Figure, kTileCount> f;
    for (Figure &x : f)
        x.value = noData();
    if (!m_snapshot) {
        for (int i = 0; i < kTileCount; ++i)
            m_tiles[std::size_t(i)]->setFigure(f[std::size_t(i)].value, SloStatus::NoData, {}, {});
        return;
    }
    const FleetSnapshot &s = *m_snapshot;
    const snapshot::Slo &slo = s.settings.slo;
    const chartdata::TimeWindow window = chartdata::windowOf(s);
    const QString over =
        QStringLiteral("over the last %1").arg(windowText(window.to - window.from));

    const RegionData *selected = m_region.isEmpty() ? nullptr : s.region(m_region);
    std::vector<const RegionData *> regions;
    if (selected) {
        regions.push_back(selected);
    } else {
        for (const RegionData &r : s.regions)
            regions.push_back(&r);
    }
    const QString scope =
        selected ? QStringLiteral("region %1").arg(selected->code) : QStringLiteral("whole fleet");

    // p95 latency: the worst region (a fleet is as slow as its slowest region for its users);
    // the tooltip adds the request-weighted mean of the regions' p95.
    {
        Figure &x = f[std::size_t(Tile::Latency)];
        const auto p95 = [](const RegionData &r) {
            return r.figures.latencyP95Ms;
        };
        const RegionData *worst = extreme(regions, p95, true);
        double weighted = 0, weight = 0;
        for (const RegionData *r : regions) {
            if (std::isfinite(r->figures.latencyP95Ms) && std::isfinite(r->figures.requestRate)) {
                weighted += r->figures.latencyP95Ms * r->figures.requestRate;
                weight += r->figures.requestRate;
            }
        }
        const double mean = weight > 0 ? weighted / weight : kNaN;
        const double value = worst ? worst->figures.latencyP95Ms : kNaN;
        x.value = formatMs(value);
        x.status = analytics::classify(value, analytics::upperLimit(slo.p95LatencyMs));
        if (selected)
            x.caption = QStringLiteral("%1, SLO %2").arg(scope, formatMs(slo.p95LatencyMs));
        else if (worst)
            x.caption = QStringLiteral("worst region: %1, SLO %2")
                            .arg(worst->code, formatMs(slo.p95LatencyMs));
        x.toolTip = selected
            ? QStringLiteral("p95 request latency of region %1 %2.\nSLO: at most %3 "
                             "(warning above 80% of it).")
                  .arg(selected->code, over, formatMs(slo.p95LatencyMs))
            : QStringLiteral("Worst region's p95 request latency %1%2.\nRequest-weighted "
                             "mean of the regions' p95: %3.\nSLO: at most %4 (warning above "
                             "80% of it).")
                  .arg(over, worst ? QStringLiteral(" (%1)").arg(worst->code) : QString(),
                       formatMs(mean), formatMs(slo.p95LatencyMs));
    }

    // Hit ratio: hits over all lookups, summed over the regions in scope.
    {
        Figure &x = f[std::size_t(Tile::HitRatio)];
        double hits = 0, lookups = 0;
        bool any = false;
        for (const RegionData *r : regions) {
            const double h = counterIncrease(*r, QStringLiteral("cache:hit"), window);
            double total = 0;
            for (const auto &[key, series] : r->counters) {
                if (!key.startsWith(QLatin1String("cache:")))
                    continue;
                const double d = snapshot::increaseOver(series, window.from, window.to).value;
                if (std::isfinite(d))
                    total += d;
            }
            if (std::isfinite(h) && total > 0) {
                hits += h;
                lookups += total;
                any = true;
            }
        }
        const double ratio = any && lookups > 0 ? hits / lookups : kNaN;
        x.value = formatPercent(ratio);
        x.status = analytics::classify(ratio, analytics::lowerRatioLimit(slo.minHitRatio));
        const auto hitRatio = [](const RegionData &r) {
            return r.figures.hitRatio;
        };
        const RegionData *lowest = selected ? nullptr : extreme(regions, hitRatio, false);
        x.caption = lowest ? QStringLiteral("%1, lowest: %2 %3")
                                 .arg(scope, lowest->code, formatPercent(lowest->figures.hitRatio))
                           : scope;
        x.toolTip =
            QStringLiteral("Cache hits / (hits + misses + stale) %1, %2.\nSLO: at least %3.")
                .arg(over, scope, formatPercent(slo.minHitRatio));
    }

    // Replica lag: the worst node of the worst region.
    {
        Figure &x = f[std::size_t(Tile::ReplicaLag)];
        const auto lag = [](const RegionData &r) {
            return r.figures.replicaLagS;
        };
        const RegionData *worst = extreme(regions, lag, true);
        const double value = worst ? worst->figures.replicaLagS : kNaN;
        x.value = formatSeconds(value);
        x.status = analytics::classify(value, analytics::upperLimit(slo.maxReplicaLagS));
        x.caption =
            worst && !selected ? QStringLiteral("worst region: %1").arg(worst->code) : scope;
        if (worst && std::isfinite(worst->figures.queueDepth))
            x.caption += QStringLiteral(", queue %1").arg(formatCount(worst->figures.queueDepth));
        x.toolTip = QStringLiteral("Largest replica lag of any node, latest value, %1.\nSLO: at "
                                   "most %2.")
                        .arg(scope, formatSeconds(slo.maxReplicaLagS));
    }

    // Cost per million invocations, weighted by each region's invocations.
    {
        Figure &x = f[std::size_t(Tile::Cost)];
        double weighted = 0, weight = 0;
        bool invoked = false;
        for (const RegionData *r : regions) {
            const double rate = r->figures.invocationRate;
            if (std::isfinite(rate))
                invoked = true;
            if (std::isfinite(rate) && std::isfinite(r->figures.costPerMillionUsd)) {
                weighted += r->figures.costPerMillionUsd * rate;
                weight += rate;
            }
        }
        const double value = weight > 0 ? weighted / weight : kNaN;
        x.value = std::isfinite(value) ? formatUsd(value)
                                       : (invoked ? QStringLiteral("not priced") : noData());
        x.status = analytics::classify(value, analytics::upperLimit(slo.maxCostPerMillionUsd));
        const QString profile = s.pricing.name.isEmpty() ? s.pricing.id : s.pricing.name;
        // The caption names the vendor product only ("Cloudflare Workers"); the tooltip the plan.
        const QString shortProfile =
            profile.section(QStringLiteral(" \u2013 "), 0, 0).section(QStringLiteral(" ("), 0, 0);
        x.caption = profile.isEmpty() ? scope : QStringLiteral("%1, %2").arg(scope, shortProfile);
        x.toolTip =
            QStringLiteral("Serverless cost per million invocations %1, %2, weighted by "
                           "invocations.\nPricing: %3%4.\nSLO: at most %5.")
                .arg(over, scope, profile.isEmpty() ? QStringLiteral("none") : profile,
                     s.pricing.asOf.isEmpty() ? QString()
                                              : QStringLiteral(" (as of %1)").arg(s.pricing.asOf),
                     formatUsd(slo.maxCostPerMillionUsd));
    }

    // Nodes: any down or stale node warns; a quarter of them down is a breach.
    {
        Figure &x = f[std::size_t(Tile::Nodes)];
        int up = 0, idle = 0, down = 0, stale = 0, unknown = 0;
        for (const snapshot::TargetRow &t : s.targets) {
            if (selected && t.region != selected->code)
                continue;
            switch (t.health) {
            case snapshot::Health::Up:
                ++up;
                break;
            case snapshot::Health::Idle:
                ++idle;
                break;
            case snapshot::Health::Down:
                ++down;
                break;
            case snapshot::Health::Stale:
                ++stale;
                break;
            case snapshot::Health::Unknown:
                ++unknown;
                break;
            }
        }
        const int total = up + idle + down + stale + unknown;
        x.value =
            total == 0 ? noData() : QStringLiteral("%1 / %2 / %3").arg(up).arg(idle).arg(down);
        if (total == 0)
            x.status = SloStatus::NoData;
        else if (down * 4 >= total && down > 0)
            x.status = SloStatus::Breach;
        else if (down > 0 || stale > 0)
            x.status = SloStatus::Warning;
        else
            x.status = SloStatus::Ok;
        QStringList extra;
        if (stale > 0)
            extra.append(QStringLiteral("%1 stale").arg(stale));
        if (unknown > 0)
            extra.append(QStringLiteral("%1 not scraped yet").arg(unknown));
        x.caption = extra.isEmpty()
            ? scope
            : QStringLiteral("%1, %2").arg(scope, extra.join(QStringLiteral(", ")));
        x.toolTip = QStringLiteral("Targets %1: %2 up, %3 idle (scaled to zero), %4 down, %5 stale."
                                   "\nWarning when any is down or stale; breach when a quarter or "
                                   "more are down.")
                        .arg(scope)
                        .arg(up)
                        .arg(idle)
                        .arg(down)
                        .arg(stale);
    }

    for (int i = 0; i < kTileCount; ++i) {
        const Figure &x = f[std::size_t(i)];
        m_tiles[std::size_t(i)]->setFigure(x.value, x.status, x.caption, x.toolTip);
    }
}

} // namespace fleetscope::widgets
