// FleetAggregator: rolling the series store forward (tick) and building the FleetSnapshot the
// views and exports read, with the aggregator's own statistics.

#include "snapshot/aggregatorstate.h"

namespace fleetscope::snapshot {

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
