#pragma once

// FleetMonitor: watches one fleet. It scrapes every target (scrape::Scraper), feeds the results
// to a FleetAggregator that records region series every tick (the fleet's shortest scrape
// interval, at least a second), and publishes a new analysed FleetSnapshot every refresh
// interval (by default the tick). Lives on whichever thread created it (a
// worker thread for the GUI, the main thread for headless reports); snapshots are handed out as
// shared immutable values, safe to read on any thread.

#include "fleet/fleet.h"
#include "snapshot/fleetaggregator.h"
#include "snapshot/fleetsnapshot.h"

#include <QHash>
#include <QObject>
#include <QTimer>

#include <memory>

namespace fleetscope::scrape {
class Scraper;
struct ScrapeResult;
} // namespace fleetscope::scrape

namespace fleetscope::snapshot {

struct MonitorStats
{
    double scrapes = 0, failedScrapes = 0, samples = 0;
    double lastCycleSeconds = 0; // how long the last full round of scrapes took
    store::StoreStats store;
};

class FleetMonitor : public QObject
{
    Q_OBJECT

public:
    explicit FleetMonitor(fleet::Fleet fleet, QObject *parent = nullptr);
    ~FleetMonitor() override;

    const fleet::Fleet &fleet() const { return m_fleet; }
    void setSettings(const Settings &settings); // quantile, window, pricing, vantage
    Settings settings() const { return m_settings; }
    void setSourceKind(const QString &kind) { m_sourceKind = kind; }

    void start();
    void stop();
    // How often snapshots are published (the GUI's refresh interval); 0 pauses publishing while
    // scraping goes on. publishNow() publishes one at once.
    void setPublishInterval(int milliseconds);
    void publishNow();

    // The snapshot as of now (also used at the end of a headless collection).
    std::shared_ptr<const FleetSnapshot> snapshotNow();
    MonitorStats stats() const;

Q_SIGNALS:
    void snapshotReady(std::shared_ptr<const fleetscope::snapshot::FleetSnapshot> snapshot);
    // One scrape finished: for progress ("12 of 24 targets answered").
    void scrapeFinished(const QString &targetId, bool ok, int done, int total);
    // Progress for a status bar: targets that answered at least once, of all, and failures.
    void progress(int answered, int total, int failedScrapes);
    // Every scrape's duration (request to parsed body) and result, for FleetScope's own metrics.
    void scrapeObserved(double seconds, bool ok);

private:
    void onScrape(const scrape::ScrapeResult &result);
    void onTick(); // records every region's series (at the fleet's scrape interval)
    std::shared_ptr<const FleetSnapshot> build(double now);

    fleet::Fleet m_fleet;
    Settings m_settings;
    QString m_sourceKind = QStringLiteral("fleet");
    std::unique_ptr<scrape::Scraper> m_scraper;
    FleetAggregator m_aggregator;
    QTimer m_tick;
    QTimer m_publish; // the refresh interval
    QSet<QString> m_answered; // targets with at least one result
    struct TargetLabels
    {
        QString region, node, provider;
    };
    QHash<QString, TargetLabels> m_targetLabels; // by target id, from the fleet file
    int m_failedScrapes = 0;
    MonitorStats m_stats;
};

// Settings from the fleet file (pricing, vantage, SLO) over the defaults.
Settings settingsFor(const fleet::Fleet &fleet);

} // namespace fleetscope::snapshot

Q_DECLARE_METATYPE(std::shared_ptr<const fleetscope::snapshot::FleetSnapshot>)
