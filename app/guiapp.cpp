#include "guiapp.h"

#include "compare/comparewindow.h"
#include "demofleet.h"
#include "fleet/fleetfile.h"
#include "prometheusoptions.h"
#include "promql/promsource.h"
#include "report/comparison.h"
#include "report/exporter.h"
#include "snapshot/fleetmonitor.h"
#include "snapshot/snapshotfile.h"
#include "window/dashboardview.h"
#include "window/dashboardwindow.h"

#include <QFileInfo>
#include <QStatusBar>

#include <utility>

namespace fleetscope::app {

using widgets::DashboardWindow;

GuiApp::GuiApp()
    : m_window(std::make_unique<DashboardWindow>())
{
    m_worker.setObjectName(QStringLiteral("collector"));
    m_worker.start();
    m_workerContext = new QObject;
    m_workerContext->moveToThread(&m_worker);
    connect(&m_worker, &QThread::finished, m_workerContext, &QObject::deleteLater);
    DashboardWindow *w = m_window.get();
    connect(w, &DashboardWindow::openFleetRequested, this, &GuiApp::openFleet);
    connect(w, &DashboardWindow::openSnapshotRequested, this, &GuiApp::openSnapshot);
    connect(w, &DashboardWindow::demoRequested, this, &GuiApp::startDemo);
    connect(w, &DashboardWindow::closeFleetRequested, this, &GuiApp::closeFleet);
    connect(w, &DashboardWindow::exportRequested, this, &GuiApp::exportTo);
    connect(w, &DashboardWindow::compareSnapshotsRequested, this, &GuiApp::openComparison);
    connect(w, &DashboardWindow::settingsChanged, this, [this](const snapshot::Settings &s) {
        if (m_monitor)
            QMetaObject::invokeMethod(m_monitor, [m = m_monitor, s] { m->setSettings(s); });
        if (m_prometheus)
            QMetaObject::invokeMethod(m_prometheus, [m = m_prometheus, s] {
                m->setSettings(s);
                m->refreshNow(); // another window means other questions for the server
            });
    });
    connect(w, &DashboardWindow::refreshIntervalChanged, this, [this](int ms) {
        m_refreshMs = ms;
        if (m_monitor)
            QMetaObject::invokeMethod(m_monitor,
                                      [m = m_monitor, ms] { m->setPublishInterval(ms); });
        if (m_prometheus)
            QMetaObject::invokeMethod(m_prometheus,
                                      [m = m_prometheus, ms] { m->setPublishInterval(ms); });
    });
    connect(w, &DashboardWindow::refreshNowRequested, this, [this] {
        if (m_monitor)
            QMetaObject::invokeMethod(m_monitor, &snapshot::FleetMonitor::publishNow);
        if (m_prometheus)
            QMetaObject::invokeMethod(m_prometheus, &promql::PrometheusMonitor::refreshNow);
    });
}

GuiApp::~GuiApp()
{
    for (const QPointer<widgets::CompareWindow> &c : std::as_const(m_comparisons))
        delete c.data();
    closeFleet();
    m_worker.quit();
    m_worker.wait();
}

void GuiApp::fail(const QString &message)
{
    m_window->showError(message);
}

namespace {

template<typename Source>
void stopOnWorker(Source *&source)
{
    Source *s = std::exchange(source, nullptr);
    if (!s)
        return;
    QMetaObject::invokeMethod(
        s,
        [s] {
            s->stop();
            delete s;
        },
        Qt::BlockingQueuedConnection);
}

// The fleet file's choices (vantage, pricing profile, SLO) win over the last ones used.
void applyFleetChoices(snapshot::Settings &settings, const fleet::Fleet &fleet)
{
    const snapshot::Settings fromFleet = snapshot::settingsFor(fleet);
    if (fleet.vantage) {
        settings.vantage = fromFleet.vantage;
        settings.vantageLat = fromFleet.vantageLat;
        settings.vantageLon = fromFleet.vantageLon;
    }
    if (!fleet.pricingProfile.isEmpty())
        settings.pricingProfile = fromFleet.pricingProfile;
    settings.slo = fromFleet.slo;
}

} // namespace

void GuiApp::closeFleet()
{
    // The sources live on the worker thread: stop and delete them there.
    stopOnWorker(m_monitor);
    stopOnWorker(m_prometheus);
    m_demo.reset();
}

void GuiApp::watch(fleet::Fleet fleet, const QString &kind)
{
    closeFleet();
    snapshot::Settings settings = m_window->settings();
    applyFleetChoices(settings, fleet);
    snapshot::FleetMonitor *monitor = nullptr;
    const int refresh = m_refreshMs;
    QMetaObject::invokeMethod(
        m_workerContext,
        [&] {
            monitor = new snapshot::FleetMonitor(fleet);
            monitor->setSourceKind(kind);
            monitor->setSettings(settings);
            monitor->setPublishInterval(refresh);
            monitor->start();
        },
        Qt::BlockingQueuedConnection);
    m_monitor = monitor;
    connect(monitor, &snapshot::FleetMonitor::snapshotReady, m_window.get(),
            &DashboardWindow::showSnapshot);
    connect(monitor, &snapshot::FleetMonitor::progress, m_window.get(),
            &DashboardWindow::showScrapeProgress);
    m_window->setSettings(settings);
}

bool GuiApp::openFleet(const QString &path)
{
    const fleet::FleetLoadResult loaded = fleet::loadFleetFile(path);
    if (!loaded.ok()) {
        fail(QStringLiteral("Cannot open the fleet file:\n\n") + loaded.errorString());
        return false;
    }
    if (loaded.fleet.targets.isEmpty()) {
        fail(QStringLiteral("%1 lists no targets.").arg(path));
        return false;
    }
    m_window->setSource(DashboardWindow::SourceKind::Fleet, loaded.fleet.name,
                        QFileInfo(path).absoluteFilePath());
    watch(loaded.fleet, QStringLiteral("fleet"));
    if (!loaded.warnings.isEmpty())
        m_window->statusBar()->showMessage(loaded.warnings.first().toString(), 15000);
    return true;
}

bool GuiApp::openPrometheus(const PrometheusArguments &args, const QString &fleetPath)
{
    std::optional<fleet::Fleet> fleet;
    if (!fleetPath.isEmpty()) {
        const fleet::FleetLoadResult loaded = fleet::loadFleetFile(fleetPath);
        if (!loaded.ok()) {
            fail(QStringLiteral("Cannot open the fleet file:\n\n") + loaded.errorString());
            return false;
        }
        fleet = loaded.fleet;
    }
    QString error;
    const auto options = prometheusSource(args, fleet, &error);
    if (!options) {
        fail(error);
        return false;
    }
    closeFleet();
    snapshot::Settings settings = m_window->settings();
    if (fleet)
        applyFleetChoices(settings, *fleet);
    promql::PrometheusMonitor *monitor = nullptr;
    const int refresh = m_refreshMs;
    QMetaObject::invokeMethod(
        m_workerContext,
        [&] {
            monitor = new promql::PrometheusMonitor(*options);
            monitor->setSettings(settings);
            monitor->setPublishInterval(refresh);
        },
        Qt::BlockingQueuedConnection);
    m_prometheus = monitor;
    const QString url = monitor->displayUrl();
    m_window->setSource(DashboardWindow::SourceKind::Fleet,
                        fleet ? fleet->name : QStringLiteral("Prometheus"), url);
    connect(monitor, &promql::PrometheusMonitor::snapshotReady, m_window.get(),
            &DashboardWindow::showSnapshot);
    connect(monitor, &promql::PrometheusMonitor::progress, m_window.get(),
            &DashboardWindow::showScrapeProgress);
    // The first failure in a dialog; later ones (every refresh) in the status bar only.
    auto shown = std::make_shared<bool>(false);
    connect(monitor, &promql::PrometheusMonitor::refreshFailed, this,
            [this, shown](const QString &message) {
                if (*shown) {
                    m_window->statusBar()->showMessage(message, 15000);
                    return;
                }
                *shown = true;
                fail(message);
            });
    m_window->setSettings(settings);
    QMetaObject::invokeMethod(monitor, &promql::PrometheusMonitor::start);
    return true;
}

bool GuiApp::startDemo()
{
    QString error;
    auto demo = startDemoFleet(&error);
    if (!demo) {
        fail(QStringLiteral("Cannot start the demo fleet: ") + error);
        return false;
    }
    const fleet::Fleet fleet = demo->fleet;
    m_window->setSource(DashboardWindow::SourceKind::Demo, fleet.name,
                        QStringLiteral("fleetsim in this process, on 127.0.0.1"));
    watch(fleet, QStringLiteral("demo"));
    m_demo = std::move(demo->keepAlive);
    return true;
}

bool GuiApp::openSnapshot(const QString &path)
{
    const snapshot::LoadResult loaded = snapshot::loadSnapshot(path);
    if (!loaded.snapshot) {
        fail(QStringLiteral("Cannot open the snapshot:\n\n") + loaded.error);
        return false;
    }
    closeFleet();
    const QString name = loaded.snapshot->fleetName.isEmpty() ? QFileInfo(path).fileName()
                                                              : loaded.snapshot->fleetName;
    m_window->setSource(DashboardWindow::SourceKind::Snapshot, name,
                        QFileInfo(path).absoluteFilePath());
    m_window->setSettings(loaded.snapshot->settings);
    m_window->showSnapshot(std::make_shared<const snapshot::FleetSnapshot>(*loaded.snapshot));
    return true;
}

bool GuiApp::openComparison(const QString &before, const QString &after)
{
    const snapshot::LoadResult b = snapshot::loadSnapshot(before);
    if (!b.snapshot) {
        fail(QStringLiteral("Cannot open the snapshot from before:\n\n") + b.error);
        return false;
    }
    const snapshot::LoadResult a = snapshot::loadSnapshot(after);
    if (!a.snapshot) {
        fail(QStringLiteral("Cannot open the snapshot from after:\n\n") + a.error);
        return false;
    }
    auto *compare = new widgets::CompareWindow;
    compare->setAttribute(Qt::WA_DeleteOnClose);
    compare->setComparison(report::compareSnapshots(*b.snapshot, *a.snapshot),
                           QFileInfo(before).fileName(), QFileInfo(after).fileName());
    m_comparisons.removeAll(nullptr);
    m_comparisons.append(compare);
    compare->show();
    compare->raise();
    return true;
}

bool GuiApp::exportTo(const QString &path)
{
    const auto s = m_window->currentSnapshot();
    if (!s) {
        fail(QStringLiteral("Nothing to export yet: no snapshot has arrived."));
        return false;
    }
    widgets::ExportOptions options;
    options.pageSize = widgets::pageSizeForLocale();
    options.shownDashboard = m_window->view(); // the PNG is the dashboard as shown
    QString error;
    const bool ok = widgets::exportReport(*s, path, options, &error);
    if (!ok) {
        fail(error);
        return false;
    }
    m_window->statusBar()->showMessage(QStringLiteral("Exported %1").arg(path), 10000);
    return true;
}

} // namespace fleetscope::app
