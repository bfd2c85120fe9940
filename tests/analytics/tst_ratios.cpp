// Hit ratio, error ratio, means from _sum/_count, phase breakdown, read vs write latency, sync
// staleness and scale-to-zero state, against hand-computed values. Counter series have two
// samples at 10 and 60 in the window (0, 60], so every increase carries the same extrapolation
// factor 60/50 (Prometheus' extrapolatedRate), which cancels in ratios.

#include "analytics/ratios.h"
#include "analytics/scaling.h"
#include "analytics/sync.h"
#include "testhelpers.h"

#include <QTest>

#include <limits>

using namespace fleetscope::analytics;
namespace analytics = fleetscope::analytics;
using fleetscope::analytics::test::samples;
using fleetscope::analytics::test::series;

namespace {
constexpr double qnan = std::numeric_limits<double>::quiet_NaN();
constexpr double inf = std::numeric_limits<double>::infinity();
const Window window { 60, 60 };

Series counter(std::initializer_list<Label> labels, double first, double last)
{
    return series(labels, samples({ 10, 60 }, { first, last }));
}

Label l(const char *name, const char *value)
{
    return { QString::fromLatin1(name), QString::fromLatin1(value) };
}
} // namespace

class TestRatios : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void hitRatio_data();
    void hitRatio();
    void cacheCountsFromSeries();
    void errorStatus_data();
    void errorStatus();
    void errorRatio();
    void mean();
    void phases();
    void readWrite();
    void sinceLastSync_data();
    void sinceLastSync();
    void syncState();
    void scaleState();
    void coldStartsAndPeak();
};

void TestRatios::hitRatio_data()
{
    QTest::addColumn<double>("hits");
    QTest::addColumn<double>("misses");
    QTest::addColumn<double>("stale");
    QTest::addColumn<double>("expected");
    QTest::addRow("hits over all three") << 80.0 << 15.0 << 5.0 << 0.8;
    QTest::addRow("stale counts against") << 50.0 << 0.0 << 50.0 << 0.5;
    QTest::addRow("only misses reported") << qnan << 10.0 << qnan << 0.0;
    QTest::addRow("no stale series") << 9.0 << 1.0 << qnan << 0.9;
    QTest::addRow("nothing counted") << 0.0 << 0.0 << 0.0 << qnan;
    QTest::addRow("no data") << qnan << qnan << qnan << qnan;
}

void TestRatios::hitRatio()
{
    QFETCH(double, hits);
    QFETCH(double, misses);
    QFETCH(double, stale);
    QFETCH(double, expected);
    COMPARE_NUM(analytics::hitRatio({ hits, misses, stale }), expected);
}

void TestRatios::cacheCountsFromSeries()
{
    const std::vector<Series> cache {
        counter({ l("cache", "kv"), l("result", "hit") }, 100, 180), // 80
        counter({ l("cache", "kv"), l("result", "miss") }, 100, 115), // 15
        counter({ l("cache", "kv"), l("result", "stale") }, 100, 105), // 5
        counter({ l("cache", "page"), l("result", "hit") }, 100, 120), // 20
    };
    const CacheCounts kv = cacheCounts(cache, window, QStringLiteral("kv"));
    COMPARE_NUM(kv.hits, 80 * 1.2);
    COMPARE_NUM(kv.misses, 15 * 1.2);
    COMPARE_NUM(kv.stale, 5 * 1.2);
    COMPARE_NUM(analytics::hitRatio(kv), 0.8);
    // All caches: (80 + 20) / 120.
    COMPARE_NUM(analytics::hitRatio(cacheCounts(cache, window)), 100.0 / 120);
    COMPARE_NUM(analytics::hitRatio(cacheCounts({}, window)), qnan);
}

void TestRatios::errorStatus_data()
{
    QTest::addColumn<QString>("status");
    QTest::addColumn<bool>("server");
    QTest::addColumn<bool>("clientAndServer");
    QTest::addRow("200") << QStringLiteral("200") << false << false;
    QTest::addRow("404") << QStringLiteral("404") << false << true;
    QTest::addRow("500") << QStringLiteral("500") << true << true;
    QTest::addRow("503") << QStringLiteral("503") << true << true;
    QTest::addRow("5xx") << QStringLiteral("5xx") << false << false;
    QTest::addRow("5000") << QStringLiteral("5000") << false << false;
    QTest::addRow("empty") << QString() << false << false;
}

void TestRatios::errorStatus()
{
    QFETCH(QString, status);
    QFETCH(bool, server);
    QFETCH(bool, clientAndServer);
    QCOMPARE(isErrorStatus(status), server);
    QCOMPARE(isErrorStatus(status, ErrorClasses::ClientAndServer), clientAndServer);
}

void TestRatios::errorRatio()
{
    const std::vector<Series> requests {
        counter({ l("route", "/"), l("status", "200") }, 100, 180), // 80
        counter({ l("route", "/"), l("status", "404") }, 100, 110), // 10
        counter({ l("route", "/"), l("status", "500") }, 100, 106), // 6
        counter({ l("route", "/"), l("status", "503") }, 100, 104), // 4
    };
    COMPARE_NUM(analytics::errorRatio(requests, window), 0.1);
    COMPARE_NUM(analytics::errorRatio(requests, window, ErrorClasses::ClientAndServer), 0.2);
    const std::vector<Series> idle { counter({ l("status", "200") }, 100, 100) };
    COMPARE_NUM(analytics::errorRatio(idle, window), qnan); // no requests: no ratio
    COMPARE_NUM(analytics::errorRatio({}, window), qnan);
}

void TestRatios::mean()
{
    const std::vector<Series> sums { counter({}, 10, 12.5) }; // 2.5 s
    const std::vector<Series> counts { counter({}, 100, 200) }; // 100 observations
    COMPARE_NUM(meanOverWindow(sums, counts, window), 0.025);
    const std::vector<Series> none { counter({}, 100, 100) };
    COMPARE_NUM(meanOverWindow(sums, none, window), qnan);
    COMPARE_NUM(meanOverWindow({}, {}, window), qnan);
}

void TestRatios::phases()
{
    const std::vector<Series> sums {
        counter({ l("phase", "db") }, 1, 1.9),
        counter({ l("phase", "dns") }, 1, 1.1),
        counter({ l("phase", "auth") }, 1, 1),
        counter({ l("phase", "compute") }, 1, 3),
    };
    const std::vector<Series> counts {
        counter({ l("phase", "db") }, 100, 200),
        counter({ l("phase", "dns") }, 100, 200),
        counter({ l("phase", "auth") }, 100, 100),
        counter({ l("phase", "compute") }, 100, 200),
    };
    const std::vector<PhaseTime> p = phaseBreakdown(sums, counts, window);
    QCOMPARE(p.size(), std::size_t(4));
    QCOMPARE(p[0].phase, QStringLiteral("dns"));
    QCOMPARE(p[1].phase, QStringLiteral("compute"));
    QCOMPARE(p[2].phase, QStringLiteral("db"));
    QCOMPARE(p[3].phase, QStringLiteral("auth")); // unknown phases after the known ones
    COMPARE_NUM(p[0].meanSeconds, 0.001);
    COMPARE_NUM(p[1].meanSeconds, 0.02);
    COMPARE_NUM(p[2].meanSeconds, 0.009);
    COMPARE_NUM(p[3].meanSeconds, qnan); // nothing observed
    COMPARE_NUM(p[0].share, 0.001 / 0.03);
    COMPARE_NUM(p[1].share, 0.02 / 0.03);
    COMPARE_NUM(p[2].share, 0.3);
    COMPARE_NUM(p[3].share, qnan);
}

void TestRatios::readWrite()
{
    const std::vector<Series> buckets {
        counter({ l("op", "read"), l("le", "0.01") }, 100, 150), // 50
        counter({ l("op", "read"), l("le", "0.1") }, 100, 200), // 100
        counter({ l("op", "read"), l("le", "+Inf") }, 100, 200), // 100
        counter({ l("op", "write"), l("le", "0.01") }, 100, 100), // 0
        counter({ l("op", "write"), l("le", "0.1") }, 100, 120), // 20
        counter({ l("op", "write"), l("le", "+Inf") }, 100, 140), // 40
    };
    const std::vector<Series> sums { counter({ l("op", "read") }, 1, 1.5),
                                     counter({ l("op", "write") }, 1, 5) };
    const std::vector<Series> counts { counter({ l("op", "read") }, 100, 200),
                                       counter({ l("op", "write") }, 100, 140) };
    const ReadWriteLatency rw = readWriteLatency(0.25, buckets, sums, counts, window);
    COMPARE_NUM(rw.readSeconds, 0.01 * 25 / 50); // rank 25 of 100 in the lowest bucket
    COMPARE_NUM(rw.writeSeconds, 0.01 + 0.09 * 10 / 20); // rank 10 of 40 in (0.01, 0.1]
    COMPARE_NUM(rw.readMeanSeconds, 0.005);
    COMPARE_NUM(rw.writeMeanSeconds, 0.1);
}

void TestRatios::sinceLastSync_data()
{
    QTest::addColumn<double>("now");
    QTest::addColumn<double>("timestamp");
    QTest::addColumn<double>("expected");
    QTest::addRow("a minute ago") << 1000.0 << 940.0 << 60.0;
    QTest::addRow("never synced") << 1000.0 << 0.0 << inf;
    QTest::addRow("no data") << 1000.0 << qnan << qnan;
    QTest::addRow("clock skew") << 1000.0 << 1030.0 << 0.0;
}

void TestRatios::sinceLastSync()
{
    QFETCH(double, now);
    QFETCH(double, timestamp);
    QFETCH(double, expected);
    COMPARE_NUM(timeSinceLastSync(now, timestamp), expected);
}

void TestRatios::syncState()
{
    const std::vector<Series> lag { series({ l("primary", "iad") }, samples({ 30, 55 }, { 9, 2 })),
                                    series({ l("primary", "iad") }, samples({ 50 }, { 7 })) };
    const std::vector<Series> depth { series({}, samples({ 50 }, { 3 })),
                                      series({}, samples({ 58 }, { 4 })) };
    const std::vector<Series> age { series({}, samples({ 50 }, { 1.5 })),
                                    series({}, samples({ 58 }, { 12 })) };
    const std::vector<Series> last { series({}, samples({ 50 }, { 30 })),
                                     series({}, samples({ 58 }, { 50 })) };
    const std::vector<Series> failures { counter({}, 2, 2), counter({}, 5, 6) }; // 0 + 1.2
    const SyncState s = analytics::syncState(lag, depth, age, last, failures, window);
    QCOMPARE(s.replicaLagSeconds.count, 2);
    COMPARE_NUM(s.replicaLagSeconds.min, 2.0);
    COMPARE_NUM(s.replicaLagSeconds.max, 7.0);
    COMPARE_NUM(s.replicaLagSeconds.mean, 4.5);
    COMPARE_NUM(s.queueDepth, 7.0);
    COMPARE_NUM(s.oldestQueuedAgeSeconds, 12.0);
    COMPARE_NUM(s.secondsSinceLastSync, 30.0); // the stalest node synced at 30
    COMPARE_NUM(s.syncFailures, 1.2);

    const SyncState empty = analytics::syncState({}, {}, {}, {}, {}, window);
    QCOMPARE(empty.replicaLagSeconds.count, 0);
    COMPARE_NUM(empty.replicaLagSeconds.max, qnan);
    COMPARE_NUM(empty.queueDepth, qnan);
    COMPARE_NUM(empty.secondsSinceLastSync, qnan);
    COMPARE_NUM(empty.syncFailures, qnan);
}

void TestRatios::scaleState()
{
    const std::vector<Series> zero { series({ l("state", "warm") }, samples({ 50 }, { 0 })),
                                     series({ l("state", "busy") }, samples({ 50 }, { 0 })) };
    QCOMPARE(analytics::scaleState(zero, 60), ScaleState::ScaledToZero);
    const std::vector<Series> warm { series({ l("state", "warm") }, samples({ 50 }, { 1 })),
                                     series({ l("state", "busy") }, samples({ 50 }, { 0 })) };
    QCOMPARE(analytics::scaleState(warm, 60), ScaleState::Active);
    QCOMPARE(analytics::scaleState({}, 60), ScaleState::NoData);
    // The last sample is older than the lookback: absent, not zero.
    QCOMPARE(analytics::scaleState(zero, 400), ScaleState::NoData);
    // Scaled to zero now even though it was busy earlier.
    const std::vector<Series> wentIdle { series({}, samples({ 10, 50 }, { 3, 0 })) };
    QCOMPARE(analytics::scaleState(wentIdle, 60), ScaleState::ScaledToZero);
}

void TestRatios::coldStartsAndPeak()
{
    const std::vector<Series> cold { counter({}, 10, 20), counter({}, 0, 5) };
    // 10 x 1.2, and 5 with the first sample 0: the zero point stops extrapolation (x 1).
    COMPARE_NUM(coldStarts(cold, window), 12.0 + 5.0);
    COMPARE_NUM(coldStarts({}, window), qnan);
    const std::vector<Series> instances { series({}, samples({ 10, 30, 50 }, { 1, 4, 2 })),
                                          series({}, samples({ 10, 30, 50 }, { 0, 1, 3 })) };
    COMPARE_NUM(peakInstances(instances, window), 7.0);
    COMPARE_NUM(peakInstances(instances, { 200, 60 }), qnan);
}

QTEST_GUILESS_MAIN(TestRatios)
#include "tst_ratios.moc"
