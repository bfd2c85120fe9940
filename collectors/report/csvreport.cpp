#include "report/csvreport.h"

#include "exposition/dump.h"

#include <QList>

#include <algorithm>
#include <cmath>

namespace fleetscope::report {

using namespace fleetscope::snapshot;

QByteArray textCell(const QString &text)
{
    QByteArray bytes = text.toUtf8();
    if (!bytes.isEmpty()) {
        const char first = bytes.front();
        if (first == '=' || first == '+' || first == '-' || first == '@' || first == '\t'
            || first == '\r')
            bytes.prepend('\'');
    }
    if (bytes.contains(',') || bytes.contains('"') || bytes.contains('\n') || bytes.contains('\r')
        || bytes.startsWith(' ') || bytes.endsWith(' ')) {
        bytes.replace("\"", "\"\"");
        bytes = '"' + bytes + '"';
    }
    return bytes;
}

QByteArray numberCell(double value, int decimals)
{
    if (std::isnan(value))
        return {};
    if (decimals >= 0 && std::isfinite(value))
        return QByteArray::number(value, 'f', decimals);
    return QByteArray::fromStdString(exposition::formatValue(value));
}

namespace {

QByteArray row(const QList<QByteArray> &cells)
{
    QByteArray line;
    for (qsizetype i = 0; i < cells.size(); ++i) {
        if (i)
            line += ',';
        line += cells[i];
    }
    line += "\r\n";
    return line;
}

} // namespace

QByteArray regionsCsv(const FleetSnapshot &s)
{
    QByteArray out = row({ "region",
                           "name",
                           "city",
                           "country",
                           "lat",
                           "lon",
                           "placed",
                           "primary",
                           "nodes_up",
                           "nodes_idle",
                           "nodes_down",
                           "nodes_stale",
                           "latency_p50_ms",
                           "latency_p90_ms",
                           "latency_p95_ms",
                           "latency_p99_ms",
                           "quantile",
                           "latency_at_quantile_ms",
                           "light_floor_rtt_ms",
                           "distance_km",
                           "request_rate_per_s",
                           "error_ratio",
                           "hit_ratio",
                           "miss_ratio",
                           "stale_ratio",
                           "kv_p99_ms",
                           "db_read_p95_ms",
                           "db_write_p95_ms",
                           "replica_lag_s",
                           "write_queue_depth",
                           "write_queue_oldest_age_s",
                           "since_last_sync_s",
                           "sync_failures",
                           "cold_starts",
                           "scaled_to_zero",
                           "invocation_rate_per_s",
                           "cost_per_invocation_usd",
                           "cost_per_million_usd",
                           "cost_per_month_usd",
                           "always_on_per_month_usd" });
    for (const RegionData &r : s.regions) {
        const RegionFigures &f = r.figures;
        out += row({ textCell(r.code),
                     textCell(r.name),
                     textCell(r.city),
                     textCell(r.country),
                     numberCell(r.lat),
                     numberCell(r.lon),
                     r.placed ? "yes" : "no",
                     textCell(r.primary),
                     QByteArray::number(r.nodesUp),
                     QByteArray::number(r.nodesIdle),
                     QByteArray::number(r.nodesDown),
                     QByteArray::number(r.nodesStale),
                     numberCell(f.latencyP50Ms, 3),
                     numberCell(f.latencyP90Ms, 3),
                     numberCell(f.latencyP95Ms, 3),
                     numberCell(f.latencyP99Ms, 3),
                     numberCell(s.settings.quantile),
                     numberCell(f.latencyQuantileMs, 3),
                     numberCell(f.lightFloorRttMs, 3),
                     numberCell(f.distanceKm, 1),
                     numberCell(f.requestRate, 4),
                     numberCell(f.errorRatio, 6),
                     numberCell(f.hitRatio, 6),
                     numberCell(f.missRatio, 6),
                     numberCell(f.staleRatio, 6),
                     numberCell(f.kvP99Ms, 3),
                     numberCell(f.readP95Ms, 3),
                     numberCell(f.writeP95Ms, 3),
                     numberCell(f.replicaLagS, 3),
                     numberCell(f.queueDepth),
                     numberCell(f.queueOldestAgeS, 3),
                     numberCell(f.sinceLastSyncS, 3),
                     numberCell(f.syncFailures),
                     numberCell(f.coldStarts),
                     f.scaledToZero ? "yes" : "no",
                     numberCell(f.invocationRate, 4),
                     numberCell(f.costPerInvocationUsd),
                     numberCell(f.costPerMillionUsd, 6),
                     numberCell(f.costPerMonthUsd, 2),
                     numberCell(f.alwaysOnPerMonthUsd, 2) });
    }
    return out;
}

QByteArray targetsCsv(const FleetSnapshot &s)
{
    QByteArray out = row({ "target", "url", "region", "node", "provider", "health", "cause",
                           "last_scrape_unix_s", "last_scrape_duration_ms", "http_status",
                           "samples", "format" });
    for (const TargetRow &t : s.targets) {
        out += row({ textCell(t.id), textCell(t.url), textCell(t.region), textCell(t.node),
                     textCell(t.provider), healthName(t.health), textCell(t.cause),
                     numberCell(t.lastScrapeTime, 3), numberCell(t.lastScrapeDurationMs, 1),
                     t.httpStatus ? QByteArray::number(t.httpStatus) : QByteArray(),
                     numberCell(t.samples), textCell(t.format) });
    }
    return out;
}

QByteArray phasesCsv(const FleetSnapshot &s)
{
    static const char *const phases[] = { "dns", "tls", "compute", "kv", "db" };
    QList<QByteArray> header = { "region" };
    for (const char *p : phases)
        header.append(QByteArray(p) + "_mean_ms");
    QByteArray out = row(header);
    for (const RegionData &r : s.regions) {
        QList<QByteArray> cells = { textCell(r.code) };
        for (const char *p : phases) {
            const auto it = r.figures.phaseMeanMs.find(QString::fromLatin1(p));
            cells.append(numberCell(it == r.figures.phaseMeanMs.end() ? kNaN : it->second, 3));
        }
        out += row(cells);
    }
    return out;
}

QByteArray costCsv(const FleetSnapshot &s)
{
    QByteArray out = row({ "region", "pricing_profile", "per_invocation_usd", "per_million_usd",
                           "serverless_per_month_usd", "always_on_per_month_usd",
                           "savings_per_month_usd", "scaled_to_zero" });
    for (const RegionData &r : s.regions) {
        const RegionFigures &f = r.figures;
        out += row({ textCell(r.code), textCell(s.pricing.id), numberCell(f.costPerInvocationUsd),
                     numberCell(f.costPerMillionUsd, 6), numberCell(f.costPerMonthUsd, 2),
                     numberCell(f.alwaysOnPerMonthUsd, 2),
                     numberCell(f.alwaysOnPerMonthUsd - f.costPerMonthUsd, 2),
                     f.scaledToZero ? "yes" : "no" });
    }
    return out;
}

QByteArray aboutCsv(const FleetSnapshot &s)
{
    QByteArray out = row({ "key", "value" });
    auto add = [&](const char *key, const QByteArray &value) {
        out += row({ key, value });
    };
    add("fleet", textCell(s.fleetName));
    add("source_kind", textCell(s.sourceKind));
    add("source", textCell(s.source));
    add("time_unix_s", numberCell(s.time, 3));
    add("window_start_unix_s",
        numberCell(std::max(s.windowStart, s.time - s.settings.windowSeconds), 3));
    add("window_s", numberCell(s.settings.windowSeconds));
    add("quantile", numberCell(s.settings.quantile));
    add("vantage", textCell(s.settings.vantage));
    add("vantage_lat", numberCell(s.settings.vantageLat));
    add("vantage_lon", numberCell(s.settings.vantageLon));
    add("pricing_profile", textCell(s.pricing.id));
    add("pricing_name", textCell(s.pricing.name));
    add("pricing_vendor", textCell(s.pricing.vendor));
    add("pricing_as_of", textCell(s.pricing.asOf));
    add("pricing_source", textCell(s.pricing.sourceUrl));
    add("slo_p95_latency_ms", numberCell(s.settings.slo.p95LatencyMs));
    add("slo_min_hit_ratio", numberCell(s.settings.slo.minHitRatio));
    add("slo_max_replica_lag_s", numberCell(s.settings.slo.maxReplicaLagS));
    add("slo_max_cost_per_million_usd", numberCell(s.settings.slo.maxCostPerMillionUsd));
    return out;
}

QByteArray snapshotCsv(const FleetSnapshot &s)
{
    return "# regions\r\n" + regionsCsv(s) + "\r\n# phases\r\n" + phasesCsv(s) + "\r\n# cost\r\n"
        + costCsv(s) + "\r\n# targets\r\n" + targetsCsv(s) + "\r\n# about\r\n" + aboutCsv(s);
}

} // namespace fleetscope::report
