// increase(), rate() and delta() against hand-computed values. The expected figures follow
// Prometheus' extrapolatedRate (promql/functions.go): samples in (end - range, end]; a drop is a
// counter reset that adds the value before it; extrapolation to an edge only within 1.1x the
// average sample interval, else by half an interval; for counters never back past the zero point.

#include "analytics/counters.h"
#include "testhelpers.h"

#include <QTest>

#include <limits>

using namespace fleetscope::analytics;
namespace analytics = fleetscope::analytics;
using fleetscope::analytics::test::samples;
using fleetscope::analytics::test::series;

namespace {
constexpr double qnan = std::numeric_limits<double>::quiet_NaN();
}

class TestCounters : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void increaseTable_data();
    void increaseTable();
    void rateIsIncreaseOverRange();
    void deltaTable_data();
    void deltaTable();
    void sums();
    void latestValueTable_data();
    void latestValueTable();
    void maxOverWindow();
};

void TestCounters::increaseTable_data()
{
    QTest::addColumn<double>("end");
    QTest::addColumn<double>("range");
    QTest::addColumn<QList<double>>("times");
    QTest::addColumn<QList<double>>("values");
    QTest::addColumn<double>("expected");

    // 30 over 45 s sampled, 15 s to the start (< 16.5 threshold), zero point 45 s back: x 60/45.
    QTest::addRow("regular, extrapolated to the start")
        << 60.0 << 60.0 << QList<double> { 15, 30, 45, 60 } << QList<double> { 10, 20, 30, 40 }
        << 40.0;
    // Left-open range (Prometheus 3): the sample at t = start is not selected. Were it, the
    // result would be 35 with no extrapolation.
    QTest::addRow("sample at the range start is excluded")
        << 60.0 << 60.0 << QList<double> { 0, 15, 30, 45, 60 }
        << QList<double> { 5, 10, 20, 30, 40 } << 40.0;
    // Right-closed: the sample at t = end counts, so durationToEnd = 0.
    QTest::addRow("sample at the range end is included")
        << 45.0 << 45.0 << QList<double> { 15, 30, 45 } << QList<double> { 10, 20, 30 } << 30.0;
    // 15 - 10 + 20 (the reset adds the pre-reset value) = 25; x 60/45.
    QTest::addRow("counter reset adds the value before the drop")
        << 60.0 << 60.0 << QList<double> { 15, 30, 45, 60 } << QList<double> { 10, 20, 5, 15 }
        << 25.0 * 60 / 45;
    // Zero point: 45 s x 1/30 = 1.5 s before the first sample, shorter than the 15 s to the start.
    QTest::addRow("zero point limits the extrapolation")
        << 60.0 << 60.0 << QList<double> { 15, 30, 45, 60 } << QList<double> { 1, 11, 21, 31 }
        << 31.0;
    // A counter whose first sample is 0 started inside the window: no extrapolation backwards.
    QTest::addRow("first sample zero") << 60.0 << 60.0 << QList<double> { 15, 30, 45, 60 }
                                       << QList<double> { 0, 10, 20, 30 } << 30.0;
    // Average interval 10, threshold 11: 40 s to the start and 50 s to the end are gaps, so each
    // side extrapolates half an interval: 30 x (30 + 5 + 5) / 30.
    QTest::addRow("gaps at both edges extrapolate half an interval")
        << 120.0 << 120.0 << QList<double> { 40, 50, 60, 70 } << QList<double> { 10, 20, 30, 40 }
        << 40.0;
    // 11 s to the start is exactly 1.1 x 10: already a gap (>=), so 5 s; 29 s to the end, 5 s.
    QTest::addRow("threshold itself counts as a gap")
        << 60.0 << 60.0 << QList<double> { 11, 21, 31 } << QList<double> { 100, 110, 120 }
        << 20.0 * 30 / 20;
    // 10.5 s to the start is below the threshold: extrapolated fully; the end side is a gap.
    QTest::addRow("just below the threshold")
        << 60.0 << 60.0 << QList<double> { 10.5, 20.5, 30.5 } << QList<double> { 100, 110, 120 }
        << 20.0 * 35.5 / 20;
    QTest::addRow("flat counter") << 60.0 << 60.0 << QList<double> { 15, 30, 45, 60 }
                                  << QList<double> { 5, 5, 5, 5 } << 0.0;
    // Every drop is a reset: -30 + 40 + 30 + 20 = 60; zero point 45 x 40/60 = 30 s > 15 s.
    QTest::addRow("only drops are three resets") << 60.0 << 60.0 << QList<double> { 15, 30, 45, 60 }
                                                 << QList<double> { 40, 30, 20, 10 } << 80.0;
    QTest::addRow("epoch timestamps")
        << 1700000060.0 << 60.0 << QList<double> { 1700000015, 1700000030, 1700000045, 1700000060 }
        << QList<double> { 10, 20, 30, 40 } << 40.0;
    QTest::addRow("samples outside the window ignored")
        << 60.0 << 60.0 << QList<double> { -30, -15, 15, 30, 45, 60, 75 }
        << QList<double> { 1, 2, 10, 20, 30, 40, 99 } << 40.0;
    // Fewer than two samples in the range: Prometheus yields no sample; NaN here.
    QTest::addRow("single sample")
        << 60.0 << 60.0 << QList<double> { 30 } << QList<double> { 5 } << qnan;
    QTest::addRow("no samples") << 60.0 << 60.0 << QList<double> {} << QList<double> {} << qnan;
    QTest::addRow("only the start sample and one inside")
        << 60.0 << 60.0 << QList<double> { 0, 30 } << QList<double> { 1, 2 } << qnan;
    QTest::addRow("all samples after the end")
        << 60.0 << 60.0 << QList<double> { 70, 80 } << QList<double> { 1, 2 } << qnan;
    QTest::addRow("unordered times")
        << 60.0 << 60.0 << QList<double> { 30, 15, 45 } << QList<double> { 1, 2, 3 } << qnan;
    QTest::addRow("zero range") << 60.0 << 0.0 << QList<double> { 15, 30 } << QList<double> { 1, 2 }
                                << qnan;
    // As in Prometheus, only the first and last values and the drops count: a NaN in between
    // compares false both ways and falls out; a NaN at an end makes the result NaN.
    QTest::addRow("NaN value in between") << 60.0 << 60.0 << QList<double> { 15, 30, 45, 60 }
                                          << QList<double> { 10, qnan, 30, 40 } << 40.0;
    QTest::addRow("NaN value last") << 60.0 << 60.0 << QList<double> { 15, 30, 45, 60 }
                                    << QList<double> { 10, 20, 30, qnan } << qnan;
}

void TestCounters::increaseTable()
{
    QFETCH(double, end);
    QFETCH(double, range);
    QFETCH(QList<double>, times);
    QFETCH(QList<double>, values);
    QFETCH(double, expected);
    const auto points = samples(times, values);
    COMPARE_NUM(increase(points, { end, range }), expected);
    const std::optional<double> result = increaseResult(points, { end, range });
    QCOMPARE(result.has_value(),
             !std::isnan(expected) || QTest::currentDataTag() == QByteArray("NaN value last"));
}

void TestCounters::rateIsIncreaseOverRange()
{
    const auto points = samples({ 15, 30, 45, 60 }, { 10, 20, 30, 40 });
    COMPARE_NUM(rate(points, { 60, 60 }), 40.0 / 60);
    COMPARE_NUM(rate(points, { 120, 120 }), 30.0 * (45 + 15 + 7.5) / 45 / 120);
    COMPARE_NUM(rate(samples({ 30 }, { 1 }), { 60, 60 }), qnan);
}

void TestCounters::deltaTable_data()
{
    QTest::addColumn<QList<double>>("values");
    QTest::addColumn<double>("expected");
    // Gauges: no reset handling and no zero-point limit; samples at 15, 30, 45, 60 of (0, 60].
    QTest::addRow("falling gauge") << QList<double> { 40, 30, 20, 10 } << -40.0;
    QTest::addRow("no zero-point limit") << QList<double> { 1, 11, 21, 31 } << 40.0;
    QTest::addRow("negative values") << QList<double> { -10, -20, -30, -40 } << -40.0;
    QTest::addRow("up and down") << QList<double> { 10, 50, 5, 25 } << 20.0;
}

void TestCounters::deltaTable()
{
    QFETCH(QList<double>, values);
    QFETCH(double, expected);
    COMPARE_NUM(delta(samples({ 15, 30, 45, 60 }, values), { 60, 60 }), expected);
}

void TestCounters::sums()
{
    const Window w { 60, 60 };
    const std::vector<Series> all {
        series({ { QStringLiteral("result"), QStringLiteral("hit") } },
               samples({ 15, 30, 45, 60 }, { 10, 20, 30, 40 })), // 40
        series({ { QStringLiteral("result"), QStringLiteral("hit") } },
               samples({ 15, 30, 45, 60 }, { 1, 11, 21, 31 })), // 31
        series({ { QStringLiteral("result"), QStringLiteral("miss") } },
               samples({ 15, 30, 45, 60 }, { 100, 100, 100, 103 })), // 4
        series({ { QStringLiteral("result"), QStringLiteral("hit") } },
               samples({ 60 }, { 1000 })), // one sample: absent, not zero
    };
    COMPARE_NUM(sumIncrease(all, w), 75.0);
    const LabelMatch hit[] { { QStringLiteral("result"), QStringLiteral("hit") } };
    COMPARE_NUM(sumIncrease(all, w, hit), 71.0);
    COMPARE_NUM(sumRate(all, w, hit), 71.0 / 60);
    const LabelMatch stale[] { { QStringLiteral("result"), QStringLiteral("stale") } };
    COMPARE_NUM(sumIncrease(all, w, stale), qnan); // no such series: no data, not 0
    const LabelMatch noCache[] { { QStringLiteral("cache"), QString() } };
    COMPARE_NUM(sumIncrease(all, w, noCache), 75.0); // {cache=""} matches a missing label
    COMPARE_NUM(sumIncrease(std::span<const Series>(all).last(1), w), qnan);
}

void TestCounters::latestValueTable_data()
{
    QTest::addColumn<double>("at");
    QTest::addColumn<double>("lookback");
    QTest::addColumn<double>("expected");
    // Samples (10, 1), (20, 2), (30, 3).
    QTest::addRow("between samples") << 25.0 << 300.0 << 2.0;
    QTest::addRow("exactly at a sample") << 30.0 << 300.0 << 3.0;
    QTest::addRow("before the first") << 5.0 << 300.0 << qnan;
    QTest::addRow("inside the lookback") << 329.0 << 300.0 << 3.0;
    QTest::addRow("lookback is left-open") << 330.0 << 300.0 << qnan;
    QTest::addRow("short lookback") << 25.0 << 4.0 << qnan;
}

void TestCounters::latestValueTable()
{
    QFETCH(double, at);
    QFETCH(double, lookback);
    QFETCH(double, expected);
    COMPARE_NUM(latestValue(samples({ 10, 20, 30 }, { 1, 2, 3 }), at, lookback), expected);
}

void TestCounters::maxOverWindow()
{
    const auto points = samples({ 0, 10, 20, 30 }, { 9, 4, 7, 5 });
    COMPARE_NUM(analytics::maxOverWindow(points, { 30, 30 }), 7.0); // 0 is outside (0, 30]
    COMPARE_NUM(analytics::maxOverWindow(points, { 100, 10 }), qnan);
}

QTEST_GUILESS_MAIN(TestCounters)
#include "tst_counters.moc"
