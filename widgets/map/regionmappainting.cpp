#include "map/regionmapwidget.h"

#include "map/regionmapprivate.h"

#include "common/figureformat.h"
#include "map/basemap.h"
#include "map/equalearth.h"
#include "map/labelplacement.h"
#include "map/latencyscale.h"

#include <QPaintEngine>
#include <QPaintEvent>
#include <QPainter>
#include <QtMath>

#include <algorithm>
#include <cmath>

// RegionMapWidget's painting: basemap, replication edges, markers (through the sprite cache),
// labels, legend, the unplaced-regions note and the hover card.

namespace fleetscope::widgets {

using mapdetail::plain;
using mapdetail::quantileName;
using mapdetail::tickLabel;
using mapdetail::withAlpha;
using snapshot::FleetSnapshot;
using snapshot::RegionData;

namespace {

// The legend's words, which both its size and its drawing follow.
struct LegendWords
{
    QString title;
    QString shapes[3]; // no data, scaled to zero, down
    QString lagTitle;
    QString lags[3]; // within half the SLO, within it, over it
    QString notes[2]; // what area, ring and badge mean
};

LegendWords legendWords(const snapshot::Settings &settings)
{
    const double maxLag = settings.slo.maxReplicaLagS;
    return { RegionMapWidget::tr("%1 latency, ms").arg(quantileName(settings.quantile)),
             { RegionMapWidget::tr("no data"), RegionMapWidget::tr("scaled to zero"),
               RegionMapWidget::tr("down") },
             RegionMapWidget::tr("Lag:"),
             { QStringLiteral("\u2264 %1").arg(formatSeconds(maxLag / 2)),
               QStringLiteral("\u2264 %1").arg(formatSeconds(maxLag)),
               QStringLiteral("> %1").arg(formatSeconds(maxLag)) },
             { RegionMapWidget::tr("Area: requests/s \u00b7 ring: primary"),
               RegionMapWidget::tr("Red dot: some nodes down") } };
}

// Legend layout: a shape key is a 12 px marker, 4 px, its word, 12 px; an edge key an 18 px line,
// 4 px, its word, 10 px; the box has 12 px of margin each side.
constexpr double kShapeKey = 16, kShapeGap = 12, kEdgeKey = 22, kEdgeGap = 10, kLegendMargin = 12;

// The widest line of the legend, without its margins.
double legendContentWidth(const LegendWords &words, const QFontMetricsF &fm)
{
    double shapes = 0, lags = fm.horizontalAdvance(words.lagTitle) + 6;
    for (const QString &w : words.shapes)
        shapes += kShapeKey + fm.horizontalAdvance(w) + kShapeGap;
    for (const QString &w : words.lags)
        lags += kEdgeKey + fm.horizontalAdvance(w) + kEdgeGap;
    return std::max({ fm.horizontalAdvance(words.title), shapes - kShapeGap, lags - kEdgeGap,
                      fm.horizontalAdvance(words.notes[0]), fm.horizontalAdvance(words.notes[1]) });
}

} // namespace

// --- painting -----------------------------------------------------------------------------------

void RegionMapWidget::paintEvent(QPaintEvent *)
{
    ++m_paintCount;
    ensureLayout();
    const Colors colors(palette());
    QPainter painter(this);
    drawBasemap(painter, colors);
    painter.setRenderHint(QPainter::Antialiasing);
    drawEdges(painter, colors);
    for (const Marker &m : m_markers) {
        if (m.code != m_selected)
            drawMarker(painter, m, colors);
    }
    if (const Marker *selected = findMarker(m_selected))
        drawMarker(painter, *selected, colors);
    drawLabels(painter, colors);
    drawLegend(painter, colors);
    drawNote(painter, colors);
    drawCard(painter, colors);
    if (hasFocus() && m_keyboard.isEmpty()) {
        painter.setRenderHint(QPainter::Antialiasing, false);
        painter.setPen(QPen(colors.highlight, 1, Qt::DotLine));
        painter.setBrush(Qt::NoBrush);
        painter.drawRect(QRectF(rect()).adjusted(0.5, 0.5, -1.5, -1.5));
    }
}

void RegionMapWidget::drawBasemap(QPainter &painter, const Colors &colors)
{
    // Rendered into a report: a vector device (PDF, SVG) gets the paths themselves, an image of
    // another pixel density gets a basemap of its density.
    const QPaintEngine *engine = painter.paintEngine();
    const bool vector = engine && engine->type() != QPaintEngine::Raster
        && engine->type() != QPaintEngine::OpenGL2 && engine->type() != QPaintEngine::OpenGL;
    auto paintWorld = [&](QPainter &p) {
        const Basemap &world = worldBasemap();
        const QTransform t = viewTransform();
        p.setRenderHint(QPainter::Antialiasing);
        p.setPen(Qt::NoPen);
        p.setBrush(colors.sea);
        p.drawPath(t.map(world.sphere));
        p.setBrush(Qt::NoBrush);
        p.setPen(QPen(colors.graticule, 0.6));
        p.drawPath(t.map(world.graticule));
        const QPainterPath land = t.map(world.land);
        p.setPen(Qt::NoPen);
        p.setBrush(colors.land);
        p.drawPath(land);
        p.setBrush(Qt::NoBrush);
        p.setPen(QPen(colors.border, 0.7));
        p.drawPath(t.map(world.borders));
        p.setPen(QPen(colors.coast, 0.8));
        p.drawPath(land);
        p.setPen(QPen(colors.graticule.darker(colors.dark ? 70 : 115), 0.8));
        p.drawPath(t.map(world.sphere));
    };
    if (vector) {
        painter.save();
        painter.fillRect(rect(), colors.background);
        paintWorld(painter);
        painter.restore();
        return;
    }
    qreal dpr = devicePixelRatioF();
    if (engine && engine->paintDevice())
        dpr = std::max(dpr, engine->paintDevice()->devicePixelRatioF());
    const QString key = QStringLiteral("%1x%2@%3 z%4 c%5,%6 p%7")
                            .arg(width())
                            .arg(height())
                            .arg(dpr)
                            .arg(m_zoom)
                            .arg(m_centre.x())
                            .arg(m_centre.y())
                            .arg(palette().cacheKey());
    if (key != m_basemapKey || m_basemapCache.isNull()) {
        // Rebuilt only when the view changes: projected once at start-up, mapped to pixels here.
        m_basemapCache = QPixmap((QSizeF(size()) * dpr).toSize());
        m_basemapCache.setDevicePixelRatio(dpr);
        m_basemapCache.fill(colors.background);
        QPainter p(&m_basemapCache);
        paintWorld(p);
        m_basemapKey = key;
    }
    painter.drawPixmap(0, 0, m_basemapCache);
}

void RegionMapWidget::drawEdges(QPainter &painter, const Colors &colors) const
{
    const QTransform t = viewTransform();
    painter.setBrush(Qt::NoBrush);
    for (const Edge &e : m_edges) {
        QPen pen(colors.edge[e.lagClass]);
        pen.setCapStyle(Qt::RoundCap);
        switch (e.lagClass) {
        case 0: // no lag figure: faint and dotted
            pen.setWidthF(1.2);
            pen.setStyle(Qt::DotLine);
            break;
        case 1:
            pen.setWidthF(1.4);
            break;
        case 2: // near the SLO: dashed
            pen.setWidthF(2);
            pen.setDashPattern({ 4, 2 });
            break;
        default: // over the SLO: bold
            pen.setWidthF(m_edges.size() > 12 ? 2.2 : 3);
            break;
        }
        const bool touchesSelection =
            !m_selected.isEmpty() && (e.from == m_selected || e.to == m_selected);
        if (!m_selected.isEmpty() && !touchesSelection) {
            QColor faded = pen.color();
            faded.setAlphaF(faded.alphaF() * 0.45f);
            pen.setColor(faded);
        }
        painter.setPen(pen);
        painter.drawPath(t.map(e.path));
    }
}

void RegionMapWidget::drawMarker(QPainter &painter, const Marker &m, const Colors &colors) const
{
    const double r = m.radius;
    if (!QRectF(rect()).adjusted(-2 * r, -2 * r, 2 * r, 2 * r).contains(m.screen))
        return;
    // Drawn once into a sprite and copied afterwards (SpriteCache). The key holds what changes
    // the pixels: the radius to a quarter pixel and the fill to 6 bits a channel (steps of 4 in
    // 255, a difference no eye sees on a marker), so a live fleet's slowly moving figures keep
    // finding their sprites; the marker is drawn with those same rounded values.
    const bool isRegion = !m.code.isEmpty(); // the legend draws code-less sample markers
    const bool selected = isRegion && m.code == m_selected;
    const bool keyboard = isRegion && m.code == m_keyboard;
    Marker look = m;
    const int quarterPixels = int(std::lround(std::clamp(r, 0.0, 1000.0) * 4));
    look.radius = quarterPixels / 4.0;
    const auto rounded = [](int channel) {
        return (channel & 0xFC) | 0x02;
    };
    if (m.fill.isValid())
        look.fill = QColor(rounded(m.fill.red()), rounded(m.fill.green()), rounded(m.fill.blue()),
                           m.fill.alpha());
    SpriteCache::Key key;
    key.a = std::uint64_t(look.fill.isValid() ? look.fill.rgba() : 0)
        | std::uint64_t(quarterPixels & 0xFFFF) << 32 | std::uint64_t(int(m.style) & 0xF) << 48
        | std::uint64_t(m.partlyDown) << 52 | std::uint64_t(m.primary) << 53
        | std::uint64_t(selected) << 54 | std::uint64_t(keyboard) << 55
        | std::uint64_t(isRegion) << 56;
    m_sprites.paint(painter, key, m.screen, look.radius + 10,
                    [&](QPainter &p) { drawMarkerShape(p, look, colors, selected, keyboard); });
}

void RegionMapWidget::drawMarkerShape(QPainter &painter, const Marker &m, const Colors &colors,
                                      bool selected, bool keyboard) const
{
    const QPointF c(0, 0);
    const double r = m.radius;
    if (selected) {
        painter.setPen(QPen(colors.highlight, 3));
        painter.setBrush(withAlpha(colors.highlight, 60));
        painter.drawEllipse(c, r + 5, r + 5);
    }
    if (m.primary) {
        painter.setPen(QPen(colors.text, 1.2));
        painter.setBrush(Qt::NoBrush);
        painter.drawEllipse(c, r + 2.5, r + 2.5);
    }
    switch (m.style) {
    case MarkerStyle::Latency:
        painter.setPen(QPen(colors.outline, 1));
        painter.setBrush(m.fill);
        painter.drawEllipse(c, r, r);
        if (m.partlyDown) {
            // A small red badge: some nodes down while the region still serves. Its outline is
            // one pixel, which the raster engine draws directly (a wider pen is stroked as a
            // path, several times the cost, for every badge at every repaint).
            const QPointF b = c + QPointF(r * 0.75, -r * 0.75);
            painter.setPen(QPen(colors.background, 1));
            painter.setBrush(colors.down);
            painter.drawEllipse(b, 3.5, 3.5);
        }
        break;
    case MarkerStyle::NoData: {
        // Hollow ring with a question mark: nothing measured.
        painter.setPen(QPen(colors.background, 4));
        painter.setBrush(Qt::NoBrush);
        painter.drawEllipse(c, r, r);
        painter.setPen(QPen(colors.text, 2));
        painter.drawEllipse(c, r, r);
        QFont f = painter.font();
        f.setPixelSize(int(r * 1.3));
        f.setBold(true);
        painter.setFont(f);
        painter.drawText(QRectF(c.x() - r, c.y() - r, 2 * r, 2 * r), Qt::AlignCenter,
                         QStringLiteral("?"));
        painter.setFont(font());
        break;
    }
    case MarkerStyle::ScaledToZero: {
        // Dashed grey ring with a crescent moon: asleep, not broken.
        painter.setPen(Qt::NoPen);
        painter.setBrush(withAlpha(colors.background, 200));
        painter.drawEllipse(c, r, r);
        QPen ring(colors.idle, 1.6);
        ring.setDashPattern({ 2, 1.5 });
        painter.setPen(ring);
        painter.setBrush(Qt::NoBrush);
        painter.drawEllipse(c, r, r);
        QPainterPath moon;
        moon.addEllipse(c, r * 0.6, r * 0.6);
        QPainterPath bite;
        bite.addEllipse(c + QPointF(r * 0.32, -r * 0.22), r * 0.5, r * 0.5);
        painter.setPen(Qt::NoPen);
        painter.setBrush(colors.idle);
        painter.drawPath(moon.subtracted(bite));
        break;
    }
    case MarkerStyle::Down: {
        // Red ring with a cross: not serving.
        painter.setPen(QPen(colors.down, 2.2));
        painter.setBrush(withAlpha(colors.down, 45));
        painter.drawEllipse(c, r, r);
        const double k = r * 0.5;
        QPen cross(colors.down, 2.2);
        cross.setCapStyle(Qt::RoundCap);
        painter.setPen(cross);
        painter.drawLine(c + QPointF(-k, -k), c + QPointF(k, k));
        painter.drawLine(c + QPointF(-k, k), c + QPointF(k, -k));
        break;
    }
    case MarkerStyle::None:
        break;
    }
    if (keyboard) {
        painter.setPen(QPen(colors.text, 1.2, Qt::DotLine));
        painter.setBrush(Qt::NoBrush);
        painter.drawEllipse(c, r + 8, r + 8);
    }
}

void RegionMapWidget::drawLabels(QPainter &painter, const Colors &colors) const
{
    QFont labelFont = font();
    labelFont.setPointSizeF(labelFont.pointSizeF() * 0.85);
    painter.setFont(labelFont);
    for (auto it = m_labels.constBegin(); it != m_labels.constEnd(); ++it) {
        const bool selected = it.key() == m_selected;
        painter.setPen(Qt::NoPen);
        painter.setBrush(selected ? colors.highlight : withAlpha(colors.panel, 200));
        painter.drawRoundedRect(*it, 3, 3);
        painter.setPen(selected ? palette().color(QPalette::HighlightedText) : colors.text);
        painter.drawText(*it, Qt::AlignCenter, plain(it.key(), 24));
    }
    painter.setFont(font());
}

QRectF RegionMapWidget::legendRect() const
{
    const QFontMetricsF fm(font());
    const double line = fm.height();
    // As wide as its widest line (the image it is cached in clips anything wider).
    const double w = std::max(300.0,
                              m_snapshot ? legendContentWidth(legendWords(m_snapshot->settings), fm)
                                      + 2 * kLegendMargin
                                         : 0.0);
    const double h = 10 + line + 12 + line + 6 + line * 1.4 * 2 + 2 * line + 10;
    const double left = 8, right = width() - 8 - w, top = 8, bottom = height() - 8 - h;
    // The corner that hides the least (bottom left first: the southern Pacific is
    // empty on most fleets' maps); a small screen's map otherwise loses South America under it.
    // Top left only when the unplaced-regions note does not take it.
    std::vector<QRectF> corners { { left, bottom, w, h },
                                  { right, bottom, w, h },
                                  { right, top, w, h } };
    if (m_unplaced.isEmpty())
        corners.push_back({ left, top, w, h });
    // Hiding a region with nodes down costs most, one serving traffic more than an idle or
    // silent one: on a small map every corner may cover a marker.
    const auto hidden = [this](const QRectF &box) {
        int n = 0;
        for (const Marker &m : m_markers) {
            const QRectF disc(m.screen.x() - m.radius, m.screen.y() - m.radius, 2 * m.radius,
                              2 * m.radius);
            if (box.intersects(disc))
                n += m.style == MarkerStyle::Down || m.partlyDown ? 4
                    : m.style == MarkerStyle::Latency             ? 2
                                                                  : 1;
        }
        return n;
    };
    QRectF best = corners.front();
    int fewest = hidden(best);
    for (std::size_t i = 1; i < corners.size() && fewest > 0; ++i) {
        const int n = hidden(corners[i]);
        if (n < fewest) {
            fewest = n;
            best = corners[i];
        }
    }
    return best;
}

QRectF RegionMapWidget::noteRect() const
{
    const QFontMetricsF fm(font());
    const double w = std::min(fm.horizontalAdvance(unplacedNote()) + 16, width() - 16.0);
    return { 8, 8, std::max(0.0, w), fm.height() + 8 };
}

void RegionMapWidget::drawLegend(QPainter &painter, const Colors &colors) const
{
    if (!m_snapshot || width() < 360 || height() < 240)
        return;
    const QRectF box = legendRect();
    // The legend changes only with the quantile, the SLOs, its size, the palette and the font:
    // drawn into an image when one of them does, copied at every other repaint (its text was
    // shaped again at each). Vector painters (PDF, print) get it drawn.
    const double dpr = SpriteCache::bitmapRatio(painter);
    if (dpr == 0) {
        drawLegendContents(painter, box, colors);
        return;
    }
    const auto &settings = m_snapshot->settings;
    const QString key = QStringLiteral("%1|%2|%3|%4x%5|%6|%7|%8")
                            .arg(settings.quantile)
                            .arg(settings.slo.p95LatencyMs)
                            .arg(settings.slo.maxReplicaLagS)
                            .arg(box.width())
                            .arg(box.height())
                            .arg(palette().cacheKey())
                            .arg(font().key())
                            .arg(dpr);
    const QPointF origin = box.topLeft() - QPointF(1, 1); // a pixel around for the outline
    if (key != m_legendKey || m_legendImage.isNull()) {
        QImage image(qCeil((box.width() + 2) * dpr), qCeil((box.height() + 2) * dpr),
                     QImage::Format_ARGB32_Premultiplied);
        image.fill(Qt::transparent);
        {
            QPainter p(&image);
            p.setRenderHints(painter.renderHints());
            p.scale(dpr, dpr);
            p.translate(-origin);
            p.setFont(font());
            drawLegendContents(p, box, colors);
        }
        image.setDevicePixelRatio(dpr);
        m_legendImage = image;
        m_legendKey = key;
    }
    SpriteCache::drawSnapped(painter, origin, m_legendImage);
}

void RegionMapWidget::drawLegendContents(QPainter &painter, const QRectF &box,
                                         const Colors &colors) const
{
    const QFontMetricsF fm(font());
    const double line = fm.height();
    painter.setPen(QPen(colors.panelBorder, 1));
    painter.setBrush(colors.panel);
    painter.drawRoundedRect(box, 5, 5);

    const LegendWords words = legendWords(m_snapshot->settings);
    const LatencyScale scale(m_snapshot->settings.slo.p95LatencyMs);
    const double left = box.left() + kLegendMargin;
    double y = box.top() + 8;
    painter.setPen(colors.text);
    painter.drawText(QPointF(left, y + fm.ascent()), words.title);

    // The colour bar, the SLO mark across it, ticks under it.
    y += line + 4;
    const double barWidth = box.width() - 2 * kLegendMargin;
    const QRectF bar(left, y, barWidth, 10);
    QLinearGradient gradient(bar.topLeft(), bar.topRight());
    for (int i = 0; i <= 20; ++i)
        gradient.setColorAt(i / 20.0, LatencyScale::colorAt(i / 20.0));
    painter.setPen(QPen(colors.outline, 0.8));
    painter.setBrush(gradient);
    painter.drawRect(bar);
    const double sloX = left + LatencyScale::sloPosition() * barWidth;
    painter.setPen(QPen(colors.text, 2));
    painter.drawLine(QPointF(sloX, bar.top() - 3), QPointF(sloX, bar.bottom() + 3));
    const QString sloText = tr("SLO p95");
    painter.drawText(
        QPointF(std::min(sloX + 4, box.right() - 6 - fm.horizontalAdvance(sloText)), bar.top() - 4),
        sloText);
    painter.setPen(QPen(colors.text, 1));
    double lastRight = -1e9;
    const QList<double> ticks = scale.ticks();
    for (double tick : ticks) {
        const double x = left + scale.position(tick) * barWidth;
        const QString label = tickLabel(tick);
        const double w = fm.horizontalAdvance(label);
        const double textLeft = std::clamp(x - w / 2, left - 4, box.right() - 8 - w);
        painter.drawLine(QPointF(x, bar.bottom()), QPointF(x, bar.bottom() + 3));
        if (textLeft > lastRight + 4 || tick == scale.sloMs()) {
            painter.drawText(QPointF(textLeft, bar.bottom() + 3 + fm.ascent()), label);
            lastRight = textLeft + w;
        }
    }
    y = bar.bottom() + 3 + line + 6;

    // Shapes that do not rely on colour.
    auto keyMarker = [&](double x, MarkerStyle style, const QString &text) {
        Marker m;
        m.style = style;
        m.radius = 6;
        m.screen = { x + 6, y + line / 2 };
        m.fill = LatencyScale::colorAt(0.3);
        drawMarker(painter, m, colors);
        painter.setPen(colors.text);
        painter.setFont(font());
        painter.drawText(QPointF(x + kShapeKey, y + fm.ascent()), text);
        return x + kShapeKey + fm.horizontalAdvance(text) + kShapeGap;
    };
    double x = left;
    x = keyMarker(x, MarkerStyle::NoData, words.shapes[0]);
    x = keyMarker(x, MarkerStyle::ScaledToZero, words.shapes[1]);
    x = keyMarker(x, MarkerStyle::Down, words.shapes[2]);
    y += line * 1.4;

    // Replication edges.
    auto keyEdge = [&](double ex, int lagClass, const QString &text) {
        QPen pen(colors.edge[lagClass], lagClass == 3 ? 3 : lagClass == 2 ? 2 : 1.4);
        if (lagClass == 2)
            pen.setDashPattern({ 4, 2 });
        if (lagClass == 0)
            pen.setStyle(Qt::DotLine);
        painter.setPen(pen);
        painter.drawLine(QPointF(ex, y + line / 2), QPointF(ex + 18, y + line / 2));
        painter.setPen(colors.text);
        painter.drawText(QPointF(ex + kEdgeKey, y + fm.ascent()), text);
        return ex + kEdgeKey + fm.horizontalAdvance(text) + kEdgeGap;
    };
    painter.drawText(QPointF(left, y + fm.ascent()), words.lagTitle);
    x = left + fm.horizontalAdvance(words.lagTitle) + 6;
    x = keyEdge(x, 1, words.lags[0]);
    x = keyEdge(x, 2, words.lags[1]);
    keyEdge(x, 3, words.lags[2]);
    y += line * 1.4;

    painter.setPen(colors.muted);
    painter.drawText(QPointF(left, y + fm.ascent()), words.notes[0]);
    painter.drawText(QPointF(left, y + line + fm.ascent()), words.notes[1]);
}

void RegionMapWidget::drawNote(QPainter &painter, const Colors &colors) const
{
    if (m_unplaced.isEmpty())
        return;
    const QRectF box = noteRect();
    painter.setPen(QPen(colors.panelBorder, 1));
    painter.setBrush(colors.panel);
    painter.drawRoundedRect(box, 4, 4);
    painter.setPen(colors.text);
    const QFontMetricsF fm(font());
    painter.drawText(box.adjusted(8, 0, -8, 0), Qt::AlignVCenter | Qt::AlignLeft,
                     fm.elidedText(unplacedNote(), Qt::ElideRight, box.width() - 16));
}

void RegionMapWidget::drawCard(QPainter &painter, const Colors &colors) const
{
    const QString code = !m_hovered.isEmpty() ? m_hovered : m_keyboard;
    const Marker *m = findMarker(code);
    if (!m)
        return;
    const QStringList lines = cardText(code).split(u'\n');
    QFont bold = font();
    bold.setBold(true);
    const QFontMetricsF fm(font());
    const QFontMetricsF fmBold(bold);
    const double line = fm.height();
    double labelWidth = 0, valueWidth = fmBold.horizontalAdvance(lines.first());
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines[i].indexOf(QLatin1String(": "));
        labelWidth = std::max(labelWidth, fm.horizontalAdvance(lines[i].left(colon + 1)));
    }
    double textWidth = valueWidth;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines[i].indexOf(QLatin1String(": "));
        textWidth =
            std::max(textWidth, labelWidth + 8 + fm.horizontalAdvance(lines[i].mid(colon + 2)));
    }
    const QSizeF size(textWidth + 20, lines.size() * line + 14);
    QPointF topLeft = m->screen + QPointF(m->radius + 12, -size.height() / 3);
    if (topLeft.x() + size.width() > width() - 4)
        topLeft.setX(m->screen.x() - m->radius - 12 - size.width());
    topLeft.setX(std::clamp(topLeft.x(), 4.0, std::max(4.0, width() - 4 - size.width())));
    topLeft.setY(std::clamp(topLeft.y(), 4.0, std::max(4.0, height() - 4 - size.height())));
    const QRectF box(topLeft, size);

    painter.setPen(QPen(colors.panelBorder, 1));
    painter.setBrush(colors.cardBase);
    painter.drawRoundedRect(box, 5, 5);
    painter.setPen(colors.cardText);
    double y = box.top() + 7;
    painter.setFont(bold);
    painter.drawText(QPointF(box.left() + 10, y + fmBold.ascent()), lines.first());
    painter.setFont(font());
    for (qsizetype i = 1; i < lines.size(); ++i) {
        y += line;
        const qsizetype colon = lines[i].indexOf(QLatin1String(": "));
        painter.drawText(QPointF(box.left() + 10, y + fm.ascent()), lines[i].left(colon + 1));
        painter.drawText(QPointF(box.left() + 18 + labelWidth, y + fm.ascent()),
                         lines[i].mid(colon + 2));
    }
}

} // namespace fleetscope::widgets
