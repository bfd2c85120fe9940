#pragma once

// NodeModel: the deterministic model of one simulated edge node (traffic by local time of day,
// bursts, scale to zero and cold starts, KV cache, local replica and remote primary, write queue
// and sync, DB pool, cost counters) and its METRICS.md families. Driven by step(); not
// thread-safe (NodeCollectable serialises it). collect() returns values the caller owns.

#include "histogramstate.h"
#include "rng.h"
#include "simregions.h"

#include <prometheus/metric_family.h>

#include <array>
#include <cstdint>
#include <deque>
#include <string>
#include <vector>

namespace fleetscope::sim {

// What one node is: where it runs, which primary it writes to, and its traffic character.
struct NodeSpec
{
    QString name; // "nrt-1"
    Region region;
    Region primary;
    std::uint64_t seed = 0;
    double peakRps = 40; // requests per second at the local afternoon peak
    double writeShare = 0.10; // of requests: synchronous writes to the primary (/api/write)
    double eventShare = 0.08; // of requests: writes accepted at the edge (/api/events), queued
    double readShare = 0.40; // of requests: API reads (/api/read); the rest are pages (/)
    std::int64_t memoryLimitBytes = 128LL * 1024 * 1024;
    double clientRttMedianSeconds = 0.020;
    double pathStretch = geo::defaultPathStretch;
    double idleTimeoutSeconds = 600; // an instance with no work for this long is retired
    int dbPoolSize = 8;

    // Draws a node's traffic character from the fleet seed and its index.
    static NodeSpec make(const QString &name, const Region &region, const Region &primary,
                         std::uint64_t fleetSeed, int index);
};

enum class Route : std::uint8_t { Page, Read, Write, Events };
enum class CacheResult : std::uint8_t { Hit, Miss, Stale };
enum class Phase : std::uint8_t { Dns, Tls, Compute, Kv, Db };

class NodeModel
{
public:
    static constexpr int routeCount = 4;
    static constexpr int statusCount = 3; // 200, 500, 503
    static constexpr int phaseCount = 5;

    // `startTime` is the simulated time in seconds since the Unix epoch.
    NodeModel(const NodeSpec &spec, double startTime);

    // Advances the model to `time` (seconds since the epoch); no-op if time is not ahead.
    void advanceTo(double time);
    double time() const { return m_time; }

    // A process restart: counters and histograms back to zero, instances gone, caches cold.
    void restart();

    std::vector<prometheus::MetricFamily> collect() const;

    const NodeSpec &spec() const { return m_spec; }

    // Figures the tests and the control endpoint read without parsing text.
    struct Totals
    {
        std::uint64_t invocations = 0;
        std::uint64_t coldStarts = 0;
        int warmInstances = 0;
        int busyInstances = 0;
        double writeQueueDepth = 0;
        double replicaLagSeconds = 0;
        std::uint64_t cacheHits = 0, cacheMisses = 0, cacheStale = 0;
    };
    Totals totals() const;
    double fibreRttToPrimarySeconds() const { return m_rttPrimary; }
    double localHour(double time) const;
    double diurnalShape(double localHour) const;

private:
    void step(double t, double dt);
    void simulateRoute(Route route, std::uint64_t count, std::uint64_t cold, double t);
    double observeRequest(Route route, bool cold, std::uint64_t weight, double t);
    void runSync(double t);
    void resetCounters();

    NodeSpec m_spec;
    Rng m_rng;
    double m_time = 0;
    double m_rttPrimary = 0; // seconds, fibre with path stretch, at least 0.5 ms in-metro
    double m_oneWayPrimary = 0;
    double m_syncInterval = 5;

    // Traffic state.
    bool m_burst = false;
    double m_burstEnd = 0;
    double m_burstTraffic = 1;
    double m_burstWrites = 1;
    double m_rate = 0; // current requests per second
    // Instances: (time, needed) in the idle window, kept as a monotonic deque for its maximum.
    std::deque<std::pair<double, int>> m_neededWindow;
    int m_alive = 0;
    int m_busy = 0;
    double m_cacheWarmth = 0.2;
    // DB pool, per step.
    double m_dbActive = 0, m_dbIdle = 0, m_dbWaiting = 0;
    double m_poolWait = 0;
    double m_overflowShare = 0;
    // Sync and write queue: chunks of (time accepted, writes).
    std::deque<std::pair<double, double>> m_queue;
    double m_queueDepth = 0;
    double m_nextSync = 0;
    double m_lastSyncSuccess = 0;
    double m_replicatedUpTo = 0;
    double m_writesSinceSync = 0;

    // Counters (reset by restart()).
    std::array<std::array<HistogramState, statusCount>, routeCount> m_requestDuration;
    HistogramState m_clientRtt;
    std::array<HistogramState, phaseCount> m_phase;
    HistogramState m_kvRead;
    std::array<HistogramState, 2> m_dbDuration; // read, write
    HistogramState m_coldStartDuration;
    std::array<std::uint64_t, 3> m_cache = {}; // hit, miss, stale
    std::array<std::uint64_t, 4> m_kvOps = {}; // read, write, delete, list
    std::array<std::uint64_t, 3> m_dbQueries = {}; // read/replica, read/primary, write/primary
    std::uint64_t m_rowsRead = 0, m_rowsWritten = 0, m_dbConnErrors = 0, m_syncFailures = 0;
    std::uint64_t m_invocations = 0, m_coldStarts = 0;
    double m_cpuSeconds = 0, m_wallSeconds = 0, m_egressBytes = 0;

    // Label values, converted once.
    std::string m_nodeLabel, m_regionLabel, m_providerLabel, m_cityLabel, m_latLabel, m_lonLabel,
        m_primaryLabel;
};

} // namespace fleetscope::sim
