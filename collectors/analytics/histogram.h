#pragma once

// PromQL histogram_quantile() over classic (le-bucketed) histograms, exactly as Prometheus'
// bucketQuantile, and the region pipeline histogram_quantile(q, sum by (le) (increase(x[w]))).
// Pure functions over values; any thread; results returned by value.

#include "series.h"

#include <QStringView>

#include <optional>
#include <span>
#include <vector>

namespace fleetscope::analytics {

// One cumulative bucket: observations <= upperBound.
struct Bucket
{
    double upperBound = 0;
    double count = 0;
    friend bool operator==(const Bucket &, const Bucket &) = default;
};

// What bucketQuantile had to repair; Prometheus reports these as annotations.
struct QuantileNotes
{
    bool forcedMonotonic = false; // a cumulative count fell from one bucket to the next
    bool fixedPrecision = false; // tiny float differences (relative 1e-12) were flattened
};

// The q-quantile of cumulative buckets in any order. NaN when q is NaN, when there is no +Inf
// bucket, fewer than two distinct bounds, or no observations; -Inf when q < 0, +Inf when
// q > 1. Buckets with the same bound are added up; counts are made monotonic; interpolation is
// linear inside the bucket, from 0 for the lowest bucket when its bound is above 0 (its bound
// itself when <= 0); a quantile in the +Inf bucket is the highest finite bound.
double histogramQuantile(double q, std::span<const Bucket> buckets, QuantileNotes *notes = nullptr);

// The `le` label as Prometheus reads it (Go ParseFloat grammar: "0.5", "1e-3", "+Inf"); nullopt
// when malformed. Independent of the locale.
std::optional<double> parseBucketBound(QStringView le);

// sum by (le) (increase(x_bucket{matchers}[range])): each `_bucket` series (carrying an `le`
// label) gets its own extrapolated increase; series without a result or with a malformed `le`
// are left out (PromQL drops them); increases with the same bound are added across series
// (a region's nodes). Sorted by bound.
std::vector<Bucket> sumBucketIncreases(std::span<const Series> bucketSeries, const Window &window,
                                       std::span<const LabelMatch> matchers = {});

// histogram_quantile(q, sum by (le) (rate(x_bucket{matchers}[range]))). Rate and increase differ
// by the constant range, which cancels in the interpolation, so this uses the increases.
double quantileOverWindow(double q, std::span<const Series> bucketSeries, const Window &window,
                          std::span<const LabelMatch> matchers = {});

} // namespace fleetscope::analytics
