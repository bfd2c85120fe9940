#pragma once

// The metric roles of METRICS.md (the edge node metric contract v1) and a fleet's overrides of
// their names. Plain values and constant tables: any thread may use them.

#include <QString>
#include <QStringList>
#include <QStringView>

#include <array>
#include <optional>
#include <span>

namespace fleetscope::fleet {

enum class MetricRole {
    NodeInfo,
    RequestDuration,
    ClientRtt,
    RequestPhaseDuration,
    CacheRequests,
    KvReadDuration,
    KvOperations,
    DbQueries,
    DbQueryDuration,
    DbRowsRead,
    DbRowsWritten,
    DbConnections,
    DbConnectionErrors,
    ReplicaLag,
    WriteQueueDepth,
    WriteQueueOldestAge,
    SyncLastSuccessTimestamp,
    SyncFailures,
    Invocations,
    CpuSeconds,
    InvocationDuration,
    MemoryLimit,
    Egress,
    Instances,
    ColdStarts,
    ColdStartDuration,
};
inline constexpr std::size_t kMetricRoleCount = std::size_t(MetricRole::ColdStartDuration) + 1;

enum class MetricKind { Counter, Gauge, Histogram };

struct MetricRoleInfo
{
    MetricRole role;
    const char *key; // the fleet file's key: the default name without "edge_" and its unit/_total
    // METRICS.md's role column in snake_case ("request_latency") where it differs from key
    const char *contractRole;
    const char *defaultName; // "edge_request_duration_seconds"
    const char *otelName; // OpenTelemetry semantic-convention name, or nullptr
    MetricKind kind;
};

// One entry per role, in MetricRole order.
std::span<const MetricRoleInfo, kMetricRoleCount> metricRoles();
const MetricRoleInfo &metricRoleInfo(MetricRole role);

// The role a `metrics:` key names: its key ("request_duration"), METRICS.md's role name
// ("request_latency"), its default metric name or its OTel name. Case-sensitive.
std::optional<MetricRole> metricRoleFromKey(QStringView key);
// Every spelling metricRoleFromKey accepts, for "did you mean".
QStringList metricRoleKeys();

// True for a classic Prometheus metric name: [a-zA-Z_:][a-zA-Z0-9_:]*.
bool isValidMetricName(QStringView name);

// The metric names a fleet uses for each role: METRICS.md's defaults unless the fleet file's
// `metrics:` section overrides them.
struct MetricNames
{
    std::array<QString, kMetricRoleCount> overrides; // empty: not overridden

    // The override, or the default name.
    QString name(MetricRole role) const;
    // The names a scrape should recognise for the role: the override alone when there is one,
    // else the default name and then the OTel name.
    QStringList candidates(MetricRole role) const;
    bool isOverridden(MetricRole role) const { return !overrides[std::size_t(role)].isEmpty(); }
    void setOverride(MetricRole role, const QString &name) { overrides[std::size_t(role)] = name; }

    friend bool operator==(const MetricNames &, const MetricNames &) = default;
};

} // namespace fleetscope::fleet
