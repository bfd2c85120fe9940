#include "nodemodel.h"

#include <algorithm>
#include <cmath>

namespace fleetscope::sim {

namespace {

// Bucket bounds in seconds, chosen for edge latencies: sub-millisecond cache hits, tens of
// milliseconds within a continent, a few hundred across oceans, seconds for cold starts.
constexpr double requestBounds[] = { 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15,
                                     0.2,   0.3,    0.5,   0.75, 1,     2.5,  5,     10 };
constexpr double rttBounds[] = { 0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1 };
constexpr double phaseBounds[] = { 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                   0.05,   0.1,   0.25,   0.5,   1,    2.5 };
constexpr double kvBounds[] = {
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1
};
constexpr double coldStartBounds[] = { 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10 };

constexpr const char *routeLabels[] = { "/", "/api/read", "/api/write", "/api/events" };
constexpr const char *statusLabels[] = { "200", "500", "503" };
constexpr const char *phaseLabels[] = { "dns", "tls", "compute", "kv", "db" };
constexpr const char *cacheLabels[] = { "hit", "miss", "stale" };
constexpr const char *kvOpLabels[] = { "read", "write", "delete", "list" };

enum Status { Ok = 0, ServerError = 1, Unavailable = 2 };
enum KvOp { KvRead = 0, KvWrite = 1, KvDelete = 2, KvList = 3 };
enum DbQuery { ReadReplica = 0, ReadPrimary = 1, WritePrimary = 2 };

constexpr int samplesPerRoute = 16; // representative requests per route and step
constexpr double maxStepSeconds = 60;
constexpr double syncBatchRows = 250;
constexpr double queueLimit = 200000;

std::string toStd(const QString &s)
{
    return s.toStdString();
}

prometheus::MetricFamily makeFamily(const char *name, const char *help, prometheus::MetricType type)
{
    prometheus::MetricFamily f;
    f.name = name;
    f.help = help;
    f.type = type;
    return f;
}

prometheus::ClientMetric &addMetric(prometheus::MetricFamily &f,
                                    std::vector<prometheus::ClientMetric::Label> labels = {})
{
    f.metric.emplace_back();
    f.metric.back().label = std::move(labels);
    return f.metric.back();
}

void addCounter(std::vector<prometheus::MetricFamily> &out, const char *name, const char *help,
                double value)
{
    auto f = makeFamily(name, help, prometheus::MetricType::Counter);
    addMetric(f).counter.value = value;
    out.push_back(std::move(f));
}

void addGauge(std::vector<prometheus::MetricFamily> &out, const char *name, const char *help,
              double value)
{
    auto f = makeFamily(name, help, prometheus::MetricType::Gauge);
    addMetric(f).gauge.value = value;
    out.push_back(std::move(f));
}

} // namespace

NodeSpec NodeSpec::make(const QString &name, const Region &region, const Region &primary,
                        std::uint64_t fleetSeed, int index)
{
    Rng rng(Rng::mix(fleetSeed, std::uint64_t(index) + 1));
    NodeSpec spec;
    spec.name = name;
    spec.region = region;
    spec.primary = primary;
    spec.seed = Rng::mix(fleetSeed ^ 0x5eed, std::uint64_t(index) + 1);
    spec.peakRps = std::clamp(rng.logNormal(30, 0.5), 5.0, 300.0);
    spec.writeShare = rng.uniform(0.06, 0.12);
    spec.eventShare = rng.uniform(0.05, 0.10);
    spec.readShare = rng.uniform(0.35, 0.45);
    spec.memoryLimitBytes = (rng.chance(0.7) ? 128LL : 256LL) * 1024 * 1024;
    spec.clientRttMedianSeconds = rng.uniform(0.012, 0.035);
    return spec;
}

NodeModel::NodeModel(const NodeSpec &spec, double startTime)
    : m_spec(spec)
    , m_rng(spec.seed)
    , m_time(startTime)
{
    for (auto &byStatus : m_requestDuration)
        for (auto &h : byStatus)
            h = HistogramState(requestBounds);
    m_clientRtt = HistogramState(rttBounds);
    for (auto &h : m_phase)
        h = HistogramState(phaseBounds);
    m_kvRead = HistogramState(kvBounds);
    for (auto &h : m_dbDuration)
        h = HistogramState(requestBounds);
    m_coldStartDuration = HistogramState(coldStartBounds);

    const double km = geo::distanceKm(spec.region, spec.primary);
    // Within one metro the stack, not the distance, sets the floor: about half a millisecond.
    m_rttPrimary = std::max(0.0005, geo::fibreRttSeconds(km) * spec.pathStretch);
    m_oneWayPrimary = m_rttPrimary / 2;
    // Far replicas batch more per sync to amortise the round trip.
    m_syncInterval = 5.0 + 20.0 * m_rttPrimary;
    m_nextSync = startTime + m_rng.uniform(0, m_syncInterval);
    m_lastSyncSuccess = startTime;
    m_replicatedUpTo = startTime;

    m_nodeLabel = toStd(spec.name);
    m_regionLabel = toStd(spec.region.code);
    m_providerLabel = toStd(spec.region.provider);
    m_cityLabel = toStd(spec.region.city);
    m_latLabel = toStd(QString::number(spec.region.lat, 'f', 2));
    m_lonLabel = toStd(QString::number(spec.region.lon, 'f', 2));
    m_primaryLabel = toStd(spec.primary.code);
}

double NodeModel::localHour(double time) const
{
    const double hours = time / 3600.0 + solarUtcOffsetHours(m_spec.region);
    const double h = std::fmod(hours, 24.0);
    return h < 0 ? h + 24.0 : h;
}

double NodeModel::diurnalShape(double hour) const
{
    // Lowest at 04:00 and highest at 16:00 local; below the night floor there is no traffic at
    // all (roughly 01:50 to 06:10), which is what lets a region scale to zero.
    constexpr double nightFloor = 0.08;
    const double base = 0.5 - 0.5 * std::cos(2 * M_PI * (hour - 4.0) / 24.0);
    return std::max(0.0, (base - nightFloor) / (1 - nightFloor));
}

void NodeModel::advanceTo(double time)
{
    while (m_time < time) {
        const double dt = std::min(maxStepSeconds, time - m_time);
        step(m_time + dt, dt);
        m_time += dt;
    }
}

void NodeModel::step(double t, double dt)
{
    const double shape = diurnalShape(localHour(t));

    if (m_burst && t >= m_burstEnd) {
        m_burst = false;
        m_burstTraffic = m_burstWrites = 1;
    }
    if (!m_burst && shape > 0 && m_rng.chance(1 - std::exp(-dt / 1800.0))) {
        m_burst = true;
        m_burstEnd = t + m_rng.uniform(60, 300);
        m_burstTraffic = m_rng.uniform(1.8, 3.5);
        m_burstWrites = m_rng.uniform(2, 5);
    }
    m_rate = m_spec.peakRps * shape * m_burstTraffic * m_rng.logNormal(1, 0.08);
    const std::uint64_t n = m_rng.poisson(m_rate * dt);

    // Route mix; write bursts shift it towards writes.
    const double w = m_spec.writeShare * m_burstWrites;
    const double e = m_spec.eventShare * m_burstWrites;
    const double r = m_spec.readShare;
    const double page =
        std::max(0.05, 1 - m_spec.readShare - m_spec.writeShare - m_spec.eventShare);
    const double total = w + e + r + page;
    const std::uint64_t nWrite = m_rng.binomial(n, w / total);
    const std::uint64_t nEvents = m_rng.binomial(n - nWrite, e / (total - w));
    const std::uint64_t nRead = m_rng.binomial(n - nWrite - nEvents, r / (r + page));
    const std::uint64_t nPage = n - nWrite - nEvents - nRead;

    // Instances: one request at a time each (Lambda-style); an instance lives while it was
    // needed within the idle timeout, so the count is the maximum need over that window.
    const double hitP = 0.96 * m_cacheWarmth;
    double meanDuration = 0.003;
    if (n > 0) {
        const double missCost = (1 - hitP) * (m_rttPrimary + 0.003);
        meanDuration = (double(nPage) * (0.004 + missCost) + double(nRead) * (0.003 + missCost)
                        + double(nWrite) * (0.007 + m_rttPrimary) + double(nEvents) * 0.002)
            / double(n);
    }
    const double concurrency = double(n) / dt * meanDuration;
    const int needed = n > 0 ? std::max(1, int(std::ceil(concurrency))) : 0;
    while (!m_neededWindow.empty() && m_neededWindow.front().first <= t - m_spec.idleTimeoutSeconds)
        m_neededWindow.pop_front();
    const int aliveBefore = m_neededWindow.empty() ? 0 : m_neededWindow.front().second;
    while (!m_neededWindow.empty() && m_neededWindow.back().second <= needed)
        m_neededWindow.pop_back();
    m_neededWindow.emplace_back(t, needed);
    m_alive = m_neededWindow.front().second;
    const int started = std::max(0, needed - aliveBefore);
    if (aliveBefore == 0 && started > 0)
        m_cacheWarmth = std::min(m_cacheWarmth, 0.15); // the colo cache went cold overnight
    m_coldStarts += std::uint64_t(started);
    m_busy = n > 0 ? std::min(m_alive, int(m_rng.poisson(concurrency))) : 0;

    // Cache: entries expire while idle, are occasionally evicted, and refill from misses.
    m_cacheWarmth *= std::exp(-dt / (n == 0 ? 1800.0 : 24 * 3600.0));
    if (m_alive > 0 && m_rng.chance(1 - std::exp(-dt / (8 * 3600.0))))
        m_cacheWarmth *= 0.6;

    // DB pool: Little's law gives the connections in use; beyond the pool requests queue, and
    // beyond a queue as long as the pool they fail.
    const double readDbRate = double(nRead) / dt * (1 - hitP);
    const double dbConcurrency = readDbRate * 0.003 + double(nWrite) / dt * (m_rttPrimary + 0.0045);
    const double pool = m_spec.dbPoolSize;
    const double inUse = double(m_rng.poisson(dbConcurrency));
    m_dbActive = std::min(pool, inUse);
    m_dbWaiting = std::max(0.0, inUse - pool);
    const double open = m_alive > 0 ? std::min(pool, std::max(2.0, m_dbActive + 1)) : 0;
    m_dbIdle = std::max(0.0, open - m_dbActive);
    const double utilisation = dbConcurrency / pool;
    const double meanDb =
        dbConcurrency > 0 ? dbConcurrency / (readDbRate + double(nWrite) / dt + 1e-12) : 0.003;
    m_poolWait = utilisation > 0.7 ? meanDb * (utilisation - 0.7) * 4 : 0;
    m_overflowShare = utilisation > 2 ? (utilisation - 2) / utilisation : 0;

    // Requests; the first request on each new instance pays its cold start.
    std::uint64_t coldLeft = std::min<std::uint64_t>(n, std::uint64_t(started));
    std::uint64_t requestsLeft = n;
    const std::pair<Route, std::uint64_t> routes[] = { { Route::Page, nPage },
                                                       { Route::Read, nRead },
                                                       { Route::Write, nWrite },
                                                       { Route::Events, nEvents } };
    for (const auto &[route, count] : routes) {
        const std::uint64_t cold = requestsLeft == 0
            ? 0
            : std::min(count, m_rng.binomial(coldLeft, double(count) / double(requestsLeft)));
        simulateRoute(route, count, cold, t);
        coldLeft -= cold;
        requestsLeft -= count;
    }
    m_writesSinceSync += double(nWrite + nEvents);

    while (m_nextSync <= t) {
        runSync(m_nextSync);
        m_nextSync += m_syncInterval * m_rng.uniform(0.8, 1.2);
    }
}

void NodeModel::simulateRoute(Route route, std::uint64_t count, std::uint64_t cold, double t)
{
    for (std::uint64_t i = 0; i < cold; ++i)
        observeRequest(route, true, 1, t);
    const std::uint64_t rest = count - cold;
    if (rest <= samplesPerRoute) {
        for (std::uint64_t i = 0; i < rest; ++i)
            observeRequest(route, false, 1, t);
        return;
    }
    // Large batches: a few representative requests, each standing for a share of the batch.
    const std::uint64_t base = rest / samplesPerRoute;
    const std::uint64_t extra = rest % samplesPerRoute;
    for (std::uint64_t i = 0; i < samplesPerRoute; ++i)
        observeRequest(route, false, base + (i < extra ? 1 : 0), t);
}

double NodeModel::observeRequest(Route route, bool cold, std::uint64_t weight, double t)
{
    const double wt = double(weight);
    double latency = 0;
    double cpu = 0;
    int status = Ok;

    if (cold) {
        const double coldStart = std::min(8.0, m_rng.logNormal(0.25, 0.5));
        m_coldStartDuration.observe(coldStart);
        latency += coldStart;
        cpu += 0.4 * coldStart;
    }
    const double clientRtt = m_rng.logNormal(m_spec.clientRttMedianSeconds, 0.35);
    m_clientRtt.observe(clientRtt, weight);
    if (m_rng.chance(0.2))
        m_phase[int(Phase::Dns)].observe(m_rng.logNormal(0.006, 0.8), weight);
    if (m_rng.chance(0.25)) { // new connection: TLS 1.3 costs one client round trip
        const double tls = clientRtt + m_rng.logNormal(0.0012, 0.3);
        m_phase[int(Phase::Tls)].observe(tls, weight);
        latency += tls;
        cpu += 0.0008;
    }
    constexpr double computeMedian[] = { 0.003, 0.0015, 0.002, 0.0008 };
    const double compute = m_rng.logNormal(computeMedian[int(route)], 0.5);
    m_phase[int(Phase::Compute)].observe(compute, weight);
    latency += compute;
    cpu += compute;

    const double replicaLag = t - m_replicatedUpTo;
    auto overflow = [&] {
        if (m_overflowShare > 0 && m_rng.chance(m_overflowShare)) {
            m_dbConnErrors += weight;
            latency += 0.05; // the pool's acquire timeout
            status = Unavailable;
            return true;
        }
        return false;
    };
    auto dbQuery = [&](int kind, double seconds) {
        m_dbQueries[kind] += weight;
        m_dbDuration[kind == WritePrimary ? 1 : 0].observe(seconds, weight);
        m_phase[int(Phase::Db)].observe(seconds, weight);
        latency += seconds;
    };

    if (m_rng.chance(0.001)) {
        status = ServerError;
    } else if (route == Route::Page || route == Route::Read) {
        const double hitP = 0.96 * m_cacheWarmth;
        const double staleP = (1 - hitP) * (replicaLag > 5 ? 0.35 : 0.1);
        const double u = m_rng.uniform();
        const CacheResult result = u < hitP ? CacheResult::Hit
            : u < hitP + staleP             ? CacheResult::Stale
                                            : CacheResult::Miss;
        // A miss goes to the central store, which sits with the primary.
        const double kv = result == CacheResult::Miss ? m_rttPrimary + m_rng.logNormal(0.003, 0.4)
                                                      : m_rng.logNormal(0.0008, 0.5);
        m_kvRead.observe(kv, weight);
        m_phase[int(Phase::Kv)].observe(kv, weight);
        m_cache[int(result)] += weight;
        m_kvOps[KvRead] += weight;
        if (m_rng.chance(0.01))
            m_kvOps[KvList] += weight;
        latency += kv;
        if (result == CacheResult::Miss) {
            m_cacheWarmth += (1 - m_cacheWarmth) * (1 - std::exp(-wt / 800.0));
            if (route == Route::Read && !overflow()) {
                // Read-your-writes: when the replica lags, some reads go to the primary.
                if (replicaLag > 2 && m_rng.chance(0.05))
                    dbQuery(ReadPrimary, m_rttPrimary + m_rng.logNormal(0.003, 0.4) + m_poolWait);
                else
                    dbQuery(ReadReplica, m_rng.logNormal(0.0025, 0.5) + m_poolWait);
                m_rowsRead += weight * (1 + std::uint64_t(-std::log(1 - m_rng.uniform()) * 7));
                m_kvOps[KvWrite] += weight; // fill the cache
            }
        }
    } else if (route == Route::Write) {
        if (!overflow()) {
            dbQuery(WritePrimary, m_rttPrimary + m_rng.logNormal(0.0045, 0.4) + m_poolWait);
            m_rowsWritten += weight * (1 + (m_rng.chance(0.3) ? 1 + m_rng.next() % 3 : 0));
            m_kvOps[KvDelete] += weight; // invalidate the cached copy
        }
    } else { // Route::Events: accepted into the local log, shipped to the primary by sync
        if (m_queueDepth + wt > queueLimit) {
            status = Unavailable;
        } else {
            latency += m_rng.logNormal(0.0005, 0.3);
            if (!m_queue.empty() && m_queue.back().first == t)
                m_queue.back().second += wt;
            else
                m_queue.emplace_back(t, wt);
            m_queueDepth += wt;
        }
    }

    constexpr double egressMedian[] = { 18000, 2500, 600, 300 };
    const double bytes = status == Ok ? m_rng.logNormal(egressMedian[int(route)], 0.5) : 200;
    m_egressBytes += std::round(bytes) * wt;
    m_cpuSeconds += cpu * wt;
    m_wallSeconds += latency * wt;
    m_invocations += weight;
    m_requestDuration[int(route)][status].observe(latency, weight);
    return latency;
}

void NodeModel::runSync(double t)
{
    const double km = m_oneWayPrimary * geo::fibreKmPerSecond / m_spec.pathStretch;
    const double failP = 0.01 + (m_burst ? 0.04 : 0) + km / 1e6;
    if (m_rng.chance(failP)) {
        ++m_syncFailures;
        return;
    }
    // Each batch needs a round trip; a sync gets about a second of them.
    const double batches = std::clamp(std::floor(1.0 / m_rttPrimary), 1.0, 50.0);
    const double capacity = batches * syncBatchRows;
    double drained = 0;
    while (!m_queue.empty() && drained < capacity) {
        const double take = std::min(m_queue.front().second, capacity - drained);
        drained += take;
        m_queue.front().second -= take;
        if (m_queue.front().second <= 0)
            m_queue.pop_front();
    }
    m_queueDepth = std::max(0.0, m_queueDepth - drained);
    if (drained > 0) {
        const double used = std::ceil(drained / syncBatchRows);
        m_dbQueries[WritePrimary] += std::uint64_t(used);
        m_rowsWritten += std::uint64_t(drained);
        m_dbDuration[1].observe(m_rttPrimary + 0.002 + 0.00002 * drained / used,
                                std::uint64_t(used));
    }
    // The replica catches up to what the primary had one way-delay ago, less what it still has
    // to apply (about 200 writes a second).
    const double applyBacklog = std::min(60.0, (m_writesSinceSync + m_queueDepth) / 200.0);
    m_replicatedUpTo = std::max(m_replicatedUpTo, t - m_oneWayPrimary - applyBacklog);
    m_writesSinceSync = 0;
    m_lastSyncSuccess = t;
}

void NodeModel::resetCounters()
{
    for (auto &byStatus : m_requestDuration)
        for (auto &h : byStatus)
            h.reset();
    m_clientRtt.reset();
    for (auto &h : m_phase)
        h.reset();
    m_kvRead.reset();
    for (auto &h : m_dbDuration)
        h.reset();
    m_coldStartDuration.reset();
    m_cache = {};
    m_kvOps = {};
    m_dbQueries = {};
    m_rowsRead = m_rowsWritten = m_dbConnErrors = m_syncFailures = 0;
    m_invocations = m_coldStarts = 0;
    m_cpuSeconds = m_wallSeconds = m_egressBytes = 0;
}

void NodeModel::restart()
{
    resetCounters();
    m_neededWindow.clear();
    m_alive = m_busy = 0;
    m_dbActive = m_dbIdle = m_dbWaiting = 0;
    m_cacheWarmth = std::min(m_cacheWarmth, 0.15);
}

NodeModel::Totals NodeModel::totals() const
{
    Totals t;
    t.invocations = m_invocations;
    t.coldStarts = m_coldStarts;
    t.busyInstances = m_busy;
    t.warmInstances = m_alive - m_busy;
    t.writeQueueDepth = m_queueDepth;
    t.replicaLagSeconds = std::max(0.0, m_time - m_replicatedUpTo);
    t.cacheHits = m_cache[0];
    t.cacheMisses = m_cache[1];
    t.cacheStale = m_cache[2];
    return t;
}

std::vector<prometheus::MetricFamily> NodeModel::collect() const
{
    using prometheus::MetricType;
    std::vector<prometheus::MetricFamily> out;
    out.reserve(32);

    {
        auto f = makeFamily("edge_node_info", "Identity of the simulated edge node (always 1).",
                            MetricType::Gauge);
        addMetric(f,
                  { { "node", m_nodeLabel },
                    { "region", m_regionLabel },
                    { "provider", m_providerLabel },
                    { "city", m_cityLabel },
                    { "lat", m_latLabel },
                    { "lon", m_lonLabel } })
            .gauge.value = 1;
        out.push_back(std::move(f));
    }
    {
        auto f =
            makeFamily("edge_request_duration_seconds",
                       "Server time of a request, cold start included.", MetricType::Histogram);
        for (int r = 0; r < routeCount; ++r)
            for (int s = 0; s < statusCount; ++s)
                m_requestDuration[r][s].fill(
                    addMetric(f, { { "route", routeLabels[r] }, { "status", statusLabels[s] } })
                        .histogram);
        out.push_back(std::move(f));
    }
    {
        auto f = makeFamily("edge_client_rtt_seconds",
                            "Round trip between the client and this node.", MetricType::Histogram);
        m_clientRtt.fill(addMetric(f).histogram);
        out.push_back(std::move(f));
    }
    {
        auto f = makeFamily("edge_request_phase_duration_seconds",
                            "Time spent in one phase of a request.", MetricType::Histogram);
        for (int p = 0; p < phaseCount; ++p)
            m_phase[p].fill(addMetric(f, { { "phase", phaseLabels[p] } }).histogram);
        out.push_back(std::move(f));
    }
    {
        auto f = makeFamily("edge_cache_requests_total", "Edge cache lookups by result.",
                            MetricType::Counter);
        for (int i = 0; i < 3; ++i)
            addMetric(f, { { "cache", "kv" }, { "result", cacheLabels[i] } }).counter.value =
                double(m_cache[i]);
        out.push_back(std::move(f));
    }
    {
        auto f = makeFamily("edge_kv_read_duration_seconds", "Latency of a KV read.",
                            MetricType::Histogram);
        m_kvRead.fill(addMetric(f).histogram);
        out.push_back(std::move(f));
    }
    {
        auto f =
            makeFamily("edge_kv_operations_total", "Billable KV operations.", MetricType::Counter);
        for (int i = 0; i < 4; ++i)
            addMetric(f, { { "op", kvOpLabels[i] } }).counter.value = double(m_kvOps[i]);
        out.push_back(std::move(f));
    }
    {
        auto f = makeFamily("edge_db_queries_total", "Database queries by operation and target.",
                            MetricType::Counter);
        addMetric(f, { { "op", "read" }, { "target", "replica" } }).counter.value =
            double(m_dbQueries[ReadReplica]);
        addMetric(f, { { "op", "read" }, { "target", "primary" } }).counter.value =
            double(m_dbQueries[ReadPrimary]);
        addMetric(f, { { "op", "write" }, { "target", "primary" } }).counter.value =
            double(m_dbQueries[WritePrimary]);
        out.push_back(std::move(f));
    }
    {
        auto f = makeFamily("edge_db_query_duration_seconds",
                            "Database query latency; writes include the round trip to the primary.",
                            MetricType::Histogram);
        m_dbDuration[0].fill(addMetric(f, { { "op", "read" } }).histogram);
        m_dbDuration[1].fill(addMetric(f, { { "op", "write" } }).histogram);
        out.push_back(std::move(f));
    }
    addCounter(out, "edge_db_rows_read_total", "Database rows read.", double(m_rowsRead));
    addCounter(out, "edge_db_rows_written_total", "Database rows written.", double(m_rowsWritten));
    {
        auto f = makeFamily("edge_db_connections", "Database pool connections by state.",
                            MetricType::Gauge);
        addMetric(f, { { "state", "active" } }).gauge.value = m_dbActive;
        addMetric(f, { { "state", "idle" } }).gauge.value = m_dbIdle;
        addMetric(f, { { "state", "waiting" } }).gauge.value = m_dbWaiting;
        out.push_back(std::move(f));
    }
    addCounter(out, "edge_db_connection_errors_total",
               "Requests that could not get a database connection.", double(m_dbConnErrors));
    {
        auto f = makeFamily("edge_replica_lag_seconds",
                            "How far the local replica is behind its primary.", MetricType::Gauge);
        addMetric(f, { { "primary", m_primaryLabel } }).gauge.value =
            std::max(0.0, m_time - m_replicatedUpTo);
        out.push_back(std::move(f));
    }
    addGauge(out, "edge_write_queue_depth",
             "Writes accepted at the edge and not yet at the primary.", m_queueDepth);
    addGauge(out, "edge_write_queue_oldest_age_seconds", "Age of the oldest queued write.",
             m_queue.empty() ? 0.0 : m_time - m_queue.front().first);
    addGauge(out, "edge_sync_last_success_timestamp_seconds",
             "Unix time of the last successful sync with the primary.", m_lastSyncSuccess);
    addCounter(out, "edge_sync_failures_total", "Failed sync attempts.", double(m_syncFailures));
    addCounter(out, "edge_invocations_total", "Function invocations (one per request).",
               double(m_invocations));
    addCounter(out, "edge_cpu_seconds_total", "CPU time used by invocations.", m_cpuSeconds);
    addCounter(out, "edge_invocation_duration_seconds_total",
               "Wall-clock time of invocations, for GB-second pricing.", m_wallSeconds);
    addGauge(out, "edge_memory_limit_bytes", "Memory limit of one instance.",
             double(m_spec.memoryLimitBytes));
    addCounter(out, "edge_egress_bytes_total", "Response bytes sent to clients.", m_egressBytes);
    {
        auto f = makeFamily("edge_instances",
                            "Instances alive: warm (idle, ready) and busy. All zero means scaled "
                            "to zero.",
                            MetricType::Gauge);
        addMetric(f, { { "state", "warm" } }).gauge.value = double(m_alive - m_busy);
        addMetric(f, { { "state", "busy" } }).gauge.value = double(m_busy);
        out.push_back(std::move(f));
    }
    addCounter(out, "edge_cold_starts_total", "Instances started from nothing.",
               double(m_coldStarts));
    {
        auto f = makeFamily("edge_cold_start_duration_seconds", "Time to start an instance.",
                            MetricType::Histogram);
        m_coldStartDuration.fill(addMetric(f).histogram);
        out.push_back(std::move(f));
    }
    return out;
}

} // namespace fleetscope::sim
