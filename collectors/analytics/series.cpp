#include "series.h"

#include <algorithm>
#include <cmath>

namespace fleetscope::analytics {

QString Series::label(QStringView name) const
{
    for (const Label &l : labels) {
        if (l.name == name)
            return l.value;
    }
    return {};
}

bool matches(const Series &series, std::span<const LabelMatch> matchers)
{
    return std::all_of(matchers.begin(), matchers.end(),
                       [&series](const LabelMatch &m) { return series.label(m.name) == m.value; });
}

double latestValue(std::span<const Sample> samples, double at, double lookback)
{
    // First sample after `at`; the one before it is the newest at or before `at`.
    const auto after = std::upper_bound(samples.begin(), samples.end(), at,
                                        [](double t, const Sample &s) { return t < s.t; });
    if (after == samples.begin())
        return noData;
    const Sample &s = *std::prev(after);
    return s.t > at - lookback ? s.v : noData;
}

double maxOverWindow(std::span<const Sample> samples, const Window &window)
{
    double result = noData;
    for (const Sample &s : samples) {
        if (s.t > window.start() && s.t <= window.end && (std::isnan(result) || s.v > result))
            result = s.v;
    }
    return result;
}

} // namespace fleetscope::analytics
