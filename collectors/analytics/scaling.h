#pragma once

// Scale-to-zero behaviour: cold starts over a window, whether a node or region is scaled to zero
// now (every edge_instances gauge is 0) and its peak instance count. Pure functions; any thread.

#include "series.h"

#include <span>

namespace fleetscope::analytics {

// sum(increase(edge_cold_starts_total[w])); NaN without data.
double coldStarts(std::span<const Series> coldStartSeries, const Window &window);

enum class ScaleState {
    NoData, // no edge_instances series has a value at that instant
    ScaledToZero, // every instance gauge (warm, busy) that has a value is 0
    Active, // some instance gauge is above 0
};

ScaleState scaleState(std::span<const Series> instanceSeries, double at,
                      double lookback = defaultLookbackSeconds);

// Sum over the series of each one's maximum in the window: an upper bound of the concurrent
// instance peak (exact when the series peak together). NaN without data.
double peakInstances(std::span<const Series> instanceSeries, const Window &window);

} // namespace fleetscope::analytics
