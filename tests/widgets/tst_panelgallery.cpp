// Every panel rendered at a realistic size in a light and a dark palette: the picture must not be
// blank, and the breach tile's band must be painted in the breach colour of that palette. With
// FLEETSCOPE_PANEL_PNG_DIR set, the renders are written there to be looked at.

#include "common/palettes.h"
#include "panelfixture.h"
#include "panels/costtable.h"
#include "panels/fleetcharts.h"
#include "panels/kpitiles.h"
#include "panels/lightfloorchart.h"
#include "panels/nodetable.h"
#include "panels/panelstyle.h"
#include "panels/phasebreakdownchart.h"

#include <QDir>
#include <QTest>

#include <set>

using namespace fleetscope;
using namespace fleetscope::widgets;

namespace {

std::vector<testfixture::FixtureRegion> realisticRegions()
{
    auto regions = testfixture::defaultRegions();
    regions.push_back({ QStringLiteral("sin"), 1.35, 103.8, 55, 0.94, 1.1, 15 });
    regions.push_back({ QStringLiteral("lhr"), 51.5, -0.1, 22, 0.98, 0.3, 3 });
    regions.push_back({ QStringLiteral("bom"), 19.1, 72.9, 70, 0.92, 2.2, 25, 2, 0, 0, 1 });
    regions.push_back({ QStringLiteral("ord"), 41.9, -87.6, 28, 0.97, 0.5, 6 });
    regions.push_back({ QStringLiteral("sjc"), 37.3, -121.9, 32, 0.96, 0.6, 8 });
    regions.push_back({ QStringLiteral("cdg"), 49.0, 2.5, 26, 0.97, 0.4, 5 });
    regions.push_back({ QStringLiteral("mad"), 40.4, -3.7, 35, 0.95, 0.9, 9 });
    return regions;
}

// Distinct colours in a coarse sample: a blank or single-colour render has one or two.
int distinctColours(const QImage &image)
{
    std::set<QRgb> seen;
    for (int y = 0; y < image.height(); y += 4) {
        for (int x = 0; x < image.width(); x += 4)
            seen.insert(image.pixel(x, y) & 0xf0f0f0);
    }
    return int(seen.size());
}

} // namespace

class TestPanelGallery : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void render_data();
    void render();
};

void TestPanelGallery::render_data()
{
    QTest::addColumn<bool>("dark");
    QTest::addColumn<QString>("region");
    QTest::addRow("light-fleet") << false << QString();
    QTest::addRow("dark-fleet") << true << QString();
    QTest::addRow("light-syd") << false << QStringLiteral("syd");
    QTest::addRow("dark-syd") << true << QStringLiteral("syd");
}

void TestPanelGallery::render()
{
    QFETCH(bool, dark);
    QFETCH(QString, region);
    testfixture::FixtureOptions o;
    o.ticks = 240;
    o.step = 15;
    o.windowSeconds = 3600;
    const auto s = testfixture::makeShared(realisticRegions(), o);
    const QString outDir = qEnvironmentVariable("FLEETSCOPE_PANEL_PNG_DIR");
    const QString tag = QString::fromLatin1(QTest::currentDataTag());

    const auto shoot = [&](QWidget *w, const QString &name, QSize size) {
        if (dark)
            w->setPalette(darkPalette());
        w->resize(size);
        w->show();
        QVERIFY(QTest::qWaitForWindowExposed(w));
        const QImage image = w->grab().toImage();
        QVERIFY2(distinctColours(image) > 8, qPrintable(name));
        if (!outDir.isEmpty()) {
            QDir().mkpath(outDir);
            QVERIFY(image.save(QStringLiteral("%1/%2-%3.png").arg(outDir, name, tag)));
        }
    };

    KpiTiles tiles;
    tiles.setSnapshot(s);
    tiles.setSelectedRegion(region);
    shoot(&tiles, QStringLiteral("tiles"), QSize(1280, 130));
    const QImage tileImage = tiles.tileWidget(KpiTiles::Tile::ReplicaLag)->grab().toImage();
    QCOMPARE(tiles.status(KpiTiles::Tile::ReplicaLag), analytics::SloStatus::Breach);
    QCOMPARE(tileImage.pixelColor(3 * tileImage.devicePixelRatio(), tileImage.height() / 2).rgb(),
             panelstyle::sloColour(analytics::SloStatus::Breach, tiles.palette()).rgb());

    FleetCharts charts;
    charts.setSnapshot(s);
    charts.setSelectedRegion(region);
    shoot(&charts, QStringLiteral("charts"), QSize(1280, 720));

    PhaseBreakdownChart phases;
    phases.setSnapshot(s);
    phases.setSelectedRegion(region);
    shoot(&phases, QStringLiteral("phases"), QSize(640, 420));

    LightFloorChart floor;
    floor.setSnapshot(s);
    floor.setSelectedRegion(region);
    shoot(&floor, QStringLiteral("lightfloor"), QSize(640, 420));

    CostTable costs;
    costs.setSnapshot(s);
    costs.setSelectedRegion(region);
    shoot(&costs, QStringLiteral("costs"), QSize(900, 400));

    NodeTable nodes;
    nodes.setSnapshot(s);
    nodes.setSelectedRegion(region);
    shoot(&nodes, QStringLiteral("nodes"), QSize(1100, 420));
}

QTEST_MAIN(TestPanelGallery)
#include "tst_panelgallery.moc"
