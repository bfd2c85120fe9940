// Replay: snapshotAt(s, t) is the fleet as it was at t. Its figures are those of the stored data
// cut at t; the end of the window gives the snapshot's own figures; an instant before the window
// is clamped to its start; nothing after t leaks into any series.

#include "panelfixture.h"
#include "snapshot/replay.h"
#include "snapshot/snapshotfile.h"

#include <QTest>

#include <cmath>

using namespace fleetscope;
using namespace fleetscope::snapshot;

namespace {

bool same(double a, double b)
{
    return (std::isnan(a) && std::isnan(b)) || a == b;
}

// The stored data cut at t by hand, independently of snapshotAt: keep the first `ticks` ticks
// of every window (the fixture writes one point a tick everywhere).
FleetSnapshot cutByHand(FleetSnapshot s, std::size_t ticks)
{
    for (RegionData &r : s.regions) {
        for (auto &[key, h] : r.histograms) {
            h.times.resize(ticks);
            h.counts.resize(ticks);
            h.sum.resize(ticks);
        }
        for (auto &[key, series] : r.counters)
            series.resize(ticks);
        for (auto &[key, series] : r.gauges)
            series.resize(ticks);
    }
    s.time = testfixture::kStart + double(ticks - 1) * 5;
    analyse(s);
    return s;
}

} // namespace

class TestReplay : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void figuresAtTEqualThoseOfTheCutData()
    {
        const FleetSnapshot full = testfixture::makeSnapshot(testfixture::defaultRegions());
        const std::size_t ticks = 70; // mid-window, inside the fixture's hit-ratio dip
        const double t = testfixture::kStart + double(ticks - 1) * 5;
        const FleetSnapshot at = snapshotAt(full, t);
        QCOMPARE(at.time, t);
        QVERIFY(equivalent(at, cutByHand(full, ticks)));

        // Something a user sees differs from the end of the window.
        const RegionFigures &end = full.region(QStringLiteral("syd"))->figures;
        const RegionFigures &then = at.region(QStringLiteral("syd"))->figures;
        QVERIFY(then.latencyQuantileMs < end.latencyQuantileMs); // latency grows over the window
        QVERIFY(!same(then.hitRatio, end.hitRatio));

        // Hand-computed: the fixture's replica lag gauge at tick i is lag * (1 + 0.3 sin(0.3 i)).
        const double expectedLag = 8 * (1.0 + 0.3 * std::sin(double(ticks - 1) * 0.3));
        QCOMPARE(then.replicaLagS, expectedLag);

        // Nothing after t is left in any window.
        for (const RegionData &r : at.regions) {
            for (const auto &[key, h] : r.histograms) {
                QVERIFY(!h.times.empty() && h.times.back() <= t);
                QCOMPARE(h.counts.size(), h.times.size());
                QVERIFY(h.sum.back().t <= t);
            }
            for (const auto &[key, s] : r.counters)
                QVERIFY2(s.back().t <= t, qPrintable(key));
            for (const auto &[key, s] : r.gauges)
                QVERIFY2(s.back().t <= t, qPrintable(key));
        }
    }

    void theEndGivesTheOriginalFigures()
    {
        const FleetSnapshot full = testfixture::makeSnapshot(testfixture::defaultRegions());
        QVERIFY(equivalent(snapshotAt(full, full.time), full));
        QVERIFY(equivalent(snapshotAt(full, full.time + 3600), full)); // clamped to the end
        QVERIFY(equivalent(snapshotAt(full, kNaN), full));
    }

    void beforeTheWindowIsClampedToItsStart()
    {
        const FleetSnapshot full = testfixture::makeSnapshot(testfixture::defaultRegions());
        const FleetSnapshot at = snapshotAt(full, full.windowStart - 86400);
        QCOMPARE(at.time, full.windowStart);
        QCOMPARE(replayStart(full), full.windowStart);
        QVERIFY(equivalent(at, cutByHand(full, 1)));
        // One point: no increase, no quantile, "no data" rather than zero.
        const RegionFigures &f = at.region(QStringLiteral("nrt"))->figures;
        QVERIFY(std::isnan(f.latencyQuantileMs));
        QVERIFY(std::isnan(f.hitRatio));
        QCOMPARE(f.replicaLagS, 0.8); // the gauge's first point is still the latest one
    }

    void settingsOfTheSnapshotAreKept()
    {
        testfixture::FixtureOptions o;
        o.quantile = 0.5;
        o.windowSeconds = 120;
        const FleetSnapshot full = testfixture::makeSnapshot(testfixture::defaultRegions(), o);
        const double t = testfixture::kStart + 80 * 5;
        const FleetSnapshot at = snapshotAt(full, t);
        QCOMPARE(at.settings.quantile, 0.5);
        const RegionFigures &f = at.region(QStringLiteral("fra"))->figures;
        // The chosen quantile over the chosen window ending at t.
        const HistogramWindow &h =
            full.region(QStringLiteral("fra"))->histograms.at(QStringLiteral("request_duration"));
        QCOMPARE(f.latencyQuantileMs, quantileMs(h, 0.5, t - 120, t));
    }

    void damagedOrderDoesNotCrash()
    {
        FleetSnapshot s = testfixture::makeSnapshot({ testfixture::defaultRegions().front() });
        s.windowStart = s.time + 100; // nonsense from a file: the replay start falls back to time
        QCOMPARE(replayStart(s), s.time);
        QVERIFY(equivalent(snapshotAt(s, 0), snapshotAt(s, s.time)));
    }
};

QTEST_GUILESS_MAIN(TestReplay)
#include "tst_replay.moc"
