#pragma once

// GuiApp: the desktop application's controller. Owns the DashboardWindow (GUI thread) and a
// worker thread on which the FleetMonitor scrapes and builds snapshots; connects what the user
// asks for (open a fleet, a snapshot, the demo, export, settings) to the collectors.

#include "reportcommand.h"

#include <QObject>
#include <QPointer>
#include <QThread>

#include <memory>

namespace fleetscope::snapshot {
class FleetMonitor;
}
namespace fleetscope::promql {
class PrometheusMonitor;
}
namespace fleetscope::widgets {
class CompareWindow;
class DashboardWindow;
} // namespace fleetscope::widgets

namespace fleetscope::app {

struct PrometheusArguments;

class GuiApp : public QObject
{
    Q_OBJECT

public:
    GuiApp();
    ~GuiApp() override;

    widgets::DashboardWindow *window() const { return m_window.get(); }

    bool openFleet(const QString &path);
    bool openSnapshot(const QString &path);
    bool startDemo();
    // The dashboard on a Prometheus-compatible server; `fleetPath` (may be empty) gives metric
    // names, pricing, vantage and regions.
    bool openPrometheus(const PrometheusArguments &args, const QString &fleetPath);
    void closeFleet();
    bool exportTo(const QString &path);
    // Opens a comparison window for two saved snapshots (before, after); false with a message
    // when either cannot be read.
    bool openComparison(const QString &before, const QString &after);

private:
    void watch(fleet::Fleet fleet, const QString &kind);
    void fail(const QString &message);

    std::unique_ptr<widgets::DashboardWindow> m_window;
    QThread m_worker;
    QObject *m_workerContext = nullptr; // lives on m_worker: runs code there
    snapshot::FleetMonitor *m_monitor = nullptr; // lives on m_worker
    promql::PrometheusMonitor *m_prometheus = nullptr; // lives on m_worker
    std::unique_ptr<QObject> m_demo; // keeps the demo simulator running
    int m_refreshMs = 5000;
    QList<QPointer<widgets::CompareWindow>> m_comparisons; // each deletes itself on close
};

} // namespace fleetscope::app
