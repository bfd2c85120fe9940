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

namespace {

constexpr char kSep = '\x1f'; // between region and key in store keys
constexpr std::uint32_t kNone = UINT32_MAX; // no slot, no gauge

std::string toStd(const QString &s)
{
    return s.toStdString();
}

QString fromStd(std::string_view s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

std::string labelOr(const ex::Exposition &e, const ex::Sample &s, std::string_view name,
                    std::string_view fallback = {})
{
    const auto v = e.labelValue(s, name);
    return std::string(v ? *v : fallback);
}

// splitmix64's finaliser.
std::uint64_t mix(std::uint64_t h)
{
    h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ull;
    h = (h ^ (h >> 27)) * 0x94d049bb133111ebull;
    return h ^ (h >> 31);
}

std::uint64_t load64(const char *p)
{
    std::uint64_t w;
    std::memcpy(&w, p, sizeof w);
    return w;
}

std::uint64_t load32(const char *p)
{
    std::uint32_t w;
    std::memcpy(&w, p, sizeof w);
    return w;
}

// `text` eight bytes at a time, after its length (so a name/value split cannot move unnoticed);
// a tail is read as an overlapping word, never past the end. Each step is a bijection of the
// state for a given word and of the word for a given state.
std::uint64_t hashText(std::string_view text, std::uint64_t h)
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
std::uint64_t seriesHash(const ex::Exposition &e, const ex::Sample &s)
{
    const std::uint64_t h = mix(hashText(s.name, 0x243F6A8885A308D3ull));
    std::uint64_t labels = 0;
    for (const ex::Label &l : e.labelsOf(s))
        labels += mix(hashText(l.value, hashText(l.name, 0x13198A2E03707344ull)));
    return h ^ (labels * 0x9E3779B97F4A7C15ull);
}

// Gauge roles the aggregator keeps (per node, aggregated per region at each tick).
bool keptGauge(MetricRole role)
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

std::string statusClass(std::string_view status)
{
    if (status.size() == 3 && status[0] >= '1' && status[0] <= '5')
        return std::string(1, status[0]) + "xx";
    return "other";
}

Series thin(Series s, std::size_t maxPoints)
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

} // namespace

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
            hist += ":" + labelOr(e, s, "phase", "unknown");
        else if (role == MetricRole::DbQueryDuration)
            hist += ":" + labelOr(e, s, "op", "unknown");
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

void FleetAggregator::tick(double now)
{
    std::string key;
    for (auto &[code, r] : m_regions) {
        const std::string prefix = toStd(code) + kSep;
        for (const std::uint32_t slot : r->inOrder()) {
            RegionState::Cumulative &c = r->cumulative[slot];
            // The id interned last time, unless the store has evicted it since (intern's answer).
            if (c.id == store::SeriesStore::kNoSeries || m_store.key(c.id) != c.storeKey)
                c.id = m_store.intern(c.storeKey);
            m_store.append(c.id, now, c.value);
        }
        // Gauges over the region's live nodes.
        std::map<std::string, std::vector<double>> values;
        for (const auto &[id, n] : m_nodes) {
            if (n->region != code || !(n->lastSuccess >= now - m_staleAfter))
                continue;
            for (const NodeState::Gauge &g : n->gauges) {
                if (g.present)
                    values[g.key].push_back(g.value);
            }
        }
        for (const std::string &name : r->gaugeKeys) {
            const auto it = values.find(name);
            if (it == values.end() || it->second.empty())
                continue;
            const auto &v = it->second;
            double agg = 0;
            if (name == "replica_lag" || name == "queue_age") {
                agg = *std::max_element(v.begin(), v.end());
            } else if (name == "last_sync") {
                agg = *std::min_element(v.begin(), v.end());
            } else if (name == "memory_limit_bytes") {
                for (const double x : v)
                    agg += x;
                agg /= double(v.size());
            } else {
                for (const double x : v)
                    agg += x;
            }
            key = prefix + "gauge:" + name;
            m_store.append(m_store.intern(key), now, agg);
        }
    }
    m_store.evictStale(now);
}

FleetSnapshot FleetAggregator::build(double now, const Settings &settings,
                                     std::size_t maxPointsPerSeries) const
{
    FleetSnapshot s;
    s.time = now;
    s.settings = settings;
    const double from = now - settings.windowSeconds;
    s.windowStart = from;

    std::map<QString, int> primaryVotes;
    for (const auto &[code, r] : m_regions) {
        RegionData d;
        d.code = code;
        if (const auto p = m_places.find(code); p != m_places.end()) {
            d.name = p->second.name;
            d.city = p->second.city;
            d.country = p->second.country;
            d.provider = p->second.provider;
            d.lat = p->second.lat;
            d.lon = p->second.lon;
        }
        std::map<QString, int> votes;
        for (const auto &[id, n] : m_nodes) {
            if (n->region != code)
                continue;
            if (std::isnan(d.lat) && !std::isnan(n->lat)) { // coordinates from the node itself
                d.lat = n->lat;
                d.lon = n->lon;
                if (d.city.isEmpty())
                    d.city = n->city;
            }
            if (!n->primary.isEmpty())
                ++votes[n->primary];
        }
        d.placed = !std::isnan(d.lat) && !std::isnan(d.lon);
        int best = 0;
        for (const auto &[p, count] : votes) {
            if (count > best) {
                best = count;
                d.primary = p;
            }
        }
        if (!d.primary.isEmpty())
            primaryVotes[d.primary] += best;

        const std::string prefix = toStd(code) + kSep;
        for (const std::uint32_t slot : r->inOrder()) {
            const std::string_view name = r->nameOf(slot);
            if (name.rfind("hist:", 0) == 0 || name.rfind("histsum:", 0) == 0
                || name.rfind("histcount:", 0) == 0)
                continue; // carried with the histogram windows below
            d.counters.emplace(
                fromStd(name),
                thin(m_store.query(r->cumulative[slot].storeKey, from, now), maxPointsPerSeries));
        }
        for (const auto &[hist, bounds] : r->bounds) {
            HistogramWindow h;
            h.bounds.assign(bounds.begin(), bounds.end());
            std::vector<Series> perBound;
            for (const double b : h.bounds)
                perBound.push_back(
                    m_store.query(prefix + "hist:" + hist + '|' + ex::formatValue(b), from, now));
            // Ticks append every bucket together, so the +Inf bucket's times are everyone's.
            const Series &reference = perBound.back();
            const Series thinned = thin(reference, maxPointsPerSeries);
            for (const Point &p : thinned) {
                h.times.push_back(p.t);
                std::vector<double> row;
                row.reserve(perBound.size());
                for (const Series &sb : perBound) {
                    const auto at =
                        std::lower_bound(sb.begin(), sb.end(), p.t,
                                         [](const Point &x, double t) { return x.t < t; });
                    row.push_back(at != sb.end() && at->t == p.t ? at->v : kNaN);
                }
                h.counts.push_back(std::move(row));
            }
            h.sum = thin(m_store.query(prefix + "histsum:" + hist, from, now), maxPointsPerSeries);
            d.counters.emplace(
                QStringLiteral("histcount:") + fromStd(hist),
                thin(m_store.query(prefix + "histcount:" + hist, from, now), maxPointsPerSeries));
            d.histograms.emplace(fromStd(hist), std::move(h));
        }
        for (const std::string &g : r->gaugeKeys)
            d.gauges.emplace(
                fromStd(g),
                thin(m_store.query(prefix + "gauge:" + g, from, now), maxPointsPerSeries));
        s.regions.push_back(std::move(d));
    }

    for (const auto &[id, n] : m_nodes) {
        TargetRow t;
        t.id = id;
        t.url = n->url;
        t.region = n->region;
        t.node = n->node;
        t.provider = n->provider;
        t.health = n->health;
        t.cause = n->cause;
        if (t.health != Health::Down && !std::isnan(n->lastScrape)
            && !(n->lastSuccess >= now - m_staleAfter)) {
            t.health = Health::Stale;
            t.cause = std::isnan(n->lastSuccess) ? QStringLiteral("no successful scrape yet")
                                                 : QStringLiteral("no successful scrape for %1 s")
                                                       .arg(std::llround(now - n->lastSuccess));
        }
        t.lastScrapeTime = n->lastScrape;
        t.lastScrapeDurationMs = n->lastDurationMs;
        t.httpStatus = n->httpStatus;
        t.samples = n->samples;
        t.format = n->format;
        s.targets.push_back(t);
        for (RegionData &d : s.regions) {
            if (d.code != n->region)
                continue;
            switch (t.health) {
            case Health::Up:
                ++d.nodesUp;
                break;
            case Health::Idle:
                ++d.nodesIdle;
                break;
            case Health::Down:
                ++d.nodesDown;
                break;
            case Health::Stale:
                ++d.nodesStale;
                break;
            case Health::Unknown:
                break;
            }
        }
    }
    int best = 0;
    for (const auto &[p, count] : primaryVotes) {
        if (count > best) {
            best = count;
            s.primaryRegion = p;
        }
    }
    return s;
}

AggregatorStats FleetAggregator::stats() const
{
    AggregatorStats st;
    st.samplesIngested = m_samplesIngested;
    st.scrapesIngested = m_scrapesIngested;
    st.store = m_store.stats();
    return st;
}

} // namespace fleetscope::snapshot
