#include "map/regionmapwidget.h"

#include "map/regionmapprivate.h"

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

using mapdetail::plain;

namespace {

constexpr double kMinRadius = 5; // logical pixels; area grows with the request rate
constexpr double kMaxRadius = 16;
constexpr double kStateRadius = 8; // no data, scaled to zero, down: the shape is the message
constexpr double kMaxZoom = 40;
constexpr double kMargin = 10;

void lonLatToVector(double lon, double lat, double *out)
{
    constexpr double deg = std::numbers::pi / 180;
    out[0] = std::cos(lat * deg) * std::cos(lon * deg);
    out[1] = std::cos(lat * deg) * std::sin(lon * deg);
    out[2] = std::sin(lat * deg);
}

} // namespace

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
    constexpr double degrees = 180 / std::numbers::pi;
    double previous[3] = { a[0], a[1], a[2] };
    double previousLon = fromLonLat.x();
    for (int s = 0; s <= steps; ++s) {
        const double t = double(s) / steps;
        const double wa = std::sin((1 - t) * omega) / std::sin(omega);
        const double wb = std::sin(t * omega) / std::sin(omega);
        const double v[3] = { wa * a[0] + wb * b[0], wa * a[1] + wb * b[1], wa * a[2] + wb * b[2] };
        const double lon = std::atan2(v[1], v[0]) * degrees;
        const double lat = std::asin(std::clamp(v[2], -1.0, 1.0)) * degrees;
        const QPointF p = equalEarth(lon, lat);
        if (s == 0) {
            path.moveTo(p);
        } else if (std::fabs(lon - previousLon) > 180) {
            // Across the antimeridian: run to the map's edge where the arc meets it (the chord
            // between the two samples crosses the plane y = 0 there), go on from the other edge.
            const double f = previous[1] / (previous[1] - v[1]);
            const double c[3] = { previous[0] + f * (v[0] - previous[0]), 0,
                                  previous[2] + f * (v[2] - previous[2]) };
            const double edgeLat = std::atan2(c[2], std::fabs(c[0])) * degrees;
            path.lineTo(equalEarth(previousLon < 0 ? -180 : 180, edgeLat));
            path.moveTo(equalEarth(previousLon < 0 ? 180 : -180, edgeLat));
            path.lineTo(p);
        } else {
            path.lineTo(p);
        }
        std::copy(v, v + 3, previous);
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

QPainterPath RegionMapWidget::replicationEdgePath(const QString &region) const
{
    for (const Edge &e : m_edges) {
        if (e.from == region)
            return viewTransform().map(e.path);
    }
    return {};
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

} // namespace fleetscope::widgets
