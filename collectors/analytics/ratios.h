#pragma once

// Ratios and means over a window: cache hit ratio, error ratio, mean from _sum/_count, the phase
// breakdown of a request and read vs write latency. Pure functions over values; any thread.
// NaN means "no data" (a missing family or nothing counted), never zero.

#include "series.h"

#include <QString>

#include <span>
#include <vector>

namespace fleetscope::analytics {

// Increases over the window of edge_cache_requests_total by `result`.
struct CacheCounts
{
    double hits = noData;
    double misses = noData;
    double stale = noData;
};

// Sums increase(edge_cache_requests_total{result=...}[w]) per result, optionally for one
// `cache` label value (empty: all caches).
CacheCounts cacheCounts(std::span<const Series> cacheSeries, const Window &window,
                        const QString &cache = {});

// hits / (hits + misses + stale); a result kind without data counts as zero when another has
// data; NaN when none has data or nothing was counted.
double hitRatio(const CacheCounts &counts);

// Statuses counted as errors: 5xx by default; 4xx too when asked.
enum class ErrorClasses { ServerOnly, ClientAndServer };
bool isErrorStatus(QStringView status, ErrorClasses classes = ErrorClasses::ServerOnly);

// sum(increase(x{status=~"5.."}[w])) / sum(increase(x[w])) over series carrying a `status`
// label (the request histogram's _count, or the +Inf buckets). NaN when no request was counted.
double errorRatio(std::span<const Series> countSeries, const Window &window,
                  ErrorClasses classes = ErrorClasses::ServerOnly);

// sum(increase(x_sum{m}[w])) / sum(increase(x_count{m}[w])): the mean observation in the window,
// over all given series (a region's nodes). NaN without data or observations.
double meanOverWindow(std::span<const Series> sumSeries, std::span<const Series> countSeries,
                      const Window &window, std::span<const LabelMatch> matchers = {});

// One phase of a request (edge_request_phase_duration_seconds{phase}).
struct PhaseTime
{
    QString phase;
    double meanSeconds = noData; // mean time per request spent in the phase
    double share = noData; // meanSeconds / the sum of the phases' means
};

// Phases in the order dns, tls, compute, kv, db, then any other phase alphabetically; a phase
// appears when its _count series exist, with NaN figures when nothing was observed.
std::vector<PhaseTime> phaseBreakdown(std::span<const Series> sumSeries,
                                      std::span<const Series> countSeries, const Window &window);

// Read vs write latency from edge_db_query_duration_seconds buckets (label op = read, write).
struct ReadWriteLatency
{
    double readSeconds = noData; // q-quantile of reads
    double writeSeconds = noData; // q-quantile of writes
    double readMeanSeconds = noData;
    double writeMeanSeconds = noData;
};

// The quantile from the `_bucket` series; the means from `_sum`/`_count` (empty spans: NaN).
ReadWriteLatency readWriteLatency(double q, std::span<const Series> bucketSeries,
                                  std::span<const Series> sumSeries,
                                  std::span<const Series> countSeries, const Window &window);

} // namespace fleetscope::analytics
