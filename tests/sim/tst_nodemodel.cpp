// The simulation model, driven by its own clock: physics of writes, scale to zero, counters,
// determinism, cache, sync and pool behaviour, cost counters.

#include "nodecollectable.h"
#include "nodemodel.h"
#include "scrapehelper.h"
#include "simregions.h"
#include "simulation.h"

#include <QTest>

#include <prometheus/text_serializer.h>

#include <map>

using namespace fleetscope::sim;
using namespace fleetscope::sim::test;

namespace {

constexpr double baseDay = 1768435200; // 2026-01-15T00:00:00Z

Region region(const char *code)
{
    const auto r = findRegion(QLatin1String(code));
    if (!r)
        qFatal("region %s missing from the catalogue", code);
    return *r;
}

// The first time on baseDay at which `r` has local solar time `hour`.
double localTime(const Region &r, double hour)
{
    const double utc = std::fmod(hour - solarUtcOffsetHours(r) + 48.0, 24.0);
    return baseDay + utc * 3600.0;
}

NodeSpec spec(const char *code, std::uint64_t seed = 1, int index = 0)
{
    return NodeSpec::make(QStringLiteral("%1-1").arg(QLatin1String(code)), region(code),
                          region("iad"), seed, index);
}

double value(const std::vector<prometheus::MetricFamily> &families, const std::string &name,
             const Labels &labels = {})
{
    const auto *family = findFamily(families, name);
    if (!family)
        return std::nan("");
    const auto *metric = findMetric(*family, labels);
    if (!metric)
        return std::nan("");
    return family->type == prometheus::MetricType::Counter ? metric->counter.value
                                                           : metric->gauge.value;
}

const prometheus::ClientMetric::Histogram *
histogram(const std::vector<prometheus::MetricFamily> &families, const std::string &name,
          const Labels &labels = {})
{
    const auto *family = findFamily(families, name);
    const auto *metric = family ? findMetric(*family, labels) : nullptr;
    return metric ? &metric->histogram : nullptr;
}

// Every monotone figure of an exposition: counters, histogram counts, sums and buckets.
std::map<std::string, double> monotoneFigures(const std::vector<prometheus::MetricFamily> &all)
{
    std::map<std::string, double> out;
    for (const auto &f : all) {
        for (const auto &m : f.metric) {
            std::string key = f.name;
            for (const auto &l : m.label)
                key += ',' + l.name + '=' + l.value;
            if (f.type == prometheus::MetricType::Counter) {
                out[key] = m.counter.value;
            } else if (f.type == prometheus::MetricType::Histogram) {
                out[key + "#count"] = double(m.histogram.sample_count);
                out[key + "#sum"] = m.histogram.sample_sum;
                for (const auto &b : m.histogram.bucket)
                    out[key + "#le" + std::to_string(b.upper_bound)] = double(b.cumulative_count);
            }
        }
    }
    return out;
}

} // namespace

class TestNodeModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void writeLatencyPaysFibreRoundTrip_data();
    void writeLatencyPaysFibreRoundTrip();
    void scalesToZeroAtNightAndColdStartsInTheMorning_data();
    void scalesToZeroAtNightAndColdStartsInTheMorning();
    void countersNeverDecreaseExceptOnReset_data();
    void countersNeverDecreaseExceptOnReset();
    void sameSeedSameFleet();
    void cacheHitRatioDropsAfterColdStartAndRecovers();
    void replicaLagAndWriteQueueFollowDistanceAndSync();
    void costCountersMoveWithTraffic_data();
    void costCountersMoveWithTraffic();
    void dbPoolShowsPressureUnderLoad();
    void bucketsSpanEdgeLatencies();
};

void TestNodeModel::writeLatencyPaysFibreRoundTrip_data()
{
    QTest::addColumn<QString>("code");
    for (const char *code : { "nrt", "syd", "sin", "fra", "gru", "jnb", "lax" })
        QTest::addRow("%s vs iad", code) << QString::fromLatin1(code);
}

void TestNodeModel::writeLatencyPaysFibreRoundTrip()
{
    QFETCH(QString, code);
    const QByteArray latin = code.toLatin1();
    // Both nodes through three afternoon hours of their own local time, primary in US East.
    NodeModel far(spec(latin.constData()), localTime(region(latin.constData()), 12));
    NodeModel east(spec("iad", 1, 1), localTime(region("iad"), 12));
    far.advanceTo(far.time() + 3 * 3600);
    east.advanceTo(east.time() + 3 * 3600);

    const Labels ok = { { "route", "/api/write" }, { "status", "200" } };
    const auto farFamilies = far.collect();
    const auto eastFamilies = east.collect();
    const auto *farWrites = histogram(farFamilies, "edge_request_duration_seconds", ok);
    const auto *eastWrites = histogram(eastFamilies, "edge_request_duration_seconds", ok);
    QVERIFY(farWrites && eastWrites);
    QVERIFY2(farWrites->sample_count > 1000 && eastWrites->sample_count > 1000,
             "too few writes to take a median");

    const double km = geo::distanceKm(region(latin.constData()), region("iad"));
    const double fibreRtt = geo::fibreRttSeconds(km);
    const double farMedian = histogramQuantile(0.5, *farWrites);
    const double eastMedian = histogramQuantile(0.5, *eastWrites);
    qInfo("%s: %.0f km, fibre RTT %.1f ms; median write %.1f ms vs iad %.1f ms", latin.constData(),
          km, fibreRtt * 1000, farMedian * 1000, eastMedian * 1000);
    QVERIFY2(farMedian - eastMedian >= fibreRtt,
             qPrintable(QStringLiteral("median difference %1 ms < fibre RTT %2 ms")
                            .arg((farMedian - eastMedian) * 1000)
                            .arg(fibreRtt * 1000)));
    // The same on the DB query itself.
    const double farDb = histogramQuantile(
        0.5, *histogram(farFamilies, "edge_db_query_duration_seconds", { { "op", "write" } }));
    const double eastDb = histogramQuantile(
        0.5, *histogram(eastFamilies, "edge_db_query_duration_seconds", { { "op", "write" } }));
    QVERIFY(farDb - eastDb >= fibreRtt);
    // Reads stay local: a far node's replica reads are as fast as the primary region's.
    const double farRead = histogramQuantile(
        0.5, *histogram(farFamilies, "edge_db_query_duration_seconds", { { "op", "read" } }));
    QVERIFY2(farRead < 0.025, "replica reads should not cross the ocean");
}

void TestNodeModel::scalesToZeroAtNightAndColdStartsInTheMorning_data()
{
    QTest::addColumn<QString>("code");
    for (const char *code : { "syd", "nrt", "fra", "iad", "gru", "jnb" })
        QTest::addRow("%s", code) << QString::fromLatin1(code);
}

void TestNodeModel::scalesToZeroAtNightAndColdStartsInTheMorning()
{
    QFETCH(QString, code);
    constexpr double timeScale = 1440; // a day in a minute
    SimOptions options;
    options.nodes = 2;
    options.regions = { code };
    options.timeScale = timeScale;
    options.startTime = localTime(region(code.toLatin1().constData()), 20);
    options.control = false;

    Simulation simulation;
    QString error;
    QVERIFY2(simulation.configure(options, &error), qPrintable(error));
    qint64 fakeNowMs = 0;
    simulation.setClock([&fakeNowMs] { return fakeNowMs; });
    simulation.startClock();

    auto instances = [&] {
        int sum = 0;
        for (int i = 0; i < simulation.nodeCount(); ++i) {
            const auto t = simulation.node(i)->totals();
            sum += t.warmInstances + t.busyInstances;
        }
        return sum;
    };
    auto sumOf = [&](auto field) {
        std::uint64_t sum = 0;
        for (int i = 0; i < simulation.nodeCount(); ++i)
            sum += simulation.node(i)->totals().*field;
        return sum;
    };
    const NodeModel probe(simulation.node(0)->spec(), 0);

    bool sawZero = false;
    std::uint64_t invocationsAtZero = 0, coldStartsAtZero = 0;
    bool invocationsStoodStill = true;
    double hoursAtZero = 0;
    // 20:00 to 11:00 local: 15 simulated hours in 37.5 s of (fake) real time.
    while (simulation.simTime() < *options.startTime + 15 * 3600) {
        fakeNowMs += 500;
        simulation.tick();
        const double hour = probe.localHour(simulation.simTime());
        if (hour >= 2.5 && hour <= 5.5) {
            if (instances() == 0) {
                if (!sawZero) {
                    invocationsAtZero = sumOf(&NodeModel::Totals::invocations);
                    coldStartsAtZero = sumOf(&NodeModel::Totals::coldStarts);
                }
                sawZero = true;
                hoursAtZero += 0.5 * timeScale / 3600;
            }
            if (sawZero)
                invocationsStoodStill = invocationsStoodStill
                    && sumOf(&NodeModel::Totals::invocations) == invocationsAtZero;
        }
    }
    // The clock honours the time scale.
    QCOMPARE(simulation.simTime(), *options.startTime + fakeNowMs / 1000.0 * timeScale);
    QVERIFY2(sawZero, "no moment with zero instances in the local night");
    QVERIFY2(hoursAtZero >= 2, "scaled to zero for less than two hours");
    QVERIFY2(invocationsStoodStill, "invocations while scaled to zero");
    // Morning: traffic is back, instances are up, and getting them up cost cold starts.
    QVERIFY(instances() > 0);
    QVERIFY(sumOf(&NodeModel::Totals::invocations) > invocationsAtZero + 1000);
    QVERIFY2(sumOf(&NodeModel::Totals::coldStarts) > coldStartsAtZero,
             "no cold start when the morning came");
    const auto families = simulation.node(0)->Collect();
    QVERIFY(histogram(families, "edge_cold_start_duration_seconds")->sample_count > 0);
}

void TestNodeModel::countersNeverDecreaseExceptOnReset_data()
{
    QTest::addColumn<QString>("code");
    QTest::addColumn<quint64>("seed");
    QTest::addRow("nrt seed 1") << QStringLiteral("nrt") << quint64(1);
    QTest::addRow("iad seed 7") << QStringLiteral("iad") << quint64(7);
    QTest::addRow("syd seed 42") << QStringLiteral("syd") << quint64(42);
    QTest::addRow("jnb seed 99") << QStringLiteral("jnb") << quint64(99);
}

void TestNodeModel::countersNeverDecreaseExceptOnReset()
{
    QFETCH(QString, code);
    QFETCH(quint64, seed);
    const QByteArray latin = code.toLatin1();
    NodeModel model(spec(latin.constData(), seed), baseDay);

    auto checkMonotone = [&](double hours) {
        auto before = monotoneFigures(model.collect());
        const double end = model.time() + hours * 3600;
        while (model.time() < end) {
            model.advanceTo(model.time() + 600);
            auto now = monotoneFigures(model.collect());
            QCOMPARE(now.size(), before.size());
            for (const auto &[key, v] : now) {
                if (v < before[key])
                    QFAIL(qPrintable(QStringLiteral("%1 went from %2 to %3")
                                         .arg(QString::fromStdString(key))
                                         .arg(before[key])
                                         .arg(v)));
            }
            before = std::move(now);
        }
    };
    checkMonotone(30);
    if (QTest::currentTestFailed())
        return;
    const double invocations = value(model.collect(), "edge_invocations_total");
    QVERIFY(invocations > 0);
    model.restart(); // the injected reset: the only way down
    QCOMPARE(value(model.collect(), "edge_invocations_total"), 0.0);
    checkMonotone(6);
}

void TestNodeModel::sameSeedSameFleet()
{
    prometheus::TextSerializer serializer;
    auto run = [&](std::uint64_t seed) {
        NodeModel model(spec("fra", seed), baseDay);
        model.advanceTo(baseDay + 12 * 3600);
        return serializer.Serialize(model.collect());
    };
    QCOMPARE(run(5), run(5));
    QVERIFY(run(5) != run(6));
}

void TestNodeModel::cacheHitRatioDropsAfterColdStartAndRecovers()
{
    const Region fra = region("fra");
    NodeModel model(spec("fra"), localTime(fra, 23));
    auto lookups = [&] {
        const auto t = model.totals();
        return std::array<double, 2> { double(t.cacheHits),
                                       double(t.cacheHits + t.cacheMisses + t.cacheStale) };
    };
    // Through the night until the first cold start of the morning.
    std::uint64_t cold = model.totals().coldStarts;
    double morning = 0;
    while (model.time() < localTime(fra, 23) + 12 * 3600) {
        model.advanceTo(model.time() + 60);
        const double hour = model.localHour(model.time());
        if (hour > 5 && hour < 12 && model.totals().coldStarts > cold) {
            morning = model.time();
            break;
        }
        cold = model.totals().coldStarts;
    }
    QVERIFY2(morning > 0, "no cold start in the morning");
    const auto atColdStart = lookups();
    model.advanceTo(morning + 30 * 60);
    const auto halfHourLater = lookups();
    model.advanceTo(morning + 3 * 3600);
    const auto threeHoursLater = lookups();
    model.advanceTo(morning + 3.5 * 3600);
    const auto end = lookups();
    const double afterColdStart =
        (halfHourLater[0] - atColdStart[0]) / (halfHourLater[1] - atColdStart[1]);
    const double recovered = (end[0] - threeHoursLater[0]) / (end[1] - threeHoursLater[1]);
    qInfo("hit ratio: %.2f in the half hour after the cold start, %.2f three hours later",
          afterColdStart, recovered);
    QVERIFY(afterColdStart < 0.6);
    QVERIFY(recovered > 0.8);
    QVERIFY(recovered - afterColdStart > 0.3);
}

void TestNodeModel::replicaLagAndWriteQueueFollowDistanceAndSync()
{
    NodeModel far(spec("syd"), localTime(region("syd"), 8));
    NodeModel near(spec("iad", 1, 1), localTime(region("iad"), 8));
    double farLag = 0, nearLag = 0, maxDepth = 0;
    int samples = 0, drainedAfterDepth = 0;
    double lastSync = value(far.collect(), "edge_sync_last_success_timestamp_seconds");
    int syncAdvances = 0;
    for (double t = 0; t < 12 * 3600; t += 7) { // 7 s: off the sync grid
        far.advanceTo(far.time() + 7);
        near.advanceTo(near.time() + 7);
        farLag += far.totals().replicaLagSeconds;
        nearLag += near.totals().replicaLagSeconds;
        ++samples;
        const double depth = far.totals().writeQueueDepth;
        if (depth == 0 && maxDepth > 0)
            ++drainedAfterDepth;
        maxDepth = std::max(maxDepth, depth);
        const double sync = value(far.collect(), "edge_sync_last_success_timestamp_seconds");
        if (sync > lastSync)
            ++syncAdvances;
        lastSync = sync;
    }
    farLag /= samples;
    nearLag /= samples;
    qInfo("mean replica lag: syd %.2f s, iad %.2f s; max syd queue %.0f", farLag, nearLag,
          maxDepth);
    QVERIFY2(farLag > nearLag, "replica lag should grow with distance to the primary");
    QVERIFY2(maxDepth > 0, "the write queue never grew");
    QVERIFY2(drainedAfterDepth > 0, "the write queue never drained");
    QVERIFY(syncAdvances > 100);
    const auto families = far.collect();
    QVERIFY2(value(families, "edge_sync_failures_total") > 0, "sync never failed in 12 hours");
    QCOMPARE(value(families, "edge_replica_lag_seconds", { { "primary", "iad" } }),
             far.totals().replicaLagSeconds);
}

void TestNodeModel::costCountersMoveWithTraffic_data()
{
    QTest::addColumn<QString>("code");
    for (const char *code : { "iad", "nrt", "gru" })
        QTest::addRow("%s", code) << QString::fromLatin1(code);
}

void TestNodeModel::costCountersMoveWithTraffic()
{
    QFETCH(QString, code);
    const QByteArray latin = code.toLatin1();
    NodeModel model(spec(latin.constData()), localTime(region(latin.constData()), 9));
    model.advanceTo(model.time() + 6 * 3600);
    const auto f = model.collect();

    const auto *requests = findFamily(f, "edge_request_duration_seconds");
    QVERIFY(requests);
    double count = 0, sum = 0;
    for (const auto &m : requests->metric) {
        count += double(m.histogram.sample_count);
        sum += m.histogram.sample_sum;
    }
    const double invocations = value(f, "edge_invocations_total");
    QVERIFY(invocations > 10000);
    QCOMPARE(invocations, count);
    QVERIFY(std::abs(value(f, "edge_invocation_duration_seconds_total") - sum) < 1e-6 * sum);
    QVERIFY(value(f, "edge_cpu_seconds_total") > 0);
    QVERIFY(value(f, "edge_cpu_seconds_total")
            < value(f, "edge_invocation_duration_seconds_total"));
    const double egressPerRequest = value(f, "edge_egress_bytes_total") / invocations;
    QVERIFY(egressPerRequest > 300 && egressPerRequest < 100000);
    QVERIFY(value(f, "edge_memory_limit_bytes") >= 128.0 * 1024 * 1024);

    const double lookups = value(f, "edge_cache_requests_total", { { "result", "hit" } })
        + value(f, "edge_cache_requests_total", { { "result", "miss" } })
        + value(f, "edge_cache_requests_total", { { "result", "stale" } });
    QCOMPARE(value(f, "edge_kv_operations_total", { { "op", "read" } }), lookups);
    QCOMPARE(double(histogram(f, "edge_kv_read_duration_seconds")->sample_count), lookups);
    const double dbReads =
        value(f, "edge_db_queries_total", { { "op", "read" }, { "target", "replica" } })
        + value(f, "edge_db_queries_total", { { "op", "read" }, { "target", "primary" } });
    QCOMPARE(
        double(histogram(f, "edge_db_query_duration_seconds", { { "op", "read" } })->sample_count),
        dbReads);
    QVERIFY(value(f, "edge_db_rows_read_total") >= dbReads);
    QVERIFY(value(f, "edge_db_rows_written_total")
            >= value(f, "edge_db_queries_total", { { "op", "write" }, { "target", "primary" } }));
    QCOMPARE(double(histogram(f, "edge_request_phase_duration_seconds", { { "phase", "compute" } })
                        ->sample_count),
             invocations);
}

void TestNodeModel::dbPoolShowsPressureUnderLoad()
{
    NodeSpec busy = spec("syd");
    busy.peakRps = 300;
    busy.writeShare = 0.35;
    busy.dbPoolSize = 8;
    NodeSpec quiet = spec("iad", 1, 1);
    quiet.peakRps = 5;
    NodeModel busyModel(busy, localTime(busy.region, 13));
    NodeModel quietModel(quiet, localTime(quiet.region, 13));
    double busyActiveMax = 0, busyWaitingMax = 0, quietWaitingMax = 0, quietActiveMax = 0;
    for (int i = 0; i < 360; ++i) {
        busyModel.advanceTo(busyModel.time() + 10);
        quietModel.advanceTo(quietModel.time() + 10);
        const auto b = busyModel.collect();
        const auto q = quietModel.collect();
        busyActiveMax =
            std::max(busyActiveMax, value(b, "edge_db_connections", { { "state", "active" } }));
        busyWaitingMax =
            std::max(busyWaitingMax, value(b, "edge_db_connections", { { "state", "waiting" } }));
        quietActiveMax =
            std::max(quietActiveMax, value(q, "edge_db_connections", { { "state", "active" } }));
        quietWaitingMax =
            std::max(quietWaitingMax, value(q, "edge_db_connections", { { "state", "waiting" } }));
        QVERIFY(value(b, "edge_db_connections", { { "state", "active" } }) <= busy.dbPoolSize);
    }
    QCOMPARE(busyActiveMax, double(busy.dbPoolSize));
    QVERIFY(busyWaitingMax > 0);
    QVERIFY(value(busyModel.collect(), "edge_db_connection_errors_total") > 0);
    const auto busyFamilies = busyModel.collect();
    const auto *unavailable = histogram(busyFamilies, "edge_request_duration_seconds",
                                        { { "route", "/api/write" }, { "status", "503" } });
    QVERIFY(unavailable && unavailable->sample_count > 0);
    QVERIFY(quietActiveMax < busy.dbPoolSize);
    QCOMPARE(quietWaitingMax, 0.0);
    QCOMPARE(value(quietModel.collect(), "edge_db_connection_errors_total"), 0.0);
}

void TestNodeModel::bucketsSpanEdgeLatencies()
{
    NodeModel model(spec("iad"), baseDay);
    const auto families = model.collect();
    for (const char *name :
         { "edge_request_duration_seconds", "edge_kv_read_duration_seconds",
           "edge_db_query_duration_seconds", "edge_request_phase_duration_seconds",
           "edge_client_rtt_seconds", "edge_cold_start_duration_seconds" }) {
        const auto *family = findFamily(families, name);
        QVERIFY2(family, name);
        const auto &buckets = family->metric.front().histogram.bucket;
        QVERIFY(buckets.size() >= 10);
        QVERIFY(std::isinf(buckets.back().upper_bound));
        const double first = buckets.front().upper_bound;
        const double lastFinite = buckets[buckets.size() - 2].upper_bound;
        QVERIFY2(first <= 0.01, name); // resolves milliseconds
        QVERIFY2(lastFinite >= 1, name); // and seconds
    }
    // The KV target of 10 ms is a bucket bound, so "p99 under 10 ms" is exact.
    bool hasTarget = false;
    for (const auto &b :
         findFamily(families, "edge_kv_read_duration_seconds")->metric.front().histogram.bucket)
        hasTarget = hasTarget || b.upper_bound == 0.01;
    QVERIFY(hasTarget);
}

QTEST_GUILESS_MAIN(TestNodeModel)
#include "tst_nodemodel.moc"
