// The time-series panels: they follow the selected region, the snapshot's quantile and window,
// never feed a series more points than the plot is pixels wide, and label their value axes with
// round numbers the chart's height can hold.

#include "panelfixture.h"
#include "panels/chartdata.h"
#include "panels/fleetcharts.h"
#include "panels/timechartview.h"

#include <QDateTimeAxis>
#include <QLegendMarker>
#include <QSignalSpy>
#include <QTest>
#include <QValueAxis>
#include <QXYSeries>

using namespace fleetscope;
using namespace fleetscope::widgets;

namespace {

QStringList names(const TimeChartView *view)
{
    QStringList out;
    for (const QXYSeries *s : view->allSeries())
        out.append(s->name());
    return out;
}

// Ticks a person reads at a glance: 1, 2 or 5 times a power of ten apart, the first a multiple.
void verifyRound(const QValueAxis *axis)
{
    QVERIFY(axis->tickCount() >= 2);
    const double step = (axis->max() - axis->min()) / (axis->tickCount() - 1);
    const double magnitude = std::pow(10.0, std::floor(std::log10(step)));
    const double f = step / magnitude;
    QVERIFY2(std::fabs(f - 1) < 1e-9 || std::fabs(f - 2) < 1e-9 || std::fabs(f - 5) < 1e-9,
             qPrintable(QStringLiteral("%1..%2 in %3 ticks")
                            .arg(axis->min())
                            .arg(axis->max())
                            .arg(axis->tickCount())));
    const double k = axis->min() / step;
    QVERIFY(std::fabs(k - std::round(k)) < 1e-9);
}

} // namespace

class TestFleetCharts : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void topRegionsWithoutSelection();
    void followsSelectedRegion();
    void quantileChangesLatencyChart();
    void windowChangesEveryChart();
    void decimatesToPixelWidth();
    void emptyRegionShowsNoLines();
    void valueAxesRoundAndLegible();
    void scopeNamedOnce();
    void eachChartPaintedOncePerSnapshot();
};

void TestFleetCharts::topRegionsWithoutSelection()
{
    FleetCharts charts;
    charts.setTopRegionCount(3);
    charts.resize(1200, 700);
    charts.setSnapshot(testfixture::makeShared(testfixture::defaultRegions()));
    const QStringList top = { QStringLiteral("jnb"), QStringLiteral("syd"), QStringLiteral("gru") };
    QCOMPARE(charts.chartedRegions(), top);
    QCOMPARE(names(charts.latencyChart()), top);
    QCOMPARE(names(charts.hitRatioChart()), top);
    QCOMPARE(names(charts.costChart()), top);
    QCOMPARE(names(charts.lagChart()),
             (QStringList { QStringLiteral("jnb lag"), QStringLiteral("jnb queue"),
                            QStringLiteral("syd lag"), QStringLiteral("syd queue"),
                            QStringLiteral("gru lag"), QStringLiteral("gru queue") }));
    // Queue depth is on its own axis.
    QVERIFY(charts.lagChart()->secondaryValueAxis());
    QVERIFY(charts.lagChart()
                ->series(QStringLiteral("syd queue"))
                ->attachedAxes()
                .contains(charts.lagChart()->secondaryValueAxis()));
    QVERIFY(charts.lagChart()
                ->series(QStringLiteral("syd lag"))
                ->attachedAxes()
                .contains(charts.lagChart()->valueAxis()));
    QVERIFY(charts.latencyChart()->chart()->title().startsWith(QStringLiteral("p95 latency")));
}

void TestFleetCharts::followsSelectedRegion()
{
    FleetCharts charts;
    charts.resize(1400, 800);
    charts.show(); // wide enough that nothing is decimated
    QVERIFY(QTest::qWaitForWindowExposed(&charts));
    const auto s = testfixture::makeShared(testfixture::defaultRegions());
    charts.setSnapshot(s);
    charts.setSelectedRegion(QStringLiteral("nrt"));
    // More points fit than the fixture's 120 steps: the series below are the data, undecimated.
    QVERIFY(charts.latencyChart()->pointBudget() > testfixture::FixtureOptions().ticks);
    QCOMPARE(charts.chartedRegions(), QStringList { QStringLiteral("nrt") });
    QCOMPARE(names(charts.latencyChart()),
             (QStringList { QStringLiteral("p50"), QStringLiteral("p90"), QStringLiteral("p95"),
                            QStringLiteral("p99") }));
    const chartdata::TimeWindow w = chartdata::windowOf(*s);
    const QXYSeries *p99 = charts.latencyChart()->series(QStringLiteral("p99"));
    QVERIFY(p99);
    QCOMPARE(p99->points(),
             chartdata::latencyQuantileMs(*s->region(QStringLiteral("nrt")), 0.99, w));
    const QList<QPointF> nrtHit = charts.hitRatioChart()->series(QStringLiteral("nrt"))->points();
    QCOMPARE(qRound(nrtHit.first().y()), 96);

    // Another region: the same series now hold its values.
    charts.setSelectedRegion(QStringLiteral("syd"));
    QCOMPARE(charts.chartedRegions(), QStringList { QStringLiteral("syd") });
    const QList<QPointF> sydP99 = charts.latencyChart()->series(QStringLiteral("p99"))->points();
    QCOMPARE(sydP99, chartdata::latencyQuantileMs(*s->region(QStringLiteral("syd")), 0.99, w));
    QVERIFY(sydP99.first().y()
            > chartdata::latencyQuantileMs(*s->region(QStringLiteral("nrt")), 0.99, w).first().y());
    QCOMPARE(qRound(charts.hitRatioChart()->series(QStringLiteral("syd"))->points().first().y()),
             85);
    QCOMPARE(charts.lagChart()->series(QStringLiteral("syd lag"))->points().first().y(), 8.0);
    QVERIFY(!charts.hitRatioChart()->series(QStringLiteral("nrt")));

    // Back to the whole fleet.
    charts.setSelectedRegion(QString());
    QCOMPARE(charts.chartedRegions().size(), 5);
}

void TestFleetCharts::quantileChangesLatencyChart()
{
    FleetCharts charts;
    charts.resize(1200, 700);
    charts.show();
    QVERIFY(QTest::qWaitForWindowExposed(&charts));
    testfixture::FixtureOptions o;
    o.quantile = 0.5;
    charts.setSnapshot(testfixture::makeShared(testfixture::defaultRegions(), o));
    const QList<QPointF> p50 = charts.latencyChart()->series(QStringLiteral("syd"))->points();
    QVERIFY(charts.latencyChart()->chart()->title().startsWith(QStringLiteral("p50")));
    o.quantile = 0.99;
    const auto s99 = testfixture::makeShared(testfixture::defaultRegions(), o);
    charts.setSnapshot(s99);
    const QList<QPointF> p99 = charts.latencyChart()->series(QStringLiteral("syd"))->points();
    QVERIFY(charts.latencyChart()->chart()->title().startsWith(QStringLiteral("p99")));
    QCOMPARE(p99.size(), p50.size());
    for (qsizetype i = 0; i < p99.size(); ++i)
        QVERIFY(p99[i].y() > p50[i].y());
    QCOMPARE(p99,
             chartdata::latencyQuantileMs(*s99->region(QStringLiteral("syd")), 0.99,
                                          chartdata::windowOf(*s99)));

    // With a region selected the chosen quantile is the emphasised line; an odd one is added.
    charts.setSelectedRegion(QStringLiteral("syd"));
    const qreal emphasised = charts.latencyChart()->series(QStringLiteral("p99"))->pen().widthF();
    QVERIFY(emphasised > charts.latencyChart()->series(QStringLiteral("p50"))->pen().widthF());
    QCOMPARE(emphasised, 2.0);
    o.quantile = 0.75;
    charts.setSnapshot(testfixture::makeShared(testfixture::defaultRegions(), o));
    QVERIFY(charts.latencyChart()->series(QStringLiteral("p75")));
}

void TestFleetCharts::windowChangesEveryChart()
{
    FleetCharts charts;
    charts.resize(1200, 700);
    charts.show();
    QVERIFY(QTest::qWaitForWindowExposed(&charts));
    charts.setSelectedRegion(QStringLiteral("fra"));
    testfixture::FixtureOptions o;
    o.windowSeconds = 600;
    charts.setSnapshot(testfixture::makeShared(testfixture::defaultRegions(), o));
    QCOMPARE(charts.latencyChart()->series(QStringLiteral("p95"))->count(), 119);
    QCOMPARE(charts.lagChart()->series(QStringLiteral("fra lag"))->count(), 120);
    const QDateTime wideFrom = charts.latencyChart()->timeAxis()->min();

    o.windowSeconds = 60;
    const auto narrow = testfixture::makeShared(testfixture::defaultRegions(), o);
    charts.setSnapshot(narrow);
    QCOMPARE(charts.latencyChart()->series(QStringLiteral("p95"))->count(), 12);
    QCOMPARE(charts.hitRatioChart()->series(QStringLiteral("fra"))->count(), 12);
    QCOMPARE(charts.costChart()->series(QStringLiteral("fra"))->count(), 12);
    QCOMPARE(charts.lagChart()->series(QStringLiteral("fra lag"))->count(), 13);
    const QDateTimeAxis *axis = charts.latencyChart()->timeAxis();
    QCOMPARE(axis->max().toMSecsSinceEpoch(), qint64(narrow->time * 1000));
    QCOMPARE(axis->min().toMSecsSinceEpoch(), qint64((narrow->time - 60) * 1000));
    QVERIFY(axis->min() > wideFrom);
    for (const QPointF &p : charts.latencyChart()->series(QStringLiteral("p95"))->points())
        QVERIFY(p.x() >= (narrow->time - 60) * 1000);
}

void TestFleetCharts::decimatesToPixelWidth()
{
    testfixture::FixtureOptions o;
    o.ticks = 2000;
    o.step = 1;
    o.windowSeconds = 2000;
    const auto s =
        testfixture::makeShared({ { QStringLiteral("nrt"), 35.7, 139.7, 40, 0.96, 0.8, 12 } }, o);
    FleetCharts charts;
    charts.setSelectedRegion(QStringLiteral("nrt"));
    charts.resize(900, 600);
    charts.setSnapshot(s);
    charts.show();
    QVERIFY(QTest::qWaitForWindowExposed(&charts));
    const auto check = [&](int maxWidth) {
        for (TimeChartView *view : { charts.latencyChart(), charts.hitRatioChart(),
                                     charts.lagChart(), charts.costChart() }) {
            const int budget = view->pointBudget();
            QVERIFY(budget <= view->width());
            QVERIFY(budget <= view->chart()->plotArea().width() / 2); // a point every 2 px
            QVERIFY(budget <= maxWidth);
            QVERIFY(budget >= 50);
            for (const QXYSeries *series : view->allSeries()) {
                QVERIFY2(series->count() <= budget,
                         qPrintable(QStringLiteral("%1: %2 points for %3 px")
                                        .arg(series->name())
                                        .arg(series->count())
                                        .arg(budget)));
                QVERIFY(series->count() >= budget - 1); // 2000 points: the budget is used
                // The first and last points of the window survive decimation.
                QCOMPARE(series->points().last().x(), s->time * 1000);
            }
        }
    };
    QTRY_VERIFY(charts.latencyChart()->chart()->plotArea().width() > 0);
    QTRY_COMPARE(charts.latencyChart()->series(QStringLiteral("p95"))->count(),
                 charts.latencyChart()->pointBudget());
    check(450);
    // Narrower: the series are re-fed with fewer points.
    const int before = charts.latencyChart()->pointBudget();
    charts.resize(600, 600);
    QTRY_VERIFY(charts.latencyChart()->pointBudget() < before);
    QTRY_COMPARE(charts.latencyChart()->series(QStringLiteral("p95"))->count(),
                 charts.latencyChart()->pointBudget());
    check(300);
}

void TestFleetCharts::emptyRegionShowsNoLines()
{
    FleetCharts charts;
    snapshot::FleetSnapshot s;
    s.time = testfixture::kStart + 100;
    s.windowStart = testfixture::kStart;
    snapshot::RegionData r;
    r.code = QStringLiteral("xyz");
    s.regions.push_back(r);
    charts.setSnapshot(std::make_shared<const snapshot::FleetSnapshot>(s));
    QCOMPARE(charts.chartedRegions(), QStringList { QStringLiteral("xyz") });
    QCOMPARE(charts.latencyChart()->series(QStringLiteral("xyz"))->count(), 0);
    charts.setSnapshot(nullptr);
    QVERIFY(charts.latencyChart()->allSeries().isEmpty());
}

void TestFleetCharts::valueAxesRoundAndLegible()
{
    FleetCharts charts;
    charts.resize(1200, 800);
    charts.setSnapshot(testfixture::makeShared(testfixture::defaultRegions()));
    charts.show();
    QVERIFY(QTest::qWaitForWindowExposed(&charts));
    QTRY_VERIFY(charts.hitRatioChart()->chart()->plotArea().height() > 200);
    for (TimeChartView *v :
         { charts.latencyChart(), charts.hitRatioChart(), charts.lagChart(), charts.costChart() })
        verifyRound(v->valueAxis());
    verifyRound(charts.lagChart()->secondaryValueAxis());
    QVERIFY(!charts.lagChart()->secondaryValueAxis()->isGridLineVisible()); // one grid only
    QCOMPARE(charts.hitRatioChart()->valueAxis()->max(), 100.0); // a ratio up to its ceiling

    // A chart a small screen leaves short gets fewer labels, still round, so QtCharts hides none.
    charts.resize(600, 300);
    const QValueAxis *hit = charts.hitRatioChart()->valueAxis();
    QTRY_VERIFY(charts.hitRatioChart()->chart()->plotArea().height() < 100);
    QTRY_VERIFY(hit->tickCount() <= 3);
    verifyRound(hit);
    QCOMPARE(hit->max(), 100.0);
    const qreal plot = charts.hitRatioChart()->chart()->plotArea().height();
    QVERIFY(plot / (hit->tickCount() - 1) >= QFontMetrics(charts.font()).height());
    // An axis title is shown whole or not at all, never elided.
    const QValueAxis *queue = charts.lagChart()->secondaryValueAxis();
    const int titleWidth = QFontMetrics(queue->titleFont()).horizontalAdvance(queue->titleText());
    QTRY_COMPARE(queue->isTitleVisible(),
                 charts.lagChart()->chart()->plotArea().height() >= titleWidth + 8);
    charts.resize(1200, 800);
    QTRY_VERIFY(queue->isTitleVisible());
}

void TestFleetCharts::scopeNamedOnce()
{
    FleetCharts charts;
    QSignalSpy scope(&charts, &FleetCharts::scopeChanged);
    charts.setTopRegionCount(3);
    charts.resize(1200, 800);
    charts.setSnapshot(testfixture::makeShared(testfixture::defaultRegions()));
    charts.show();
    QVERIFY(QTest::qWaitForWindowExposed(&charts));
    QCOMPARE(charts.scope(), QStringLiteral("3 slowest of 6 regions"));
    QCOMPARE(scope.count(), 1);
    // Said once by whoever frames the charts, not in each chart's title.
    QCOMPARE(charts.hitRatioChart()->chart()->title(), QStringLiteral("Cache hit ratio (%)"));
    // Several regions: the lag legend names each region (the title says solid lines are lag).
    QStringList legend;
    for (const QLegendMarker *m : charts.lagChart()->chart()->legend()->markers()) {
        if (m->isVisible())
            legend.append(m->label());
    }
    QCOMPARE(legend, charts.chartedRegions());
    charts.setSelectedRegion(QStringLiteral("nrt"));
    QCOMPARE(charts.scope(), QStringLiteral("region nrt"));
    QCOMPARE(scope.count(), 2);
    QCOMPARE(scope.last().first().toString(), QStringLiteral("region nrt"));
    charts.setSelectedRegion(QStringLiteral("nrt")); // no change, no signal
    QCOMPARE(scope.count(), 2);
}

// A new snapshot repaints each chart once, with the new data: left to QGraphicsScene's deferred
// updates, a chart was painted in the window's update and again when its scene caught up (two
// paints of every line, grid line and label per snapshot, and a first one of stale figures).
void TestFleetCharts::eachChartPaintedOncePerSnapshot()
{
    auto regions = testfixture::defaultRegions();
    FleetCharts charts;
    charts.resize(1200, 700);
    charts.setSnapshot(testfixture::makeShared(regions));
    charts.show();
    QVERIFY(QTest::qWaitForWindowExposed(&charts));
    QCoreApplication::processEvents();
    const QList<TimeChartView *> views = { charts.latencyChart(), charts.hitRatioChart(),
                                           charts.lagChart(), charts.costChart() };
    std::vector<std::unique_ptr<testfixture::PaintCounter>> counts;
    for (TimeChartView *v : views) {
        counts.push_back(std::make_unique<testfixture::PaintCounter>());
        v->viewport()->installEventFilter(counts.back().get());
    }

    for (auto &r : regions) { // every figure moves: every chart has something new to show
        r.baseMs *= 1.3;
        r.hitRatio -= 0.02;
        r.lagS += 1;
        r.requestsPerTick *= 2;
    }
    charts.setSnapshot(testfixture::makeShared(regions));
    QCoreApplication::sendPostedEvents();
    QCoreApplication::processEvents();
    for (int i = 0; i < views.size(); ++i)
        QVERIFY2(counts[std::size_t(i)]->count == 1,
                 qPrintable(QStringLiteral("%1 painted %2 times")
                                .arg(views[i]->chart()->title())
                                .arg(counts[std::size_t(i)]->count)));
}

QTEST_MAIN(TestFleetCharts)
#include "tst_fleetcharts.moc"
