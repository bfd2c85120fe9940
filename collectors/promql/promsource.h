#pragma once

// PrometheusMonitor: the source for large fleets. Instead of scraping every node it asks a
// Prometheus-compatible server aggregated PromQL questions per region and builds the same
// FleetSnapshot the direct scrape builds (FleetAggregator), raw windows included, so the
// dashboard, the exports and re-analysis work unchanged:
//
// - counters and histogram buckets: query_range of the per-step increase summed by region
//   (and le, phase, op, status, ...), accumulated into the snapshot's cumulative series;
// - gauges: query_range of the region aggregate the direct path uses (max lag, summed queue, ...);
// - health: instant queries of `up`, `scrape_duration_seconds`, `scrape_samples_scraped`.
//
// Counter increases per step follow the direct path, not PromQL's increase()/rate(): those
// extrapolate to the window's edges, while the direct path takes the difference of the counters
// between two scrapes. So each counter family is asked three things per step: the per-group sum
// (`sum by (region, le) (m)`, cheap: aggregated before anything else), `increase(m[STEP])` and
// `resets(m[2 STEP])`. Between two steps with no reset and the same targets up in the region,
// the increase is the difference of the sums (a series new on a node counts its whole value, as
// in the direct path); across a reset or a node coming or going it is increase()'s estimate.
// Summed over the window this is the change of the counters between the window's first and
// last samples, so both sources report the same figures when they saw the same counter values.
// (A per-series `m - m offset STEP` would be exact in every case but costs the server 20 times
// more: 35 s against 1.7 s for 150,000 bucket series on the benchmark machine.)
//
// Lives on the thread that creates it (a worker thread in the GUI); snapshots are handed out as
// shared immutable values.

#include "fleet/fleet.h"
#include "promql/promclient.h"
#include "snapshot/fleetmonitor.h" // the snapshot pointer's metatype
#include "snapshot/fleetsnapshot.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <memory>
#include <optional>

namespace fleetscope::promql {

struct SourceOptions
{
    ClientOptions client;
    // PromQL label matchers added to every selector, without braces: job="edge",env="prod".
    QString selector;
    // The fleet file, when given: metric-name overrides, pricing, vantage, SLO, region places.
    std::optional<fleet::Fleet> fleet;
    int maxPointsPerSeries = 120; // the step is chosen so a window has at most this many
    // Never a step shorter than this: the server's scrape interval (finer steps only repeat
    // samples and multiply the server's work). Prometheus' default interval unless told.
    double minStepSeconds = 15;
};

// The PromQL questions one refresh asks, for the tests, the benchmark and the README.
struct PlannedQuery
{
    enum class Kind { Range, Instant };
    Kind kind = Kind::Range;
    QString purpose; // e.g. "histogram request_duration buckets"
    QString promql;
};

// Checks a selector: label matchers separated by commas, no braces. Empty error when fine.
QString checkSelector(const QString &selector);

class PrometheusMonitor : public QObject
{
    Q_OBJECT
public:
    explicit PrometheusMonitor(SourceOptions options, QObject *parent = nullptr);
    ~PrometheusMonitor() override;

    void setSettings(const snapshot::Settings &settings);
    snapshot::Settings settings() const { return m_settings; }
    QString displayUrl() const { return m_client.displayUrl(); }

    // Refreshes now and then every publish interval (0: only on refreshNow()).
    void start();
    void stop();
    void setPublishInterval(int milliseconds);
    void publishNow() { refreshNow(); }
    void refreshNow();
    // One refresh evaluated at `end` (seconds since the epoch) over settings.windowSeconds with
    // the given step (0: chosen from the window; rounded to whole milliseconds, as the server
    // takes it). A refresh in flight is abandoned.
    void refreshAt(double end, double stepSeconds = 0);

    // The step a window is fetched at.
    double stepFor(double windowSeconds) const;
    std::vector<PlannedQuery> plan(double stepSeconds) const;
    double lastRefreshSeconds() const { return m_lastRefreshSeconds; }

Q_SIGNALS:
    void snapshotReady(std::shared_ptr<const fleetscope::snapshot::FleetSnapshot> snapshot);
    // A refresh failed; the message names the server and the query that failed.
    void refreshFailed(const QString &message);
    // Targets up, of all that Prometheus knows, after each refresh (the scrape progress slot).
    void progress(int answered, int total, int failedScrapes);

private:
    struct Refresh;
    void finish(Refresh &refresh);
    QString sel(const QString &name, const QString &extra = {}) const;
    static void absorb(Refresh &refresh, const QString &purpose, const PromSeries &series);

    SourceOptions m_options;
    PromClient m_client;
    snapshot::Settings m_settings;
    QTimer m_timer;
    std::unique_ptr<Refresh> m_refresh;
    quint64 m_generation = 0;
    double m_lastRefreshSeconds = 0;
};

} // namespace fleetscope::promql
