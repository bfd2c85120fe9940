#pragma once

// SimRunner: fleetsim in this process, on its own QThread (as app/demofleet.cpp runs it), so the
// test thread's event loop only carries FleetScope. Owns the thread and the Simulation; every
// call blocks until the simulator's thread has done it. Test code only.

#include "nodecollectable.h"
#include "simoptions.h"
#include "simulation.h"

#include <QByteArray>
#include <QObject>
#include <QThread>

#include <memory>

namespace fleetscope::integration {

class SimRunner
{
public:
    SimRunner()
    {
        m_thread.setObjectName(QStringLiteral("fleetsim"));
        m_thread.start();
        m_holder.moveToThread(&m_thread);
    }

    ~SimRunner()
    {
        QMetaObject::invokeMethod(
            &m_holder, [this] { m_simulation.reset(); }, Qt::BlockingQueuedConnection);
        m_thread.quit();
        m_thread.wait();
    }

    SimRunner(const SimRunner &) = delete;
    SimRunner &operator=(const SimRunner &) = delete;

    // Configures and serves the fleet; the file_sd list of its targets on success.
    bool start(const sim::SimOptions &options, QString *error, QByteArray *fleetJson)
    {
        bool ok = false;
        QMetaObject::invokeMethod(
            &m_holder,
            [&] {
                m_simulation = std::make_unique<sim::Simulation>();
                ok = m_simulation->configure(options, error) && m_simulation->start(error);
                if (ok)
                    *fleetJson = m_simulation->fleetFileJson();
            },
            Qt::BlockingQueuedConnection);
        return ok;
    }

    bool setFault(const QString &node, const sim::Fault &fault, QString *error)
    {
        bool ok = false;
        QMetaObject::invokeMethod(
            &m_holder, [&] { ok = m_simulation && m_simulation->setFault(node, fault, error); },
            Qt::BlockingQueuedConnection);
        return ok;
    }

    // The node's own counters, read on the simulator's thread (zeroed totals for an unknown node).
    sim::NodeModel::Totals totals(const QString &node)
    {
        sim::NodeModel::Totals totals;
        QMetaObject::invokeMethod(
            &m_holder,
            [&] {
                if (const auto n =
                        m_simulation ? m_simulation->node(m_simulation->indexOf(node)) : nullptr)
                    totals = n->totals();
            },
            Qt::BlockingQueuedConnection);
        return totals;
    }

private:
    QThread m_thread;
    QObject m_holder; // context object living on the simulator's thread
    std::unique_ptr<sim::Simulation> m_simulation; // created, used and destroyed on m_thread
};

} // namespace fleetscope::integration
