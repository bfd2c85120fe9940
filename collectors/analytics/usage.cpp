#include "usage.h"

#include <cmath>

namespace fleetscope::analytics {

namespace {

void addMeasured(double &into, double value)
{
    if (std::isnan(value))
        return;
    into = std::isnan(into) ? value : into + value;
}

std::optional<double> measured(double v)
{
    return std::isnan(v) ? std::nullopt : std::optional<double>(v);
}

} // namespace

Usage &Usage::operator+=(const Usage &o)
{
    if (std::isnan(windowSeconds))
        windowSeconds = o.windowSeconds;
    addMeasured(invocations, o.invocations);
    addMeasured(cpuSeconds, o.cpuSeconds);
    addMeasured(gbSeconds, o.gbSeconds);
    addMeasured(kvReads, o.kvReads);
    addMeasured(kvWrites, o.kvWrites);
    addMeasured(kvDeletes, o.kvDeletes);
    addMeasured(kvLists, o.kvLists);
    addMeasured(dbRowsRead, o.dbRowsRead);
    addMeasured(dbRowsWritten, o.dbRowsWritten);
    addMeasured(egressBytes, o.egressBytes);
    return *this;
}

double gbSeconds(double wallSeconds, double memoryLimitBytes)
{
    return wallSeconds * (memoryLimitBytes / bytesPerBillingGb);
}

MeterKind meterKind(QStringView meter)
{
    if (meter == u"requests" || meter == u"edge_requests")
        return MeterKind::Requests;
    if (meter == u"cpu_ms")
        return MeterKind::CpuMs;
    if (meter == u"active_cpu_hours")
        return MeterKind::CpuHours;
    if (meter == u"wall_clock_gb_seconds")
        return MeterKind::GbSeconds;
    if (meter == u"provisioned_memory_gb_hours" || meter == u"functions_gb_hours")
        return MeterKind::GbHours;
    if (meter == u"kv_reads")
        return MeterKind::KvReads;
    if (meter == u"kv_writes")
        return MeterKind::KvWrites;
    if (meter == u"kv_deletes")
        return MeterKind::KvDeletes;
    if (meter == u"kv_lists")
        return MeterKind::KvLists;
    if (meter == u"kv_commands")
        return MeterKind::KvCommands;
    if (meter == u"db_rows_read")
        return MeterKind::DbRowsRead;
    if (meter == u"db_rows_written")
        return MeterKind::DbRowsWritten;
    if (meter == u"egress_gb")
        return MeterKind::EgressGb;
    return MeterKind::Unknown;
}

std::optional<double> meterQuantity(const Usage &u, MeterKind kind)
{
    switch (kind) {
    case MeterKind::Requests:
        return measured(u.invocations);
    case MeterKind::CpuMs:
        return measured(u.cpuSeconds * 1000);
    case MeterKind::CpuHours:
        return measured(u.cpuSeconds / 3600);
    case MeterKind::GbSeconds:
        return measured(u.gbSeconds);
    case MeterKind::GbHours:
        return measured(u.gbSeconds / 3600);
    case MeterKind::KvReads:
        return measured(u.kvReads);
    case MeterKind::KvWrites:
        return measured(u.kvWrites);
    case MeterKind::KvDeletes:
        return measured(u.kvDeletes);
    case MeterKind::KvLists:
        return measured(u.kvLists);
    case MeterKind::KvCommands: {
        double all = noData;
        for (double v : { u.kvReads, u.kvWrites, u.kvDeletes, u.kvLists })
            addMeasured(all, v);
        return measured(all);
    }
    case MeterKind::DbRowsRead:
        return measured(u.dbRowsRead);
    case MeterKind::DbRowsWritten:
        return measured(u.dbRowsWritten);
    case MeterKind::EgressGb:
        return measured(u.egressBytes / bytesPerBillingGb);
    case MeterKind::Unknown:
        break;
    }
    return std::nullopt;
}

std::optional<double> meterQuantity(const Usage &u, QStringView meter)
{
    return meterQuantity(u, meterKind(meter));
}

} // namespace fleetscope::analytics
