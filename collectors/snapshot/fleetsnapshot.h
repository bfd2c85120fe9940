#pragma once

// FleetSnapshot: the one immutable value between data and views (DESIGN.md). The state of the
// fleet at one instant plus the raw series windows behind every figure (reset-corrected region
// counters, cumulative histogram buckets, aggregated gauges), so a reopened snapshot can be
// analysed again with another quantile, window or pricing profile. A plain copyable value: it
// crosses threads by copy or shared_ptr<const>; no Qt object, no secret (no token, no password).

#include <QList>
#include <QString>

#include <cmath>
#include <limits>
#include <map>
#include <vector>

namespace fleetscope::snapshot {

inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct Point
{
    double t = 0; // seconds since the epoch
    double v = 0;
};
using Series = std::vector<Point>;

enum class Health { Unknown, Up, Idle, Down, Stale };
const char *healthName(Health health); // "up", "idle", "down", "stale", "unknown"
Health healthFromName(const QString &name); // Unknown for anything else

// Cumulative histogram buckets of one region over time: for each tick, the reset-corrected
// cumulative count per upper bound, summed over the region's nodes.
struct HistogramWindow
{
    std::vector<double> bounds; // ascending "le" values, the last one +Inf
    std::vector<double> times; // tick times, ascending
    std::vector<std::vector<double>> counts; // counts[tick][bound]
    Series sum; // reset-corrected cumulative _sum
};

// Figures computed from the raw windows for the snapshot's settings (NaN = no data, which views
// show as "no data", never as zero).
struct RegionFigures
{
    double latencyP50Ms = kNaN, latencyP90Ms = kNaN, latencyP95Ms = kNaN, latencyP99Ms = kNaN;
    double latencyQuantileMs = kNaN; // at Settings::quantile
    double requestRate = kNaN; // requests per second over the window
    double errorRatio = kNaN; // 5xx share of requests
    double hitRatio = kNaN, missRatio = kNaN, staleRatio = kNaN;
    double kvP99Ms = kNaN;
    double readP95Ms = kNaN, writeP95Ms = kNaN;
    std::map<QString, double> phaseMeanMs; // dns, tls, compute, kv, db
    double replicaLagS = kNaN; // worst node
    double queueDepth = kNaN; // summed
    double queueOldestAgeS = kNaN; // worst node
    double sinceLastSyncS = kNaN; // oldest node
    double syncFailures = kNaN; // increase over the window
    double coldStarts = kNaN; // increase over the window
    double dbConnectionsActive = kNaN, dbConnectionsWaiting = kNaN;
    bool scaledToZero = false;
    double invocationRate = kNaN;
    double costPerInvocationUsd = kNaN;
    double costPerMillionUsd = kNaN;
    double costPerMonthUsd = kNaN; // serverless, projected to 30 days, free amounts applied
    double alwaysOnPerMonthUsd = kNaN; // provisioned alternative
    double lightFloorRttMs = kNaN; // from the vantage point, round trip in fibre
    double distanceKm = kNaN;
};

struct RegionData
{
    QString code; // the fleet's region label
    QString name, city, country, provider;
    double lat = kNaN, lon = kNaN;
    bool placed = false; // known coordinates
    QString primary; // the region its replicas follow, from edge_replica_lag_seconds{primary}
    int nodesUp = 0, nodesIdle = 0, nodesDown = 0, nodesStale = 0;
    std::map<QString, HistogramWindow> histograms; // "request_duration", "phase:dns", ...
    std::map<QString, Series> counters; // reset-corrected sums: "invocations", "cache:hit", ...
    std::map<QString, Series> gauges; // aggregated: "replica_lag_max", "queue_depth", ...
    RegionFigures figures;
};

struct TargetRow
{
    QString id; // stable, e.g. host:port
    QString url; // without user info
    QString region, node, provider;
    Health health = Health::Unknown;
    QString cause; // a sentence for down and stale
    double lastScrapeTime = kNaN; // seconds since the epoch
    double lastScrapeDurationMs = kNaN;
    int httpStatus = 0;
    double samples = 0; // in the last scrape
    QString format; // "prometheus" or "openmetrics"
};

struct Slo
{
    double p95LatencyMs = 250;
    double minHitRatio = 0.9;
    double maxReplicaLagS = 5;
    double maxCostPerMillionUsd = 2;
};

struct Settings
{
    double quantile = 0.95;
    double windowSeconds = 300;
    QString pricingProfile; // id in the pricing catalogue
    QString vantage; // population centre name, or "" with vantageLat/Lon
    double vantageLat = kNaN, vantageLon = kNaN;
    Slo slo;
};

struct PricingInfo
{
    QString id, name, vendor, asOf, sourceUrl;
};

struct FleetSnapshot
{
    QString fleetName;
    QString sourceKind; // "fleet", "demo", "prometheus", "snapshot"
    QString source; // fleet file path or server URL, without credentials
    double time = 0; // the instant, seconds since the epoch
    double windowStart = 0; // earliest data kept
    Settings settings;
    PricingInfo pricing;
    QString primaryRegion;
    std::vector<RegionData> regions; // sorted by code
    std::vector<TargetRow> targets; // sorted by id

    const RegionData *region(const QString &code) const;
};

// Equal in everything a view or a report can show, NaN equal to NaN (a reloaded snapshot is
// equivalent to the one saved).
bool equivalent(const FleetSnapshot &a, const FleetSnapshot &b);

} // namespace fleetscope::snapshot
