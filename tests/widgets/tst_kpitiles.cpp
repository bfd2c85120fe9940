// Headline tiles: figures for the fleet and for a selected region, judged against the snapshot's
// SLO thresholds with a word, a symbol and a colour.

#include "panelfixture.h"
#include "panels/kpitiles.h"
#include "panels/panelstyle.h"

#include <QApplication>
#include <QTest>

using namespace fleetscope;
using namespace fleetscope::widgets;
using analytics::SloStatus;
using Tile = KpiTiles::Tile;

Q_DECLARE_METATYPE(analytics::SloStatus)

class TestKpiTiles : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void noSnapshotIsNoData();
    void latencyColoursBySlo_data();
    void latencyColoursBySlo();
    void fleetFigures();
    void followsSelectedRegion();
    void nodesTile();
    void darkPaletteColours();
};

void TestKpiTiles::noSnapshotIsNoData()
{
    KpiTiles tiles;
    for (const Tile t :
         { Tile::Latency, Tile::HitRatio, Tile::ReplicaLag, Tile::Cost, Tile::Nodes }) {
        QCOMPARE(tiles.valueText(t), QStringLiteral("no data"));
        QCOMPARE(tiles.status(t), SloStatus::NoData);
        QVERIFY(tiles.statusText(t).endsWith(QStringLiteral("No data")));
    }
}

void TestKpiTiles::latencyColoursBySlo_data()
{
    // The worst region (jnb) has a p95 of roughly 560 ms in the fixture; move the SLO around it.
    QTest::addColumn<double>("factor"); // SLO = worst p95 x factor
    QTest::addColumn<SloStatus>("expected");
    QTest::addColumn<QString>("word");
    QTest::addRow("well within") << 2.0 << SloStatus::Ok << QStringLiteral("OK");
    QTest::addRow("above 80 percent of it")
        << 1.1 << SloStatus::Warning << QStringLiteral("Warning");
    QTest::addRow("over it") << 0.9 << SloStatus::Breach << QStringLiteral("Breach");
}

void TestKpiTiles::latencyColoursBySlo()
{
    QFETCH(double, factor);
    QFETCH(SloStatus, expected);
    QFETCH(QString, word);
    const auto probe = testfixture::makeSnapshot(testfixture::defaultRegions());
    const double worst = probe.region(QStringLiteral("jnb"))->figures.latencyP95Ms;
    QVERIFY(worst > 100);
    testfixture::FixtureOptions o;
    o.slo.p95LatencyMs = worst * factor;
    KpiTiles tiles;
    tiles.setSnapshot(testfixture::makeShared(testfixture::defaultRegions(), o));
    QCOMPARE(tiles.status(Tile::Latency), expected);
    QVERIFY(tiles.statusText(Tile::Latency).endsWith(word)); // text, not colour only
    QCOMPARE(tiles.statusColour(Tile::Latency), panelstyle::sloColour(expected, tiles.palette()));
    QVERIFY(tiles.captionText(Tile::Latency).contains(QStringLiteral("jnb")));
    QVERIFY(tiles.tileWidget(Tile::Latency)->toolTip().contains(QStringLiteral("Worst region")));
    QVERIFY(
        tiles.tileWidget(Tile::Latency)->toolTip().contains(QStringLiteral("Request-weighted")));

    // The colour is on screen: the band at the tile's left edge.
    QWidget *tile = tiles.tileWidget(Tile::Latency);
    tiles.resize(900, 130);
    tiles.show();
    QVERIFY(QTest::qWaitForWindowExposed(&tiles));
    const QImage image = tile->grab().toImage();
    QCOMPARE(image.pixelColor(3 * image.devicePixelRatio(), image.height() / 2).rgb(),
             panelstyle::sloColour(expected, tiles.palette()).rgb());
}

void TestKpiTiles::fleetFigures()
{
    KpiTiles tiles;
    const auto s = testfixture::makeShared(testfixture::defaultRegions());
    tiles.setSnapshot(s);
    // Worst lag: syd, 8 s x its wave at the last tick (about 5.9 s); over the 5 s SLO.
    QCOMPARE(tiles.status(Tile::ReplicaLag), SloStatus::Breach);
    QVERIFY(tiles.captionText(Tile::ReplicaLag).contains(QStringLiteral("syd")));
    // Fleet hit ratio: hits over lookups of every region, between the best and worst region.
    QVERIFY(tiles.valueText(Tile::HitRatio).endsWith(u'%'));
    const double shown = tiles.valueText(Tile::HitRatio).chopped(1).toDouble();
    QVERIFY(shown > 85 && shown < 97);
    QVERIFY(tiles.valueText(Tile::Cost).startsWith(u'$'));
    QVERIFY(tiles.status(Tile::Cost) != SloStatus::NoData);
}

void TestKpiTiles::followsSelectedRegion()
{
    KpiTiles tiles;
    const auto s = testfixture::makeShared(testfixture::defaultRegions());
    tiles.setSnapshot(s);
    tiles.setSelectedRegion(QStringLiteral("iad"));
    const snapshot::RegionFigures &iad = s->region(QStringLiteral("iad"))->figures;
    QCOMPARE(tiles.status(Tile::Latency), SloStatus::Ok);
    QCOMPARE(tiles.status(Tile::ReplicaLag), SloStatus::Ok);
    QVERIFY(tiles.captionText(Tile::Latency).contains(QStringLiteral("region iad")));
    QCOMPARE(tiles.valueText(Tile::HitRatio), QStringLiteral("95.9%")); // 97% with the dip
    QCOMPARE(tiles.valueText(Tile::Nodes), QStringLiteral("2 / 0 / 0"));
    QVERIFY(std::isfinite(iad.latencyP95Ms));

    // A region without usage families: cost is "no data", never $0.
    auto regions = testfixture::defaultRegions();
    regions[1].invocations = false; // iad
    tiles.setSnapshot(testfixture::makeShared(regions));
    QCOMPARE(tiles.valueText(Tile::Cost), QStringLiteral("no data"));
    QCOMPARE(tiles.status(Tile::Cost), SloStatus::NoData);
    tiles.setSelectedRegion(QString());
    QVERIFY(tiles.valueText(Tile::Cost).startsWith(u'$'));
}

void TestKpiTiles::nodesTile()
{
    KpiTiles tiles;
    auto regions = testfixture::defaultRegions();
    tiles.setSnapshot(testfixture::makeShared(regions));
    // 1 down of 12 targets: warning.
    QCOMPARE(tiles.valueText(Tile::Nodes), QStringLiteral("8 / 3 / 1"));
    QCOMPARE(tiles.status(Tile::Nodes), SloStatus::Warning);
    tiles.setSelectedRegion(QStringLiteral("syd")); // 1 up, 1 down: half down
    QCOMPARE(tiles.status(Tile::Nodes), SloStatus::Breach);
    tiles.setSelectedRegion(QStringLiteral("jnb")); // idle is healthy
    QCOMPARE(tiles.valueText(Tile::Nodes), QStringLiteral("0 / 2 / 0"));
    QCOMPARE(tiles.status(Tile::Nodes), SloStatus::Ok);
}

void TestKpiTiles::darkPaletteColours()
{
    KpiTiles tiles;
    tiles.setSnapshot(testfixture::makeShared(testfixture::defaultRegions()));
    const QColor light = tiles.statusColour(Tile::ReplicaLag);
    QPalette dark = tiles.palette();
    dark.setColor(QPalette::Window, QColor(0x20, 0x20, 0x20));
    dark.setColor(QPalette::Base, QColor(0x18, 0x18, 0x18));
    dark.setColor(QPalette::WindowText, Qt::white);
    dark.setColor(QPalette::Text, Qt::white);
    tiles.setPalette(dark);
    const QColor onDark = tiles.statusColour(Tile::ReplicaLag);
    QVERIFY(light != onDark);
    QCOMPARE(onDark, panelstyle::sloColour(SloStatus::Breach, dark));
    QVERIFY(onDark.lightness() > light.lightness()); // lighter on a dark background
}

QTEST_MAIN(TestKpiTiles)
#include "tst_kpitiles.moc"
