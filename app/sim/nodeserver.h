#pragma once

// NodeServer: serves one simulated node's /metrics on its port. Healthy nodes (and flapping
// nodes while up) are served by prometheus-cpp's Exposer; slow, hung, malformed, truncated and
// oversized nodes by a FaultServer on the same port; down nodes hold the port bound but not
// listening. Lives on the simulation's thread; owns its servers; the port never changes.

#include "fault.h"

#include <QHostAddress>
#include <QObject>
#include <QTimer>

#include <memory>

namespace prometheus {
class Exposer;
}

namespace fleetscope::sim {

class FaultServer;
class NodeCollectable;
class PortReservation;

class NodeServer : public QObject
{
    Q_OBJECT
public:
    NodeServer(std::shared_ptr<NodeCollectable> node, const QHostAddress &address,
               QObject *parent = nullptr);
    ~NodeServer() override;

    // Starts serving with `fault` on `port` (0: the OS chooses). False and `error` on failure.
    bool start(quint16 port, const Fault &fault, QString *error);
    quint16 port() const { return m_port; }

    // Fault::Kind::Reset restarts the node (counters from zero) and keeps the current fault.
    bool setFault(const Fault &fault, QString *error);
    Fault fault() const { return m_fault; }
    const NodeCollectable &node() const { return *m_node; }

Q_SIGNALS:
    // A flapping node went up (served again) or down (connections refused).
    void flapped(bool up);

private:
    bool apply(const Fault &fault, QString *error);
    bool serveExposer(QString *error);
    bool serveFront(const Fault &fault, QString *error);
    bool serveDown(QString *error);
    void stopAll();
    void toggleFlap();

    std::shared_ptr<NodeCollectable> m_node;
    QHostAddress m_address;
    quint16 m_port = 0;
    Fault m_fault;
    std::unique_ptr<prometheus::Exposer> m_exposer;
    std::unique_ptr<FaultServer> m_front;
    std::unique_ptr<PortReservation> m_reservation;
    QTimer m_flapTimer;
    bool m_flapUp = true;
};

} // namespace fleetscope::sim
