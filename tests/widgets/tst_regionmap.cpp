// The region latency map: selection by click and keyboard, zoom and pan, plain-text hover cards,
// non-colliding labels, keyboard and accessibility, and the pure parts (projection, basemap,
// colour scale, label placement). What it draws (markers, palettes, legend) is in
// tst_regionmapdrawing.

#include "map/basemap.h"
#include "map/equalearth.h"
#include "map/labelplacement.h"
#include "map/latencyscale.h"
#include "map/regionmapwidget.h"
#include "mapfixture.h"
#include "mapwidgetfixture.h"

#include <QAccessible>
#include <QApplication>
#include <QImage>
#include <QSignalSpy>
#include <QTest>

#include <cmath>

using namespace fleetscope::testing;
using fleetscope::widgets::RegionMapWidget;
using Style = fleetscope::widgets::RegionMapWidget::MarkerStyle;
namespace fw = fleetscope::widgets;

class TestRegionMap : public QObject
{
    Q_OBJECT

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
