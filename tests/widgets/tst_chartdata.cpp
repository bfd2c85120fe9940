// Per-step chart points from raw windows, and decimation to a pixel budget.

#include "panelfixture.h"
#include "panels/chartdata.h"

#include <QTest>

#include <cmath>

using namespace fleetscope;
using namespace fleetscope::widgets;

class TestChartData : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void latencyPointsAreStepQuantiles();
    void windowLimitsPoints();
    void hitRatioPerStep();
    void gaugesAndCost();
    void decimateCapsPoints_data();
    void decimateCapsPoints();
    void topRegionsWorstFirst();
    void niceRangeIsRound_data();
    void niceRangeIsRound();
};

void TestChartData::latencyPointsAreStepQuantiles()
{
    const auto s = testfixture::makeSnapshot(testfixture::defaultRegions());
    const snapshot::RegionData *nrt = s.region(QStringLiteral("nrt"));
    QVERIFY(nrt);
    const chartdata::TimeWindow w = chartdata::windowOf(s);
    const QList<QPointF> p95 = chartdata::latencyQuantileMs(*nrt, 0.95, w);
    const snapshot::HistogramWindow &h = nrt->histograms.at(QStringLiteral("request_duration"));
    QCOMPARE(p95.size(), qsizetype(h.times.size() - 1)); // one point per step
    for (qsizetype i = 0; i < p95.size(); ++i) {
        QCOMPARE(p95[i].x(), h.times[std::size_t(i + 1)] * 1000.0);
        QCOMPARE(
            p95[i].y(),
            snapshot::quantileMs(h, 0.95, h.times[std::size_t(i)], h.times[std::size_t(i + 1)]));
    }
    // The fixture's latency rises over the window; the chart shows it rising.
    QVERIFY(p95.last().y() > p95.first().y());
    const QList<QPointF> p50 = chartdata::latencyQuantileMs(*nrt, 0.5, w);
    QVERIFY(p50.first().y() < p95.first().y());
}

void TestChartData::windowLimitsPoints()
{
    testfixture::FixtureOptions o;
    o.windowSeconds = 60;
    const auto s = testfixture::makeSnapshot(testfixture::defaultRegions(), o);
    const chartdata::TimeWindow w = chartdata::windowOf(s);
    QCOMPARE(w.to - w.from, 60.0);
    const QList<QPointF> points =
        chartdata::latencyQuantileMs(*s.region(QStringLiteral("iad")), 0.95, w);
    QCOMPARE(points.size(), 12); // 13 ticks 5 s apart inside 60 s: 12 steps
    QVERIFY(points.first().x() >= w.from * 1000);
}

void TestChartData::hitRatioPerStep()
{
    const auto s = testfixture::makeSnapshot(testfixture::defaultRegions());
    const QList<QPointF> hit =
        chartdata::hitRatioPercent(*s.region(QStringLiteral("fra")), chartdata::windowOf(s));
    QVERIFY(!hit.isEmpty());
    QCOMPARE(qRound(hit.first().y() * 10), 930); // 93.0%
    const auto lowest = std::min_element(
        hit.begin(), hit.end(), [](const QPointF &a, const QPointF &b) { return a.y() < b.y(); });
    QCOMPARE(qRound(lowest->y() * 10), 780); // the fixture's dip: 93% - 15 points
}

void TestChartData::gaugesAndCost()
{
    const auto s = testfixture::makeSnapshot(testfixture::defaultRegions());
    const chartdata::TimeWindow w = chartdata::windowOf(s);
    const snapshot::RegionData &syd = *s.region(QStringLiteral("syd"));
    const QList<QPointF> lag = chartdata::gaugeValues(syd, QStringLiteral("replica_lag"), w);
    QCOMPARE(lag.size(), 120);
    QCOMPARE(lag.first().y(), 8.0);
    QVERIFY(chartdata::gaugeValues(syd, QStringLiteral("no_such_gauge"), w).isEmpty());

    const analytics::PricingProfile *profile = chartdata::pricingProfileOf(s);
    QVERIFY2(profile, "the compiled-in pricing catalogue has the default profile");
    const QList<QPointF> cost = chartdata::costUsdPerHour(syd, profile, w);
    QCOMPARE(cost.size(), 119);
    for (const QPointF &p : cost)
        QVERIFY(p.y() > 0);
    QVERIFY(chartdata::costUsdPerHour(syd, nullptr, w).isEmpty()); // not priced, not zero
}

void TestChartData::decimateCapsPoints_data()
{
    QTest::addColumn<int>("input");
    QTest::addColumn<int>("budget");
    QTest::addRow("fits") << 50 << 100;
    QTest::addRow("exact") << 100 << 100;
    QTest::addRow("halve") << 200 << 100;
    QTest::addRow("many") << 10000 << 333;
    QTest::addRow("tiny budget") << 1000 << 3;
}

void TestChartData::decimateCapsPoints()
{
    QFETCH(int, input);
    QFETCH(int, budget);
    QList<QPointF> points;
    for (int i = 0; i < input; ++i)
        points.append({ double(i), std::sin(i * 0.05) + (i == input / 3 ? 5.0 : 0.0) });
    const QList<QPointF> out = chartdata::decimate(points, budget);
    QCOMPARE(out.size(), std::min(input, budget));
    QCOMPARE(out.first(), points.first());
    QCOMPARE(out.last(), points.last());
    for (qsizetype i = 1; i < out.size(); ++i)
        QVERIFY(out[i].x() > out[i - 1].x());
    if (budget > 10) // the spike survives decimation
        QVERIFY(std::any_of(out.begin(), out.end(), [](const QPointF &p) { return p.y() > 4; }));
}

void TestChartData::topRegionsWorstFirst()
{
    const auto s = testfixture::makeSnapshot(testfixture::defaultRegions());
    const QStringList top = chartdata::topRegions(s, 3);
    QCOMPARE(top,
             (QStringList { QStringLiteral("jnb"), QStringLiteral("syd"), QStringLiteral("gru") }));
}

void TestChartData::niceRangeIsRound_data()
{
    QTest::addColumn<double>("lo");
    QTest::addColumn<double>("hi");
    QTest::addColumn<double>("min");
    QTest::addColumn<double>("max");
    QTest::addColumn<double>("step");
    QTest::newRow("latency ms") << 0.0 << 231.0 << 0.0 << 300.0 << 100.0;
    QTest::newRow("small lag") << 0.0 << 0.42 << 0.0 << 0.5 << 0.1;
    QTest::newRow("exact") << 0.0 << 100.0 << 0.0 << 100.0 << 20.0;
    QTest::newRow("negative") << -3.0 << 7.0 << -4.0 << 8.0 << 2.0;
    QTest::newRow("large") << 0.0 << 1.7e6 << 0.0 << 2e6 << 5e5;
}

void TestChartData::niceRangeIsRound()
{
    QFETCH(double, lo);
    QFETCH(double, hi);
    QFETCH(double, min);
    QFETCH(double, max);
    QFETCH(double, step);
    const chartdata::NiceRange r = chartdata::niceRange(lo, hi, 5);
    QCOMPARE(r.min, min);
    QCOMPARE(r.max, max);
    QCOMPARE(r.step, step);
    QCOMPARE(r.ticks, int(std::lround((max - min) / step)) + 1);
    QVERIFY(r.min <= lo && r.max >= hi);
    // Degenerate input still gives a usable axis.
    const chartdata::NiceRange flat = chartdata::niceRange(5, 5, 5);
    QVERIFY(flat.max > flat.min && flat.ticks >= 2);
}

QTEST_MAIN(TestChartData)
#include "tst_chartdata.moc"
