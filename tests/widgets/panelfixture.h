#pragma once

// Fleet snapshots for the panel suites, built in code with raw windows (histogram bucket rows,
// cumulative counters, gauges) and analysed like a live one, so the figures and the per-step
// chart points come from the same data. Deterministic: no clock, no randomness.

#include "snapshot/analysis.h"
#include "snapshot/fleetsnapshot.h"

#include <QEvent>
#include <QObject>
#include <QString>
#include <QStringList>

#include <algorithm>

#include <cmath>
#include <memory>
#include <vector>

namespace fleetscope::testfixture {

struct FixtureRegion
{
    QString code;
    double lat = 0, lon = 0;
    double baseMs = 50; // median-ish request latency
    double hitRatio = 0.95;
    double lagS = 1;
    double queue = 10;
    int up = 2, idle = 0, down = 0, stale = 0;
    bool phases = true;
    bool invocations = true; // the usage families cost needs
    double requestsPerTick = 200;
};

inline std::vector<FixtureRegion> defaultRegions()
{
    return {
        { QStringLiteral("nrt"), 35.7, 139.7, 40, 0.96, 0.8, 12 },
        { QStringLiteral("iad"), 38.9, -77.0, 25, 0.97, 0.4, 4 },
        { QStringLiteral("fra"), 50.1, 8.7, 30, 0.93, 1.5, 20 },
        { QStringLiteral("syd"), -33.9, 151.2, 120, 0.85, 8, 80, 1, 0, 1 },
        { QStringLiteral("gru"), -23.5, -46.6, 90, 0.91, 3.0, 35, 1, 1 },
        { QStringLiteral("jnb"), -26.2, 28.0, 150, 0.88, 4.2, 50, 0, 2, 0, 0, true, true, 20 },
    };
}

inline const std::vector<double> &bucketBounds()
{
    static const std::vector<double> bounds = { 0.001, 0.0025, 0.005, 0.01, 0.02, 0.03,
                                                0.05,  0.075,  0.1,   0.15, 0.2,  0.3,
                                                0.5,   0.75,   1,     2.5,  5,    INFINITY };
    return bounds;
}

inline constexpr double kStart = 1'700'000'000;

struct FixtureOptions
{
    int ticks = 120;
    double step = 5; // seconds between ticks
    double quantile = 0.95;
    double windowSeconds = 600;
    double vantageLat = 51.5, vantageLon = -0.1; // London
    QString vantage = QStringLiteral("London");
    snapshot::Slo slo;
};

inline snapshot::FleetSnapshot makeSnapshot(const std::vector<FixtureRegion> &regions,
                                            const FixtureOptions &o = {})
{
    using namespace snapshot;
    FleetSnapshot s;
    s.fleetName = QStringLiteral("fixture");
    s.sourceKind = QStringLiteral("fleet");
    s.windowStart = kStart;
    s.time = kStart + (o.ticks - 1) * o.step;
    s.settings.quantile = o.quantile;
    s.settings.windowSeconds = o.windowSeconds;
    s.settings.vantage = o.vantage;
    s.settings.vantageLat = o.vantageLat;
    s.settings.vantageLon = o.vantageLon;
    s.settings.slo = o.slo;
    const std::vector<double> &bounds = bucketBounds();
    const QStringList phaseNames = { QStringLiteral("dns"), QStringLiteral("tls"),
                                     QStringLiteral("compute"), QStringLiteral("kv"),
                                     QStringLiteral("db") };
    const double phaseShare[] = { 0.05, 0.15, 0.4, 0.15, 0.25 };
    for (const FixtureRegion &fr : regions) {
        RegionData r;
        r.code = fr.code;
        r.name = fr.code.toUpper();
        r.lat = fr.lat;
        r.lon = fr.lon;
        r.placed = true;
        r.nodesUp = fr.up;
        r.nodesIdle = fr.idle;
        r.nodesDown = fr.down;
        r.nodesStale = fr.stale;
        HistogramWindow h;
        h.bounds = bounds;
        std::vector<double> cumulative(bounds.size(), 0);
        double sum = 0, count = 0, hits = 0, misses = 0, stale = 0, inv = 0, fivexx = 0;
        std::vector<double> phaseSum(phaseNames.size(), 0);
        const int n = int(fr.requestsPerTick);
        for (int i = 0; i < o.ticks; ++i) {
            const double t = kStart + i * o.step;
            // Latency grows over the window and wobbles, so sub-windows differ.
            const double trend = 1.0 + 0.8 * double(i) / o.ticks + 0.1 * std::sin(i * 0.7);
            for (int j = 0; j < n; ++j) {
                const double x = double(j) / std::max(1, n - 1);
                const double seconds = fr.baseMs * trend * (0.4 + 1.6 * x * x * x * 1.5) / 1000.0;
                for (std::size_t b = 0; b < bounds.size(); ++b) {
                    if (seconds <= bounds[b])
                        cumulative[b] += 1;
                }
                sum += seconds;
                for (qsizetype p = 0; p < phaseNames.size(); ++p)
                    phaseSum[std::size_t(p)] += seconds * phaseShare[p];
            }
            count += n;
            h.times.push_back(t);
            h.counts.push_back(cumulative);
            h.sum.push_back({ t, sum });
            r.counters[QStringLiteral("histcount:request_duration")].push_back({ t, count });
            fivexx += (i % 10 == 0) ? 1 : 0;
            r.counters[QStringLiteral("requests:5xx")].push_back({ t, fivexx });
            r.counters[QStringLiteral("requests:2xx")].push_back({ t, count - fivexx });
            // Hit ratio dips in the middle of the window and recovers.
            const double dip = (i > o.ticks / 2 && i < o.ticks / 2 + 10) ? 0.15 : 0.0;
            const double lookups = 1000;
            const double hr = std::max(0.0, fr.hitRatio - dip);
            hits += lookups * hr;
            misses += lookups * (1 - hr) * 0.8;
            stale += lookups * (1 - hr) * 0.2;
            r.counters[QStringLiteral("cache:hit")].push_back({ t, hits });
            r.counters[QStringLiteral("cache:miss")].push_back({ t, misses });
            r.counters[QStringLiteral("cache:stale")].push_back({ t, stale });
            if (fr.invocations) {
                inv += n * (1.0 + 0.5 * std::sin(i * 0.2));
                r.counters[QStringLiteral("invocations")].push_back({ t, inv });
                r.counters[QStringLiteral("cpu")].push_back({ t, inv * 0.004 });
                r.counters[QStringLiteral("gb_seconds")].push_back({ t, inv * 0.0025 });
                r.counters[QStringLiteral("egress")].push_back({ t, inv * 20000 });
                r.counters[QStringLiteral("kv_ops:read")].push_back({ t, inv * 0.7 });
            }
            if (fr.phases) {
                for (qsizetype p = 0; p < phaseNames.size(); ++p) {
                    const QString key = QStringLiteral("request_phase_duration:") + phaseNames[p];
                    HistogramWindow &ph = r.histograms[key];
                    if (ph.bounds.empty())
                        ph.bounds = { INFINITY };
                    ph.times.push_back(t);
                    ph.counts.push_back({ count });
                    ph.sum.push_back({ t, phaseSum[std::size_t(p)] });
                    r.counters[QStringLiteral("histcount:") + key].push_back({ t, count });
                }
            }
            const double wave = 1.0 + 0.3 * std::sin(i * 0.3);
            r.gauges[QStringLiteral("replica_lag")].push_back({ t, fr.lagS * wave });
            r.gauges[QStringLiteral("queue_depth")].push_back({ t, std::round(fr.queue * wave) });
            r.gauges[QStringLiteral("instances:warm")].push_back({ t, fr.up > 0 ? 2.0 : 0.0 });
            r.gauges[QStringLiteral("instances:busy")].push_back({ t, fr.up > 0 ? 1.0 : 0.0 });
        }
        r.histograms[QStringLiteral("request_duration")] = std::move(h);
        s.regions.push_back(std::move(r));

        int node = 0;
        const auto addTargets = [&](int howMany, Health health) {
            for (int k = 0; k < howMany; ++k, ++node) {
                TargetRow t;
                t.id = QStringLiteral("%1-%2.edge.example:9100").arg(fr.code).arg(node);
                t.url = QStringLiteral("http://%1/metrics").arg(t.id);
                t.region = fr.code;
                t.node = QStringLiteral("%1-%2").arg(fr.code).arg(node);
                t.provider = QStringLiteral("fixture");
                t.health = health;
                t.lastScrapeTime = s.time - 2 - node * 7;
                t.lastScrapeDurationMs = 3.5 + node * 41.0 + fr.baseMs / 10;
                t.httpStatus = health == Health::Down ? 503 : 200;
                t.samples = health == Health::Down ? 0 : 180 + node * 90;
                t.format = QStringLiteral("prometheus");
                if (health == Health::Down)
                    t.cause = QStringLiteral("HTTP 503 from the target");
                if (health == Health::Stale) {
                    t.cause = QStringLiteral("no successful scrape for 95 s");
                    t.lastScrapeTime = s.time - 95;
                }
                s.targets.push_back(std::move(t));
            }
        };
        addTargets(fr.up, Health::Up);
        addTargets(fr.idle, Health::Idle);
        addTargets(fr.down, Health::Down);
        addTargets(fr.stale, Health::Stale);
    }
    std::sort(s.targets.begin(), s.targets.end(),
              [](const TargetRow &a, const TargetRow &b) { return a.id < b.id; });
    std::sort(s.regions.begin(), s.regions.end(),
              [](const RegionData &a, const RegionData &b) { return a.code < b.code; });
    analyse(s);
    return s;
}

inline std::shared_ptr<const snapshot::FleetSnapshot>
makeShared(const std::vector<FixtureRegion> &regions, const FixtureOptions &o = {})
{
    return std::make_shared<const snapshot::FleetSnapshot>(makeSnapshot(regions, o));
}

// Counts the paint events an object receives once installed as its event filter (on a widget, or
// on the application for every widget).
class PaintCounter : public QObject
{
public:
    int count = 0;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Paint)
            ++count;
        return QObject::eventFilter(watched, event);
    }
};

} // namespace fleetscope::testfixture
