// histogram_quantile() against hand-computed values, following Prometheus' bucketQuantile
// (promql/quantile.go): sort by le, +Inf bucket required, equal bounds added up, counts made
// monotonic, linear interpolation from 0 in the lowest bucket, the highest finite bound when the
// rank falls in +Inf; and the region pipeline histogram_quantile(q, sum by (le) (rate(...))).

#include "analytics/histogram.h"
#include "testhelpers.h"

#include <QPointF>
#include <QTest>

#include <limits>

using namespace fleetscope::analytics;
using fleetscope::analytics::test::samples;
using fleetscope::analytics::test::series;

namespace {
constexpr double qnan = std::numeric_limits<double>::quiet_NaN();
constexpr double inf = std::numeric_limits<double>::infinity();

std::vector<Bucket> buckets(const QList<QPointF> &points)
{
    std::vector<Bucket> out;
    for (const QPointF &p : points)
        out.push_back({ p.x(), p.y() });
    return out;
}

// le 0.1: 10, 0.5: 30, 1: 40, +Inf: 50.
const QList<QPointF> standard { { 0.1, 10 }, { 0.5, 30 }, { 1, 40 }, { inf, 50 } };

Series bucketSeries(const QString &le, const QString &region, double first, double last)
{
    return series({ { QStringLiteral("le"), le }, { QStringLiteral("region"), region } },
                  samples({ 10, 60 }, { first, last }));
}
} // namespace

class TestHistogram : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void quantile_data();
    void quantile();
    void notes();
    void bucketBound_data();
    void bucketBound();
    void sumAcrossNodes();
    void regionQuantile();
};

void TestHistogram::quantile_data()
{
    QTest::addColumn<double>("q");
    QTest::addColumn<QList<QPointF>>("input");
    QTest::addColumn<double>("expected");

    // rank 25 lies in (0.1, 0.5] holding 20: 0.1 + 0.4 x 15/20.
    QTest::addRow("median interpolates") << 0.5 << standard << 0.4;
    // rank 5 in the lowest bucket, interpolated from 0: 0.1 x 5/10.
    QTest::addRow("lowest bucket from zero") << 0.1 << standard << 0.05;
    QTest::addRow("q = 0") << 0.0 << standard << 0.0;
    // rank 40 reaches le=1 exactly: the bucket's upper bound.
    QTest::addRow("rank on a bound") << 0.8 << standard << 1.0;
    // rank 45 is beyond every finite bucket: the highest finite bound (METRICS.md).
    QTest::addRow("in the +Inf bucket") << 0.9 << standard << 1.0;
    QTest::addRow("q = 1") << 1.0 << standard << 1.0;
    QTest::addRow("q below 0") << -0.1 << standard << -inf;
    QTest::addRow("q above 1") << 1.1 << standard << inf;
    QTest::addRow("q NaN") << qnan << standard << qnan;
    QTest::addRow("unsorted input")
        << 0.5 << QList<QPointF> { { inf, 50 }, { 1, 40 }, { 0.1, 10 }, { 0.5, 30 } } << 0.4;
    QTest::addRow("no +Inf bucket")
        << 0.5 << QList<QPointF> { { 0.1, 10 }, { 0.5, 30 }, { 1, 40 } } << qnan;
    QTest::addRow("only +Inf") << 0.5 << QList<QPointF> { { inf, 50 } } << qnan;
    QTest::addRow("empty") << 0.5 << QList<QPointF> {} << qnan;
    QTest::addRow("no observations")
        << 0.5 << QList<QPointF> { { 0.1, 0 }, { 0.5, 0 }, { inf, 0 } } << qnan;
    // 0.5 holds 8 < 10: made 10; rank 25 in (0.5, 1] holding 30: 0.5 + 0.5 x 15/30.
    QTest::addRow("non-monotonic counts are forced up")
        << 0.5 << QList<QPointF> { { 0.1, 10 }, { 0.5, 8 }, { 1, 40 }, { inf, 50 } } << 0.75;
    // Two series with le=1 (e.g. "1" and "1.0") are one bucket of 20.
    QTest::addRow("equal bounds are added up")
        << 0.5 << QList<QPointF> { { 1, 10 }, { 1, 10 }, { 2, 30 }, { inf, 40 } } << 1.0;
    // The lowest bound is <= 0: its bound, no interpolation.
    QTest::addRow("non-positive lowest bucket")
        << 0.25 << QList<QPointF> { { -1, 5 }, { 0, 10 }, { 1, 20 }, { inf, 20 } } << -1.0;
    // rank 7.5 in (-1, 0] holding 5: -1 + 1 x 2.5/5.
    QTest::addRow("negative bounds interpolate")
        << 0.375 << QList<QPointF> { { -1, 5 }, { 0, 10 }, { 1, 20 }, { inf, 20 } } << -0.5;
    // Only one finite bucket and the rank beyond it.
    QTest::addRow("two buckets, rank in +Inf")
        << 0.99 << QList<QPointF> { { 0.25, 90 }, { inf, 100 } } << 0.25;
    QTest::addRow("fractional counts from rates")
        << 0.5 << QList<QPointF> { { 0.1, 0.5 }, { 0.2, 1.5 }, { inf, 2 } } << 0.15;
}

void TestHistogram::quantile()
{
    QFETCH(double, q);
    QFETCH(QList<QPointF>, input);
    QFETCH(double, expected);
    COMPARE_NUM(histogramQuantile(q, buckets(input)), expected);
}

void TestHistogram::notes()
{
    QuantileNotes notes;
    histogramQuantile(0.5, buckets(standard), &notes);
    QVERIFY(!notes.forcedMonotonic);
    QVERIFY(!notes.fixedPrecision);
    histogramQuantile(0.5, buckets({ { 0.1, 10 }, { 0.5, 8 }, { inf, 50 } }), &notes);
    QVERIFY(notes.forcedMonotonic);
    // A relative step of 1e-13 is float noise from summing: flattened, not "forced".
    histogramQuantile(0.5, buckets({ { 0.1, 10 }, { 0.5, 10 * (1 - 1e-13) }, { inf, 50 } }),
                      &notes);
    QVERIFY(notes.fixedPrecision);
    QVERIFY(!notes.forcedMonotonic);
}

void TestHistogram::bucketBound_data()
{
    QTest::addColumn<QString>("le");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<double>("expected");
    QTest::addRow("decimal") << QStringLiteral("0.5") << true << 0.5;
    QTest::addRow("integer") << QStringLiteral("1") << true << 1.0;
    QTest::addRow("exponent") << QStringLiteral("2.5e-3") << true << 0.0025;
    QTest::addRow("+Inf") << QStringLiteral("+Inf") << true << inf;
    QTest::addRow("Inf") << QStringLiteral("Inf") << true << inf;
    QTest::addRow("negative") << QStringLiteral("-1") << true << -1.0;
    QTest::addRow("decimal comma") << QStringLiteral("0,5") << false << 0.0;
    QTest::addRow("empty") << QString() << false << 0.0;
    QTest::addRow("word") << QStringLiteral("fast") << false << 0.0;
}

void TestHistogram::bucketBound()
{
    QFETCH(QString, le);
    QFETCH(bool, valid);
    QFETCH(double, expected);
    const std::optional<double> bound = parseBucketBound(le);
    QCOMPARE(bound.has_value(), valid);
    if (valid)
        COMPARE_NUM(*bound, expected);
}

void TestHistogram::sumAcrossNodes()
{
    // Two samples at 10 and 60 in (0, 60]: each increase is extrapolated 10 s back to the start
    // (the zero point is further away), x 60/50 = 1.2.
    const QString a = QStringLiteral("nrt");
    const std::vector<Series> nodes {
        bucketSeries(QStringLiteral("0.1"), a, 100, 110), // 10
        bucketSeries(QStringLiteral("0.5"), a, 200, 230), // 30
        bucketSeries(QStringLiteral("+Inf"), a, 300, 350), // 50
        bucketSeries(QStringLiteral("0.1"), a, 50, 60), // 10
        bucketSeries(QStringLiteral("0.50"), a, 50, 70), // 20, same bound spelt differently
        bucketSeries(QStringLiteral("+Inf"), a, 60, 100), // 40
        bucketSeries(QStringLiteral("bogus"), a, 1, 100), // malformed le: dropped
        series({ { QStringLiteral("le"), QStringLiteral("0.1") } }, samples({ 60 }, { 5 })),
        bucketSeries(QStringLiteral("0.1"), QStringLiteral("iad"), 100, 200),
    };
    const LabelMatch nrt[] { { QStringLiteral("region"), a } };
    const std::vector<Bucket> summed = sumBucketIncreases(nodes, { 60, 60 }, nrt);
    QCOMPARE(summed.size(), std::size_t(3));
    COMPARE_NUM(summed[0].upperBound, 0.1);
    COMPARE_NUM(summed[0].count, 20 * 1.2);
    COMPARE_NUM(summed[1].upperBound, 0.5);
    COMPARE_NUM(summed[1].count, 50 * 1.2);
    COMPARE_NUM(summed[2].upperBound, inf);
    COMPARE_NUM(summed[2].count, 90 * 1.2);

    // Without the matcher the iad series joins le=0.1: 20 + 100 (x 1.2).
    const std::vector<Bucket> all = sumBucketIncreases(nodes, { 60, 60 });
    COMPARE_NUM(all[0].count, 120 * 1.2);
    QVERIFY(sumBucketIncreases({}, { 60, 60 }).empty());
}

void TestHistogram::regionQuantile()
{
    const QString a = QStringLiteral("nrt");
    const std::vector<Series> nodes {
        bucketSeries(QStringLiteral("0.1"), a, 100, 110),
        bucketSeries(QStringLiteral("0.5"), a, 200, 230),
        bucketSeries(QStringLiteral("+Inf"), a, 300, 350),
        bucketSeries(QStringLiteral("0.1"), a, 50, 60),
        bucketSeries(QStringLiteral("0.5"), a, 50, 70),
        bucketSeries(QStringLiteral("+Inf"), a, 60, 100),
    };
    // Summed 20, 50, 90 (the common 1.2 cancels): rank 45 in (0.1, 0.5]: 0.1 + 0.4 x 25/30.
    COMPARE_NUM(quantileOverWindow(0.5, nodes, { 60, 60 }), 0.1 + 0.4 * 25 / 30);
    // rank 89.1 beyond 0.5's 50: the highest finite bound.
    COMPARE_NUM(quantileOverWindow(0.99, nodes, { 60, 60 }), 0.5);
    // A window with one sample per series: no data, not zero.
    COMPARE_NUM(quantileOverWindow(0.5, nodes, { 30, 30 }), qnan);
}

QTEST_GUILESS_MAIN(TestHistogram)
#include "tst_histogram.moc"
