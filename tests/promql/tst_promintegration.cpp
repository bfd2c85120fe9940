// The Prometheus source against a real Prometheus: fleetsim serves a fleet from its own thread in
// this process, /usr/bin/prometheus scrapes it every second (127.0.0.1, ephemeral port, temporary
// data directory) while FleetScope scrapes the same nodes directly, and the two sources'
// per-region figures agree: quantiles within one bucket width, ratios and rates within 1%, cost
// within 1%.
//
// How the comparison is kept honest. The two sources sample the counters at different instants
// (Prometheus at its scrape times, FleetScope at its ticks), so on a live fleet their windows
// would hold different traffic. Here the simulator's clock stands still: the fleet holds state A
// until both sides have scraped it, then jumps 5 simulated minutes to state B and holds that until
// both have scraped it. The figures are compared over one window [tick_first, tick_last] taken
// from the direct side's own ticks, tick_first while A held and tick_last while B held; the
// Prometheus source is evaluated at tick_last with a step that divides the window, so its grid
// starts at tick_first too. Both sides then see counters A at the start and B at the end and
// divide by the same seconds: the Prometheus source's per-step increase does not extrapolate
// (see promsource.h), like the direct path's difference between ticks.

#include "promtesthelpers.h"

#include "fleet/fleetfile.h"
#include "promql/promclient.h"
#include "promql/promsource.h"
#include "snapshot/analysis.h"
#include "snapshot/fleetmonitor.h"

#include <QDateTime>
#include <QLoggingCategory>
#include <QSignalSpy>
#include <QTest>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <optional>

using namespace fleetscope;
using snapshot::kNaN;

namespace {

// 2026-01-15T12:00:00Z: daytime or evening in every region below.
constexpr double kNoonUtc = 1768478400;
const QStringList kRegions = { QStringLiteral("iad"), QStringLiteral("lhr"), QStringLiteral("fra"),
                               QStringLiteral("sin") };

double nowSeconds()
{
    return double(QDateTime::currentMSecsSinceEpoch()) / 1000.0;
}

// The last point time of a region's invocations counter at or before `limit`.
double lastTickAtOrBefore(const snapshot::FleetSnapshot &s, double limit)
{
    double best = kNaN;
    for (const snapshot::RegionData &r : s.regions) {
        const auto it = r.counters.find(QStringLiteral("invocations"));
        if (it == r.counters.end())
            continue;
        for (const snapshot::Point &p : it->second) {
            if (p.t <= limit && !(p.t <= best))
                best = p.t;
        }
    }
    return best;
}

// Width of the bucket of `h` that holds `ms`.
double bucketWidthMs(const snapshot::HistogramWindow &h, double ms)
{
    double lower = 0;
    for (const double b : h.bounds) {
        if (std::isinf(b))
            break;
        if (ms <= b * 1000.0 + 1e-9)
            return b * 1000.0 - lower;
        lower = b * 1000.0;
    }
    return ms - lower; // in +Inf: reported as the highest finite bound
}

} // namespace

class TestPromIntegration : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QLoggingCategory::setFilterRules(QStringLiteral("fleetscope.*.debug=false"));
        qRegisterMetaType<std::shared_ptr<const snapshot::FleetSnapshot>>();
    }

    void rangeGridIsTheOneAskedFor_data();
    void rangeGridIsTheOneAskedFor();
    void figuresAgreeWithDirectScrape();
};

void TestPromIntegration::rangeGridIsTheOneAskedFor_data()
{
    QTest::addColumn<double>("step");
    // 1.001 s and 1.003 s: Prometheus truncates these to 1 s when they are sent as float
    // seconds (1.001 * 1e9 ns is 1000999999.99...), so the grid drifts a millisecond a step and
    // misses the window's first tick (the figures test then compared NaNs, as CI once saw).
    QTest::addRow("1.001 s") << 1.001;
    QTest::addRow("1.003 s") << 1.003;
    QTest::addRow("0.143 s") << 0.143;
    QTest::addRow("15 s") << 15.0;
}

// A range query's points fall on start + k * step, to the millisecond, whatever the step.
void TestPromIntegration::rangeGridIsTheOneAskedFor()
{
    QFETCH(double, step);
    promtest::PrometheusProcess prometheus;
    QString error;
    QVERIFY2(prometheus.start(QByteArrayLiteral("[]"), &error), qPrintable(error));
    QNetworkAccessManager nam;
    QVERIFY2(QTest::qWaitFor([&] { return prometheus.ready(nam) || !prometheus.running(); }, 60000),
             "Prometheus did not become ready within 60 s");
    QVERIFY2(prometheus.running(), prometheus.output().constData());

    promql::ClientOptions clientOptions;
    clientOptions.baseUrl = QUrl(prometheus.baseUrl());
    promql::PromClient client(clientOptions);
    const double start = std::floor(nowSeconds()) - 3600 + 0.123;
    const int steps = 4;
    const double end = start + steps * step;
    std::optional<promql::PromResult> answer;
    client.queryRange(QStringLiteral("vector(1)"), start, end, step,
                      [&answer](const promql::PromResult &r) { answer = r; });
    QTRY_VERIFY_WITH_TIMEOUT(answer.has_value(), 20000);
    QVERIFY2(answer->ok, qPrintable(answer->error));
    QCOMPARE(answer->series.size(), std::size_t(1));
    const snapshot::Series &points = answer->series.front().points;
    QCOMPARE(points.size(), std::size_t(steps + 1));
    for (int k = 0; k <= steps; ++k) {
        QVERIFY2(std::abs(points[k].t - (start + k * step)) < 1e-4,
                 qPrintable(QStringLiteral("point %1 at %2, asked for %3")
                                .arg(k)
                                .arg(points[k].t, 0, 'f', 3)
                                .arg(start + k * step, 0, 'f', 3)));
    }
    prometheus.stop();
}

void TestPromIntegration::figuresAgreeWithDirectScrape()
{
    // The fleet, frozen at noon plus ten warm-up minutes.
    promtest::FrozenSim sim;
    sim::SimOptions options;
    options.nodes = 12;
    options.regions = kRegions;
    options.primary = QStringLiteral("iad");
    options.startTime = kNoonUtc;
    options.seed = 7;
    options.control = false;
    QString error;
    QByteArray fleetJson;
    QVERIFY2(sim.start(options, &error, &fleetJson), qPrintable(error));
    sim.advance(600);

    // Prometheus, scraping the nodes every second.
    promtest::PrometheusProcess prometheus;
    QVERIFY2(prometheus.start(fleetJson, &error), qPrintable(error));
    QNetworkAccessManager nam;
    const bool up =
        QTest::qWaitFor([&] { return prometheus.ready(nam) || !prometheus.running(); }, 60000);
    QVERIFY2(up, "Prometheus did not become ready within 60 s");
    QVERIFY2(prometheus.running(), prometheus.output().constData());

    // FleetScope scraping the same nodes directly, every second.
    fleet::FleetLoadResult loaded =
        fleet::parseFleetFile(fleetJson, QStringLiteral("fleetsim.json"));
    QVERIFY2(loaded.ok(), qPrintable(loaded.errorString()));
    for (fleet::Target &t : loaded.fleet.targets) {
        t.interval = std::chrono::milliseconds(1000);
        t.timeout = std::chrono::milliseconds(900);
    }
    snapshot::FleetMonitor direct(loaded.fleet);
    snapshot::Settings settings = direct.settings();
    settings.windowSeconds = 600;
    direct.setSettings(settings);
    std::shared_ptr<const snapshot::FleetSnapshot> latest;
    connect(&direct, &snapshot::FleetMonitor::snapshotReady, this,
            [&latest](std::shared_ptr<const snapshot::FleetSnapshot> s) { latest = std::move(s); });
    direct.start();

    promql::ClientOptions clientOptions;
    clientOptions.baseUrl = QUrl(prometheus.baseUrl());
    clientOptions.timeoutMs = 20000;
    promql::PromClient probe(clientOptions);
    const int nodes = options.nodes;
    // Every target up in Prometheus with a sample taken after `after`, as of `at`.
    auto prometheusScrapedSince = [&](double after, double at) {
        bool answered = false, ok = false;
        probe.query(QStringLiteral("count(up{job=\"edge\"} == 1) == %1 and "
                                   "min(timestamp(up{job=\"edge\"})) > %2")
                        .arg(nodes)
                        .arg(after, 0, 'f', 3),
                    at, [&](const promql::PromResult &r) {
                        answered = true;
                        ok = r.ok && r.series.size() == 1;
                    });
        return QTest::qWaitFor([&] { return answered; }, 20000) && ok;
    };
    // The direct side's latest snapshot shows every target scraped after `after`.
    auto directScrapedSince = [&](double after) {
        if (!latest || int(latest->targets.size()) != nodes)
            return false;
        for (const snapshot::TargetRow &t : latest->targets) {
            if (!(t.lastScrapeTime > after)
                || (t.health != snapshot::Health::Up && t.health != snapshot::Health::Idle))
                return false;
        }
        return true;
    };

    // State A: both sides have scraped it.
    const double frozenA = nowSeconds();
    QTRY_VERIFY_WITH_TIMEOUT(directScrapedSince(frozenA + 0.5), 30000);
    const double directHasA = latest->time;
    QTRY_VERIFY_WITH_TIMEOUT(prometheusScrapedSince(frozenA + 0.5, nowSeconds()), 30000);
    // Two direct ticks after both sides had A, so the window can start at a tick that held A on
    // both sides.
    const double bothHaveA = std::max(directHasA, nowSeconds());
    auto ticksAfter = [&](double t) {
        int n = 0;
        if (latest) {
            for (const snapshot::RegionData &r : latest->regions) {
                const auto it = r.counters.find(QStringLiteral("invocations"));
                if (it == r.counters.end())
                    continue;
                for (const snapshot::Point &p : it->second)
                    n += p.t > t ? 1 : 0;
                break;
            }
        }
        return n;
    };
    QTRY_VERIFY_WITH_TIMEOUT(ticksAfter(bothHaveA) >= 2, 20000);

    // State B, five simulated minutes later.
    const double beforeJump = nowSeconds();
    sim.advance(300);
    const double afterJump = nowSeconds();
    QTRY_VERIFY_WITH_TIMEOUT(directScrapedSince(afterJump + 0.05), 30000);
    const double directHasB = latest->time;
    QTRY_VERIFY_WITH_TIMEOUT(latest && lastTickAtOrBefore(*latest, 1e12) > directHasB + 0.5, 20000);
    const std::shared_ptr<const snapshot::FleetSnapshot> directSnap = latest;
    direct.stop();

    const double tickLast = lastTickAtOrBefore(*directSnap, 1e12);
    const double tickFirst = lastTickAtOrBefore(*directSnap, beforeJump - 0.2);
    QVERIFY2(tickFirst > bothHaveA, "no direct tick while state A held for every node");
    QVERIFY(tickLast > directHasB);
    // Prometheus holds a sample of every node from state A at tickFirst and from B at tickLast.
    QVERIFY(prometheusScrapedSince(frozenA + 0.5, tickFirst));
    QTRY_VERIFY_WITH_TIMEOUT(prometheusScrapedSince(afterJump + 0.05, tickLast), 30000);

    // One window for both, [tickFirst, tickLast] (whole milliseconds), cut into the most steps
    // (up to ten) of whole milliseconds, so the Prometheus grid lands on both ticks and both
    // sides divide by the same seconds.
    const qint64 windowMs = std::llround((tickLast - tickFirst) * 1000.0);
    qint64 steps = 10;
    while (windowMs % steps != 0)
        --steps;
    const double step = double(windowMs / steps) / 1000.0;
    const double window = double(windowMs) / 1000.0;
    QVERIFY(std::abs(tickLast - window - tickFirst) < 1e-6);

    snapshot::FleetSnapshot directFigures = *directSnap;
    directFigures.time = tickLast;
    directFigures.settings.windowSeconds = window + 0.0005;
    snapshot::analyse(directFigures);

    promql::SourceOptions sourceOptions;
    sourceOptions.client = clientOptions;
    sourceOptions.selector = QStringLiteral("job=\"edge\"");
    sourceOptions.fleet = loaded.fleet;
    promql::PrometheusMonitor source(sourceOptions);
    snapshot::Settings promSettings = source.settings();
    promSettings.windowSeconds = window + 0.0005;
    source.setSettings(promSettings);
    QSignalSpy ready(&source, &promql::PrometheusMonitor::snapshotReady);
    QSignalSpy failed(&source, &promql::PrometheusMonitor::refreshFailed);
    source.refreshAt(tickLast, step);
    QTRY_VERIFY_WITH_TIMEOUT(ready.count() + failed.count() > 0, 60000);
    QVERIFY2(failed.isEmpty(), qPrintable(failed.value(0).value(0).toString()));
    const auto promSnap =
        ready.first().first().value<std::shared_ptr<const snapshot::FleetSnapshot>>();
    QVERIFY(promSnap);
    QCOMPARE(promSnap->sourceKind, QStringLiteral("prometheus"));
    QCOMPARE(promSnap->targets.size(), std::size_t(nodes));
    for (const snapshot::TargetRow &t : promSnap->targets)
        QCOMPARE(t.health, snapshot::Health::Up);

    // Figure by figure, region by region.
    QCOMPARE(promSnap->regions.size(), directFigures.regions.size());
    int compared = 0;
    auto relative = [&](const char *what, const QString &region, double a, double b,
                        double tolerance) {
        const QString where = QStringLiteral("%1 in %2: direct %3, Prometheus %4")
                                  .arg(QLatin1String(what), region)
                                  .arg(a, 0, 'g', 10)
                                  .arg(b, 0, 'g', 10);
        if (std::isnan(a) || std::isnan(b)) {
            QVERIFY2(std::isnan(a) && std::isnan(b), qPrintable(where));
            return;
        }
        const double scale = std::max(std::abs(a), std::abs(b));
        QVERIFY2(std::abs(a - b) <= tolerance * scale + 1e-12, qPrintable(where));
        ++compared;
        std::printf("  %-22s %-4s direct %-14.8g prometheus %-14.8g\n", what, qPrintable(region), a,
                    b);
    };
    for (const snapshot::RegionData &d : directFigures.regions) {
        const snapshot::RegionData *p = promSnap->region(d.code);
        QVERIFY2(p, qPrintable(d.code));
        QCOMPARE(p->primary, d.primary);
        QCOMPARE(p->placed, d.placed);
        const snapshot::RegionFigures &a = d.figures;
        const snapshot::RegionFigures &b = p->figures;
        QVERIFY2(!std::isnan(a.latencyP95Ms),
                 qPrintable(d.code + QStringLiteral(" has no traffic")));
        // Quantiles: within one bucket's width.
        auto quantile = [&](const char *what, const QString &hist, double x, double y) {
            const QString where = QStringLiteral("%1 in %2: direct %3 ms, Prometheus %4 ms")
                                      .arg(QLatin1String(what), d.code)
                                      .arg(x)
                                      .arg(y);
            if (std::isnan(x) || std::isnan(y)) {
                QVERIFY2(std::isnan(x) && std::isnan(y), qPrintable(where));
                return;
            }
            const auto h = d.histograms.find(hist);
            QVERIFY2(h != d.histograms.end(), qPrintable(where));
            QVERIFY2(std::abs(x - y) <= bucketWidthMs(h->second, x), qPrintable(where));
            ++compared;
            std::printf("  %-22s %-4s direct %-14.8g prometheus %-14.8g (bucket %g ms)\n", what,
                        qPrintable(d.code), x, y, bucketWidthMs(h->second, x));
        };
        const QString req = QStringLiteral("request_duration");
        quantile("latency p50 ms", req, a.latencyP50Ms, b.latencyP50Ms);
        quantile("latency p90 ms", req, a.latencyP90Ms, b.latencyP90Ms);
        quantile("latency p95 ms", req, a.latencyP95Ms, b.latencyP95Ms);
        quantile("latency p99 ms", req, a.latencyP99Ms, b.latencyP99Ms);
        quantile("kv p99 ms", QStringLiteral("kv_read_duration"), a.kvP99Ms, b.kvP99Ms);
        quantile("db read p95 ms", QStringLiteral("db_query_duration:read"), a.readP95Ms,
                 b.readP95Ms);
        quantile("db write p95 ms", QStringLiteral("db_query_duration:write"), a.writeP95Ms,
                 b.writeP95Ms);
        // Rates and ratios: within 1%.
        relative("request rate /s", d.code, a.requestRate, b.requestRate, 0.01);
        relative("invocation rate /s", d.code, a.invocationRate, b.invocationRate, 0.01);
        relative("error ratio", d.code, a.errorRatio, b.errorRatio, 0.01);
        relative("hit ratio", d.code, a.hitRatio, b.hitRatio, 0.01);
        relative("miss ratio", d.code, a.missRatio, b.missRatio, 0.01);
        relative("stale ratio", d.code, a.staleRatio, b.staleRatio, 0.01);
        relative("sync failures", d.code, a.syncFailures, b.syncFailures, 0.01);
        relative("cold starts", d.code, a.coldStarts, b.coldStarts, 0.01);
        QCOMPARE(b.phaseMeanMs.size(), a.phaseMeanMs.size());
        for (const auto &[phase, mean] : a.phaseMeanMs) {
            const auto it = b.phaseMeanMs.find(phase);
            QVERIFY2(it != b.phaseMeanMs.end(), qPrintable(phase));
            relative(qPrintable(QStringLiteral("phase %1 mean ms").arg(phase)), d.code, mean,
                     it->second, 0.01);
        }
        // Gauges, as of the window's end.
        relative("replica lag s", d.code, a.replicaLagS, b.replicaLagS, 0.01);
        relative("queue depth", d.code, a.queueDepth, b.queueDepth, 0.01);
        relative("queue oldest age s", d.code, a.queueOldestAgeS, b.queueOldestAgeS, 0.01);
        relative("since last sync s", d.code, a.sinceLastSyncS, b.sinceLastSyncS, 0.01);
        relative("db conns active", d.code, a.dbConnectionsActive, b.dbConnectionsActive, 0.01);
        relative("db conns waiting", d.code, a.dbConnectionsWaiting, b.dbConnectionsWaiting, 0.01);
        QCOMPARE(b.scaledToZero, a.scaledToZero);
        // Cost: within 1%.
        QVERIFY2(!std::isnan(a.costPerInvocationUsd),
                 qPrintable(d.code + QStringLiteral(" is not priced")));
        relative("cost per invocation $", d.code, a.costPerInvocationUsd, b.costPerInvocationUsd,
                 0.01);
        relative("cost per million $", d.code, a.costPerMillionUsd, b.costPerMillionUsd, 0.01);
        relative("cost per month $", d.code, a.costPerMonthUsd, b.costPerMonthUsd, 0.01);
        relative("light floor ms", d.code, a.lightFloorRttMs, b.lightFloorRttMs, 0.01);
    }
    // The always-on alternative is priced for the peak of the instance gauges over the window,
    // and a peak depends on the instants a gauge is sampled at: while the fleet jumps from A to
    // B each side may catch a moment when some nodes show A and others B, and Prometheus and
    // FleetScope poll at different moments. So it is compared over the window's last instant,
    // when every node showed B to both.
    snapshot::FleetSnapshot directEnd = directFigures, promEnd = *promSnap;
    directEnd.settings.windowSeconds = promEnd.settings.windowSeconds = 0.0005;
    snapshot::analyse(directEnd);
    snapshot::analyse(promEnd);
    for (const snapshot::RegionData &d : directEnd.regions) {
        const snapshot::RegionData *p = promEnd.region(d.code);
        QVERIFY(p);
        QVERIFY2(!std::isnan(d.figures.alwaysOnPerMonthUsd), qPrintable(d.code));
        relative("always-on per month $", d.code, d.figures.alwaysOnPerMonthUsd,
                 p->figures.alwaysOnPerMonthUsd, 0.01);
    }
    std::printf("%d figures compared over a %.3f s window (step %.3f s)\n", compared, window, step);
    QVERIFY(compared > 20 * int(kRegions.size()));
    prometheus.stop();
}

int main(int argc, char **argv)
{
    if (!QFile::exists(QString::fromLatin1(promtest::kPrometheus))) {
        const bool ci = qgetenv("CI") == "true";
        std::fprintf(stderr,
                     "%s: %s is missing (Debian package prometheus; "
                     "packaging/install-deps.sh installs it)\n",
                     ci ? "FAIL" : "SKIP", promtest::kPrometheus);
        return ci ? 1 : 77;
    }
    QCoreApplication app(argc, argv);
    TestPromIntegration test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_promintegration.moc"
