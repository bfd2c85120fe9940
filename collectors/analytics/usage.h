#pragma once

// What a node or region used over a window (counter increases, in FleetScope's base units) and
// how each pricing meter name reads it. Plain values and pure functions; any thread.

#include "series.h"

#include <QStringView>

#include <optional>

namespace fleetscope::analytics {

// Billing gigabytes are binary (128 MB of memory = 0.125 GB, as Lambda and Workers bill), and
// the same for egress.
inline constexpr double bytesPerBillingGb = 1024.0 * 1024.0 * 1024.0;

// Usage over `windowSeconds`; NaN = not measured (the family is missing), never zero.
struct Usage
{
    double windowSeconds = noData;
    double invocations = noData; // increase(edge_invocations_total)
    double cpuSeconds = noData; // increase(edge_cpu_seconds_total)
    double gbSeconds = noData; // wall seconds x memory limit GB; see gbSeconds()
    double kvReads = noData; // increase(edge_kv_operations_total{op=...})
    double kvWrites = noData;
    double kvDeletes = noData;
    double kvLists = noData;
    double dbRowsRead = noData; // increase(edge_db_rows_read_total)
    double dbRowsWritten = noData;
    double egressBytes = noData; // increase(edge_egress_bytes_total)

    // Adds another node's usage: a measured figure plus "not measured" stays measured. The window
    // must be the same (it is kept from the left side unless that one is NaN).
    Usage &operator+=(const Usage &other);
};

// increase(edge_invocation_duration_seconds_total) x edge_memory_limit_bytes / 2^30.
double gbSeconds(double wallSeconds, double memoryLimitBytes);

// The quantity of a pricing meter in the meter's own unit (cpu_ms in ms, egress_gb in GB,
// *_hours in hours, ...), or nullopt when FleetScope does not measure what the meter bills
// (storage, instance hours, vendor-specific units) or the usage it needs is NaN.
// requests and edge_requests both read invocations; kv_commands is every KV operation.
std::optional<double> meterQuantity(const Usage &usage, QStringView meter);

// The same in two steps, for callers pricing many windows: the meter name resolved once.
enum class MeterKind {
    Unknown,
    Requests,
    CpuMs,
    CpuHours,
    GbSeconds,
    GbHours,
    KvReads,
    KvWrites,
    KvDeletes,
    KvLists,
    KvCommands,
    DbRowsRead,
    DbRowsWritten,
    EgressGb
};
MeterKind meterKind(QStringView meter);
std::optional<double> meterQuantity(const Usage &usage, MeterKind kind);

} // namespace fleetscope::analytics
