#include "sync.h"

#include "counters.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace fleetscope::analytics {

GaugeSummary summarizeGauges(std::span<const Series> series, double at,
                             std::span<const LabelMatch> matchers, double lookback)
{
    GaugeSummary g;
    for (const Series &s : series) {
        if (!matches(s, matchers))
            continue;
        const double v = latestValue(s.samples, at, lookback);
        if (std::isnan(v))
            continue;
        if (g.count == 0) {
            g.min = g.max = g.sum = v;
        } else {
            g.min = std::min(g.min, v);
            g.max = std::max(g.max, v);
            g.sum += v;
        }
        ++g.count;
    }
    if (g.count > 0)
        g.mean = g.sum / g.count;
    return g;
}

double timeSinceLastSync(double now, double lastSuccessTimestamp)
{
    if (std::isnan(lastSuccessTimestamp) || std::isnan(now))
        return noData;
    if (lastSuccessTimestamp <= 0)
        return std::numeric_limits<double>::infinity();
    return std::max(0.0, now - lastSuccessTimestamp);
}

SyncState syncState(std::span<const Series> replicaLag, std::span<const Series> queueDepth,
                    std::span<const Series> queueOldestAge, std::span<const Series> lastSuccess,
                    std::span<const Series> syncFailures, const Window &window)
{
    const double now = window.end;
    SyncState s;
    s.replicaLagSeconds = summarizeGauges(replicaLag, now);
    s.queueDepth = summarizeGauges(queueDepth, now).sum;
    s.oldestQueuedAgeSeconds = summarizeGauges(queueOldestAge, now).max;
    s.secondsSinceLastSync = timeSinceLastSync(now, summarizeGauges(lastSuccess, now).min);
    s.syncFailures = sumIncrease(syncFailures, window);
    return s;
}

} // namespace fleetscope::analytics
