// FleetAggregator: scrapes in, per-node and per-region state out. Building snapshots from that
// state is in fleetbuild.cpp.

#include "snapshot/aggregatorstate.h"

namespace fleetscope::snapshot {

FleetAggregator::FleetAggregator(fleet::MetricNames names, store::StoreOptions options)
    : m_names(std::move(names))
    , m_store(options)
{
    // Family names of each role in both formats: 0.0.4 counters are named with _total, their
    // OpenMetrics families without it.
    for (const auto &info : fleet::metricRoles()) {
        for (const QString &name : m_names.candidates(info.role)) {
            const std::string n = toStd(name);
            m_familyRoles.emplace(n, std::make_pair(info.role, false));
            if (info.kind == fleet::MetricKind::Counter && n.size() > 6
                && n.compare(n.size() - 6, 6, "_total") == 0)
                m_familyRoles.emplace(n.substr(0, n.size() - 6), std::make_pair(info.role, true));
        }
    }
}

FleetAggregator::~FleetAggregator() = default;

FleetAggregator::NodeState &FleetAggregator::node(const QString &targetId)
{
    auto &slot = m_nodes[targetId];
    if (!slot) {
        slot = std::make_unique<NodeState>();
        slot->targetId = targetId;
    }
    return *slot;
}

FleetAggregator::RegionState &FleetAggregator::region(const QString &code)
{
    auto &slot = m_regions[code];
    if (!slot) {
        slot = std::make_unique<RegionState>();
        slot->code = code;
    }
    return *slot;
}

void FleetAggregator::addTarget(const QString &targetId, const QString &url, const QString &region,
                                const QString &nodeName, const QString &provider)
{
    NodeState &n = node(targetId);
    n.url = url;
    n.labelRegion = region;
    n.labelNode = nodeName;
    n.labelProvider = provider;
    n.region = region;
    n.node = nodeName;
    n.provider = provider;
    n.infoValid = false; // identity is decided again at the next scrape
    if (!region.isEmpty())
        this->region(region);
}

void FleetAggregator::setPlace(const QString &region, const RegionPlace &place)
{
    m_places[region] = place;
}

FleetAggregator::RegionState &FleetAggregator::regionOf(NodeState &n)
{
    if (!n.regionState || n.regionState->code != n.region) {
        n.regionState = &region(n.region);
        n.regionEpoch = ++m_regionEpochs; // every series of the node resolves its slots again
    }
    return *n.regionState;
}

void FleetAggregator::ingest(const NodeScrape &scrape)
{
    NodeState &n = node(scrape.targetId);
    if (!scrape.url.isEmpty())
        n.url = scrape.url;
    // The labels decide the node's identity below: a change means reading it again.
    auto update = [&n](QString &field, const QString &value) {
        if (!value.isEmpty() && value != field) {
            field = value;
            n.infoValid = false;
        }
    };
    update(n.labelRegion, scrape.region);
    update(n.labelNode, scrape.node);
    update(n.labelProvider, scrape.provider);
    if (n.region.isEmpty() && !n.labelRegion.isEmpty()) {
        n.region = n.labelRegion;
        region(n.region);
    }
    n.health = scrape.health;
    n.cause = scrape.cause;
    n.httpStatus = scrape.httpStatus;
    n.lastScrape = scrape.time;
    n.lastDurationMs = scrape.durationMs;
    ++m_scrapesIngested;
    if (!scrape.exposition || !scrape.exposition->ok()
        || (scrape.health != Health::Up && scrape.health != Health::Idle))
        return;
    n.lastSuccess = scrape.time;
    n.samples = double(scrape.exposition->samples.size());
    if (const QLatin1String format(ex::formatName(scrape.exposition->format)); n.format != format)
        n.format = format;

    const ex::Exposition &e = *scrape.exposition;
    n.familyRoles.resize(e.families.size());
    for (std::size_t i = 0; i < e.families.size(); ++i) {
        const auto it = m_familyRoles.find(e.families[i].name);
        n.familyRoles[i] = it == m_familyRoles.end() ? -1 : int(it->second.first);
    }
    readNodeInfo(n, e);
    if (n.region.isEmpty())
        n.region = n.labelRegion;
    if (n.node.isEmpty())
        n.node = n.labelNode;
    ingestSamples(n, regionOf(n), e, scrape.time);
}

// Identity first: the fleet file's labels win over the node's own (as in Prometheus). The
// node-info samples rarely change, so they are turned into strings only when they do.
void FleetAggregator::readNodeInfo(NodeState &n, const ex::Exposition &e)
{
    std::uint64_t h = 0x452821E638D01377ull;
    for (std::size_t i = 0; i < e.families.size(); ++i) {
        if (n.familyRoles[i] != int(MetricRole::NodeInfo))
            continue;
        const auto samples = e.samplesOf(e.families[i]);
        h = mix(h ^ (samples.empty() ? 0xBE5466CF34E90C6Cull : seriesHash(e, samples.front())));
    }
    if (n.infoValid && h == n.infoHash)
        return;
    n.infoHash = h;
    n.infoValid = true;
    for (std::size_t i = 0; i < e.families.size(); ++i) {
        if (n.familyRoles[i] != int(MetricRole::NodeInfo))
            continue;
        for (const ex::Sample &s : e.samplesOf(e.families[i])) {
            auto label = [&](std::string_view name) {
                const auto v = e.labelValue(s, name);
                return v ? fromStd(*v) : QString();
            };
            n.region = n.labelRegion.isEmpty() ? label("region") : n.labelRegion;
            n.node = n.labelNode.isEmpty() ? label("node") : n.labelNode;
            n.provider = n.labelProvider.isEmpty() ? label("provider") : n.labelProvider;
            n.city = label("city");
            bool okLat = false, okLon = false;
            const double lat = label("lat").toDouble(&okLat);
            const double lon = label("lon").toDouble(&okLon);
            if (okLat && okLon && std::fabs(lat) <= 90 && std::fabs(lon) <= 180) {
                n.lat = lat;
                n.lon = lon;
            }
            break;
        }
    }
}

// Decides where a series' samples go: the region slots (named as before, once) for counters and
// histogram series, the node's gauge for gauges; kNone for samples the aggregator does not keep.
void FleetAggregator::resolve(SeriesEntry &entry, NodeState &n, RegionState &r,
                              const ex::Exposition &e, const ex::Sample &s, MetricRole role)
{
    entry.epoch = n.regionEpoch;
    entry.role = std::uint8_t(role);
    entry.suffix = s.suffix;
    entry.slot = kNone;
    entry.slot2 = kNone;
    entry.gauge = false;
    entry.wall = false;
    const auto &info = fleet::metricRoleInfo(role);
    if (info.kind == fleet::MetricKind::Counter) {
        std::string key = info.key;
        switch (role) {
        case MetricRole::CacheRequests:
            key = "cache:" + labelOr(e, s, "result", "unknown");
            break;
        case MetricRole::KvOperations:
            key = "kv_ops:" + labelOr(e, s, "op", "unknown");
            break;
        case MetricRole::DbQueries:
            key = "db_queries:" + labelOr(e, s, "op", "unknown") + ':'
                + labelOr(e, s, "target", "unknown");
            break;
        default:
            break;
        }
        entry.slot = r.slot(std::move(key));
        entry.wall = role == MetricRole::InvocationDuration;
    } else if (info.kind == fleet::MetricKind::Histogram) {
        std::string hist = info.key;
        if (role == MetricRole::RequestPhaseDuration)
            hist.append(1, ':').append(labelOr(e, s, "phase", "unknown"));
        else if (role == MetricRole::DbQueryDuration)
            hist.append(1, ':').append(labelOr(e, s, "op", "unknown"));
        if (s.suffix == ex::SampleSuffix::Bucket) {
            const auto le = e.labelValue(s, "le");
            double bound = 0;
            if (!le || ex::detail::parseNumber(*le, bound) != ex::detail::NumberResult::Ok
                || std::isnan(bound))
                return;
            r.bounds[hist].insert(bound);
            entry.slot = r.slot("hist:" + hist + '|' + ex::formatValue(bound));
        } else if (s.suffix == ex::SampleSuffix::Sum) {
            entry.slot = r.slot("histsum:" + hist);
        } else if (s.suffix == ex::SampleSuffix::Count) {
            entry.slot = r.slot("histcount:" + hist);
            if (role == MetricRole::RequestDuration)
                entry.slot2 = r.slot("requests:" + statusClass(labelOr(e, s, "status")));
        }
    } else {
        entry.gauge = true;
        switch (role) {
        case MetricRole::ReplicaLag:
            entry.slot = n.gauge("replica_lag");
            break;
        case MetricRole::WriteQueueDepth:
            entry.slot = n.gauge("queue_depth");
            break;
        case MetricRole::WriteQueueOldestAge:
            entry.slot = n.gauge("queue_age");
            break;
        case MetricRole::SyncLastSuccessTimestamp:
            entry.slot = n.gauge("last_sync");
            break;
        case MetricRole::MemoryLimit:
            entry.slot = n.gauge("memory_limit_bytes");
            break;
        case MetricRole::Instances:
            entry.slot = n.gauge("instances:" + labelOr(e, s, "state", "unknown"));
            break;
        case MetricRole::DbConnections:
            entry.slot = n.gauge("db_connections:" + labelOr(e, s, "state", "unknown"));
            break;
        default:
            break;
        }
    }
}

void FleetAggregator::ingestSamples(NodeState &n, RegionState &r, const ex::Exposition &e,
                                    double /*time*/)
{
    const std::uint32_t scrape = ++n.scrapeNumber;
    const bool counting = n.counting;
    for (NodeState::Gauge &g : n.gauges) {
        g.value = 0;
        g.present = false;
    }
    double wallDelta = 0;
    std::size_t touched = 0;

    for (std::size_t fi = 0; fi < e.families.size(); ++fi) {
        if (n.familyRoles[fi] < 0)
            continue;
        const ex::Family &f = e.families[fi];
        const auto role = MetricRole(n.familyRoles[fi]);
        const fleet::MetricKind kind = fleet::metricRoleInfo(role).kind;
        m_samplesIngested += double(f.sampleCount);
        if (kind == fleet::MetricKind::Gauge && !keptGauge(role))
            continue;
        for (const ex::Sample &s : e.samplesOf(f)) {
            if (kind == fleet::MetricKind::Counter && s.suffix == ex::SampleSuffix::Created)
                continue;
            const std::uint64_t hash = seriesHash(e, s);
            std::uint32_t index = n.find(hash);
            if (index == kNone)
                index = n.add(hash);
            SeriesEntry &entry = n.series[index];
            if (entry.seen != scrape) { // the first sample of this series in this scrape
                entry.hasBefore = entry.seen != 0 && entry.seen == scrape - 1;
                entry.before = entry.value;
                entry.seen = scrape;
                ++touched;
            }
            if (entry.epoch != n.regionEpoch || entry.role != std::uint8_t(role)
                || entry.suffix != s.suffix)
                resolve(entry, n, r, e, s, role);
            if (entry.slot == kNone)
                continue;

            if (entry.gauge) {
                NodeState::Gauge &g = n.gauges[entry.slot];
                g.present = true;
                switch (role) {
                case MetricRole::ReplicaLag:
                    g.value = std::max(g.value, s.value);
                    if (const auto p = e.labelValue(s, "primary"); p && *p != n.primaryRaw) {
                        n.primaryRaw = *p;
                        n.primary = fromStd(*p);
                    }
                    break;
                case MetricRole::WriteQueueOldestAge:
                case MetricRole::SyncLastSuccessTimestamp:
                    g.value = std::max(g.value, s.value);
                    break;
                case MetricRole::MemoryLimit:
                    g.value = s.value;
                    break;
                default: // depths and instance or connection counts add up
                    g.value += s.value;
                    break;
                }
                continue;
            }

            // A counter or histogram series: its increase since the node's previous scrape.
            double delta = 0;
            if (entry.hasBefore)
                delta = s.value >= entry.before ? s.value - entry.before : s.value; // a reset
            else if (counting)
                delta = s.value; // a series born since the last scrape started from zero
            if (!std::isfinite(delta))
                delta = 0;
            entry.value = s.value;
            r.cumulative[entry.slot].value += delta;
            if (entry.slot2 != kNone)
                r.cumulative[entry.slot2].value += delta;
            if (entry.wall)
                wallDelta += delta;
        }
    }
    // GB-seconds: this node's wall time times its memory limit.
    if (n.memoryGauge != kNone && n.gauges[n.memoryGauge].present) {
        if (r.gbSeconds == kNone)
            r.gbSeconds = r.slot("gb_seconds");
        r.cumulative[r.gbSeconds].value +=
            analytics::gbSeconds(wallDelta, n.gauges[n.memoryGauge].value);
    }
    for (NodeState::Gauge &g : n.gauges) {
        if (g.present && g.announced != n.regionEpoch) {
            r.gaugeKeys.insert(g.key);
            g.announced = n.regionEpoch;
        }
    }
    if (n.series.size() > 2 * touched + 64)
        n.compact(scrape);
    else if (!n.counting)
        n.series.shrink_to_fit(); // a node's first scrape shows what it serves: no slack
    n.counting = true;
}

} // namespace fleetscope::snapshot
