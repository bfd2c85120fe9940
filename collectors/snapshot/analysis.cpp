#include "snapshot/analysis.h"

#include "analytics/cost.h"
#include "analytics/histogram.h"
#include "analytics/lightfloor.h"
#include "analytics/usage.h"

#include <QFile>

#include <algorithm>
#include <cmath>

namespace fleetscope::snapshot {

namespace {

const Series *counter(const RegionData &r, const QString &key)
{
    const auto it = r.counters.find(key);
    return it == r.counters.end() ? nullptr : &it->second;
}

double latest(const RegionData &r, const QString &gauge, double from, double to)
{
    const auto it = r.gauges.find(gauge);
    if (it == r.gauges.end())
        return kNaN;
    for (auto p = it->second.rbegin(); p != it->second.rend(); ++p) {
        if (p->t <= to && p->t >= from)
            return p->v;
    }
    return kNaN;
}

double maxOver(const RegionData &r, const QString &gauge, double from, double to)
{
    const auto it = r.gauges.find(gauge);
    if (it == r.gauges.end())
        return kNaN;
    double m = kNaN;
    for (const Point &p : it->second) {
        if (p.t >= from && p.t <= to && !(p.v <= m))
            m = p.v;
    }
    return m;
}

double inc(const RegionData &r, const QString &key, double from, double to)
{
    const Series *s = counter(r, key);
    return s ? increaseOver(*s, from, to).value : kNaN;
}

// Sum of the increases of every counter whose key starts with `prefix`; NaN when none.
double incPrefix(const RegionData &r, const QString &prefix, double from, double to)
{
    double total = kNaN;
    for (const auto &[key, s] : r.counters) {
        if (!key.startsWith(prefix))
            continue;
        const double v = increaseOver(s, from, to).value;
        if (!std::isnan(v))
            total = std::isnan(total) ? v : total + v;
    }
    return total;
}

double ratio(double part, double whole)
{
    return (std::isnan(part) || std::isnan(whole) || whole <= 0) ? kNaN : part / whole;
}

} // namespace

const std::vector<analytics::PricingProfile> &pricingCatalogue()
{
    static const std::vector<analytics::PricingProfile> profiles = [] {
        QFile f(QStringLiteral(":/fleetscope/data/pricing-profiles.json"));
        if (!f.open(QIODevice::ReadOnly))
            return std::vector<analytics::PricingProfile> {};
        analytics::PricingParseResult parsed = analytics::parsePricingProfiles(f.readAll());
        return parsed.ok() ? std::move(parsed.profiles) : std::vector<analytics::PricingProfile> {};
    }();
    return profiles;
}

Increase increaseOver(const Series &series, double from, double to)
{
    const Point *first = nullptr;
    const Point *last = nullptr;
    for (const Point &p : series) {
        if (p.t < from || p.t > to || std::isnan(p.v))
            continue;
        if (!first)
            first = &p;
        last = &p;
    }
    if (!first || first == last)
        return {};
    return { last->v - first->v, last->t - first->t };
}

double quantileMs(const HistogramWindow &h, double q, double from, double to)
{
    std::size_t first = h.times.size(), last = h.times.size();
    for (std::size_t i = 0; i < h.times.size(); ++i) {
        if (h.times[i] < from || h.times[i] > to)
            continue;
        if (first == h.times.size())
            first = i;
        last = i;
    }
    if (first == h.times.size() || first == last)
        return kNaN;
    return quantileMsBetween(h, q, first, last);
}

double quantileMsBetween(const HistogramWindow &h, double q, std::size_t first, std::size_t last)
{
    if (!(first < last) || last >= h.times.size() || last >= h.counts.size())
        return kNaN;
    // Charts call this at every step of every line: reuse one buffer per thread.
    thread_local std::vector<analytics::Bucket> buckets;
    buckets.clear();
    for (std::size_t b = 0; b < h.bounds.size(); ++b) {
        const double d = h.counts[last][b] - h.counts[first][b];
        if (!std::isnan(d))
            buckets.push_back({ h.bounds[b], d });
    }
    const double seconds = analytics::histogramQuantile(q, buckets);
    return std::isfinite(seconds) ? seconds * 1000.0 : kNaN;
}

void analyse(FleetSnapshot &snapshot, std::span<const analytics::PricingProfile> profiles)
{
    const Settings &st = snapshot.settings;
    const double to = snapshot.time;
    const double from = std::max(snapshot.windowStart, to - st.windowSeconds);

    const QString profileId =
        st.pricingProfile.isEmpty() ? QLatin1String(kDefaultPricingProfile) : st.pricingProfile;
    const analytics::PricingProfile *profile = analytics::findProfile(profiles, profileId);
    const analytics::PricingProfile *baseline =
        analytics::findProfile(profiles, QLatin1String(kDefaultBaselineProfile));
    snapshot.pricing = {};
    if (profile) {
        snapshot.pricing.id = profile->id;
        snapshot.pricing.name = profile->name;
        snapshot.pricing.vendor = profile->vendor;
        snapshot.pricing.asOf = profile->asOf;
        snapshot.pricing.sourceUrl = profile->sourceUrl;
    } else {
        snapshot.pricing.id = profileId;
    }

    for (RegionData &r : snapshot.regions) {
        RegionFigures f;
        if (const auto h = r.histograms.find(QStringLiteral("request_duration"));
            h != r.histograms.end()) {
            f.latencyP50Ms = quantileMs(h->second, 0.50, from, to);
            f.latencyP90Ms = quantileMs(h->second, 0.90, from, to);
            f.latencyP95Ms = quantileMs(h->second, 0.95, from, to);
            f.latencyP99Ms = quantileMs(h->second, 0.99, from, to);
            f.latencyQuantileMs = quantileMs(h->second, st.quantile, from, to);
        }
        const Increase requests = [&] {
            const Series *c = counter(r, QStringLiteral("histcount:request_duration"));
            return c ? increaseOver(*c, from, to) : Increase {};
        }();
        f.requestRate = ratio(requests.value, requests.seconds);
        f.errorRatio = ratio(inc(r, QStringLiteral("requests:5xx"), from, to),
                             incPrefix(r, QStringLiteral("requests:"), from, to));
        const double hits = inc(r, QStringLiteral("cache:hit"), from, to);
        const double misses = inc(r, QStringLiteral("cache:miss"), from, to);
        const double stale = inc(r, QStringLiteral("cache:stale"), from, to);
        const double lookups = incPrefix(r, QStringLiteral("cache:"), from, to);
        f.hitRatio = ratio(hits, lookups);
        f.missRatio = ratio(misses, lookups);
        f.staleRatio = ratio(stale, lookups);
        if (const auto h = r.histograms.find(QStringLiteral("kv_read_duration"));
            h != r.histograms.end())
            f.kvP99Ms = quantileMs(h->second, 0.99, from, to);
        if (const auto h = r.histograms.find(QStringLiteral("db_query_duration:read"));
            h != r.histograms.end())
            f.readP95Ms = quantileMs(h->second, 0.95, from, to);
        if (const auto h = r.histograms.find(QStringLiteral("db_query_duration:write"));
            h != r.histograms.end())
            f.writeP95Ms = quantileMs(h->second, 0.95, from, to);
        const QString phasePrefix = QStringLiteral("request_phase_duration:");
        for (const auto &[key, h] : r.histograms) {
            if (!key.startsWith(phasePrefix))
                continue;
            const double sum = increaseOver(h.sum, from, to).value;
            const double count = inc(r, QStringLiteral("histcount:") + key, from, to);
            const double mean = ratio(sum, count);
            if (!std::isnan(mean))
                f.phaseMeanMs[key.mid(phasePrefix.size())] = mean * 1000.0;
        }
        f.replicaLagS = latest(r, QStringLiteral("replica_lag"), from, to);
        f.queueDepth = latest(r, QStringLiteral("queue_depth"), from, to);
        f.queueOldestAgeS = latest(r, QStringLiteral("queue_age"), from, to);
        const double lastSync = latest(r, QStringLiteral("last_sync"), from, to);
        f.sinceLastSyncS = std::isnan(lastSync) ? kNaN : std::max(0.0, to - lastSync);
        f.syncFailures = inc(r, QStringLiteral("sync_failures"), from, to);
        f.coldStarts = inc(r, QStringLiteral("cold_starts"), from, to);
        f.dbConnectionsActive = latest(r, QStringLiteral("db_connections:active"), from, to);
        f.dbConnectionsWaiting = latest(r, QStringLiteral("db_connections:waiting"), from, to);
        const double warm = latest(r, QStringLiteral("instances:warm"), from, to);
        const double busy = latest(r, QStringLiteral("instances:busy"), from, to);
        f.scaledToZero = !std::isnan(warm) && warm + (std::isnan(busy) ? 0 : busy) == 0;

        const Increase invocations = [&] {
            const Series *c = counter(r, QStringLiteral("invocations"));
            return c ? increaseOver(*c, from, to) : Increase {};
        }();
        f.invocationRate = ratio(invocations.value, invocations.seconds);

        if (profile && !std::isnan(invocations.seconds)) {
            analytics::Usage usage;
            usage.windowSeconds = invocations.seconds;
            usage.invocations = invocations.value;
            usage.cpuSeconds = inc(r, QStringLiteral("cpu"), from, to);
            usage.gbSeconds = inc(r, QStringLiteral("gb_seconds"), from, to);
            usage.kvReads = inc(r, QStringLiteral("kv_ops:read"), from, to);
            usage.kvWrites = inc(r, QStringLiteral("kv_ops:write"), from, to);
            usage.kvDeletes = inc(r, QStringLiteral("kv_ops:delete"), from, to);
            usage.kvLists = inc(r, QStringLiteral("kv_ops:list"), from, to);
            usage.dbRowsRead = inc(r, QStringLiteral("db_rows_read"), from, to);
            usage.dbRowsWritten = inc(r, QStringLiteral("db_rows_written"), from, to);
            usage.egressBytes = inc(r, QStringLiteral("egress"), from, to);
            const analytics::CostEstimate cost = analytics::estimateCost(*profile, usage, r.code);
            f.costPerInvocationUsd = cost.perInvocationUsd.value_or(kNaN);
            f.costPerMillionUsd = cost.perMillionInvocationsUsd.value_or(kNaN);
            f.costPerMonthUsd = cost.monthlyUsd.value_or(kNaN);
        }
        if (baseline) {
            const double peak = maxOver(r, QStringLiteral("instances:warm"), from, to)
                + std::max(0.0, maxOver(r, QStringLiteral("instances:busy"), from, to));
            const double peaks[] = { peak };
            if (const auto alt = analytics::provisionedAlternative(
                    *baseline, analytics::alwaysOnInstances(peaks)))
                f.alwaysOnPerMonthUsd = alt->monthlyUsd;
        }
        if (r.placed && !std::isnan(st.vantageLat) && !std::isnan(st.vantageLon)) {
            const analytics::LightFloor floor =
                analytics::lightFloor({ st.vantageLat, st.vantageLon }, { r.lat, r.lon });
            f.lightFloorRttMs = floor.roundTripMs;
            f.distanceKm = floor.distanceKm;
        }
        r.figures = std::move(f);
    }
}

} // namespace fleetscope::snapshot
