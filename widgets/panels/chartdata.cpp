#include "panels/chartdata.h"

#include "analytics/cost.h"
#include "snapshot/analysis.h"

#include <algorithm>
#include <cmath>

namespace fleetscope::widgets::chartdata {

using snapshot::kNaN;
using snapshot::Point;
using snapshot::RegionData;
using snapshot::Series;

namespace {

// The value of a cumulative series at t, interpolated between its neighbours; NaN outside it.
double valueAt(const Series &s, double t)
{
    const auto it =
        std::lower_bound(s.begin(), s.end(), t, [](const Point &p, double x) { return p.t < x; });
    if (it == s.end())
        return kNaN;
    if (it->t == t)
        return it->v;
    if (it == s.begin())
        return kNaN;
    const Point &a = *(it - 1);
    const Point &b = *it;
    const double f = (t - a.t) / (b.t - a.t);
    return a.v + f * (b.v - a.v);
}

const Series *counter(const RegionData &r, const QString &key)
{
    const auto it = r.counters.find(key);
    return it == r.counters.end() ? nullptr : &it->second;
}

// Step boundaries: the tick times of `reference` inside the window.
std::vector<double> stepTimes(const Series &reference, TimeWindow w)
{
    std::vector<double> times;
    for (const Point &p : reference) {
        if (p.t >= w.from && p.t <= w.to)
            times.push_back(p.t);
    }
    return times;
}

QPointF at(double t, double v)
{
    return { t * 1000.0, v };
}

} // namespace

TimeWindow windowOf(const snapshot::FleetSnapshot &snapshot)
{
    const double to = snapshot.time;
    return { std::max(snapshot.windowStart, to - snapshot.settings.windowSeconds), to };
}

QList<QPointF> latencyQuantileMs(const RegionData &region, double q, TimeWindow w)
{
    QList<QPointF> out;
    const auto it = region.histograms.find(QStringLiteral("request_duration"));
    if (it == region.histograms.end())
        return out;
    const snapshot::HistogramWindow &h = it->second;
    out.reserve(qsizetype(h.times.size()));
    std::size_t previous = h.times.size();
    for (std::size_t i = 0; i < h.times.size(); ++i) {
        if (h.times[i] < w.from || h.times[i] > w.to)
            continue;
        if (previous != h.times.size()) {
            const double ms = snapshot::quantileMsBetween(h, q, previous, i);
            if (std::isfinite(ms))
                out.append(at(h.times[i], ms));
        }
        previous = i;
    }
    return out;
}

QList<QPointF> hitRatioPercent(const RegionData &region, TimeWindow w)
{
    QList<QPointF> out;
    const Series *hits = counter(region, QStringLiteral("cache:hit"));
    if (!hits)
        return out;
    std::vector<const Series *> lookups;
    for (const auto &[key, s] : region.counters) {
        if (key.startsWith(QLatin1String("cache:")))
            lookups.push_back(&s);
    }
    const std::vector<double> times = stepTimes(*hits, w);
    for (std::size_t i = 1; i < times.size(); ++i) {
        const double hit = valueAt(*hits, times[i]) - valueAt(*hits, times[i - 1]);
        double total = 0;
        for (const Series *s : lookups) {
            const double d = valueAt(*s, times[i]) - valueAt(*s, times[i - 1]);
            if (std::isfinite(d))
                total += d;
        }
        if (std::isfinite(hit) && total > 0)
            out.append(at(times[i], 100.0 * hit / total));
    }
    return out;
}

QList<QPointF> gaugeValues(const RegionData &region, const QString &key, TimeWindow w)
{
    QList<QPointF> out;
    const auto it = region.gauges.find(key);
    if (it == region.gauges.end())
        return out;
    out.reserve(qsizetype(it->second.size()));
    for (const Point &p : it->second) {
        if (p.t >= w.from && p.t <= w.to && std::isfinite(p.v))
            out.append(at(p.t, p.v));
    }
    return out;
}

QList<QPointF> costUsdPerHour(const RegionData &region, const analytics::PricingProfile *profile,
                              TimeWindow w)
{
    QList<QPointF> out;
    const Series *invocations = counter(region, QStringLiteral("invocations"));
    if (!profile || !invocations)
        return out;
    // Each meter's series looked up once, not at every step.
    const Series *cpu = counter(region, QStringLiteral("cpu"));
    const Series *gbSeconds = counter(region, QStringLiteral("gb_seconds"));
    const Series *kvReads = counter(region, QStringLiteral("kv_ops:read"));
    const Series *kvWrites = counter(region, QStringLiteral("kv_ops:write"));
    const Series *kvDeletes = counter(region, QStringLiteral("kv_ops:delete"));
    const Series *kvLists = counter(region, QStringLiteral("kv_ops:list"));
    const Series *rowsRead = counter(region, QStringLiteral("db_rows_read"));
    const Series *rowsWritten = counter(region, QStringLiteral("db_rows_written"));
    const Series *egress = counter(region, QStringLiteral("egress"));
    const analytics::WindowPricer price(*profile, region.code);
    const std::vector<double> times = stepTimes(*invocations, w);
    for (std::size_t i = 1; i < times.size(); ++i) {
        const double from = times[i - 1], to = times[i];
        auto increase = [&](const Series *s) {
            return s ? valueAt(*s, to) - valueAt(*s, from) : kNaN;
        };
        analytics::Usage usage;
        usage.windowSeconds = to - from;
        usage.invocations = increase(invocations);
        usage.cpuSeconds = increase(cpu);
        usage.gbSeconds = increase(gbSeconds);
        usage.kvReads = increase(kvReads);
        usage.kvWrites = increase(kvWrites);
        usage.kvDeletes = increase(kvDeletes);
        usage.kvLists = increase(kvLists);
        usage.dbRowsRead = increase(rowsRead);
        usage.dbRowsWritten = increase(rowsWritten);
        usage.egressBytes = increase(egress);
        const std::optional<double> usd = price(usage);
        if (usd && usage.windowSeconds > 0)
            out.append(at(to, *usd / usage.windowSeconds * 3600.0));
    }
    return out;
}

const analytics::PricingProfile *pricingProfileOf(const snapshot::FleetSnapshot &snapshot)
{
    QString id = snapshot.pricing.id;
    if (id.isEmpty())
        id = snapshot.settings.pricingProfile;
    if (id.isEmpty())
        id = QLatin1String(snapshot::kDefaultPricingProfile);
    return analytics::findProfile(snapshot::pricingCatalogue(), id);
}

NiceRange niceRange(double lo, double hi, int ticks)
{
    if (!(hi > lo) || !std::isfinite(lo) || !std::isfinite(hi))
        return {};
    // Heckbert's loose labelling ("Nice numbers for graph labels", Graphics Gems, 1990).
    auto nice = [](double x, bool round) {
        const double magnitude = std::pow(10.0, std::floor(std::log10(x)));
        const double f = x / magnitude;
        double n = 10;
        if (round)
            n = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10;
        else
            n = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
        return n * magnitude;
    };
    const double range = nice(hi - lo, false);
    const double step = nice(range / std::max(1, ticks - 1), true);
    const double min = std::floor(lo / step + 1e-9) * step;
    const double max = std::ceil(hi / step - 1e-9) * step;
    return { min, max, step, int(std::lround((max - min) / step)) + 1 };
}

QList<QPointF> decimate(const QList<QPointF> &points, int maxPoints)
{
    const qsizetype n = points.size();
    if (maxPoints < 3 || n <= maxPoints) {
        if (maxPoints >= 1 && n > maxPoints)
            return points.first(maxPoints);
        return points;
    }
    QList<QPointF> out;
    out.reserve(maxPoints);
    out.append(points.front());
    // The standard algorithm: buckets between the fixed first and last points; in each, keep the
    // point making the largest triangle with the last kept one and the next bucket's average.
    const double every = double(n - 2) / double(maxPoints - 2);
    qsizetype a = 0;
    for (int i = 0; i < maxPoints - 2; ++i) {
        const qsizetype avgStart = qsizetype(std::floor((i + 1) * every)) + 1;
        const qsizetype avgEnd = std::min<qsizetype>(qsizetype(std::floor((i + 2) * every)) + 1, n);
        double avgX = 0, avgY = 0;
        for (qsizetype j = avgStart; j < avgEnd; ++j) {
            avgX += points[j].x();
            avgY += points[j].y();
        }
        const qsizetype avgCount = avgEnd - avgStart;
        if (avgCount > 0) {
            avgX /= double(avgCount);
            avgY /= double(avgCount);
        } else {
            avgX = points.back().x();
            avgY = points.back().y();
        }
        const qsizetype start = qsizetype(std::floor(i * every)) + 1;
        const qsizetype end =
            std::min<qsizetype>(qsizetype(std::floor((i + 1) * every)) + 1, n - 1);
        qsizetype best = start;
        double bestArea = -1;
        for (qsizetype j = start; j < end; ++j) {
            const double area =
                std::fabs((points[a].x() - avgX) * (points[j].y() - points[a].y())
                          - (points[a].x() - points[j].x()) * (avgY - points[a].y()));
            if (area > bestArea) {
                bestArea = area;
                best = j;
            }
        }
        out.append(points[best]);
        a = best;
    }
    out.append(points.back());
    return out;
}

QStringList topRegions(const snapshot::FleetSnapshot &snapshot, int count)
{
    std::vector<const RegionData *> regions;
    for (const RegionData &r : snapshot.regions)
        regions.push_back(&r);
    std::stable_sort(regions.begin(), regions.end(), [](const RegionData *a, const RegionData *b) {
        const double qa = a->figures.latencyQuantileMs, qb = b->figures.latencyQuantileMs;
        if (std::isnan(qa) != std::isnan(qb))
            return std::isnan(qb);
        if (!std::isnan(qa) && qa != qb)
            return qa > qb;
        const double ra = a->figures.requestRate, rb = b->figures.requestRate;
        if (std::isnan(ra) != std::isnan(rb))
            return std::isnan(rb);
        return !std::isnan(ra) && ra > rb;
    });
    QStringList codes;
    for (const RegionData *r : regions) {
        if (codes.size() >= count)
            break;
        codes.append(r->code);
    }
    return codes;
}

} // namespace fleetscope::widgets::chartdata
