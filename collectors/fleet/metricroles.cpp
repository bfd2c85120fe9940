#include "metricroles.h"

namespace fleetscope::fleet {

namespace {

using K = MetricKind;
using R = MetricRole;

constexpr std::array<MetricRoleInfo, kMetricRoleCount> kRoles { {
    { R::NodeInfo, "node_info", "identity", "edge_node_info", nullptr, K::Gauge },
    { R::RequestDuration, "request_duration", "request_latency", "edge_request_duration_seconds",
      "http_server_request_duration_seconds", K::Histogram },
    { R::ClientRtt, "client_rtt", nullptr, "edge_client_rtt_seconds", nullptr, K::Histogram },
    { R::RequestPhaseDuration, "request_phase_duration", "phases",
      "edge_request_phase_duration_seconds", nullptr, K::Histogram },
    { R::CacheRequests, "cache_requests", "cache", "edge_cache_requests_total", nullptr,
      K::Counter },
    { R::KvReadDuration, "kv_read_duration", "kv_latency", "edge_kv_read_duration_seconds", nullptr,
      K::Histogram },
    { R::KvOperations, "kv_operations", "kv_billing", "edge_kv_operations_total", nullptr,
      K::Counter },
    { R::DbQueries, "db_queries", nullptr, "edge_db_queries_total", nullptr, K::Counter },
    { R::DbQueryDuration, "db_query_duration", "db_latency", "edge_db_query_duration_seconds",
      nullptr, K::Histogram },
    { R::DbRowsRead, "db_rows_read", nullptr, "edge_db_rows_read_total", nullptr, K::Counter },
    { R::DbRowsWritten, "db_rows_written", nullptr, "edge_db_rows_written_total", nullptr,
      K::Counter },
    { R::DbConnections, "db_connections", nullptr, "edge_db_connections", nullptr, K::Gauge },
    { R::DbConnectionErrors, "db_connection_errors", nullptr, "edge_db_connection_errors_total",
      nullptr, K::Counter },
    { R::ReplicaLag, "replica_lag", nullptr, "edge_replica_lag_seconds", nullptr, K::Gauge },
    { R::WriteQueueDepth, "write_queue_depth", "write_queue", "edge_write_queue_depth", nullptr,
      K::Gauge },
    { R::WriteQueueOldestAge, "write_queue_oldest_age", "queue_age",
      "edge_write_queue_oldest_age_seconds", nullptr, K::Gauge },
    { R::SyncLastSuccessTimestamp, "sync_last_success_timestamp", "last_sync",
      "edge_sync_last_success_timestamp_seconds", nullptr, K::Gauge },
    { R::SyncFailures, "sync_failures", nullptr, "edge_sync_failures_total", nullptr, K::Counter },
    { R::Invocations, "invocations", nullptr, "edge_invocations_total", nullptr, K::Counter },
    { R::CpuSeconds, "cpu", "cpu_time", "edge_cpu_seconds_total", nullptr, K::Counter },
    { R::InvocationDuration, "invocation_duration", "wall_time",
      "edge_invocation_duration_seconds_total", nullptr, K::Counter },
    { R::MemoryLimit, "memory_limit", "memory", "edge_memory_limit_bytes", nullptr, K::Gauge },
    { R::Egress, "egress", nullptr, "edge_egress_bytes_total", nullptr, K::Counter },
    { R::Instances, "instances", nullptr, "edge_instances", nullptr, K::Gauge },
    { R::ColdStarts, "cold_starts", nullptr, "edge_cold_starts_total", nullptr, K::Counter },
    { R::ColdStartDuration, "cold_start_duration", "cold_start_time",
      "edge_cold_start_duration_seconds", nullptr, K::Histogram },
} };

bool isRoleAlias(const char *contractRole)
{
    return contractRole != nullptr;
}

} // namespace

std::span<const MetricRoleInfo, kMetricRoleCount> metricRoles()
{
    return kRoles;
}

const MetricRoleInfo &metricRoleInfo(MetricRole role)
{
    return kRoles[std::size_t(role)];
}

std::optional<MetricRole> metricRoleFromKey(QStringView key)
{
    for (const MetricRoleInfo &info : kRoles) {
        if (key == QLatin1String(info.key) || key == QLatin1String(info.defaultName)
            || (isRoleAlias(info.contractRole) && key == QLatin1String(info.contractRole))
            || (info.otelName && key == QLatin1String(info.otelName)))
            return info.role;
    }
    return std::nullopt;
}

QStringList metricRoleKeys()
{
    QStringList out;
    for (const MetricRoleInfo &info : kRoles) {
        out << QLatin1String(info.key) << QLatin1String(info.defaultName);
        if (isRoleAlias(info.contractRole))
            out << QLatin1String(info.contractRole);
        if (info.otelName)
            out << QLatin1String(info.otelName);
    }
    return out;
}

bool isValidMetricName(QStringView name)
{
    if (name.isEmpty())
        return false;
    for (qsizetype i = 0; i < name.size(); ++i) {
        const char16_t c = name[i].unicode();
        const bool alpha =
            (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || c == u'_' || c == u':';
        if (!alpha && !(i > 0 && c >= u'0' && c <= u'9'))
            return false;
    }
    return true;
}

QString MetricNames::name(MetricRole role) const
{
    const QString &o = overrides[std::size_t(role)];
    return o.isEmpty() ? QString::fromLatin1(metricRoleInfo(role).defaultName) : o;
}

QStringList MetricNames::candidates(MetricRole role) const
{
    if (isOverridden(role))
        return { overrides[std::size_t(role)] };
    const MetricRoleInfo &info = metricRoleInfo(role);
    QStringList out { QString::fromLatin1(info.defaultName) };
    if (info.otelName)
        out.append(QString::fromLatin1(info.otelName));
    return out;
}

} // namespace fleetscope::fleet
