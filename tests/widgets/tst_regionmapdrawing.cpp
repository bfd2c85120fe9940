// The region latency map's pixels: marker sprites drawn once per look, marker styles and sizes,
// idle, down and no-data markers that differ by shape as well as colour, light and dark palettes,
// the cached legend and its corner, fifty regions rendered, and repaints only on change.

#include "common/palettes.h"
#include "map/labelplacement.h"
#include "map/regionmapwidget.h"
#include "map/spritecache.h"
#include "mapfixture.h"
#include "mapwidgetfixture.h"

#include <QApplication>
#include <QImage>
#include <QPainter>
#include <QPicture>
#include <QTest>

using namespace fleetscope::testing;
using fleetscope::widgets::darkPalette;
using fleetscope::widgets::RegionMapWidget;
using Style = fleetscope::widgets::RegionMapWidget::MarkerStyle;
namespace fw = fleetscope::widgets;

namespace {

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

int countPixels(const QImage &image, bool (*predicate)(QRgb))
{
    int n = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
            n += predicate(image.pixel(x, y)) ? 1 : 0;
    return n;
}

} // namespace

class TestRegionMapDrawing : public QObject
{
    Q_OBJECT

private Q_SLOTS:
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
        QTest::addColumn<bool>("pacific"); // a region in the southern Pacific, bottom left
        QTest::addColumn<QStringList>("hidden"); // markers under the legend
        QTest::addRow("1920x1080 dashboard map, Pacific region")
            << QSize(1380, 500) << true << QStringList();
        QTest::addRow("1280x800 dashboard map, Pacific region")
            << QSize(740, 350) << true << QStringList { QStringLiteral("syd") };
        // Both bottom corners cover a marker: Sao Paulo (nodes down) or Sydney (idle).
        QTest::addRow("1280x800 dashboard map")
            << QSize(740, 350) << false << QStringList { QStringLiteral("syd") };
    }

    // The legend used to sit bottom left whatever was under it; with a region in the southern
    // Pacific (and, on a small screen, Sao Paulo) it hid markers there. It takes the corner that
    // hides the least: none when one is free, and rather an idle region than one with nodes
    // down (which weighs 4, one serving traffic 2, an idle or silent one 1).
    void legendTakesTheFreestCorner()
    {
        QFETCH(QSize, size);
        QFETCH(bool, pacific);
        QFETCH(QStringList, hidden);
        auto s = fleetscope::testing::smallFleet();
        if (pacific)
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
        const auto weight = [&](const QRectF &box) {
            int w = 0;
            for (const QString &code : under(box)) {
                const Style style = map->markerStyle(code);
                w += style == Style::Down || s->region(code)->nodesDown > 0 ? 4
                    : style == Style::Latency                               ? 2
                                                                            : 1;
            }
            return w;
        };
        const QRectF legend = map->legendRect();
        QVERIFY(QRectF(map->rect()).contains(legend));
        QCOMPARE(under(legend), hidden);
        // No corner would hide less (top left holds the note on unplaced regions).
        const QSizeF box = legend.size();
        const double right = map->width() - 8 - box.width(),
                     bottom = map->height() - 8 - box.height();
        for (const QPointF corner :
             { QPointF(8, bottom), QPointF(right, bottom), QPointF(right, 8) })
            QVERIFY(weight(QRectF(corner, box)) >= weight(legend));
        // Bottom left would hide the Pacific region, or Sao Paulo.
        QVERIFY(under(QRectF(QPointF(8, bottom), box))
                    .contains(pacific ? QStringLiteral("pac") : QStringLiteral("gru")));
    }

    void legendWordsFitItsBox_data()
    {
        QTest::addColumn<double>("points");
        QTest::addRow("9 pt") << 9.0;
        QTest::addRow("12 pt") << 12.0;
        QTest::addRow("16 pt") << 16.0;
    }

    // The legend is drawn into an image the size of its box, which clips what is wider: its last
    // line lost "down" at the default font. Every line now ends inside the box at any font size,
    // so no glyph reaches the strip just inside its right border. (The panel lets 9% of the map
    // through: only dark ink, which text is on a light palette, counts.)
    void legendWordsFitItsBox()
    {
        QFETCH(double, points);
        auto map = std::make_unique<RegionMapWidget>();
        map->setPalette(lightPalette());
        QFont font = map->font();
        font.setPointSizeF(points);
        map->setFont(font);
        map->resize(1600, 900);
        map->setSnapshot(smallFleet());
        map->show();
        QVERIFY(QTest::qWaitForWindowExposed(map.get()));
        const QImage image = map->grab().toImage().convertToFormat(QImage::Format_RGB32);
        const double dpr = image.devicePixelRatio();
        const QRectF legend = map->legendRect();
        QVERIFY(QRectF(map->rect()).contains(legend));
        const auto inked = [&](double fromRight, double toRight) {
            int n = 0;
            for (double y = legend.top() + 6; y < legend.bottom() - 6; y += 1 / dpr) {
                for (double x = legend.right() - fromRight; x < legend.right() - toRight;
                     x += 1 / dpr) {
                    const QRgb c = image.pixel(int(x * dpr), int(y * dpr));
                    n += qRed(c) + qGreen(c) + qBlue(c) < 3 * 160 ? 1 : 0;
                }
            }
            return n;
        };
        QVERIFY(inked(legend.width() - 12, legend.width() / 2) > 50); // the words are there
        QCOMPARE(inked(3.5, 1.5), 0);
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
};

QTEST_MAIN(TestRegionMapDrawing)
#include "tst_regionmapdrawing.moc"
