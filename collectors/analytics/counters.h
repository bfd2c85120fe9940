#pragma once

// PromQL increase(), rate() and delta() over one series window, with Prometheus'
// extrapolatedRate semantics (counter resets, extrapolation to the window edges), and their sums
// over many series. Pure functions over values; any thread; results returned by value.

#include "series.h"

#include <optional>
#include <span>

namespace fleetscope::analytics {

// increase(x[range]) at window.end. Samples must be in strictly ascending time; only those with
// start < t <= end count. NaN when fewer than two samples fall in the window or the times are
// not strictly ascending (Prometheus returns no sample there).
double increase(std::span<const Sample> samples, const Window &window);

// As increase(), but nullopt where PromQL yields no sample at all (the series drops out of an
// aggregation), which a NaN sample value inside the window does not.
std::optional<double> increaseResult(std::span<const Sample> samples, const Window &window);

// rate(x[range]): increase() divided by the range in seconds.
double rate(std::span<const Sample> samples, const Window &window);

// delta(x[range]) for gauges: the same extrapolation without counter-reset handling or the
// zero-point limit.
double delta(std::span<const Sample> samples, const Window &window);

// sum(increase(x{matchers}[range])): series without a result (fewer than two samples) are left
// out of the sum, as PromQL's sum ignores absent elements; NaN when no series has a result.
double sumIncrease(std::span<const Series> series, const Window &window,
                   std::span<const LabelMatch> matchers = {});

// sum(rate(x{matchers}[range])), the same way.
double sumRate(std::span<const Series> series, const Window &window,
               std::span<const LabelMatch> matchers = {});

} // namespace fleetscope::analytics
