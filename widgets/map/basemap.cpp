#include "map/basemap.h"

#include "map/equalearth.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QPolygonF>

#include <cmath>
#include <set>
#include <vector>

Q_LOGGING_CATEGORY(lcBasemap, "fleetscope.map")

namespace fleetscope::widgets {

namespace {

using LonLat = QPointF; // x = lon, y = lat, degrees
using Ring = std::vector<LonLat>;

struct Topology
{
    std::vector<Ring> arcs; // absolute lon/lat
    QJsonObject objects;
};

bool readTopology(const QByteArray &json, Topology *out, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (!doc.isObject()) {
        *error = QStringLiteral("not a TopoJSON document: %1").arg(parseError.errorString());
        return false;
    }
    const QJsonObject root = doc.object();
    if (root.value(QLatin1String("type")).toString() != QLatin1String("Topology")) {
        *error = QStringLiteral("not a TopoJSON topology");
        return false;
    }
    double sx = 1, sy = 1, tx = 0, ty = 0;
    const QJsonObject transform = root.value(QLatin1String("transform")).toObject();
    const bool quantised = !transform.isEmpty();
    if (quantised) {
        const QJsonArray scale = transform.value(QLatin1String("scale")).toArray();
        const QJsonArray translate = transform.value(QLatin1String("translate")).toArray();
        sx = scale.at(0).toDouble(1);
        sy = scale.at(1).toDouble(1);
        tx = translate.at(0).toDouble();
        ty = translate.at(1).toDouble();
    }
    const QJsonArray arcs = root.value(QLatin1String("arcs")).toArray();
    out->arcs.reserve(arcs.size());
    for (const QJsonValue &arcValue : arcs) {
        const QJsonArray arc = arcValue.toArray();
        Ring ring;
        ring.reserve(arc.size());
        double x = 0, y = 0; // quantised positions are deltas from the previous point
        for (const QJsonValue &pointValue : arc) {
            const QJsonArray p = pointValue.toArray();
            if (quantised) {
                x += p.at(0).toDouble();
                y += p.at(1).toDouble();
                ring.emplace_back(x * sx + tx, y * sy + ty);
            } else {
                ring.emplace_back(p.at(0).toDouble(), p.at(1).toDouble());
            }
        }
        out->arcs.push_back(std::move(ring));
    }
    out->objects = root.value(QLatin1String("objects")).toObject();
    return true;
}

// An arc index; ~i (negative) is arc i reversed.
const Ring *arcFor(const Topology &topo, int index, bool *reversed)
{
    *reversed = index < 0;
    const int i = index < 0 ? ~index : index;
    if (i < 0 || size_t(i) >= topo.arcs.size())
        return nullptr;
    return &topo.arcs[size_t(i)];
}

// Adds lon/lat points, densifying long segments (the 110m data has straight runs along the
// antimeridian and Antarctica's edge, which are curves in Equal Earth).
void appendProjected(QPainterPath &path, const LonLat &from, const LonLat &to, bool moveFirst)
{
    if (moveFirst) {
        path.moveTo(equalEarth(from.x(), from.y()));
    }
    const double span = std::max(std::fabs(to.x() - from.x()), std::fabs(to.y() - from.y()));
    const int steps = std::max(1, int(std::ceil(span / 2.0)));
    for (int s = 1; s <= steps; ++s) {
        const double t = double(s) / steps;
        path.lineTo(
            equalEarth(from.x() + (to.x() - from.x()) * t, from.y() + (to.y() - from.y()) * t));
    }
}

void addProjectedPolygon(QPainterPath &path, const QPolygonF &lonLat)
{
    for (qsizetype k = 1; k < lonLat.size(); ++k)
        appendProjected(path, lonLat[k - 1], lonLat[k], k == 1);
    path.closeSubpath();
}

double wrapDegrees(double d)
{
    while (d > 180)
        d -= 360;
    while (d <= -180)
        d += 360;
    return d;
}

void addRing(const Topology &topo, const QJsonArray &arcIndexes, QPainterPath &path)
{
    Ring points;
    for (const QJsonValue &v : arcIndexes) {
        bool reversed = false;
        const Ring *arc = arcFor(topo, v.toInt(), &reversed);
        if (!arc || arc->empty())
            continue;
        const size_t n = arc->size();
        // Consecutive arcs share their joining point: skip it after the first arc.
        for (size_t k = points.empty() ? 0 : 1; k < n; ++k)
            points.push_back((*arc)[reversed ? n - 1 - k : k]);
    }
    if (points.size() < 3)
        return;

    // Rings that cross the antimeridian (Russia, Fiji, Antarctica) jump by ~360 degrees between
    // neighbours. Unwrap them into one continuous ring, close rings around a pole over the pole,
    // and cut the result into the [-180, 180] world, as d3 does with its antimeridian clip.
    QPolygonF unwrapped;
    unwrapped.reserve(qsizetype(points.size()) + 2);
    bool crosses = false;
    unwrapped.append(points.front());
    for (size_t k = 1; k < points.size(); ++k) {
        const double step = points[k].x() - points[k - 1].x();
        crosses = crosses || std::fabs(step) > 180;
        unwrapped.append({ unwrapped.back().x() + wrapDegrees(step), points[k].y() });
    }
    if (!crosses) {
        addProjectedPolygon(path, QPolygonF(points.begin(), points.end()));
        return;
    }
    const double drift = unwrapped.back().x() - unwrapped.front().x();
    if (std::fabs(drift) > 180) {
        double latSum = 0;
        for (const QPointF &p : unwrapped)
            latSum += p.y();
        const double pole = latSum < 0 ? -90 : 90;
        unwrapped.append({ unwrapped.back().x(), pole });
        unwrapped.append({ unwrapped.front().x(), pole });
    }
    QPainterPath ring;
    ring.addPolygon(unwrapped);
    ring.closeSubpath();
    QPainterPath world;
    world.addRect(QRectF(-180, -90, 360, 180));
    for (double shift : { -720.0, -360.0, 0.0, 360.0, 720.0 }) {
        const QPainterPath piece = ring.translated(shift, 0).intersected(world);
        for (const QPolygonF &polygon : piece.toSubpathPolygons())
            addProjectedPolygon(path, polygon);
    }
}

void forEachPolygon(const QJsonObject &geometry, const auto &visit)
{
    const QString type = geometry.value(QLatin1String("type")).toString();
    const QJsonArray arcs = geometry.value(QLatin1String("arcs")).toArray();
    if (type == QLatin1String("Polygon")) {
        visit(arcs);
    } else if (type == QLatin1String("MultiPolygon")) {
        for (const QJsonValue &polygon : arcs)
            visit(polygon.toArray());
    } else if (type == QLatin1String("GeometryCollection")) {
        for (const QJsonValue &g : geometry.value(QLatin1String("geometries")).toArray())
            forEachPolygon(g.toObject(), visit);
    }
}

QPainterPath sphereOutline()
{
    QPainterPath path;
    appendProjected(path, { -180, -90 }, { -180, 90 }, true);
    appendProjected(path, { 180, 90 }, { 180, -90 }, false);
    path.closeSubpath();
    return path;
}

QPainterPath graticule()
{
    QPainterPath path;
    for (int lon = -150; lon <= 150; lon += 30)
        appendProjected(path, { double(lon), -90 }, { double(lon), 90 }, true);
    for (int lat = -60; lat <= 60; lat += 30)
        appendProjected(path, { -180, double(lat) }, { 180, double(lat) }, true);
    return path;
}

} // namespace

Basemap decodeBasemap(const QByteArray &landJson, const QByteArray &countriesJson, QString *error)
{
    Basemap map;
    map.sphere = sphereOutline();
    map.graticule = graticule();
    map.land.setFillRule(Qt::OddEvenFill);
    QString message;

    Topology land;
    if (readTopology(landJson, &land, &message)) {
        const QJsonObject object = land.objects.value(QLatin1String("land")).toObject();
        forEachPolygon(object, [&](const QJsonArray &rings) {
            for (const QJsonValue &ring : rings)
                addRing(land, ring.toArray(), map.land);
        });
    }

    Topology countries;
    if (message.isEmpty() && readTopology(countriesJson, &countries, &message)) {
        // A border is an arc two different countries use; the coast is drawn from the land.
        std::vector<std::set<int>> users(countries.arcs.size());
        const QJsonArray geometries = countries.objects.value(QLatin1String("countries"))
                                          .toObject()
                                          .value(QLatin1String("geometries"))
                                          .toArray();
        for (int g = 0; g < geometries.size(); ++g) {
            forEachPolygon(geometries.at(g).toObject(), [&](const QJsonArray &rings) {
                for (const QJsonValue &ring : rings) {
                    for (const QJsonValue &index : ring.toArray()) {
                        const int i = index.toInt() < 0 ? ~index.toInt() : index.toInt();
                        if (i >= 0 && size_t(i) < users.size())
                            users[size_t(i)].insert(g);
                    }
                }
            });
        }
        for (size_t i = 0; i < countries.arcs.size(); ++i) {
            const Ring &arc = countries.arcs[i];
            if (users[i].size() < 2 || arc.size() < 2)
                continue;
            bool move = true;
            for (size_t k = 1; k < arc.size(); ++k) {
                if (std::fabs(arc[k].x() - arc[k - 1].x()) > 180) {
                    move = true; // a cut along the antimeridian, not a border
                    continue;
                }
                appendProjected(map.borders, arc[k - 1], arc[k], move);
                move = false;
            }
        }
    }

    map.valid = message.isEmpty() && !map.land.isEmpty();
    if (!map.valid && message.isEmpty())
        message = QStringLiteral("the topology holds no land");
    if (error)
        *error = message;
    return map;
}

const Basemap &worldBasemap()
{
    static const Basemap map = [] {
        auto read = [](const QString &path) {
            QFile file(path);
            if (!file.open(QIODevice::ReadOnly))
                qCWarning(lcBasemap) << "cannot read" << path << file.errorString();
            return file.readAll();
        };
        QString error;
        Basemap decoded = decodeBasemap(
            read(QStringLiteral(":/fleetscope/data/basemap/land-110m.json")),
            read(QStringLiteral(":/fleetscope/data/basemap/countries-110m.json")), &error);
        if (!decoded.valid)
            qCWarning(lcBasemap) << "basemap unavailable:" << error;
        return decoded;
    }();
    return map;
}

} // namespace fleetscope::widgets
