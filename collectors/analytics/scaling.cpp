#include "scaling.h"

#include "counters.h"

#include <cmath>

namespace fleetscope::analytics {

double coldStarts(std::span<const Series> coldStartSeries, const Window &window)
{
    return sumIncrease(coldStartSeries, window);
}

ScaleState scaleState(std::span<const Series> instanceSeries, double at, double lookback)
{
    bool any = false;
    for (const Series &s : instanceSeries) {
        const double v = latestValue(s.samples, at, lookback);
        if (std::isnan(v))
            continue;
        if (v > 0)
            return ScaleState::Active;
        any = true;
    }
    return any ? ScaleState::ScaledToZero : ScaleState::NoData;
}

double peakInstances(std::span<const Series> instanceSeries, const Window &window)
{
    double sum = noData;
    for (const Series &s : instanceSeries) {
        const double peak = maxOverWindow(s.samples, window);
        if (!std::isnan(peak))
            sum = std::isnan(sum) ? peak : sum + peak;
    }
    return sum;
}

} // namespace fleetscope::analytics
