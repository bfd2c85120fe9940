#include "snapshot/replay.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace fleetscope::snapshot {

namespace {

// Linear filters rather than binary searches: a snapshot is untrusted input and its order is
// not something to rely on for correctness.
void cut(Series &series, double t)
{
    std::erase_if(series, [t](const Point &p) { return !(p.t <= t); });
}

void cut(HistogramWindow &h, double t)
{
    std::size_t kept = 0;
    for (std::size_t i = 0; i < h.times.size(); ++i) {
        if (!(h.times[i] <= t))
            continue;
        h.times[kept] = h.times[i];
        if (i < h.counts.size() && kept != i)
            h.counts[kept] = std::move(h.counts[i]);
        ++kept;
    }
    h.times.resize(kept);
    if (h.counts.size() > kept)
        h.counts.resize(kept);
    cut(h.sum, t);
}

} // namespace

double replayStart(const FleetSnapshot &snapshot)
{
    const double start = snapshot.windowStart;
    return std::isfinite(start) && start <= snapshot.time ? start : snapshot.time;
}

FleetSnapshot snapshotAt(const FleetSnapshot &snapshot, double t,
                         std::span<const analytics::PricingProfile> profiles)
{
    FleetSnapshot out = snapshot;
    t = std::isnan(t) ? snapshot.time : std::clamp(t, replayStart(snapshot), snapshot.time);
    for (RegionData &r : out.regions) {
        for (auto &[key, h] : r.histograms)
            cut(h, t);
        for (auto &[key, s] : r.counters)
            cut(s, t);
        for (auto &[key, s] : r.gauges)
            cut(s, t);
    }
    out.time = t;
    analyse(out, profiles);
    return out;
}

} // namespace fleetscope::snapshot
