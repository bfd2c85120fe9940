#pragma once

// FleetScope's own metrics, served with prometheus-cpp on --metrics-listen ADDRESS:PORT: scrapes
// by result, scrape durations, samples ingested, and the series store's size. Lives on the GUI
// or main thread beside the FleetMonitor it watches; prometheus-cpp serves from its own threads.

#include <QObject>
#include <QString>
#include <QTimer>

#include <memory>

namespace prometheus {
class Exposer;
class Registry;
class Counter;
class Gauge;
class Histogram;
} // namespace prometheus

namespace fleetscope::snapshot {
class FleetMonitor;
}

namespace fleetscope::app {

class SelfMetrics : public QObject
{
    Q_OBJECT

public:
    // Throws nothing: on a bind failure returns nullptr and sets `error`.
    static std::unique_ptr<SelfMetrics> serve(const QString &listen,
                                              snapshot::FleetMonitor *monitor, QString *error);
    ~SelfMetrics() override;

private:
    SelfMetrics() = default;
    void update();

    std::unique_ptr<prometheus::Exposer> m_exposer;
    std::shared_ptr<prometheus::Registry> m_registry;
    snapshot::FleetMonitor *m_monitor = nullptr;
    prometheus::Counter *m_scrapesOk = nullptr;
    prometheus::Counter *m_scrapesFailed = nullptr;
    prometheus::Counter *m_samples = nullptr;
    prometheus::Histogram *m_scrapeDuration = nullptr;
    prometheus::Gauge *m_series = nullptr;
    prometheus::Gauge *m_storeBytes = nullptr;
    prometheus::Gauge *m_storePoints = nullptr;
    prometheus::Gauge *m_targets = nullptr;
    double m_samplesSeen = 0;
    QTimer m_timer;
};

} // namespace fleetscope::app
