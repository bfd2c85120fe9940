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

// Reads a cumulative series at ascending times: its value at t, interpolated between the
// neighbouring points, NaN outside the series; amortised constant time a read where a search
// per read made the charts' per-step figures the largest cost of applying a snapshot.
// step(t) is the increase since the previous read.
class Cursor
{
public:
    explicit Cursor(const Series *series)
        : m_series(series)
    { }

    double at(double t)
    {
        if (!m_series)
            return kNaN;
        const Series &s = *m_series;
        if (m_next > 0 && s[m_next - 1].t >= t) // not ascending: search afresh
            m_next = 0;
        while (m_next < s.size() && s[m_next].t < t)
            ++m_next;
        if (m_next == s.size())
            return kNaN;
        const Point &b = s[m_next];
        if (b.t == t)
            return b.v;
        if (m_next == 0)
            return kNaN;
        const Point &a = s[m_next - 1];
        const double f = (t - a.t) / (b.t - a.t);
        return a.v + f * (b.v - a.v);
    }

    double step(double t)
    {
        const double value = at(t);
        const double increase = value - m_previous;
        m_previous = value;
        return increase;
    }

private:
    const Series *m_series;
    std::size_t m_next = 0;
    double m_previous = kNaN;
};

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
    Cursor hitCursor(hits);
    std::vector<Cursor> lookups;
    for (const auto &[key, s] : region.counters) {
        if (key.startsWith(QLatin1String("cache:")))
            lookups.emplace_back(&s);
    }
    const std::vector<double> times = stepTimes(*hits, w);
    for (std::size_t i = 0; i < times.size(); ++i) {
        const double hit = hitCursor.step(times[i]);
        double total = 0;
        for (Cursor &c : lookups) {
            const double d = c.step(times[i]);
            if (std::isfinite(d))
                total += d;
        }
        if (i > 0 && std::isfinite(hit) && total > 0)
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
    // Each meter's series looked up once and read in step order, not searched at every step.
    Cursor calls(invocations), cpu(counter(region, QStringLiteral("cpu"))),
        gbSeconds(counter(region, QStringLiteral("gb_seconds"))),
        kvReads(counter(region, QStringLiteral("kv_ops:read"))),
        kvWrites(counter(region, QStringLiteral("kv_ops:write"))),
        kvDeletes(counter(region, QStringLiteral("kv_ops:delete"))),
        kvLists(counter(region, QStringLiteral("kv_ops:list"))),
        rowsRead(counter(region, QStringLiteral("db_rows_read"))),
        rowsWritten(counter(region, QStringLiteral("db_rows_written"))),
        egress(counter(region, QStringLiteral("egress")));
    const analytics::WindowPricer price(*profile, region.code);
    const std::vector<double> times = stepTimes(*invocations, w);
    for (std::size_t i = 0; i < times.size(); ++i) {
        const double to = times[i];
        analytics::Usage usage;
        usage.invocations = calls.step(to);
        usage.cpuSeconds = cpu.step(to);
        usage.gbSeconds = gbSeconds.step(to);
        usage.kvReads = kvReads.step(to);
        usage.kvWrites = kvWrites.step(to);
        usage.kvDeletes = kvDeletes.step(to);
        usage.kvLists = kvLists.step(to);
        usage.dbRowsRead = rowsRead.step(to);
        usage.dbRowsWritten = rowsWritten.step(to);
        usage.egressBytes = egress.step(to);
        if (i == 0)
            continue; // the first tick starts the first step
        usage.windowSeconds = to - times[i - 1];
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
