// Per-region bar charts: where the time goes (stacked phases) and measured latency against the
// speed-of-light floor, sorted by the gap.

#include "panelfixture.h"
#include "panels/lightfloorchart.h"
#include "panels/phasebreakdownchart.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QTest>

using namespace fleetscope;
using namespace fleetscope::widgets;

class TestPanelBarCharts : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void phasesStackPerRegion();
    void phasesKeepSelectedRegion();
    void lightFloorSortedByGap();
    void lightFloorWithoutVantage();
};

void TestPanelBarCharts::phasesStackPerRegion()
{
    auto regions = testfixture::defaultRegions();
    regions[1].phases = false; // iad reports no phase timings
    const auto s = testfixture::makeShared(regions);
    PhaseBreakdownChart chart;
    chart.setSnapshot(s);
    // Slowest total on top; iad left out (no data, not a zero bar).
    QCOMPARE(chart.regionsTopToBottom(),
             (QStringList { QStringLiteral("jnb"), QStringLiteral("syd"), QStringLiteral("gru"),
                            QStringLiteral("nrt"), QStringLiteral("fra") }));
    QVERIFY(chart.toolTip().contains(QStringLiteral("1 region")));
    QBarSet *compute = chart.barSet(QStringLiteral("compute"));
    QVERIFY(compute);
    QCOMPARE(compute->count(), 5);
    // Bars are fed bottom-up: the last value is the top region's.
    const auto &jnb = s->region(QStringLiteral("jnb"))->figures.phaseMeanMs;
    QCOMPARE(compute->at(4), jnb.at(QStringLiteral("compute")));
    QCOMPARE(chart.barSet(QStringLiteral("dns"))->at(0),
             s->region(QStringLiteral("fra"))->figures.phaseMeanMs.at(QStringLiteral("dns")));
    QVERIFY(compute->at(4) > compute->at(0));
}

void TestPanelBarCharts::phasesKeepSelectedRegion()
{
    PhaseBreakdownChart chart;
    chart.setMaxRegions(2);
    chart.setSnapshot(testfixture::makeShared(testfixture::defaultRegions()));
    QCOMPARE(chart.regionsTopToBottom(),
             (QStringList { QStringLiteral("jnb"), QStringLiteral("syd") }));
    chart.setSelectedRegion(QStringLiteral("iad")); // fastest: pulled in, marked
    QCOMPARE(chart.regionsTopToBottom(),
             (QStringList { QStringLiteral("jnb"), QStringLiteral("iad") }));
    auto *axis = qobject_cast<QBarCategoryAxis *>(chart.chart()->axes(Qt::Vertical).first());
    QVERIFY(axis);
    QCOMPARE(axis->categories().first(), QStringLiteral("\u25B6 iad"));
}

void TestPanelBarCharts::lightFloorSortedByGap()
{
    const auto s = testfixture::makeShared(testfixture::defaultRegions());
    LightFloorChart chart;
    chart.setSnapshot(s);
    const QStringList order = chart.regionsTopToBottom();
    QCOMPARE(order.size(), 6);
    double previous = INFINITY;
    for (const QString &code : order) {
        const auto &f = s->region(code)->figures;
        const double gap = f.latencyQuantileMs - f.lightFloorRttMs;
        QVERIFY2(gap <= previous, qPrintable(code));
        previous = gap;
    }
    // Bars bottom-up: index 0 is the smallest gap.
    const auto &bottom = s->region(order.last())->figures;
    QCOMPARE(chart.measuredSet()->at(0), bottom.latencyQuantileMs);
    QCOMPARE(chart.floorSet()->at(0), bottom.lightFloorRttMs);
    QVERIFY(chart.floorSet()->at(0) > 0);
    QCOMPARE(chart.measuredSet()->label(), QStringLiteral("measured p95"));
    QVERIFY(chart.chart()->title().contains(QStringLiteral("London")));
}

void TestPanelBarCharts::lightFloorWithoutVantage()
{
    testfixture::FixtureOptions o;
    o.vantageLat = snapshot::kNaN;
    o.vantageLon = snapshot::kNaN;
    o.vantage.clear();
    LightFloorChart chart;
    chart.setSnapshot(testfixture::makeShared(testfixture::defaultRegions(), o));
    QVERIFY(chart.regionsTopToBottom().isEmpty());
    QCOMPARE(chart.measuredSet()->count(), 0);
}

QTEST_MAIN(TestPanelBarCharts)
#include "tst_panelbarcharts.moc"
