#include "map/regionmapwidget.h"

#include "common/figureformat.h"
#include "map/basemap.h"
#include "map/equalearth.h"
#include "map/labelplacement.h"
#include "map/latencyscale.h"

#include <QApplication>
#include <QFocusEvent>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPaintEngine>
#include <QPaintEvent>
#include <QPainter>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>
#include <numbers>

namespace fleetscope::widgets {

using snapshot::FleetSnapshot;
using snapshot::RegionData;

namespace {

constexpr double kMinRadius = 5; // logical pixels; area grows with the request rate
constexpr double kMaxRadius = 16;
constexpr double kStateRadius = 8; // no data, scaled to zero, down: the shape is the message
constexpr double kMaxZoom = 40;
constexpr double kMargin = 10;

QColor mix(const QColor &a, const QColor &b, double t)
{
    return QColor::fromRgbF(float(a.redF() + (b.redF() - a.redF()) * t),
                            float(a.greenF() + (b.greenF() - a.greenF()) * t),
                            float(a.blueF() + (b.blueF() - a.blueF()) * t));
}

QColor withAlpha(QColor c, int alpha)
{
    c.setAlpha(alpha);
    return c;
}

// Label values come from the nodes: shown literally (drawText never interprets markup), with
// control characters, which would break the card's lines, made visible as spaces.
QString plain(const QString &text, int maxLength = 60)
{
    QString out = text;
    for (QChar &c : out) {
        if (c.category() == QChar::Other_Control || c == QChar::LineSeparator
            || c == QChar::ParagraphSeparator)
            c = u' ';
    }
    if (out.size() > maxLength)
        out = out.left(maxLength - 1) + QChar(0x2026);
    return out;
}

QString quantileName(double q)
{
    if (!std::isfinite(q))
        return QStringLiteral("p?");
    return u'p' + QString::number(q * 100, 'g', 4);
}

void lonLatToVector(double lon, double lat, double *out)
{
    constexpr double deg = std::numbers::pi / 180;
    out[0] = std::cos(lat * deg) * std::cos(lon * deg);
    out[1] = std::cos(lat * deg) * std::sin(lon * deg);
    out[2] = std::sin(lat * deg);
}

// Legend ticks: "2.5", "10", "250", "1 s".
QString tickLabel(double ms)
{
    if (ms >= 1000)
        return QString::number(ms / 1000, 'g', 3) + QStringLiteral(" s");
    return QString::number(ms, 'g', 4);
}

} // namespace

struct RegionMapWidget::Colors
{
    bool dark = false;
    QColor background, sea, land, coast, border, graticule;
    QColor text, muted, panel, panelBorder, outline, highlight, idle, down;
    QColor edge[4];
    QColor cardBase, cardText;

    explicit Colors(const QPalette &p)
    {
        const QColor window = p.color(QPalette::Window);
        const QColor windowText = p.color(QPalette::WindowText);
        const QColor base = p.color(QPalette::Base);
        dark = window.lightnessF() < 0.5;
        background = window;
        sea = mix(base, p.color(QPalette::Highlight), dark ? 0.13 : 0.07);
        land = mix(window, windowText, dark ? 0.17 : 0.13);
        coast = mix(land, windowText, dark ? 0.22 : 0.28);
        border = mix(land, base, dark ? 0.35 : 0.6);
        graticule = mix(sea, windowText, 0.07);
        text = windowText;
        muted = mix(windowText, window, 0.4);
        panel = withAlpha(base, 232);
        panelBorder = mix(base, windowText, 0.25);
        outline = dark ? QColor(255, 255, 255, 200) : QColor(0, 0, 0, 170);
        highlight = p.color(QPalette::Highlight);
        idle = mix(windowText, window, 0.35);
        down = dark ? QColor(0xff, 0x5a, 0x4f) : QColor(0xc8, 0x1e, 0x1e);
        edge[0] = withAlpha(muted, 200);
        edge[1] = dark ? QColor(0x7f, 0xb0, 0xd8) : QColor(0x3b, 0x6f, 0xa0);
        edge[2] = dark ? QColor(0xf5, 0xa6, 0x23) : QColor(0xd9, 0x82, 0x00);
        edge[3] = down;
        cardBase = p.color(QPalette::ToolTipBase);
        cardText = p.color(QPalette::ToolTipText);
    }
};

RegionMapWidget::RegionMapWidget(QWidget *parent)
    : QWidget(parent)
{
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(true);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setAccessibleName(tr("Region latency map"));
    updateAccessibleDescription();
}

RegionMapWidget::~RegionMapWidget() = default;

QSize RegionMapWidget::sizeHint() const
{
    return { 900, 480 };
}

QSize RegionMapWidget::minimumSizeHint() const
{
    return { 320, 180 };
}

RegionMapWidget::MarkerStyle RegionMapWidget::styleFor(const RegionData &region)
{
    if (!region.placed || !std::isfinite(region.lat) || !std::isfinite(region.lon))
        return MarkerStyle::None;
    if (region.nodesDown > 0 && region.nodesUp == 0)
        return MarkerStyle::Down;
    if (region.figures.scaledToZero || (region.nodesIdle > 0 && region.nodesUp == 0))
        return MarkerStyle::ScaledToZero;
    if (!std::isfinite(region.figures.latencyQuantileMs))
        return MarkerStyle::NoData;
    return MarkerStyle::Latency;
}

void RegionMapWidget::setSnapshot(std::shared_ptr<const FleetSnapshot> snapshot)
{
    if (snapshot == m_snapshot)
        return;
    m_snapshot = std::move(snapshot);
    rebuildMarkers();
    if (!m_selected.isEmpty() && !m_markerIndex.contains(m_selected)
        && !(m_snapshot && m_snapshot->region(m_selected)))
        m_selected.clear();
    if (!m_hovered.isEmpty() && !m_markerIndex.contains(m_hovered))
        m_hovered.clear();
    if (!m_keyboard.isEmpty() && !m_markerIndex.contains(m_keyboard))
        m_keyboard.clear();
    updateAccessibleDescription();
    invalidateLayout();
}

void RegionMapWidget::rebuildMarkers()
{
    m_markers.clear();
    m_markerIndex.clear();
    m_edges.clear();
    m_unplaced.clear();
    if (!m_snapshot)
        return;
    const FleetSnapshot &snap = *m_snapshot;
    const LatencyScale scale(snap.settings.slo.p95LatencyMs);

    double maxRate = 0;
    for (const RegionData &r : snap.regions) {
        if (r.placed && std::isfinite(r.figures.requestRate))
            maxRate = std::max(maxRate, r.figures.requestRate);
    }

    m_markers.reserve(snap.regions.size());
    for (size_t i = 0; i < snap.regions.size(); ++i) {
        const RegionData &r = snap.regions[i];
        Marker m;
        m.code = r.code;
        m.region = i;
        m.style = styleFor(r);
        if (m.style == MarkerStyle::None) {
            m_unplaced.append(r.code);
            continue;
        }
        const QPointF lonLat(r.lon, r.lat);
        auto cached = m_projected.constFind(r.code);
        if (cached == m_projected.constEnd() || m_projectedLonLat.value(r.code) != lonLat) {
            cached = m_projected.insert(r.code, equalEarth(r.lon, r.lat));
            m_projectedLonLat.insert(r.code, lonLat);
        }
        m.map = *cached;
        const double rate = r.figures.requestRate;
        if (m.style == MarkerStyle::Latency) {
            m.fill = scale.color(r.figures.latencyQuantileMs);
            const double share = maxRate > 0 && std::isfinite(rate) ? rate / maxRate : 0;
            m.radius = std::clamp(kMaxRadius * std::sqrt(share), kMinRadius, kMaxRadius);
            m.partlyDown = r.nodesDown > 0;
        } else {
            m.radius = kStateRadius;
        }
        m.primary = !snap.primaryRegion.isEmpty() && r.code == snap.primaryRegion;
        m_markers.push_back(m);
    }

    // Replication edges: each region to the primary its replicas follow.
    const double maxLag = snap.settings.slo.maxReplicaLagS;
    QHash<QString, QPainterPath> usedEdges;
    for (const Marker &m : m_markers) {
        const RegionData &r = snap.regions[m.region];
        QString primary = r.primary;
        if (primary.isEmpty() && std::isfinite(r.figures.replicaLagS))
            primary = snap.primaryRegion;
        if (primary.isEmpty() || primary == r.code)
            continue;
        const RegionData *p = snap.region(primary);
        if (!p || styleFor(*p) == MarkerStyle::None)
            continue;
        Edge e;
        e.from = r.code;
        e.to = primary;
        const double lag = r.figures.replicaLagS;
        if (!std::isfinite(lag))
            e.lagClass = 0;
        else if (lag <= maxLag / 2)
            e.lagClass = 1;
        else if (lag <= maxLag)
            e.lagClass = 2;
        else
            e.lagClass = 3;
        const QString key = QStringLiteral("%1\n%2\n%3,%4,%5,%6")
                                .arg(r.code, primary)
                                .arg(r.lon)
                                .arg(r.lat)
                                .arg(p->lon)
                                .arg(p->lat);
        auto cached = m_edgeCache.constFind(key);
        e.path = cached != m_edgeCache.constEnd() ? *cached
                                                  : edgePath({ r.lon, r.lat }, { p->lon, p->lat });
        usedEdges.insert(key, e.path);
        m_edges.push_back(std::move(e));
    }
    m_edgeCache = std::move(usedEdges);
    for (Marker &m : m_markers) {
        if (std::any_of(m_edges.begin(), m_edges.end(),
                        [&](const Edge &e) { return e.to == m.code; }))
            m.primary = true;
    }

    // Big markers first so the small ones drawn over them stay visible.
    std::stable_sort(m_markers.begin(), m_markers.end(), [](const Marker &a, const Marker &b) {
        if (a.radius != b.radius)
            return a.radius > b.radius;
        return a.code < b.code;
    });
    for (size_t i = 0; i < m_markers.size(); ++i)
        m_markerIndex.insert(m_markers[i].code, i);
}

QPainterPath RegionMapWidget::edgePath(const QPointF &fromLonLat, const QPointF &toLonLat)
{
    // A great circle, sampled and projected; split where it crosses the antimeridian.
    double a[3], b[3];
    lonLatToVector(fromLonLat.x(), fromLonLat.y(), a);
    lonLatToVector(toLonLat.x(), toLonLat.y(), b);
    const double dot = std::clamp(a[0] * b[0] + a[1] * b[1] + a[2] * b[2], -1.0, 1.0);
    const double omega = std::acos(dot);
    QPainterPath path;
    if (omega < 1e-9)
        return path;
    const int steps = std::max(8, int(std::ceil(omega * 180 / std::numbers::pi / 3)));
    double previousLon = fromLonLat.x();
    for (int s = 0; s <= steps; ++s) {
        const double t = double(s) / steps;
        const double wa = std::sin((1 - t) * omega) / std::sin(omega);
        const double wb = std::sin(t * omega) / std::sin(omega);
        const double x = wa * a[0] + wb * b[0];
        const double y = wa * a[1] + wb * b[1];
        const double z = wa * a[2] + wb * b[2];
        const double lon = std::atan2(y, x) * 180 / std::numbers::pi;
        const double lat = std::asin(std::clamp(z, -1.0, 1.0)) * 180 / std::numbers::pi;
        const QPointF p = equalEarth(lon, lat);
        if (s == 0 || std::fabs(lon - previousLon) > 180)
            path.moveTo(p);
        else
            path.lineTo(p);
        previousLon = lon;
    }
    return path;
}

void RegionMapWidget::setSelectedRegion(const QString &code)
{
    if (code == m_selected)
        return;
    m_selected = code;
    updateAccessibleDescription();
    invalidateLayout(); // the selected label is placed first
}

QPointF RegionMapWidget::markerPosition(const QString &code) const
{
    const Marker *m = findMarker(code);
    if (!m)
        return {};
    ensureLayout();
    return m->screen;
}

QPointF RegionMapWidget::widgetPosition(double lonDeg, double latDeg) const
{
    return viewTransform().map(equalEarth(lonDeg, latDeg));
}

QList<QPair<QString, QString>> RegionMapWidget::replicationEdges() const
{
    QList<QPair<QString, QString>> edges;
    for (const Edge &e : m_edges)
        edges.append({ e.from, e.to });
    return edges;
}

double RegionMapWidget::markerRadius(const QString &code) const
{
    const Marker *m = findMarker(code);
    return m ? m->radius : 0;
}

RegionMapWidget::MarkerStyle RegionMapWidget::markerStyle(const QString &code) const
{
    const Marker *m = findMarker(code);
    return m ? m->style : MarkerStyle::None;
}

const RegionMapWidget::Marker *RegionMapWidget::findMarker(const QString &code) const
{
    const auto it = m_markerIndex.constFind(code);
    return it == m_markerIndex.constEnd() ? nullptr : &m_markers[*it];
}

QHash<QString, QRectF> RegionMapWidget::labelRects() const
{
    ensureLayout();
    return m_labels;
}

QStringList RegionMapWidget::unplacedRegions() const
{
    return m_unplaced;
}

QString RegionMapWidget::unplacedNote() const
{
    if (m_unplaced.isEmpty())
        return {};
    QStringList codes;
    for (const QString &code : m_unplaced)
        codes.append(plain(code, 24));
    const QString list = codes.join(QStringLiteral(", "));
    return m_unplaced.size() == 1
        ? tr("1 region not on the map: %1").arg(list)
        : tr("%1 regions not on the map: %2").arg(m_unplaced.size()).arg(list);
}

QString RegionMapWidget::cardText(const QString &code) const
{
    if (!m_snapshot)
        return {};
    const RegionData *r = m_snapshot->region(code);
    if (!r)
        return {};
    const auto &f = r->figures;
    const MarkerStyle style = styleFor(*r);
    QStringList lines;
    const QString title = r->name.isEmpty() || r->name == r->code
        ? plain(r->code)
        : QStringLiteral("%1 (%2)").arg(plain(r->name), plain(r->code, 40));
    lines.append(title);
    QStringList where;
    if (!r->city.isEmpty())
        where.append(plain(r->city, 40));
    if (!r->country.isEmpty())
        where.append(plain(r->country, 20));
    if (!r->provider.isEmpty())
        where.append(plain(r->provider, 20));
    if (!where.isEmpty())
        lines.append(tr("Where: %1").arg(where.join(QStringLiteral(", "))));

    QString status;
    switch (style) {
    case MarkerStyle::Down:
        status = tr("down");
        break;
    case MarkerStyle::ScaledToZero:
        status = tr("scaled to zero");
        break;
    case MarkerStyle::NoData:
        status = tr("no latency data");
        break;
    case MarkerStyle::None:
        status = tr("not on the map (no coordinates)");
        break;
    case MarkerStyle::Latency:
        status = r->nodesDown > 0
            ? tr("serving, %1 of %2 nodes down")
                  .arg(r->nodesDown)
                  .arg(r->nodesUp + r->nodesIdle + r->nodesDown + r->nodesStale)
            : tr("serving");
        break;
    }
    lines.append(tr("Status: %1").arg(status));
    const double q = m_snapshot->settings.quantile;
    lines.append(tr("Latency p50: %1").arg(formatMs(f.latencyP50Ms)));
    lines.append(tr("Latency p90: %1").arg(formatMs(f.latencyP90Ms)));
    lines.append(tr("Latency p95: %1").arg(formatMs(f.latencyP95Ms)));
    lines.append(tr("Latency p99: %1").arg(formatMs(f.latencyP99Ms)));
    if (q != 0.5 && q != 0.9 && q != 0.95 && q != 0.99)
        lines.append(tr("Latency %1: %2").arg(quantileName(q), formatMs(f.latencyQuantileMs)));
    QString floor = formatMs(f.lightFloorRttMs);
    if (std::isfinite(f.lightFloorRttMs) && !m_snapshot->settings.vantage.isEmpty())
        floor = tr("%1 from %2").arg(floor, plain(m_snapshot->settings.vantage, 40));
    lines.append(tr("Speed-of-light floor (RTT): %1").arg(floor));
    lines.append(tr("Requests: %1").arg(formatRate(f.requestRate)));
    lines.append(tr("Hit ratio: %1").arg(formatPercent(f.hitRatio)));
    QString lag = formatSeconds(f.replicaLagS);
    if (!r->primary.isEmpty() && r->primary != r->code)
        lag = tr("%1 behind %2").arg(lag, plain(r->primary, 40));
    else if (r->code == m_snapshot->primaryRegion)
        lag = tr("primary");
    lines.append(tr("Replica lag: %1").arg(lag));
    lines.append(tr("Cost per invocation: %1").arg(formatUsd(f.costPerInvocationUsd)));
    QString nodes =
        tr("%1 up, %2 idle, %3 down").arg(r->nodesUp).arg(r->nodesIdle).arg(r->nodesDown);
    if (r->nodesStale > 0)
        nodes += tr(", %1 stale").arg(r->nodesStale);
    lines.append(tr("Nodes: %1").arg(nodes));
    return lines.join(u'\n');
}

// --- view ---------------------------------------------------------------------------------------

double RegionMapWidget::baseScale() const
{
    const QRectF world = equalEarthBounds();
    return std::max(1e-6,
                    std::min((width() - 2 * kMargin) / world.width(),
                             (height() - 2 * kMargin) / world.height()));
}

QTransform RegionMapWidget::viewTransform() const
{
    const double s = baseScale() * m_zoom;
    QTransform t;
    t.translate(width() / 2.0, height() / 2.0);
    t.scale(s, s);
    t.translate(-m_centre.x(), -m_centre.y());
    return t;
}

void RegionMapWidget::clampCentre()
{
    const QRectF world = equalEarthBounds();
    const double s = baseScale() * m_zoom;
    const double halfW = width() / 2.0 / s;
    const double halfH = height() / 2.0 / s;
    auto clampAxis = [](double v, double lo, double hi, double half) {
        if (hi - lo <= 2 * half)
            return (lo + hi) / 2;
        return std::clamp(v, lo + half, hi - half);
    };
    m_centre = { clampAxis(m_centre.x(), world.left(), world.right(), halfW),
                 clampAxis(m_centre.y(), world.top(), world.bottom(), halfH) };
}

void RegionMapWidget::zoomAround(const QPointF &widgetPos, double factor)
{
    const double newZoom = std::clamp(m_zoom * factor, 1.0, kMaxZoom);
    if (newZoom == m_zoom)
        return;
    const QPointF offset = widgetPos - QPointF(width() / 2.0, height() / 2.0);
    const double oldScale = baseScale() * m_zoom;
    const double newScale = baseScale() * newZoom;
    const QPointF anchor = m_centre + offset / oldScale; // the map point under the cursor stays
    m_zoom = newZoom;
    m_centre = anchor - offset / newScale;
    clampCentre();
    invalidateLayout();
}

void RegionMapWidget::panBy(const QPointF &pixels)
{
    const QPointF before = m_centre;
    m_centre -= pixels / (baseScale() * m_zoom);
    clampCentre();
    if (m_centre != before)
        invalidateLayout();
}

void RegionMapWidget::zoomIn()
{
    zoomAround(rect().center(), 1.5);
}

void RegionMapWidget::zoomOut()
{
    zoomAround(rect().center(), 1 / 1.5);
}

void RegionMapWidget::resetView()
{
    if (m_zoom == 1 && m_centre.isNull())
        return;
    m_zoom = 1;
    m_centre = {};
    invalidateLayout();
}

void RegionMapWidget::invalidateLayout()
{
    m_layoutDirty = true;
    update();
}

void RegionMapWidget::ensureLayout() const
{
    if (!m_layoutDirty)
        return;
    m_layoutDirty = false;
    auto *self = const_cast<RegionMapWidget *>(this); // lazily derived cache, not state
    const QTransform t = viewTransform();
    for (Marker &m : self->m_markers)
        m.screen = t.map(m.map);

    QFont labelFont = font();
    labelFont.setPointSizeF(labelFont.pointSizeF() * 0.85);
    const QFontMetricsF fm(labelFont);
    std::vector<LabelRequest> requests;
    std::vector<MarkerDisc> discs;
    requests.reserve(m_markers.size());
    discs.reserve(m_markers.size());
    const QRectF area = QRectF(rect()).adjusted(2, 2, -2, -2);
    for (const Marker &m : m_markers) {
        discs.push_back({ m.screen, m.radius + 1.5 });
        if (!area.contains(m.screen))
            continue;
        LabelRequest request;
        request.key = m.code;
        request.anchor = m.screen;
        request.radius = m.radius + (m.primary ? 3 : 0);
        const QString text = plain(m.code, 24);
        request.size = { fm.horizontalAdvance(text) + 6, fm.height() + 1 };
        request.priority = m.radius + (m.style == MarkerStyle::Down ? 20 : 0)
            + (m.code == m_keyboard ? 500 : 0) + (m.code == m_selected ? 1000 : 0);
        requests.push_back(std::move(request));
    }
    QList<QRectF> reserved { legendRect() };
    if (!m_unplaced.isEmpty())
        reserved.append(noteRect());
    m_labels = placeLabels(requests, discs, reserved, area);
}

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
    const double w = std::max(300.0, fm.horizontalAdvance(tr("no data")) * 4 + 120);
    const double h = 10 + line + 12 + line + 6 + line * 1.4 * 2 + line + 10;
    const double left = 8, right = width() - 8 - w, top = 8, bottom = height() - 8 - h;
    // The corner that hides the fewest markers (bottom left first: the southern Pacific is
    // empty on most fleets' maps); a small screen's map otherwise loses South America under it.
    // Top left only when the unplaced-regions note does not take it.
    std::vector<QRectF> corners { { left, bottom, w, h },
                                  { right, bottom, w, h },
                                  { right, top, w, h } };
    if (m_unplaced.isEmpty())
        corners.push_back({ left, top, w, h });
    const auto hidden = [this](const QRectF &box) {
        int n = 0;
        for (const Marker &m : m_markers) {
            const QRectF disc(m.screen.x() - m.radius, m.screen.y() - m.radius, 2 * m.radius,
                              2 * m.radius);
            n += box.intersects(disc) ? 1 : 0;
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
    const QFontMetricsF fm(font());
    const double line = fm.height();
    painter.setPen(QPen(colors.panelBorder, 1));
    painter.setBrush(colors.panel);
    painter.drawRoundedRect(box, 5, 5);

    const LatencyScale scale(m_snapshot->settings.slo.p95LatencyMs);
    const double left = box.left() + 12;
    double y = box.top() + 8;
    painter.setPen(colors.text);
    painter.drawText(QPointF(left, y + fm.ascent()),
                     tr("%1 latency, ms").arg(quantileName(m_snapshot->settings.quantile)));

    // The colour bar, the SLO mark across it, ticks under it.
    y += line + 4;
    const double barWidth = box.width() - 24;
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
        const double textLeft = std::clamp(x - w / 2, left - 4, box.right() - 4 - w);
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
        painter.drawText(QPointF(x + 16, y + fm.ascent()), text);
        return x + 16 + fm.horizontalAdvance(text) + 12;
    };
    double x = left;
    x = keyMarker(x, MarkerStyle::NoData, tr("no data"));
    x = keyMarker(x, MarkerStyle::ScaledToZero, tr("scaled to zero"));
    x = keyMarker(x, MarkerStyle::Down, tr("down"));
    y += line * 1.4;

    // Replication edges.
    const double maxLag = m_snapshot->settings.slo.maxReplicaLagS;
    auto keyEdge = [&](double ex, int lagClass, const QString &text) {
        QPen pen(colors.edge[lagClass], lagClass == 3 ? 3 : lagClass == 2 ? 2 : 1.4);
        if (lagClass == 2)
            pen.setDashPattern({ 4, 2 });
        if (lagClass == 0)
            pen.setStyle(Qt::DotLine);
        painter.setPen(pen);
        painter.drawLine(QPointF(ex, y + line / 2), QPointF(ex + 18, y + line / 2));
        painter.setPen(colors.text);
        painter.drawText(QPointF(ex + 22, y + fm.ascent()), text);
        return ex + 22 + fm.horizontalAdvance(text) + 10;
    };
    painter.drawText(QPointF(left, y + fm.ascent()), tr("Lag:"));
    x = left + fm.horizontalAdvance(tr("Lag:")) + 6;
    x = keyEdge(x, 1, QStringLiteral("\u2264 %1").arg(formatSeconds(maxLag / 2)));
    x = keyEdge(x, 2, QStringLiteral("\u2264 %1").arg(formatSeconds(maxLag)));
    keyEdge(x, 3, QStringLiteral("> %1").arg(formatSeconds(maxLag)));
    y += line * 1.4;

    painter.setPen(colors.muted);
    painter.drawText(QPointF(left, y + fm.ascent()),
                     tr("Area: requests/s \u00b7 ring: primary \u00b7 red dot: nodes down"));
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

// --- interaction --------------------------------------------------------------------------------

const RegionMapWidget::Marker *RegionMapWidget::markerAt(const QPointF &widgetPos) const
{
    ensureLayout();
    const Marker *best = nullptr;
    double bestDistance = 0;
    for (const Marker &m : m_markers) {
        const double d = std::hypot(m.screen.x() - widgetPos.x(), m.screen.y() - widgetPos.y());
        const double reach = std::max(m.radius, 6.0) + 3;
        if (d <= reach && (!best || d < bestDistance)) {
            best = &m;
            bestDistance = d;
        }
    }
    return best;
}

void RegionMapWidget::setHovered(const QString &code)
{
    if (code == m_hovered)
        return;
    m_hovered = code;
    setCursor(code.isEmpty() ? Qt::ArrowCursor : Qt::PointingHandCursor);
    update();
}

void RegionMapWidget::selectFromUser(const QString &code)
{
    if (code == m_selected)
        return;
    setSelectedRegion(code);
    Q_EMIT regionSelected(code);
}

void RegionMapWidget::mousePressEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton) {
        QWidget::mousePressEvent(event);
        return;
    }
    m_pressed = true;
    m_dragging = false;
    m_pressPos = m_lastDragPos = event->position();
    event->accept();
}

void RegionMapWidget::mouseMoveEvent(QMouseEvent *event)
{
    const QPointF pos = event->position();
    if (m_pressed && (event->buttons() & Qt::LeftButton)) {
        if (!m_dragging
            && (pos - m_pressPos).manhattanLength() >= QApplication::startDragDistance()) {
            m_dragging = true;
            setCursor(Qt::ClosedHandCursor);
            setHovered({});
        }
        if (m_dragging) {
            panBy(pos - m_lastDragPos);
            m_lastDragPos = pos;
        }
        return;
    }
    const Marker *m = markerAt(pos);
    setHovered(m ? m->code : QString());
}

void RegionMapWidget::mouseReleaseEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton || !m_pressed) {
        QWidget::mouseReleaseEvent(event);
        return;
    }
    m_pressed = false;
    if (m_dragging) {
        m_dragging = false;
        setCursor(Qt::ArrowCursor);
        return;
    }
    const Marker *m = markerAt(event->position());
    selectFromUser(m ? m->code : QString());
}

void RegionMapWidget::leaveEvent(QEvent *event)
{
    setHovered({});
    QWidget::leaveEvent(event);
}

void RegionMapWidget::wheelEvent(QWheelEvent *event)
{
    const double delta = event->angleDelta().y();
    if (delta == 0) {
        event->ignore();
        return;
    }
    zoomAround(event->position(), std::pow(1.5, delta / 120.0));
    setHovered({});
    event->accept();
}

bool RegionMapWidget::event(QEvent *event)
{
    if (event->type() == QEvent::KeyPress) {
        // Tab walks the regions; past the last one it leaves the map like any other widget.
        auto *key = static_cast<QKeyEvent *>(event);
        const bool tab = key->key() == Qt::Key_Tab || key->key() == Qt::Key_Backtab;
        if (tab && !(key->modifiers() & (Qt::ControlModifier | Qt::AltModifier))) {
            const bool forward =
                key->key() == Qt::Key_Tab && !(key->modifiers() & Qt::ShiftModifier);
            if (cycleKeyboardRegion(forward))
                return true;
        }
    }
    return QWidget::event(event);
}

bool RegionMapWidget::cycleKeyboardRegion(bool forward)
{
    ensureLayout();
    std::vector<const Marker *> order;
    order.reserve(m_markers.size());
    for (const Marker &m : m_markers)
        order.push_back(&m);
    // West to east, then north to south: the reading order of the map.
    std::sort(order.begin(), order.end(), [](const Marker *a, const Marker *b) {
        if (a->map.x() != b->map.x())
            return a->map.x() < b->map.x();
        return a->map.y() < b->map.y();
    });
    if (order.empty())
        return false;
    const auto current = std::find_if(order.begin(), order.end(),
                                      [&](const Marker *m) { return m->code == m_keyboard; });
    const Marker *next = nullptr;
    if (current == order.end())
        next = forward ? order.front() : order.back();
    else if (forward && current + 1 != order.end())
        next = *(current + 1);
    else if (!forward && current != order.begin())
        next = *(current - 1);
    if (!next) {
        m_keyboard.clear();
        updateAccessibleDescription();
        update();
        return false;
    }
    m_keyboard = next->code;
    if (!QRectF(rect()).adjusted(20, 20, -20, -20).contains(next->screen)) {
        m_centre = next->map;
        clampCentre();
    }
    updateAccessibleDescription();
    invalidateLayout();
    return true;
}

void RegionMapWidget::keyPressEvent(QKeyEvent *event)
{
    const double step = 0.1;
    switch (event->key()) {
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        zoomIn();
        break;
    case Qt::Key_Minus:
    case Qt::Key_Underscore:
        zoomOut();
        break;
    case Qt::Key_0:
        resetView();
        break;
    case Qt::Key_Left:
        panBy({ width() * step, 0 });
        break;
    case Qt::Key_Right:
        panBy({ -width() * step, 0 });
        break;
    case Qt::Key_Up:
        panBy({ 0, height() * step });
        break;
    case Qt::Key_Down:
        panBy({ 0, -height() * step });
        break;
    case Qt::Key_Return:
    case Qt::Key_Enter:
    case Qt::Key_Space:
        if (m_keyboard.isEmpty()) {
            event->ignore();
            return;
        }
        selectFromUser(m_keyboard);
        break;
    case Qt::Key_Escape:
        if (m_selected.isEmpty() && m_keyboard.isEmpty()) {
            event->ignore();
            return;
        }
        m_keyboard.clear();
        selectFromUser({});
        update();
        break;
    default:
        QWidget::keyPressEvent(event);
        return;
    }
    event->accept();
}

void RegionMapWidget::focusOutEvent(QFocusEvent *event)
{
    if (event->reason() != Qt::PopupFocusReason && !m_keyboard.isEmpty()) {
        m_keyboard.clear();
        updateAccessibleDescription();
    }
    update();
    QWidget::focusOutEvent(event);
}

void RegionMapWidget::resizeEvent(QResizeEvent *event)
{
    clampCentre();
    m_layoutDirty = true;
    QWidget::resizeEvent(event);
}

void RegionMapWidget::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::FontChange
        || event->type() == QEvent::StyleChange) {
        m_sprites.clear();
        invalidateLayout();
    }
    QWidget::changeEvent(event);
}

void RegionMapWidget::updateAccessibleDescription()
{
    QString description;
    if (!m_snapshot) {
        description = tr("No fleet snapshot.");
    } else {
        description = m_markers.size() == 1 ? tr("1 region on the map.")
                                            : tr("%1 regions on the map.").arg(m_markers.size());
        if (!m_unplaced.isEmpty())
            description += u' ' + unplacedNote() + u'.';
        if (!m_selected.isEmpty())
            description += u' ' + tr("Selected: %1.").arg(plain(m_selected, 40));
        if (!m_keyboard.isEmpty())
            description += u' ' + cardText(m_keyboard).replace(u'\n', QStringLiteral("; "));
    }
    description += u' '
        + tr("Tab moves between regions, Enter selects, Escape clears, plus and minus zoom, "
             "arrows pan, 0 resets the view.");
    if (description != accessibleDescription())
        setAccessibleDescription(description);
}

} // namespace fleetscope::widgets
