#pragma once

// FleetAggregator: turns each target's scraped exposition into per-region series in the store
// and builds FleetSnapshots from them. Counters and histogram buckets are corrected for resets
// per node and summed over a region's nodes into one monotonic series (so any window's increase
// is a difference); gauges are aggregated per region (max, sum or min as the metric means).
// Not thread-safe: lives on the collector thread; build() returns a value.
//
// The steady state costs one hash, one flat lookup and one add per sample, with no allocation:
// each node remembers, per series, where its value goes (a slot of its region's cumulative sums,
// or one of its own gauges); the string keys are built once, when a series is first seen.

#include "exposition/exposition.h"
#include "fleet/metricroles.h"
#include "snapshot/fleetsnapshot.h"
#include "store/seriesstore.h"

#include <QHash>
#include <QString>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>

namespace fleetscope::snapshot {

// One scrape of one target, as the aggregator reads it.
struct NodeScrape
{
    QString targetId;
    QString url; // without credentials
    QString region, node, provider; // from the fleet file's target labels; may be empty
    double time = 0; // seconds since the epoch, when the scrape started
    Health health = Health::Unknown; // Up, Idle, Down (Stale is decided by the aggregator)
    QString cause; // for Down
    int httpStatus = 0;
    double durationMs = kNaN;
    const exposition::Exposition *exposition = nullptr; // null when the scrape failed
};

// Where a region is, from the region catalogue (or the targets' lat/lon labels).
struct RegionPlace
{
    QString name, city, country, provider;
    double lat = kNaN, lon = kNaN;
};

struct AggregatorStats
{
    double samplesIngested = 0; // since construction
    double scrapesIngested = 0;
    store::StoreStats store;
};

class FleetAggregator
{
public:
    explicit FleetAggregator(fleet::MetricNames names = {}, store::StoreOptions options = {});
    ~FleetAggregator();

    // Known targets, so a target never scraped yet still shows in the node table.
    void addTarget(const QString &targetId, const QString &url, const QString &region,
                   const QString &node, const QString &provider);
    void setPlace(const QString &region, const RegionPlace &place);

    void ingest(const NodeScrape &scrape);

    // Records every region's series at `now` (call once per scrape interval or snapshot tick).
    void tick(double now);

    // The snapshot at `now` over settings.windowSeconds. Series windows are thinned to at most
    // maxPointsPerSeries points (keeping the first and last), which keeps increases exact at the
    // kept points. Figures are left empty: analyse() fills them.
    FleetSnapshot build(double now, const Settings &settings,
                        std::size_t maxPointsPerSeries = 240) const;

    // A target without a successful scrape for this long is stale.
    void setStaleAfter(double seconds) { m_staleAfter = seconds; }

    AggregatorStats stats() const;

private:
    struct NodeState;
    struct RegionState;
    struct SeriesEntry;
    struct StringHash
    {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const noexcept
        {
            return std::hash<std::string_view> {}(s);
        }
    };
    NodeState &node(const QString &targetId);
    RegionState &region(const QString &code);
    RegionState &regionOf(NodeState &node);
    void readNodeInfo(NodeState &node, const exposition::Exposition &e);
    void ingestSamples(NodeState &node, RegionState &region, const exposition::Exposition &e,
                       double time);
    void resolve(SeriesEntry &entry, NodeState &node, RegionState &region,
                 const exposition::Exposition &e, const exposition::Sample &s,
                 fleet::MetricRole role);

    fleet::MetricNames m_names;
    std::unordered_map<std::string, std::pair<fleet::MetricRole, bool>, StringHash, std::equal_to<>>
        m_familyRoles;
    store::SeriesStore m_store;
    std::map<QString, std::unique_ptr<NodeState>> m_nodes; // by target id
    std::map<QString, std::unique_ptr<RegionState>> m_regions; // by code
    std::map<QString, RegionPlace> m_places;
    double m_staleAfter = 60;
    double m_samplesIngested = 0;
    double m_scrapesIngested = 0;
    std::uint32_t m_regionEpochs = 0; // bumped whenever a node's region changes
};

} // namespace fleetscope::snapshot
