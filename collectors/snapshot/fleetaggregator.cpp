#include "snapshot/fleetaggregator.h"

#include "analytics/usage.h"
#include "exposition/dump.h"
#include "exposition/numbers.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace fleetscope::snapshot {

using fleet::MetricRole;
namespace ex = fleetscope::exposition;

namespace {

constexpr char kSep = '\x1f'; // between region and key in store keys

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

// splitmix64's finaliser. FNV-1a ends in a multiplication, so the FNV values of two strings that
// differ in their last byte differ by a small multiple of the prime; added up raw, those
// differences cancel ({status="500",le="0.2"} and {status="503",le="0.3"} collided, and the two
// series then shared one previous value). Mixed first, they do not.
std::uint64_t mix(std::uint64_t h)
{
    h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ull;
    h = (h ^ (h >> 27)) * 0x94d049bb133111ebull;
    return h ^ (h >> 31);
}

// A sample's identity within its target: name and every label, order-independent.
std::uint64_t seriesHash(const ex::Exposition &e, const ex::Sample &s)
{
    auto fnv = [](std::string_view text, std::uint64_t h) {
        for (const char c : text) {
            h ^= static_cast<unsigned char>(c);
            h *= 1099511628211ull;
        }
        return h;
    };
    std::uint64_t h = fnv(s.name, 1469598103934665603ull);
    std::uint64_t labels = 0;
    for (const ex::Label &l : e.labelsOf(s))
        labels += mix(fnv(l.value, fnv(l.name, 7809847782465536322ull) * 31));
    return h ^ (labels * 0x9E3779B97F4A7C15ull);
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
    double lat = kNaN, lon = kNaN;
    QString city;
    std::unordered_map<std::uint64_t, double> lastRaw; // counter and bucket series
    std::map<std::string, double> gauges; // this node's latest gauge values
    bool counting = false; // lastRaw holds a previous scrape
};

struct FleetAggregator::RegionState
{
    QString code;
    std::map<std::string, double> cumulative; // reset-corrected sums over the region's nodes
    std::map<std::string, std::set<double>> bounds; // histogram key -> le values seen
    std::set<std::string> gaugeKeys;
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
    if (!region.isEmpty())
        this->region(region);
}

void FleetAggregator::setPlace(const QString &region, const RegionPlace &place)
{
    m_places[region] = place;
}

void FleetAggregator::ingest(const NodeScrape &scrape)
{
    NodeState &n = node(scrape.targetId);
    if (!scrape.url.isEmpty())
        n.url = scrape.url;
    if (!scrape.region.isEmpty())
        n.labelRegion = scrape.region;
    if (!scrape.node.isEmpty())
        n.labelNode = scrape.node;
    if (!scrape.provider.isEmpty())
        n.labelProvider = scrape.provider;
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
    n.format = QLatin1String(ex::formatName(scrape.exposition->format));

    // Identity first: the fleet file's labels win over the node's own (as in Prometheus).
    const ex::Exposition &e = *scrape.exposition;
    for (const ex::Family &f : e.families) {
        const auto it = m_familyRoles.find(std::string(f.name));
        if (it == m_familyRoles.end() || it->second.first != MetricRole::NodeInfo)
            continue;
        for (const ex::Sample &s : e.samplesOf(f)) {
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
    if (n.region.isEmpty())
        n.region = n.labelRegion;
    if (n.node.isEmpty())
        n.node = n.labelNode;
    ingestSamples(n, region(n.region), e, scrape.time);
}

void FleetAggregator::ingestSamples(NodeState &n, RegionState &r, const ex::Exposition &e,
                                    double /*time*/)
{
    n.gauges.clear();
    double wallDelta = 0;
    const bool counting = n.counting;
    std::unordered_map<std::uint64_t, double> seen;
    seen.reserve(n.lastRaw.size());

    auto addCounter = [&](const std::string &key, const ex::Sample &s) {
        const std::uint64_t id = seriesHash(e, s);
        const auto prev = n.lastRaw.find(id);
        double delta = 0;
        if (prev != n.lastRaw.end())
            delta = s.value >= prev->second ? s.value - prev->second : s.value; // a reset
        else if (counting)
            delta = s.value; // a series born since the last scrape started from zero
        if (!std::isfinite(delta))
            delta = 0;
        seen[id] = s.value;
        r.cumulative[key] += delta;
        return delta;
    };

    for (const ex::Family &f : e.families) {
        const auto it = m_familyRoles.find(std::string(f.name));
        if (it == m_familyRoles.end())
            continue;
        const MetricRole role = it->second.first;
        const auto &info = fleet::metricRoleInfo(role);
        for (const ex::Sample &s : e.samplesOf(f)) {
            ++m_samplesIngested;
            if (info.kind == fleet::MetricKind::Counter) {
                if (s.suffix == ex::SampleSuffix::Created)
                    continue;
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
                const double d = addCounter(key, s);
                if (role == MetricRole::InvocationDuration)
                    wallDelta += d;
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
                        continue;
                    r.bounds[hist].insert(bound);
                    addCounter("hist:" + hist + '|' + ex::formatValue(bound), s);
                } else if (s.suffix == ex::SampleSuffix::Sum) {
                    addCounter("histsum:" + hist, s);
                } else if (s.suffix == ex::SampleSuffix::Count) {
                    addCounter("histcount:" + hist, s);
                    if (role == MetricRole::RequestDuration)
                        addCounter("requests:" + statusClass(labelOr(e, s, "status")), s);
                }
            } else { // gauges
                switch (role) {
                case MetricRole::ReplicaLag: {
                    double &g = n.gauges["replica_lag"];
                    g = std::max(g, s.value);
                    if (const auto p = e.labelValue(s, "primary"))
                        n.primary = fromStd(*p);
                    break;
                }
                case MetricRole::WriteQueueDepth:
                    n.gauges["queue_depth"] += s.value;
                    break;
                case MetricRole::WriteQueueOldestAge: {
                    double &g = n.gauges["queue_age"];
                    g = std::max(g, s.value);
                    break;
                }
                case MetricRole::SyncLastSuccessTimestamp: {
                    double &g = n.gauges["last_sync"];
                    g = std::max(g, s.value);
                    break;
                }
                case MetricRole::MemoryLimit:
                    n.gauges["memory_limit_bytes"] = s.value;
                    break;
                case MetricRole::Instances:
                    n.gauges["instances:" + labelOr(e, s, "state", "unknown")] += s.value;
                    break;
                case MetricRole::DbConnections:
                    n.gauges["db_connections:" + labelOr(e, s, "state", "unknown")] += s.value;
                    break;
                default:
                    break;
                }
            }
        }
    }
    // GB-seconds: this node's wall time times its memory limit.
    if (const auto mem = n.gauges.find("memory_limit_bytes"); mem != n.gauges.end())
        r.cumulative["gb_seconds"] += analytics::gbSeconds(wallDelta, mem->second);
    for (const auto &[key, value] : n.gauges)
        r.gaugeKeys.insert(key);
    n.lastRaw.swap(seen);
    n.counting = true;
}

void FleetAggregator::tick(double now)
{
    std::string key;
    for (auto &[code, r] : m_regions) {
        const std::string prefix = toStd(code) + kSep;
        for (const auto &[name, value] : r->cumulative) {
            key = prefix + name;
            m_store.append(m_store.intern(key), now, value);
        }
        // Gauges over the region's live nodes.
        std::map<std::string, std::vector<double>> values;
        for (const auto &[id, n] : m_nodes) {
            if (n->region != code || !(n->lastSuccess >= now - m_staleAfter))
                continue;
            for (const auto &[name, v] : n->gauges)
                values[name].push_back(v);
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
        for (const auto &[name, value] : r->cumulative) {
            if (name.rfind("hist:", 0) == 0 || name.rfind("histsum:", 0) == 0
                || name.rfind("histcount:", 0) == 0)
                continue; // carried with the histogram windows below
            d.counters.emplace(fromStd(name),
                               thin(m_store.query(prefix + name, from, now), maxPointsPerSeries));
        }
        for (const auto &[hist, bounds] : r->bounds) {
            HistogramWindow h;
            h.bounds.assign(bounds.begin(), bounds.end());
            std::vector<Series> perBound;
            for (const double b : h.bounds)
                perBound.push_back(m_store.query(prefix + "hist:" + hist + '|' + ex::formatValue(b), from, now));
            // Ticks append every bucket together, so the +Inf bucket's times are everyone's.
            const Series &reference = perBound.back();
            const Series thinned = thin(reference, maxPointsPerSeries);
            for (const Point &p : thinned) {
                h.times.push_back(p.t);
                std::vector<double> row;
                row.reserve(perBound.size());
                for (const Series &sb : perBound) {
                    const auto at = std::lower_bound(sb.begin(), sb.end(), p.t,
                                                     [](const Point &x, double t) { return x.t < t; });
                    row.push_back(at != sb.end() && at->t == p.t ? at->v : kNaN);
                }
                h.counts.push_back(std::move(row));
            }
            h.sum = thin(m_store.query(prefix + "histsum:" + hist, from, now), maxPointsPerSeries);
            d.counters.emplace(QStringLiteral("histcount:") + fromStd(hist),
                               thin(m_store.query(prefix + "histcount:" + hist, from, now), maxPointsPerSeries));
            d.histograms.emplace(fromStd(hist), std::move(h));
        }
        for (const std::string &g : r->gaugeKeys)
            d.gauges.emplace(fromStd(g), thin(m_store.query(prefix + "gauge:" + g, from, now), maxPointsPerSeries));
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
            t.cause = std::isnan(n->lastSuccess)
                    ? QStringLiteral("no successful scrape yet")
                    : QStringLiteral("no successful scrape for %1 s").arg(std::llround(now - n->lastSuccess));
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
