#include "selfmetrics.h"

#include "snapshot/fleetmonitor.h"

#include <prometheus/counter.h>
#include <prometheus/exposer.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <exception>

namespace fleetscope::app {

std::unique_ptr<SelfMetrics> SelfMetrics::serve(const QString &listen,
                                                snapshot::FleetMonitor *monitor, QString *error)
{
    std::unique_ptr<SelfMetrics> self(new SelfMetrics);
    try {
        self->m_exposer = std::make_unique<prometheus::Exposer>(listen.toStdString(), 1);
    } catch (const std::exception &e) {
        *error = QStringLiteral("cannot serve metrics on %1: %2")
                     .arg(listen, QString::fromLocal8Bit(e.what()));
        return nullptr;
    }
    self->m_registry = std::make_shared<prometheus::Registry>();
    self->m_monitor = monitor;
    auto &scrapes = prometheus::BuildCounter()
                        .Name("fleetscope_scrapes_total")
                        .Help("Scrapes of fleet targets, by result.")
                        .Register(*self->m_registry);
    self->m_scrapesOk = &scrapes.Add({ { "result", "ok" } });
    self->m_scrapesFailed = &scrapes.Add({ { "result", "failed" } });
    self->m_samples = &prometheus::BuildCounter()
                           .Name("fleetscope_samples_ingested_total")
                           .Help("Samples read from fleet targets.")
                           .Register(*self->m_registry)
                           .Add({});
    self->m_scrapeDuration =
        &prometheus::BuildHistogram()
             .Name("fleetscope_scrape_duration_seconds")
             .Help("How long a scrape took, request to parsed body.")
             .Register(*self->m_registry)
             .Add({},
                  prometheus::Histogram::BucketBoundaries { 0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                                            0.5, 1, 2.5, 5, 10 });
    auto &store = prometheus::BuildGauge()
                      .Name("fleetscope_store")
                      .Help("The series store: series, points and bytes held.")
                      .Register(*self->m_registry);
    self->m_series = &store.Add({ { "what", "series" } });
    self->m_storePoints = &store.Add({ { "what", "points" } });
    self->m_storeBytes = &store.Add({ { "what", "bytes" } });
    self->m_targets = &prometheus::BuildGauge()
                           .Name("fleetscope_targets")
                           .Help("Targets in the fleet.")
                           .Register(*self->m_registry)
                           .Add({});
    self->m_targets->Set(double(monitor->fleet().targets.size()));
    self->m_exposer->RegisterCollectable(self->m_registry);

    SelfMetrics *raw = self.get();
    connect(monitor, &snapshot::FleetMonitor::scrapeObserved, raw, [raw](double seconds, bool ok) {
        (ok ? raw->m_scrapesOk : raw->m_scrapesFailed)->Increment();
        raw->m_scrapeDuration->Observe(seconds);
    });
    raw->m_timer.setInterval(1000);
    connect(&raw->m_timer, &QTimer::timeout, raw, &SelfMetrics::update);
    raw->m_timer.start();
    return self;
}

SelfMetrics::~SelfMetrics() = default;

void SelfMetrics::update()
{
    const snapshot::MonitorStats s = m_monitor->stats();
    if (s.samples > m_samplesSeen) {
        m_samples->Increment(s.samples - m_samplesSeen);
        m_samplesSeen = s.samples;
    }
    m_series->Set(double(s.store.series));
    m_storePoints->Set(double(s.store.points));
    m_storeBytes->Set(double(s.store.bytes));
}

} // namespace fleetscope::app
