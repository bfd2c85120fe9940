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

std::optional<double> meterQuantity(const Usage &u, QStringView meter)
{
    if (meter == u"requests" || meter == u"edge_requests")
        return measured(u.invocations);
    if (meter == u"cpu_ms")
        return measured(u.cpuSeconds * 1000);
    if (meter == u"active_cpu_hours")
        return measured(u.cpuSeconds / 3600);
    if (meter == u"wall_clock_gb_seconds")
        return measured(u.gbSeconds);
    if (meter == u"provisioned_memory_gb_hours" || meter == u"functions_gb_hours")
        return measured(u.gbSeconds / 3600);
    if (meter == u"kv_reads")
        return measured(u.kvReads);
    if (meter == u"kv_writes")
        return measured(u.kvWrites);
    if (meter == u"kv_deletes")
        return measured(u.kvDeletes);
    if (meter == u"kv_lists")
        return measured(u.kvLists);
    if (meter == u"kv_commands") {
        double all = noData;
        for (double v : { u.kvReads, u.kvWrites, u.kvDeletes, u.kvLists })
            addMeasured(all, v);
        return measured(all);
    }
    if (meter == u"db_rows_read")
        return measured(u.dbRowsRead);
    if (meter == u"db_rows_written")
        return measured(u.dbRowsWritten);
    if (meter == u"egress_gb")
        return measured(u.egressBytes / bytesPerBillingGb);
    return std::nullopt;
}

} // namespace fleetscope::analytics
