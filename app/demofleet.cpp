#include "demofleet.h"

#include "fleet/fleetfile.h"
#include "simoptions.h"
#include "simulation.h"

#include <QThread>

namespace fleetscope::app {
namespace {

// Owns the simulator's thread; the Simulation lives and dies on it.
class DemoRunner : public QObject
{
public:
    DemoRunner()
    {
        m_thread.setObjectName(QStringLiteral("fleetsim"));
        m_thread.start();
    }

    ~DemoRunner() override
    {
        QMetaObject::invokeMethod(
            &m_holder, [this] { m_simulation.reset(); }, Qt::BlockingQueuedConnection);
        m_thread.quit();
        m_thread.wait();
    }

    bool start(QString *error, QByteArray *fleetJson)
    {
        m_holder.moveToThread(&m_thread);
        bool ok = false;
        QMetaObject::invokeMethod(
            &m_holder,
            [&] {
                sim::SimOptions options;
                options.timeScale = kDemoTimeScale;
                options.control = false;
                m_simulation = std::make_unique<sim::Simulation>();
                ok = m_simulation->configure(options, error) && m_simulation->start(error);
                if (ok)
                    *fleetJson = m_simulation->fleetFileJson();
            },
            Qt::BlockingQueuedConnection);
        return ok;
    }

private:
    QThread m_thread;
    QObject m_holder; // context object living on the simulator's thread
    std::unique_ptr<sim::Simulation> m_simulation;
};

} // namespace

std::optional<DemoFleet> startDemoFleet(QString *error)
{
    auto runner = std::make_unique<DemoRunner>();
    QByteArray json;
    if (!runner->start(error, &json))
        return std::nullopt;
    fleet::FleetFileOptions options;
    const fleet::FleetLoadResult loaded =
        fleet::parseFleetFile(json, QStringLiteral("demo fleet"), options);
    if (!loaded.ok()) {
        *error = loaded.errorString();
        return std::nullopt;
    }
    DemoFleet demo;
    demo.fleet = loaded.fleet;
    demo.fleet.name = QStringLiteral("FleetScope demo (fleetsim, %1x time)").arg(kDemoTimeScale);
    // The demo shows a day in minutes: scrape often.
    for (fleet::Target &t : demo.fleet.targets) {
        t.interval = std::chrono::seconds(2);
        t.timeout = std::chrono::seconds(2);
    }
    demo.keepAlive = std::move(runner);
    return demo;
}

} // namespace fleetscope::app
