#include "histogram.h"

#include "counters.h"
#include "exposition/numbers.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

namespace fleetscope::analytics {

namespace {

// Adds up buckets that share a bound; input sorted.
void coalesce(std::vector<Bucket> &buckets)
{
    std::size_t out = 0;
    for (std::size_t i = 1; i < buckets.size(); ++i) {
        if (buckets[i].upperBound == buckets[out].upperBound)
            buckets[out].count += buckets[i].count;
        else
            buckets[++out] = buckets[i];
    }
    buckets.resize(out + 1);
}

// A difference this small relative to the count is float noise from summing, not a real step;
// flattening it keeps the counts monotonic (Prometheus' correctPrecisionErrors, tolerance 1e-12).
bool flattenPrecisionErrors(std::vector<Bucket> &buckets)
{
    bool fixed = false;
    double previous = buckets.front().count;
    for (std::size_t i = 1; i < buckets.size(); ++i) {
        const double current = buckets[i].count;
        const double difference = std::abs(current - previous);
        if (difference == 0)
            continue;
        if (difference / current <= 1e-12) {
            buckets[i].count = previous;
            fixed = true;
        } else {
            previous = current;
        }
    }
    return fixed;
}

// Cumulative counts can only grow with the bound; take the running maximum where they do not.
bool forceMonotonic(std::vector<Bucket> &buckets)
{
    bool forced = false;
    double highest = buckets.front().count;
    for (Bucket &b : buckets) {
        if (b.count > highest) {
            highest = b.count;
        } else if (b.count < highest) {
            b.count = highest;
            forced = true;
        }
    }
    return forced;
}

} // namespace

double histogramQuantile(double q, std::span<const Bucket> input, QuantileNotes *notes)
{
    constexpr double inf = std::numeric_limits<double>::infinity();
    if (notes)
        *notes = {};
    if (std::isnan(q))
        return noData;
    if (q < 0)
        return -inf;
    if (q > 1)
        return inf;
    if (input.empty())
        return noData;

    // Charts ask at every step of a window: one buffer per thread, and no sort when the buckets
    // arrive in order (they do from a snapshot).
    thread_local std::vector<Bucket> buckets;
    buckets.assign(input.begin(), input.end());
    const auto byBound = [](const Bucket &a, const Bucket &b) {
        return a.upperBound < b.upperBound;
    };
    if (!std::is_sorted(buckets.begin(), buckets.end(), byBound))
        std::stable_sort(buckets.begin(), buckets.end(), byBound);
    if (buckets.back().upperBound != inf)
        return noData;
    coalesce(buckets);
    const bool fixedPrecision = flattenPrecisionErrors(buckets);
    const bool forcedMonotonic = forceMonotonic(buckets);
    if (notes)
        *notes = { forcedMonotonic, fixedPrecision };
    if (buckets.size() < 2)
        return noData;
    const double observations = buckets.back().count;
    if (observations == 0)
        return noData;

    double rank = q * observations;
    // The first bucket (the +Inf one excluded) whose cumulative count reaches the rank.
    const auto finiteEnd = buckets.end() - 1;
    const auto found = std::find_if(buckets.begin(), finiteEnd,
                                    [rank](const Bucket &b) { return b.count >= rank; });
    if (found == finiteEnd)
        return (finiteEnd - 1)->upperBound; // in the +Inf bucket: the highest finite bound
    if (found == buckets.begin() && found->upperBound <= 0)
        return found->upperBound;

    double bucketStart = 0;
    double count = found->count;
    if (found != buckets.begin()) {
        const Bucket &below = *(found - 1);
        bucketStart = below.upperBound;
        count -= below.count;
        rank -= below.count;
    }
    return bucketStart + (found->upperBound - bucketStart) * (rank / count);
}

std::optional<double> parseBucketBound(QStringView le)
{
    const QByteArray latin = le.toLatin1();
    double value = 0;
    if (exposition::detail::parseNumber(std::string_view(latin.constData(), latin.size()), value)
        != exposition::detail::NumberResult::Ok)
        return std::nullopt;
    return value;
}

std::vector<Bucket> sumBucketIncreases(std::span<const Series> bucketSeries, const Window &window,
                                       std::span<const LabelMatch> matchers)
{
    std::map<double, double> byBound;
    for (const Series &s : bucketSeries) {
        if (!matches(s, matchers))
            continue;
        const std::optional<double> bound = parseBucketBound(s.label(u"le"));
        if (!bound || std::isnan(*bound))
            continue;
        // A series with fewer than two samples in the window has no increase; sum skips it.
        if (const std::optional<double> v = increaseResult(s.samples, window))
            byBound[*bound] += *v;
    }
    std::vector<Bucket> result;
    result.reserve(byBound.size());
    for (const auto &[bound, count] : byBound)
        result.push_back({ bound, count });
    return result;
}

double quantileOverWindow(double q, std::span<const Series> bucketSeries, const Window &window,
                          std::span<const LabelMatch> matchers)
{
    return histogramQuantile(q, sumBucketIncreases(bucketSeries, window, matchers));
}

} // namespace fleetscope::analytics
