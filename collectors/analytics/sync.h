#pragma once

// How stale the edge is: replica lag, write-queue depth and age of the oldest queued write,
// time since the last successful sync and sync failures, for one node or a region's nodes.
// Pure functions over values; any thread. NaN means "no data".

#include "series.h"

#include <span>

namespace fleetscope::analytics {

// Instant values of several gauge series (each series' newest sample within the lookback).
struct GaugeSummary
{
    int count = 0; // series with a value
    double min = noData;
    double max = noData;
    double mean = noData;
    double sum = noData;
};

GaugeSummary summarizeGauges(std::span<const Series> series, double at,
                             std::span<const LabelMatch> matchers = {},
                             double lookback = defaultLookbackSeconds);

// now - edge_sync_last_success_timestamp_seconds, never negative (clock skew); +Inf when the
// timestamp is 0 or below (never synced); NaN when the timestamp is NaN (no data).
double timeSinceLastSync(double now, double lastSuccessTimestamp);

struct SyncState
{
    GaugeSummary replicaLagSeconds; // edge_replica_lag_seconds; max is the worst replica
    double queueDepth = noData; // sum of edge_write_queue_depth
    double oldestQueuedAgeSeconds = noData; // max of edge_write_queue_oldest_age_seconds
    double secondsSinceLastSync = noData; // the stalest node: now - the oldest last success
    double syncFailures = noData; // sum(increase(edge_sync_failures_total[w]))
};

// All figures at window.end; the failures over the window.
SyncState syncState(std::span<const Series> replicaLag, std::span<const Series> queueDepth,
                    std::span<const Series> queueOldestAge, std::span<const Series> lastSuccess,
                    std::span<const Series> syncFailures, const Window &window);

} // namespace fleetscope::analytics
