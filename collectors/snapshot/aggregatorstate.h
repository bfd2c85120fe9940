#pragma once

// The FleetAggregator's private parts, shared by fleetaggregator.cpp (ingesting scrapes into
// per-node and per-region state) and fleetbuild.cpp (rolling the store forward and building a
// FleetSnapshot): the node, region and series state, and the helpers both use. One thread (the
// aggregator's owner).

#include "snapshot/fleetaggregator.h"

#include "analytics/usage.h"
#include "exposition/dump.h"
#include "exposition/numbers.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <unordered_map>
#include <vector>

namespace fleetscope::snapshot {

using fleet::MetricRole;
namespace ex = fleetscope::exposition;

namespace aggregation {

inline constexpr char kSep = '\x1f'; // between region and key in store keys
inline constexpr std::uint32_t kNone = UINT32_MAX; // no slot, no gauge

inline std::string toStd(const QString &s)
{
    return s.toStdString();
}

inline QString fromStd(std::string_view s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

inline std::string labelOr(const ex::Exposition &e, const ex::Sample &s, std::string_view name,
                           std::string_view fallback = {})
{
    const auto v = e.labelValue(s, name);
    return std::string(v ? *v : fallback);
}

// splitmix64's finaliser.
inline std::uint64_t mix(std::uint64_t h)
{
    h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ull;
    h = (h ^ (h >> 27)) * 0x94d049bb133111ebull;
    return h ^ (h >> 31);
}

inline std::uint64_t load64(const char *p)
{
    std::uint64_t w;
    std::memcpy(&w, p, sizeof w);
    return w;
}

inline std::uint64_t load32(const char *p)
{
    std::uint32_t w;
    std::memcpy(&w, p, sizeof w);
    return w;
}

// `text` eight bytes at a time, after its length (so a name/value split cannot move unnoticed);
// a tail is read as an overlapping word, never past the end. Each step is a bijection of the
// state for a given word and of the word for a given state.
inline std::uint64_t hashText(std::string_view text, std::uint64_t h)
{
    constexpr std::uint64_t k = 0x9E3779B97F4A7C15ull;
    auto step = [](std::uint64_t state, std::uint64_t w) {
        state = (state ^ w) * k;
        return state ^ (state >> 32);
    };
    const char *p = text.data();
    const std::size_t n = text.size();
    h = (h ^ n) * 0xff51afd7ed558ccdull;
    if (n >= 8) {
        const char *const last = p + n - 8;
        for (; p < last; p += 8)
            h = step(h, load64(p));
        return step(h, load64(last));
    }
    if (n >= 4)
        return step(h, load32(p) | (load32(p + n - 4) << 32));
    if (n > 0)
        return step(h,
                    (std::uint64_t(static_cast<unsigned char>(p[0])) << 16)
                        | (std::uint64_t(static_cast<unsigned char>(p[n / 2])) << 8)
                        | std::uint64_t(static_cast<unsigned char>(p[n - 1])));
    return h;
}

// A sample's identity within its target: name and every label, order-independent. Each label's
// hash is mixed before the sum: raw, the differences between similar labelsets can cancel
// ({status="500",le="0.2"} and {status="503",le="0.3"} once collided that way, and the two series
// then shared one previous value).
inline std::uint64_t seriesHash(const ex::Exposition &e, const ex::Sample &s)
{
    const std::uint64_t h = mix(hashText(s.name, 0x243F6A8885A308D3ull));
    std::uint64_t labels = 0;
    for (const ex::Label &l : e.labelsOf(s))
        labels += mix(hashText(l.value, hashText(l.name, 0x13198A2E03707344ull)));
    return h ^ (labels * 0x9E3779B97F4A7C15ull);
}

// Gauge roles the aggregator keeps (per node, aggregated per region at each tick).
inline bool keptGauge(MetricRole role)
{
    switch (role) {
    case MetricRole::ReplicaLag:
    case MetricRole::WriteQueueDepth:
    case MetricRole::WriteQueueOldestAge:
    case MetricRole::SyncLastSuccessTimestamp:
    case MetricRole::MemoryLimit:
    case MetricRole::Instances:
    case MetricRole::DbConnections:
        return true;
    default:
        return false;
    }
}

inline std::string statusClass(std::string_view status)
{
    if (status.size() == 3 && status[0] >= '1' && status[0] <= '5')
        return std::string(1, status[0]) + "xx";
    return "other";
}

inline Series thin(Series s, std::size_t maxPoints)
{
    if (maxPoints < 2 || s.size() <= maxPoints)
        return s;
    Series out;
    out.reserve(maxPoints);
    const double stride = double(s.size() - 1) / double(maxPoints - 1);
    for (std::size_t i = 0; i < maxPoints; ++i)
        out.push_back(s[std::min(s.size() - 1, std::size_t(std::llround(double(i) * stride)))]);
    return out;
}

} // namespace aggregation

using namespace aggregation;

// What one series of one node does at each scrape, decided when it is first seen (resolve()).
struct FleetAggregator::SeriesEntry
{
    std::uint64_t hash = 0; // seriesHash
    double value = 0; // counters: the raw value last read
    double before = 0; // counters: the raw value of the previous scrape, when hasBefore
    std::uint32_t seen = 0; // the node's scrape number when last read; 0 never
    std::uint32_t epoch = 0; // the node's region epoch the slots were resolved for
    std::uint32_t slot =
        kNone; // counters: cumulative slot; gauges: the node's gauge; kNone: unused
    std::uint32_t slot2 = kNone; // request histograms' _count: its requests:<status class> slot
    std::uint8_t role = 0; // the MetricRole it was resolved for
    ex::SampleSuffix suffix = ex::SampleSuffix::None;
    bool hasBefore = false;
    bool gauge = false;
    bool wall = false; // InvocationDuration: adds to the node's wall time
};

struct FleetAggregator::NodeState
{
    QString targetId, url, region, node, provider;
    QString labelRegion, labelNode, labelProvider; // from the fleet file
    Health health = Health::Unknown;
    QString cause;
    int httpStatus = 0;
    double lastScrape = kNaN;
    double lastSuccess = kNaN;
    double lastDurationMs = kNaN;
    double samples = 0;
    QString format;
    QString primary;
    std::string primaryRaw; // the label primary was converted from
    double lat = kNaN, lon = kNaN;
    QString city;
    bool counting = false; // a previous scrape was ingested

    // This node's latest gauge values, by key ("queue_depth", "instances:warm", ...); those not
    // present in the last scrape are left out of the region's aggregates.
    struct Gauge
    {
        std::string key;
        double value = 0;
        bool present = false;
        std::uint32_t announced = 0; // the region epoch its key was added to gaugeKeys for
    };
    std::vector<Gauge> gauges;
    std::uint32_t memoryGauge = kNone;

    // Series, found by seriesHash through an open-addressing table of their indexes (kNone:
    // empty; a power of two, at most half full): one hash, one lookup, one add per sample.
    std::vector<SeriesEntry> series;
    std::vector<std::uint32_t> table;
    std::uint32_t scrapeNumber = 1; // bumped by every ingested scrape
    std::vector<int> familyRoles; // per family of the scrape being ingested: role, or -1

    RegionState *regionState = nullptr; // the region the slots point into
    std::uint32_t regionEpoch = 0;
    std::uint64_t infoHash = 0; // the node-info samples last read
    bool infoValid = false;

    std::uint32_t gauge(std::string_view key)
    {
        for (std::size_t i = 0; i < gauges.size(); ++i) {
            if (gauges[i].key == key)
                return std::uint32_t(i);
        }
        gauges.push_back(Gauge { std::string(key) });
        if (key == "memory_limit_bytes")
            memoryGauge = std::uint32_t(gauges.size() - 1);
        return std::uint32_t(gauges.size() - 1);
    }

    std::uint32_t find(std::uint64_t hash) const
    {
        if (table.empty())
            return kNone;
        const std::size_t mask = table.size() - 1;
        for (std::size_t i = std::size_t(hash) & mask;; i = (i + 1) & mask) {
            const std::uint32_t index = table[i];
            if (index == kNone || series[index].hash == hash)
                return index;
        }
    }

    std::uint32_t add(std::uint64_t hash)
    {
        if ((series.size() + 1) * 2 > table.size())
            rehash(std::max<std::size_t>(64, table.size() * 2));
        const auto index = std::uint32_t(series.size());
        series.emplace_back().hash = hash;
        place(hash, index);
        return index;
    }

    void place(std::uint64_t hash, std::uint32_t index)
    {
        const std::size_t mask = table.size() - 1;
        std::size_t i = std::size_t(hash) & mask;
        while (table[i] != kNone)
            i = (i + 1) & mask;
        table[i] = index;
    }

    void rehash(std::size_t slots)
    {
        table.assign(slots, kNone);
        for (std::uint32_t i = 0; i < series.size(); ++i)
            place(series[i].hash, i);
    }

    // Forgets the series (and gauges) the last scrape did not have, once they outnumber those it
    // had. A forgotten series that comes back starts as new, as one absent for a scrape does
    // anyway.
    void compact(std::uint32_t scrape)
    {
        std::vector<std::uint32_t> gaugeMap(gauges.size(), kNone);
        std::vector<Gauge> keptGauges;
        for (std::size_t i = 0; i < gauges.size(); ++i) {
            if (gauges[i].present) {
                gaugeMap[i] = std::uint32_t(keptGauges.size());
                keptGauges.push_back(std::move(gauges[i]));
            }
        }
        gauges = std::move(keptGauges);
        memoryGauge = memoryGauge == kNone ? kNone : gaugeMap[memoryGauge];

        std::vector<SeriesEntry> kept;
        for (SeriesEntry &entry : series) {
            if (entry.seen != scrape)
                continue;
            if (entry.gauge && entry.slot != kNone)
                entry.slot = gaugeMap[entry.slot];
            kept.push_back(entry);
        }
        kept.shrink_to_fit();
        series = std::move(kept);
        std::size_t slots = 64;
        while (slots < 2 * series.size())
            slots *= 2;
        rehash(slots);
    }
};

struct FleetAggregator::RegionState
{
    QString code;
    // Reset-corrected sums over the region's nodes, by slot; slotOf maps their names to slots.
    struct Cumulative
    {
        std::string storeKey; // region, kSep, name
        double value = 0;
        store::SeriesStore::Id id = store::SeriesStore::kNoSeries; // checked against storeKey
    };
    std::vector<Cumulative> cumulative;
    std::size_t prefixBytes = 0; // of every storeKey: the region and kSep
    std::unordered_map<std::string, std::uint32_t, StringHash, std::equal_to<>> slotOf;
    std::uint32_t gbSeconds = kNone;
    std::map<std::string, std::set<double>> bounds; // histogram key -> le values seen
    std::set<std::string> gaugeKeys;

    std::uint32_t slot(std::string name)
    {
        if (const auto it = slotOf.find(name); it != slotOf.end())
            return it->second;
        const auto index = std::uint32_t(cumulative.size());
        std::string storeKey = toStd(code) + kSep;
        prefixBytes = storeKey.size();
        storeKey += name;
        cumulative.push_back(Cumulative { std::move(storeKey) });
        slotOf.emplace(std::move(name), index);
        unsorted = true;
        return index;
    }

    std::string_view nameOf(std::uint32_t slot) const
    {
        return std::string_view(cumulative[slot].storeKey).substr(prefixBytes);
    }

    // Slots in name order (the order the store and the snapshot see them in).
    const std::vector<std::uint32_t> &inOrder() const
    {
        if (unsorted) {
            sorted.resize(cumulative.size());
            for (std::uint32_t i = 0; i < sorted.size(); ++i)
                sorted[i] = i;
            std::sort(sorted.begin(), sorted.end(), [this](std::uint32_t a, std::uint32_t b) {
                return cumulative[a].storeKey < cumulative[b].storeKey; // one prefix: by name
            });
            unsorted = false;
        }
        return sorted;
    }

private:
    mutable std::vector<std::uint32_t> sorted;
    mutable bool unsorted = false;
};

} // namespace fleetscope::snapshot
