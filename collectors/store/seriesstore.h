#pragma once

// Bounded in-memory time-series store. Recent points are kept as written; points older than the
// raw retention are folded into coarser steps (the last value of each step, which suits
// counters and gauges alike) kept up to the full retention (24 h by default). Series that stop
// receiving points are evicted after staleAfterSeconds, and when the memory budget is reached
// the least recently updated series go first. Reports its own size. Not thread-safe: owned and
// used by one collector thread; query results are copies.

#include "snapshot/fleetsnapshot.h"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace fleetscope::store {

using snapshot::Point;
using snapshot::Series;

struct StoreOptions
{
    double rawRetentionSeconds = 3600; // points as scraped
    double coarseStepSeconds = 60; // then one point a minute ...
    double coarseRetentionSeconds = 6 * 3600; // ... for six hours
    double coarsestStepSeconds = 300; // then one point every five minutes ...
    double retentionSeconds = 24 * 3600; // ... up to a day
    double staleAfterSeconds = 600; // a series without points this long is evicted
    std::size_t memoryBudgetBytes = 256u * 1024 * 1024;
};

struct StoreStats
{
    std::size_t series = 0;
    std::size_t points = 0;
    std::size_t bytes = 0; // everything the store holds, capacities included
    std::size_t evictedStale = 0; // since construction
    std::size_t evictedForBudget = 0;
    std::size_t refused = 0; // points not stored because the budget was exhausted
    double bytesPerSeries() const { return series ? double(bytes) / double(series) : 0; }
    double bytesPerPoint() const { return points ? double(bytes) / double(points) : 0; }
};

class SeriesStore
{
public:
    using Id = std::uint32_t;
    static constexpr Id kNoSeries = UINT32_MAX;

    explicit SeriesStore(StoreOptions options = {});
    ~SeriesStore();
    SeriesStore(const SeriesStore &) = delete;
    SeriesStore &operator=(const SeriesStore &) = delete;

    // The id of the series called `key`, creating it; kNoSeries when the budget is exhausted.
    // Ids stay valid until the series is evicted (then find() no longer returns them).
    Id intern(std::string_view key);
    Id find(std::string_view key) const;
    const std::string &key(Id id) const;

    // Appends a point; points must come in time order per series (older ones are ignored).
    void append(Id id, double t, double v);

    // Points with from <= t <= to, coarse ones first, oldest first.
    Series query(Id id, double from, double to) const;
    Series query(std::string_view key, double from, double to) const;
    // The newest point, if any.
    const Point *last(Id id) const;

    // Drops series that received nothing since now - staleAfterSeconds, and points older than
    // now - retentionSeconds. Returns how many series were dropped.
    std::size_t evictStale(double now);

    std::vector<std::string> keysWithPrefix(std::string_view prefix) const;
    StoreStats stats() const;
    const StoreOptions &options() const { return m_options; }

private:
    struct Series_;
    void fold(Series_ &s);
    void drop(Id id);
    void enforceBudget(Id keep);
    std::size_t bytesOf(const Series_ &s) const;

    StoreOptions m_options;
    std::vector<std::unique_ptr<Series_>> m_series; // by id; null when evicted
    std::vector<Id> m_free;
    struct Index;
    std::unique_ptr<Index> m_index;
    std::size_t m_bytes = 0;
    mutable StoreStats m_counters;
};

} // namespace fleetscope::store
