#pragma once

// HistogramState: one cumulative Prometheus histogram as plain numbers (bucket counts and sum),
// filled by the model with weighted observations and turned into prometheus-cpp's ClientMetric
// on collection. A value type; its owner serialises access.

#include <prometheus/client_metric.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

namespace fleetscope::sim {

class HistogramState
{
public:
    HistogramState() = default;
    explicit HistogramState(std::span<const double> bounds)
        : m_bounds(bounds)
        , m_counts(bounds.size() + 1, 0)
    { }

    // Records `weight` observations of `value` (weight stands for that many requests).
    void observe(double value, std::uint64_t weight = 1)
    {
        if (weight == 0)
            return;
        std::size_t i = 0;
        while (i < m_bounds.size() && value > m_bounds[i])
            ++i;
        m_counts[i] += weight;
        m_count += weight;
        m_sum += value * double(weight);
    }

    void reset()
    {
        std::fill(m_counts.begin(), m_counts.end(), 0);
        m_count = 0;
        m_sum = 0;
    }

    std::uint64_t count() const { return m_count; }
    double sum() const { return m_sum; }
    std::span<const double> bounds() const { return m_bounds; }

    void fill(prometheus::ClientMetric::Histogram &out) const
    {
        out.sample_count = m_count;
        out.sample_sum = m_sum;
        out.bucket.clear();
        out.bucket.reserve(m_counts.size());
        std::uint64_t cumulative = 0;
        for (std::size_t i = 0; i < m_counts.size(); ++i) {
            cumulative += m_counts[i];
            prometheus::ClientMetric::Bucket b;
            b.cumulative_count = cumulative;
            b.upper_bound =
                i < m_bounds.size() ? m_bounds[i] : std::numeric_limits<double>::infinity();
            out.bucket.push_back(b);
        }
    }

private:
    std::span<const double> m_bounds;
    std::vector<std::uint64_t> m_counts;
    std::uint64_t m_count = 0;
    double m_sum = 0;
};

} // namespace fleetscope::sim
