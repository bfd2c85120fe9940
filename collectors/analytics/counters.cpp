#include "counters.h"

#include <algorithm>
#include <cmath>
#include <optional>

namespace fleetscope::analytics {

namespace {

enum class Kind { Counter, Gauge };

// Follows the float branch of Prometheus' extrapolatedRate (promql/functions.go).
// nullopt: no result (the series is absent from the output vector), unlike a NaN result, which
// a NaN sample value produces and which a sum carries on, as in PromQL.
std::optional<double> extrapolated(std::span<const Sample> samples, const Window &window, Kind kind,
                                   bool perSecond)
{
    const double rangeStart = window.start();
    const double rangeEnd = window.end;
    const auto first = std::upper_bound(samples.begin(), samples.end(), rangeStart,
                                        [](double t, const Sample &s) { return t < s.t; });
    const auto last = std::upper_bound(first, samples.end(), rangeEnd,
                                       [](double t, const Sample &s) { return t < s.t; });
    const std::span<const Sample> in(first, last);
    if (in.size() < 2 || !(window.range > 0))
        return std::nullopt;
    for (std::size_t i = 1; i < in.size(); ++i) {
        if (!(in[i].t > in[i - 1].t))
            return std::nullopt; // a store must not hand over unordered or duplicate timestamps
    }

    double result = in.back().v - in.front().v;
    if (kind == Kind::Counter) {
        // A drop is a reset: the counter restarted from zero, so the value before the drop was
        // gained as well.
        for (std::size_t i = 1; i < in.size(); ++i) {
            if (in[i].v < in[i - 1].v)
                result += in[i - 1].v;
        }
    }

    double durationToStart = in.front().t - rangeStart;
    double durationToEnd = rangeEnd - in.back().t;
    const double sampledInterval = in.back().t - in.front().t;
    const double averageInterval = sampledInterval / double(in.size() - 1);

    // Extrapolate to an edge only when a sample could be expected there (within 110% of the
    // average interval); otherwise assume the series starts or ends half an interval away.
    const double threshold = averageInterval * 1.1;
    if (durationToStart >= threshold)
        durationToStart = averageInterval / 2;
    if (kind == Kind::Counter) {
        // Counters are never negative: do not extrapolate back past the zero point.
        double durationToZero = durationToStart;
        if (result > 0 && in.front().v >= 0)
            durationToZero = sampledInterval * (in.front().v / result);
        if (durationToZero < durationToStart)
            durationToStart = durationToZero;
    }
    if (durationToEnd >= threshold)
        durationToEnd = averageInterval / 2;

    double factor = (sampledInterval + durationToStart + durationToEnd) / sampledInterval;
    if (perSecond)
        factor /= window.range;
    return result * factor;
}

double sumOver(std::span<const Series> series, const Window &window,
               std::span<const LabelMatch> matchers, bool perSecond)
{
    double sum = noData;
    bool seen = false;
    for (const Series &s : series) {
        if (!matches(s, matchers))
            continue;
        const std::optional<double> v = extrapolated(s.samples, window, Kind::Counter, perSecond);
        if (!v)
            continue;
        sum = seen ? sum + *v : *v;
        seen = true;
    }
    return sum;
}

} // namespace

double increase(std::span<const Sample> samples, const Window &window)
{
    return extrapolated(samples, window, Kind::Counter, false).value_or(noData);
}

std::optional<double> increaseResult(std::span<const Sample> samples, const Window &window)
{
    return extrapolated(samples, window, Kind::Counter, false);
}

double rate(std::span<const Sample> samples, const Window &window)
{
    return extrapolated(samples, window, Kind::Counter, true).value_or(noData);
}

double delta(std::span<const Sample> samples, const Window &window)
{
    return extrapolated(samples, window, Kind::Gauge, false).value_or(noData);
}

double sumIncrease(std::span<const Series> series, const Window &window,
                   std::span<const LabelMatch> matchers)
{
    return sumOver(series, window, matchers, false);
}

double sumRate(std::span<const Series> series, const Window &window,
               std::span<const LabelMatch> matchers)
{
    return sumOver(series, window, matchers, true);
}

} // namespace fleetscope::analytics
