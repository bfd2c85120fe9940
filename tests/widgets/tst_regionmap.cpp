// The region latency map: selection by click and keyboard, zoom and pan, marker styles that
// differ by shape as well as colour, plain-text hover cards, non-colliding labels, light and dark
// palettes, and the pure parts (projection, basemap, colour scale, label placement).

#include "map/basemap.h"
#include "map/equalearth.h"
#include "map/labelplacement.h"
#include "map/latencyscale.h"
#include "map/regionmapwidget.h"
#include "map/spritecache.h"
#include "mapfixture.h"

#include <QAccessible>
#include <QApplication>
#include <QImage>
#include <QPainter>
#include <QPicture>
#include <QSignalSpy>
#include <QTest>

#include <cmath>

using fleetscope::widgets::RegionMapWidget;
using Style = fleetscope::widgets::RegionMapWidget::MarkerStyle;
namespace fw = fleetscope::widgets;

namespace {

QPalette darkPalette()
{
    QPalette p;
    p.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
    p.setColor(QPalette::WindowText, QColor(0xe8, 0xe8, 0xe8));
    p.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
    p.setColor(QPalette::Text, QColor(0xe8, 0xe8, 0xe8));
    p.setColor(QPalette::Button, QColor(0x35, 0x35, 0x35));
    p.setColor(QPalette::ButtonText, QColor(0xe8, 0xe8, 0xe8));
    p.setColor(QPalette::Highlight, QColor(0x3d, 0x8e, 0xe0));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::ToolTipBase, QColor(0x3a, 0x3a, 0x3a));
    p.setColor(QPalette::ToolTipText, QColor(0xf0, 0xf0, 0xf0));
    return p;
}

QPalette lightPalette()
{
    QPalette p;
    p.setColor(QPalette::Window, QColor(0xef, 0xef, 0xef));
    p.setColor(QPalette::WindowText, Qt::black);
    p.setColor(QPalette::Base, Qt::white);
    p.setColor(QPalette::Text, Qt::black);
    p.setColor(QPalette::Highlight, QColor(0x30, 0x8c, 0xc6));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::ToolTipBase, QColor(0xff, 0xff, 0xdc));
    p.setColor(QPalette::ToolTipText, Qt::black);
    return p;
}

bool isRed(QRgb c)
{
    return qRed(c) > 150 && qGreen(c) < 110 && qBlue(c) < 110;
}

// A square crop around a marker, in logical pixels (grab() is at the device pixel ratio).
QImage patch(const QImage &image, QPointF centre, double half)
{
    const double dpr = image.devicePixelRatio();
    const QRect r(int((centre.x() - half) * dpr), int((centre.y() - half) * dpr),
                  int(2 * half * dpr), int(2 * half * dpr));
    return image.copy(r).convertToFormat(QImage::Format_RGB32);
}

int countPixels(const QImage &image, bool (*predicate)(QRgb))
{
    int n = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
            n += predicate(image.pixel(x, y)) ? 1 : 0;
    return n;
}

int differingPixels(const QImage &a, const QImage &b)
{
    int n = 0;
    for (int y = 0; y < std::min(a.height(), b.height()); ++y)
        for (int x = 0; x < std::min(a.width(), b.width()); ++x)
            n += a.pixel(x, y) != b.pixel(x, y) ? 1 : 0;
    return n;
}

} // namespace

class TestRegionMap : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<RegionMapWidget>
    shownMap(std::shared_ptr<const fleetscope::snapshot::FleetSnapshot> s)
    {
        auto map = std::make_unique<RegionMapWidget>();
        map->resize(1280, 800);
        map->setSnapshot(std::move(s));
        map->show();
        if (!QTest::qWaitForWindowExposed(map.get()))
            return nullptr;
        return map;
    }

private Q_SLOTS:
    void projectionIsEqualEarth()
    {
        const QRectF b = fw::equalEarthBounds();
        QVERIFY(std::fabs(b.width() / 2 - 2.7066) < 1e-3);
        QVERIFY(std::fabs(b.height() / 2 - 1.3174) < 1e-3);
        QCOMPARE(fw::equalEarth(0, 0), QPointF(0, 0));
        QVERIFY(fw::equalEarth(0, 45).y() < 0); // north is up on screen
        QVERIFY(fw::equalEarth(90, 0).x() > 0);
    }

    void basemapDecodes()
    {
        const fw::Basemap &map = fw::worldBasemap();
        QVERIFY(map.valid);
        QVERIFY(map.land.elementCount() > 5000);
        QVERIFY(map.borders.elementCount() > 1000);
        const QRectF land = map.land.boundingRect();
        const QRectF world = fw::equalEarthBounds();
        QVERIFY(world.adjusted(-1e-3, -1e-3, 1e-3, 1e-3).contains(land));
        QVERIFY(land.width() > world.width() * 0.8);
        QVERIFY(land.height() > world.height() * 0.9);
        // Madrid is on land, the middle of the Atlantic is not.
        QVERIFY(map.land.contains(fw::equalEarth(-3.7, 40.4)));
        QVERIFY(!map.land.contains(fw::equalEarth(-35, 30)));
    }

    // Markers come from sprites: drawn once per look, copied after, the same pixels as drawing
    // them (within antialiasing rounding); vector painters (PDF, print) still get vectors.
    void spriteCacheDrawsOncePerLook()
    {
        fw::SpriteCache cache;
        int draws = 0;
        const auto disc = [&](QPainter &p) {
            ++draws;
            p.setRenderHint(QPainter::Antialiasing);
            p.setPen(QPen(Qt::black, 1));
            p.setBrush(QColor(200, 60, 30));
            p.drawEllipse(QPointF(0, 0), 7.5, 7.5);
        };
        QImage viaCache(64, 64, QImage::Format_ARGB32_Premultiplied);
        viaCache.fill(Qt::white);
        {
            QPainter p(&viaCache);
            cache.paint(p, { 1, 0 }, QPointF(20.2, 30.4), 10, disc);
            cache.paint(p, { 1, 0 }, QPointF(44.0, 30.0), 10, disc);
        }
        QCOMPARE(draws, 1);
        QCOMPARE(cache.size(), 1);
        QImage direct(64, 64, QImage::Format_ARGB32_Premultiplied);
        direct.fill(Qt::white);
        {
            QPainter p(&direct);
            for (const QPointF c : { QPointF(20, 30), QPointF(44, 30) }) { // snapped centres
                p.save();
                p.translate(c);
                disc(p);
                p.restore();
            }
        }
        int worst = 0;
        for (int y = 0; y < 64; ++y) {
            for (int x = 0; x < 64; ++x) {
                const QRgb a = viaCache.pixel(x, y), b = direct.pixel(x, y);
                worst =
                    std::max({ worst, std::abs(qRed(a) - qRed(b)), std::abs(qGreen(a) - qGreen(b)),
                               std::abs(qBlue(a) - qBlue(b)) });
            }
        }
        QVERIFY2(worst <= 3, qPrintable(QString::number(worst)));
        QVERIFY(viaCache.pixel(20, 30) != qRgb(255, 255, 255)); // something was drawn there

        // Another look is another sprite; a vector painter draws every time.
        draws = 0;
        {
            QPainter p(&viaCache);
            cache.paint(p, { 2, 0 }, QPointF(10, 10), 10, disc);
        }
        QCOMPARE(draws, 1);
        QPicture picture;
        {
            QPainter p(&picture);
            cache.paint(p, { 1, 0 }, QPointF(10, 10), 10, disc);
            cache.paint(p, { 1, 0 }, QPointF(30, 10), 10, disc);
        }
        QCOMPARE(draws, 3);

        // Bounded: a flood of looks never holds more than kMaxSprites images.
        QImage scratch(8, 8, QImage::Format_ARGB32_Premultiplied);
        QPainter p(&scratch);
        for (std::uint64_t i = 0; i < 2 * fw::SpriteCache::kMaxSprites; ++i)
            cache.paint(p, { 100 + i, 0 }, QPointF(4, 4), 3, [](QPainter &) {});
        QVERIFY(cache.size() <= fw::SpriteCache::kMaxSprites);
        cache.clear();
        QCOMPARE(cache.size(), 0);
    }

    void basemapRejectsGarbage()
    {
        QString error;
        const fw::Basemap map = fw::decodeBasemap("not json", "{}", &error);
        QVERIFY(!map.valid);
        QVERIFY(!error.isEmpty());
    }

    void latencyScale()
    {
        const fw::LatencyScale scale(250);
        QCOMPARE(scale.position(250), fw::LatencyScale::sloPosition());
        QVERIFY(scale.position(10) < scale.position(100));
        QCOMPARE(scale.position(0), 0.0);
        QCOMPARE(scale.position(1e6), 1.0);
        QVERIFY(!scale.color(std::nan("")).isValid());
        QVERIFY(scale.ticks().contains(250));
        // Over the SLO reads warm: more red than blue.
        const QColor over = scale.color(300);
        QVERIFY(over.red() > over.blue());
        const QColor fast = scale.color(10);
        QVERIFY(fast.blue() > fast.red());
    }

    void labelPlacementAvoidsCollisions()
    {
        std::vector<fw::LabelRequest> labels;
        std::vector<fw::MarkerDisc> discs;
        for (int i = 0; i < 30; ++i) {
            const QPointF c(100 + (i % 6) * 14, 100 + (i / 6) * 12); // tightly packed
            labels.push_back({ QString::number(i), c, 5, QSizeF(30, 14), double(i) });
            discs.push_back({ c, 5 });
        }
        const auto placed =
            fw::placeLabels(labels, discs, { QRectF(0, 0, 60, 60) }, QRectF(0, 0, 400, 300));
        QVERIFY(!placed.isEmpty());
        QVERIFY(placed.size() < 30); // some had to be hidden
        QVERIFY(placed.contains(QStringLiteral("29"))); // the highest priority goes first
        const QList<QRectF> rects = placed.values();
        for (qsizetype i = 0; i < rects.size(); ++i) {
            QVERIFY(!rects[i].intersects(QRectF(0, 0, 60, 60)));
            for (qsizetype j = i + 1; j < rects.size(); ++j)
                QVERIFY(!rects[i].intersects(rects[j]));
            for (const auto &d : discs)
                QVERIFY(!fw::rectIntersectsDisc(rects[i], d.centre, d.radius));
        }
    }

    void markerStyles()
    {
        RegionMapWidget map;
        map.resize(1280, 800);
        map.setSnapshot(fleetscope::testing::smallFleet());
        QCOMPARE(map.markerStyle(QStringLiteral("iad")), Style::Latency);
        QCOMPARE(map.markerStyle(QStringLiteral("syd")), Style::ScaledToZero);
        QCOMPARE(map.markerStyle(QStringLiteral("gru")), Style::Down);
        QCOMPARE(map.markerStyle(QStringLiteral("jnb")), Style::NoData);
        QCOMPARE(map.markerStyle(QStringLiteral("onprem")), Style::None);
        QCOMPARE(map.markerStyle(QStringLiteral("nope")), Style::None);
        QCOMPARE(map.markerPosition(QStringLiteral("onprem")), QPointF());
        // Area follows the request rate.
        QVERIFY(map.markerRadius(QStringLiteral("iad")) > map.markerRadius(QStringLiteral("nrt")));
        QVERIFY(map.markerRadius(QStringLiteral("nrt")) > map.markerRadius(QStringLiteral("fra")));
    }

    void unplacedRegionsAreListed()
    {
        RegionMapWidget map;
        map.setSnapshot(fleetscope::testing::smallFleet());
        QCOMPARE(map.unplacedRegions(),
                 QStringList({ QStringLiteral("edge-lab"), QStringLiteral("onprem") }));
        QCOMPARE(map.unplacedNote(), QStringLiteral("2 regions not on the map: edge-lab, onprem"));
    }

    void replicationEdges()
    {
        RegionMapWidget map;
        map.setSnapshot(fleetscope::testing::smallFleet());
        const auto edges = map.replicationEdges();
        QCOMPARE(edges.size(), 4);
        QVERIFY(edges.contains(qMakePair(QStringLiteral("jnb"), QStringLiteral("iad"))));
        QVERIFY(edges.contains(qMakePair(QStringLiteral("nrt"), QStringLiteral("iad"))));
        QVERIFY(edges.contains(qMakePair(QStringLiteral("fra"), QStringLiteral("iad"))));
        QVERIFY(edges.contains(qMakePair(QStringLiteral("sin"), QStringLiteral("iad"))));
    }

    // Tokyo to Ashburn crosses the antimeridian over the Bering Sea: the edge runs to the map's
    // edge and goes on from the other edge at the same latitude (it used to stop at the last
    // sample before the crossing, up to 3 degrees short of either edge).
    void edgeAcrossAntimeridianMeetsTheMapEdge()
    {
        RegionMapWidget map;
        map.resize(1200, 700);
        map.setSnapshot(fleetscope::testing::smallFleet());
        const QPainterPath path = map.replicationEdgePath(QStringLiteral("nrt"));
        QVERIFY(!path.isEmpty());
        QVERIFY(map.replicationEdgePath(QStringLiteral("iad")).isEmpty()); // the primary
        int breaks = 0;
        for (int i = 1; i < path.elementCount(); ++i) {
            if (!path.elementAt(i).isMoveTo())
                continue;
            ++breaks;
            const QPointF before = path.elementAt(i - 1);
            const QPointF after = path.elementAt(i);
            // Both on the map's outline (lon +180 and -180) at one latitude: find the latitude
            // whose outline point has `before`'s height (y falls as latitude rises).
            double low = -90, high = 90;
            for (int k = 0; k < 60; ++k) {
                const double mid = (low + high) / 2;
                (map.widgetPosition(180, mid).y() > before.y() ? low : high) = mid;
            }
            const double lat = (low + high) / 2;
            QVERIFY2(lat > 40 && lat < 70, qPrintable(QString::number(lat)));
            const QPointF east = map.widgetPosition(180, lat);
            const QPointF west = map.widgetPosition(-180, lat);
            const QPointF expectedBefore =
                std::abs(before.x() - east.x()) < std::abs(before.x() - west.x()) ? east : west;
            const QPointF expectedAfter = expectedBefore == east ? west : east;
            QVERIFY2(QLineF(before, expectedBefore).length() < 0.5,
                     qPrintable(QStringLiteral("ends at %1,%2; the outline is at %3,%4")
                                    .arg(before.x())
                                    .arg(before.y())
                                    .arg(expectedBefore.x())
                                    .arg(expectedBefore.y())));
            QVERIFY2(QLineF(after, expectedAfter).length() < 0.5,
                     qPrintable(QStringLiteral("goes on at %1,%2; the outline is at %3,%4")
                                    .arg(after.x())
                                    .arg(after.y())
                                    .arg(expectedAfter.x())
                                    .arg(expectedAfter.y())));
        }
        QCOMPARE(breaks, 1);
    }

    void clickSelectsRegion_data()
    {
        QTest::addColumn<QString>("code");
        QTest::addRow("latency") << QStringLiteral("nrt");
        QTest::addRow("primary") << QStringLiteral("iad");
        QTest::addRow("scaled to zero") << QStringLiteral("syd");
        QTest::addRow("down") << QStringLiteral("gru");
        QTest::addRow("no data") << QStringLiteral("jnb");
    }

    void clickSelectsRegion()
    {
        QFETCH(QString, code);
        auto map = shownMap(fleetscope::testing::smallFleet());
        QVERIFY(map);
        QSignalSpy spy(map.get(), &RegionMapWidget::regionSelected);
        const QPointF pos = map->markerPosition(code);
        QVERIFY(map->rect().contains(pos.toPoint()));
        QTest::mouseClick(map.get(), Qt::LeftButton, {}, pos.toPoint());
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy.first().first().toString(), code);
        QCOMPARE(map->selectedRegion(), code);
        QVERIFY(map->labelRects().contains(code)); // the selected region is always labelled
    }

    void clickOnEmptySeaClears()
    {
        auto map = shownMap(fleetscope::testing::smallFleet());
        QVERIFY(map);
        QSignalSpy spy(map.get(), &RegionMapWidget::regionSelected);
        QTest::mouseClick(map.get(), Qt::LeftButton, {},
                          map->markerPosition(QStringLiteral("fra")).toPoint());
        QCOMPARE(map->selectedRegion(), QStringLiteral("fra"));
        const QPoint sea = map->widgetPosition(-140, 10).toPoint(); // the middle of the Pacific
        QTest::mouseClick(map.get(), Qt::LeftButton, {}, sea);
        QCOMPARE(spy.count(), 2);
        QCOMPARE(spy.last().first().toString(), QString());
        QVERIFY(map->selectedRegion().isEmpty());
        // Clicking the sea again changes nothing, so says nothing.
        QTest::mouseClick(map.get(), Qt::LeftButton, {}, sea);
        QCOMPARE(spy.count(), 2);
    }

    void setSelectedRegionHighlightsWithoutSignal()
    {
        auto map = shownMap(fleetscope::testing::smallFleet());
        QVERIFY(map);
        QSignalSpy spy(map.get(), &RegionMapWidget::regionSelected);
        const QImage before = map->grab().toImage();
        map->setSelectedRegion(QStringLiteral("nrt"));
        QCOMPARE(map->selectedRegion(), QStringLiteral("nrt"));
        QCOMPARE(spy.count(), 0);
        const QPointF c = map->markerPosition(QStringLiteral("nrt"));
        QVERIFY(differingPixels(patch(before, c, 24), patch(map->grab().toImage(), c, 24)) > 30);
    }

    void keyboardZoomAndPan()
    {
        auto map = shownMap(fleetscope::testing::smallFleet());
        QVERIFY(map);
        const auto gap = [&] {
            return QLineF(map->markerPosition(QStringLiteral("iad")),
                          map->markerPosition(QStringLiteral("fra")))
                .length();
        };
        const double gap1 = gap();
        QCOMPARE(map->zoom(), 1.0);
        QTest::keyClick(map.get(), Qt::Key_Plus);
        QVERIFY(map->zoom() > 1.0);
        QVERIFY(gap() > gap1 * 1.2);
        QTest::keyClick(map.get(), Qt::Key_Plus);
        const double zoomed = map->zoom();
        const QPointF before = map->markerPosition(QStringLiteral("iad"));
        QTest::keyClick(map.get(), Qt::Key_Left);
        QVERIFY(map->markerPosition(QStringLiteral("iad")).x() > before.x() + 10);
        QTest::keyClick(map.get(), Qt::Key_Up);
        QVERIFY(map->markerPosition(QStringLiteral("iad")).y() > before.y() + 10);
        QTest::keyClick(map.get(), Qt::Key_Minus);
        QVERIFY(map->zoom() < zoomed);
        QTest::keyClick(map.get(), Qt::Key_0);
        QCOMPARE(map->zoom(), 1.0);
        QVERIFY(std::fabs(gap() - gap1) < 1e-6);
        // Never smaller than the whole world.
        QTest::keyClick(map.get(), Qt::Key_Minus);
        QCOMPARE(map->zoom(), 1.0);
    }

    void wheelZoomsAroundTheCursor()
    {
        auto map = shownMap(fleetscope::testing::smallFleet());
        QVERIFY(map);
        const QPointF at = map->markerPosition(QStringLiteral("fra"));
        QWheelEvent wheel(at, map->mapToGlobal(at), QPoint(), QPoint(0, 240), Qt::NoButton,
                          Qt::NoModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(map.get(), &wheel);
        QVERIFY(map->zoom() > 2);
        const QPointF after = map->markerPosition(QStringLiteral("fra"));
        QVERIFY(QLineF(at, after).length() < 1.0); // the point under the cursor stays put
    }

    void dragPansWithoutSelecting()
    {
        auto map = shownMap(fleetscope::testing::smallFleet());
        QVERIFY(map);
        QTest::keyClick(map.get(), Qt::Key_Plus);
        QTest::keyClick(map.get(), Qt::Key_Plus);
        QSignalSpy spy(map.get(), &RegionMapWidget::regionSelected);
        const QPointF before = map->markerPosition(QStringLiteral("iad"));
        const QPoint start = map->widgetPosition(-30, 0).toPoint(); // Atlantic, no marker
        QTest::mousePress(map.get(), Qt::LeftButton, {}, start);
        QMouseEvent move(QEvent::MouseMove, start + QPoint(60, 40),
                         map->mapToGlobal(start + QPoint(60, 40)), Qt::NoButton, Qt::LeftButton,
                         Qt::NoModifier);
        QApplication::sendEvent(map.get(), &move);
        QTest::mouseRelease(map.get(), Qt::LeftButton, {}, start + QPoint(60, 40));
        const QPointF after = map->markerPosition(QStringLiteral("iad"));
        QVERIFY(QLineF(after - before, QPointF(60, 40)).length() < 1.0);
        QCOMPARE(spy.count(), 0);
    }

    void tabCyclesRegionsAndEnterSelects()
    {
        auto map = shownMap(fleetscope::testing::smallFleet());
        QVERIFY(map);
        map->setFocus();
        QSignalSpy spy(map.get(), &RegionMapWidget::regionSelected);
        QTest::keyClick(map.get(), Qt::Key_Tab);
        const QString first = map->keyboardRegion();
        QCOMPARE(first, QStringLiteral("iad")); // westernmost
        QTest::keyClick(map.get(), Qt::Key_Tab);
        const QString second = map->keyboardRegion();
        QCOMPARE(second, QStringLiteral("gru"));
        QVERIFY(map->accessibleDescription().contains(QStringLiteral("Sao Paulo")));
        QTest::keyClick(map.get(), Qt::Key_Tab, Qt::ShiftModifier);
        QCOMPARE(map->keyboardRegion(), first);
        QTest::keyClick(map.get(), Qt::Key_Tab);
        QTest::keyClick(map.get(), Qt::Key_Return);
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy.last().first().toString(), second);
        QCOMPARE(map->selectedRegion(), second);
        QTest::keyClick(map.get(), Qt::Key_Escape);
        QCOMPARE(spy.count(), 2);
        QCOMPARE(spy.last().first().toString(), QString());
        QVERIFY(map->selectedRegion().isEmpty());
        QVERIFY(map->keyboardRegion().isEmpty());
        // Past the last region Tab leaves the map rather than trapping the keyboard.
        for (int i = 0; i < 7; ++i)
            QTest::keyClick(map.get(), Qt::Key_Tab);
        QCOMPARE(map->keyboardRegion(), QStringLiteral("syd")); // easternmost, the 7th
        QTest::keyClick(map.get(), Qt::Key_Tab);
        QVERIFY(map->keyboardRegion().isEmpty());
    }

    void accessibleNameAndDescription()
    {
        RegionMapWidget map;
        map.setSnapshot(fleetscope::testing::smallFleet());
        QVERIFY(!map.accessibleName().isEmpty());
        QVERIFY(map.accessibleDescription().contains(QStringLiteral("7 regions on the map")));
        QVERIFY(map.accessibleDescription().contains(QStringLiteral("edge-lab")));
        QCOMPARE(map.focusPolicy(), Qt::StrongFocus);
    }

    void idleAndDownAreDrawnDifferently_data()
    {
        QTest::addColumn<bool>("dark");
        QTest::addRow("light") << false;
        QTest::addRow("dark") << true;
    }

    void idleAndDownAreDrawnDifferently()
    {
        QFETCH(bool, dark);
        // The same region at the same place in three states: only the marker differs.
        auto base = fleetscope::testing::smallFleet();
        auto idle = std::make_shared<fleetscope::snapshot::FleetSnapshot>(*base);
        auto down = std::make_shared<fleetscope::snapshot::FleetSnapshot>(*base);
        auto noData = std::make_shared<fleetscope::snapshot::FleetSnapshot>(*base);
        for (auto *s : { idle.get(), down.get(), noData.get() }) {
            for (auto &r : s->regions) {
                if (r.code != QStringLiteral("syd"))
                    continue;
                r.figures.scaledToZero = s == idle.get();
                r.nodesIdle = s == idle.get() ? 3 : 0;
                r.nodesDown = s == down.get() ? 3 : 0;
                r.nodesUp = s == noData.get() ? 2 : 0;
            }
        }
        auto map = shownMap(idle);
        QVERIFY(map);
        map->setPalette(dark ? darkPalette() : lightPalette());
        const QString code = QStringLiteral("syd");
        const QPointF c = map->markerPosition(code);
        const double half = map->markerRadius(code) + 3;

        QCOMPARE(map->markerStyle(code), Style::ScaledToZero);
        const QImage idleImage = patch(map->grab().toImage(), c, half);
        map->setSnapshot(down);
        QCOMPARE(map->markerStyle(code), Style::Down);
        const QImage downImage = patch(map->grab().toImage(), c, half);
        map->setSnapshot(noData);
        QCOMPARE(map->markerStyle(code), Style::NoData);
        const QImage noDataImage = patch(map->grab().toImage(), c, half);

        const int area = idleImage.width() * idleImage.height();
        QVERIFY(differingPixels(idleImage, downImage) > area / 5);
        QVERIFY(differingPixels(idleImage, noDataImage) > area / 10);
        QVERIFY(differingPixels(downImage, noDataImage) > area / 5);
        // Down is red, the others are not; the shapes (cross, moon, ring) differ as well.
        QVERIFY(countPixels(downImage, isRed) > 20);
        QCOMPARE(countPixels(idleImage, isRed), 0);
        QCOMPARE(countPixels(noDataImage, isRed), 0);
    }

    void followsLightAndDarkPalettes()
    {
        auto map = shownMap(fleetscope::testing::smallFleet());
        QVERIFY(map);
        const QPointF sea = map->widgetPosition(-140, 10);
        const QPointF land = map->widgetPosition(100, 60); // Siberia
        map->setPalette(lightPalette());
        const QImage light = map->grab().toImage();
        map->setPalette(darkPalette());
        const QImage dark = map->grab().toImage();
        const double dpr = light.devicePixelRatio();
        const auto at = [dpr](const QImage &image, QPointF p) {
            return QColor(image.pixel((p * dpr).toPoint()));
        };
        QVERIFY(at(light, sea).lightness() > 200);
        QVERIFY(at(dark, sea).lightness() < 80);
        QVERIFY(at(light, land).lightness() < at(light, sea).lightness()); // land reads on sea
        QVERIFY(at(dark, land).lightness() > at(dark, sea).lightness());
    }

    void hoverCardIsPlainText()
    {
        auto map = shownMap(fleetscope::testing::smallFleet());
        QVERIFY(map);
        const QString card = map->cardText(QStringLiteral("sin"));
        QVERIFY(card.startsWith(QStringLiteral("<b>x</b>&amp; (sin)\n")));
        QVERIFY(card.contains(QStringLiteral("Where: <img src=x>")));
        // Every figure the brief asks for, with "no data" rather than zero.
        for (const char *label :
             { "Latency p50: ", "Latency p90: ", "Latency p95: ", "Latency p99: ",
               "Speed-of-light floor (RTT): 12.5 ms from London", "Hit ratio: 93.0%",
               "Replica lag: 1.2 s behind iad", "Cost per invocation: $0.000000350",
               "Nodes: 4 up, 0 idle, 0 down" })
            QVERIFY2(card.contains(QString::fromUtf8(label)), label);
        QVERIFY(
            map->cardText(QStringLiteral("gru")).contains(QStringLiteral("Latency p95: no data")));
        QVERIFY(map->cardText(QStringLiteral("gru")).contains(QStringLiteral("Status: down")));

        // Hovering shows the drawn card, not a (rich-text capable) tooltip.
        const QImage before = map->grab().toImage();
        const QPoint at = map->markerPosition(QStringLiteral("sin")).toPoint();
        QTest::mouseMove(map.get(), at);
        QTRY_COMPARE(map->hoveredRegion(), QStringLiteral("sin"));
        QVERIFY(map->toolTip().isEmpty());
        const QImage after = map->grab().toImage();
        QVERIFY(differingPixels(before, after) > 2000);
        QTest::mouseMove(map.get(), map->widgetPosition(-140, 10).toPoint());
        QTRY_VERIFY(map->hoveredRegion().isEmpty());
    }

    void labelsNeverOverlap_data()
    {
        QTest::addColumn<int>("regions");
        QTest::addColumn<double>("zoom");
        QTest::addRow("7 regions") << 7 << 1.0;
        QTest::addRow("50 regions") << 50 << 1.0;
        QTest::addRow("50 regions zoomed") << 50 << 3.0;
    }

    void labelsNeverOverlap()
    {
        QFETCH(int, regions);
        QFETCH(double, zoom);
        auto map = shownMap(regions == 7 ? fleetscope::testing::smallFleet()
                                         : fleetscope::testing::generatedFleet(regions));
        QVERIFY(map);
        // Zoom into the crowded European cluster.
        while (map->zoom() < zoom) {
            const QPointF at = map->markerPosition(QStringLiteral("r00"));
            QWheelEvent wheel(at, map->mapToGlobal(at), QPoint(), QPoint(0, 120), Qt::NoButton,
                              Qt::NoModifier, Qt::NoScrollPhase, false);
            QApplication::sendEvent(map.get(), &wheel);
        }
        const auto labels = map->labelRects();
        QVERIFY(labels.size() >= std::min(7, regions));
        const auto snap = map->snapshot();
        const QRectF widgetRect(map->rect());
        const QList<QString> keys = labels.keys();
        for (qsizetype i = 0; i < keys.size(); ++i) {
            const QRectF a = labels.value(keys[i]);
            QVERIFY(widgetRect.contains(a));
            for (qsizetype j = i + 1; j < keys.size(); ++j)
                QVERIFY2(!a.intersects(labels.value(keys[j])),
                         qPrintable(keys[i] + QStringLiteral(" / ") + keys[j]));
            for (const auto &r : snap->regions) {
                if (map->markerStyle(r.code) == Style::None)
                    continue;
                QVERIFY2(!fw::rectIntersectsDisc(a, map->markerPosition(r.code),
                                                 map->markerRadius(r.code)),
                         qPrintable(keys[i] + QStringLiteral(" over ") + r.code));
            }
        }
    }

    // The legend is drawn once into an image and copied at later repaints; a new quantile, SLO,
    // palette or size draws it again, and the same inputs give the same pixels.
    void legendRedrawnWhenItsInputsChange()
    {
        auto s = fleetscope::testing::smallFleet();
        auto map = std::make_unique<RegionMapWidget>();
        map->resize(900, 500);
        map->setPalette(lightPalette());
        map->setSnapshot(s);
        const auto legend = [&] {
            const QRect box = map->legendRect().toAlignedRect().adjusted(-1, -1, 1, 1);
            return map->grab().toImage().copy(box);
        };
        const QImage p95 = legend();
        QCOMPARE(legend(), p95); // copied: unchanged
        auto s99 = std::make_shared<fleetscope::snapshot::FleetSnapshot>(*s);
        s99->settings.quantile = 0.99;
        map->setSnapshot(s99);
        const QImage p99 = legend();
        QVERIFY(p99 != p95); // "p99 latency, ms"
        auto tighter = std::make_shared<fleetscope::snapshot::FleetSnapshot>(*s99);
        tighter->settings.slo.maxReplicaLagS /= 4;
        map->setSnapshot(tighter);
        QVERIFY(legend() != p99); // the lag key's thresholds
        map->setPalette(darkPalette());
        QVERIFY(legend() != p99);
        map->setPalette(lightPalette());
        map->setSnapshot(s);
        QCOMPARE(legend(), p95);
    }

    void legendTakesTheFreestCorner_data()
    {
        QTest::addColumn<QSize>("size");
        QTest::addColumn<int>("hidden"); // markers under the legend, the fewest any corner allows
        QTest::addRow("1920x1080 dashboard map") << QSize(1380, 500) << 0;
        QTest::addRow("1280x800 dashboard map") << QSize(740, 350) << 1;
    }

    // The legend used to sit bottom left whatever was under it; with a region in the southern
    // Pacific (and, on a small screen, Sao Paulo) it hid markers there. It takes the corner that
    // hides the fewest: none when one is free.
    void legendTakesTheFreestCorner()
    {
        QFETCH(QSize, size);
        QFETCH(int, hidden);
        auto s = fleetscope::testing::smallFleet();
        s->regions.push_back(fleetscope::testing::mapRegion(
            QStringLiteral("pac"), QStringLiteral("South Pacific"), -50, -178, 60, 200));
        auto map = std::make_unique<RegionMapWidget>();
        map->resize(size);
        map->setSnapshot(s);
        map->show();
        QVERIFY(QTest::qWaitForWindowExposed(map.get()));
        const auto under = [&](const QRectF &box) {
            QStringList codes;
            for (const auto &r : s->regions) {
                if (map->markerStyle(r.code) != Style::None
                    && fw::rectIntersectsDisc(box, map->markerPosition(r.code),
                                              map->markerRadius(r.code)))
                    codes.append(r.code);
            }
            return codes;
        };
        const QRectF legend = map->legendRect();
        QVERIFY(QRectF(map->rect()).contains(legend));
        QCOMPARE(under(legend).size(), hidden);
        // No corner would hide fewer (top left holds the note on unplaced regions).
        const QSizeF box = legend.size();
        const double right = map->width() - 8 - box.width(),
                     bottom = map->height() - 8 - box.height();
        for (const QPointF corner :
             { QPointF(8, bottom), QPointF(right, bottom), QPointF(right, 8) })
            QVERIFY(under(QRectF(corner, box)).size() >= hidden);
        // Bottom left would hide the Pacific region.
        QVERIFY(under(QRectF(QPointF(8, bottom), box)).contains(QStringLiteral("pac")));
    }

    void fiftyRegionsRender()
    {
        auto snap = fleetscope::testing::generatedFleet(50);
        auto map = shownMap(snap);
        QVERIFY(map);
        for (const auto &r : snap->regions)
            QVERIFY(map->markerStyle(r.code) != Style::None);
        QCOMPARE(map->replicationEdges().size(), 49);
        QVERIFY(map->labelRects().size() >= 25);
        const QImage image = map->grab().toImage();
        QVERIFY(!image.isNull());
        QCOMPARE(image.size(), QSize(1280, 800) * image.devicePixelRatio());
        const QString out = qEnvironmentVariable("FLEETSCOPE_MAP_SCREENSHOT_DIR");
        if (!out.isEmpty()) {
            image.save(out + QStringLiteral("/regionmap-50-light.png"));
            map->setPalette(darkPalette());
            map->grab().save(out + QStringLiteral("/regionmap-50-dark.png"));
            map->setPalette(lightPalette());
            map->setSnapshot(fleetscope::testing::smallFleet());
            QTest::mouseMove(map.get(), map->markerPosition(QStringLiteral("sin")).toPoint());
            QTRY_COMPARE(map->hoveredRegion(), QStringLiteral("sin"));
            map->setSelectedRegion(QStringLiteral("fra"));
            map->grab().save(out + QStringLiteral("/regionmap-small-hover.png"));
            map->setSnapshot(snap);
            map->setSelectedRegion(QString());
            QTest::mouseMove(map.get(), map->widgetPosition(-140, 10).toPoint());
            for (int i = 0; i < 4; ++i) {
                const QPointF at = map->markerPosition(QStringLiteral("r00"));
                QWheelEvent wheel(at, map->mapToGlobal(at), QPoint(), QPoint(0, 120), Qt::NoButton,
                                  Qt::NoModifier, Qt::NoScrollPhase, false);
                QApplication::sendEvent(map.get(), &wheel);
            }
            map->grab().save(out + QStringLiteral("/regionmap-50-zoomed.png"));
        }
    }

    void repaintsOnlyOnChange()
    {
        auto snap = fleetscope::testing::smallFleet();
        auto map = shownMap(snap);
        QVERIFY(map);
        QCoreApplication::processEvents();
        const int painted = map->paintCount();
        map->setSnapshot(snap); // the same snapshot
        map->setSelectedRegion(QString()); // already none
        const QPoint sea = map->widgetPosition(-140, 10).toPoint();
        QTest::mouseMove(map.get(), sea);
        QTest::mouseMove(map.get(), sea + QPoint(5, 5));
        QCoreApplication::processEvents();
        QCOMPARE(map->paintCount(), painted);
        map->setSnapshot(fleetscope::testing::smallFleet()); // a new one
        QTRY_VERIFY(map->paintCount() > painted);
    }

    void emptyAndNullSnapshots()
    {
        auto map = shownMap(nullptr);
        QVERIFY(map);
        QVERIFY(!map->grab().isNull());
        QCOMPARE(map->markerPosition(QStringLiteral("iad")), QPointF());
        QVERIFY(map->cardText(QStringLiteral("iad")).isEmpty());
        QTest::keyClick(map.get(), Qt::Key_Tab);
        QTest::mouseClick(map.get(), Qt::LeftButton, {}, QPoint(10, 10));
        map->setSnapshot(std::make_shared<fleetscope::snapshot::FleetSnapshot>());
        QVERIFY(!map->grab().isNull());
    }
};

QTEST_MAIN(TestRegionMap)
#include "tst_regionmap.moc"
