#pragma once

// Simulation: a fleet of simulated edge nodes: builds the nodes from SimOptions, drives their
// models on a simulated clock (K simulated seconds per real second, on a fixed step grid so a
// seed replays), serves each node (NodeServer) and the control endpoint, writes the fleet file.
// A QObject on the thread that creates it; owns its nodes and servers; accessors return views
// valid while the Simulation lives.

#include "fault.h"
#include "simoptions.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QHostAddress>
#include <QObject>
#include <QTimer>

#include <functional>
#include <memory>
#include <vector>

namespace fleetscope::sim {

class ControlServer;
class NodeCollectable;
class NodeServer;

class Simulation : public QObject
{
    Q_OBJECT
public:
    // Milliseconds of real time from any fixed origin; tests inject their own.
    using Clock = std::function<qint64()>;

    explicit Simulation(QObject *parent = nullptr);
    ~Simulation() override;

    // Builds the fleet from `options` (no network yet). False and `error` on an unknown region or
    // a fault for a node that does not exist.
    bool configure(const SimOptions &options, QString *error);

    // Serves every node and the control endpoint (unless disabled), and starts the clock.
    bool start(QString *error);
    // Starts only the clock: the models run, nothing listens (fleetscope --demo, model tests).
    void startClock();
    void stop();

    void setClock(Clock clock) { m_clock = std::move(clock); }
    // Advances the models to the simulated time the clock implies now. The timer calls it.
    void tick();
    // Advances the models to `time` (seconds since the epoch) on the step grid.
    void advanceTo(double time);

    double simTime() const { return m_simTime; }
    double startTime() const { return m_startTime; }
    double stepSeconds() const { return m_stepSeconds; }
    const SimOptions &options() const { return m_options; }

    int nodeCount() const { return int(m_nodes.size()); }
    int indexOf(const QString &name) const;
    QString nodeName(int index) const;
    std::shared_ptr<NodeCollectable> node(int index) const;
    NodeServer *server(int index) const; // nullptr unless serving
    quint16 controlPort() const;
    QHostAddress listenAddress() const { return m_options.listen; }

    Fault fault(int index) const;
    bool setFault(const QString &node, const Fault &fault, QString *error);

    // The Prometheus file_sd fleet file for the nodes being served.
    QByteArray fleetFileJson() const;
    bool writePortFile(const QString &path, QString *error) const;
    QByteArray nodeJson(int index) const;
    QByteArray nodesJson() const;

Q_SIGNALS:
    void advanced(double simTime);
    void faultChanged(const QString &node, const QString &fault);

private:
    QString targetHost() const;

    SimOptions m_options;
    std::vector<std::shared_ptr<NodeCollectable>> m_nodes;
    std::vector<std::unique_ptr<NodeServer>> m_servers;
    std::vector<Fault> m_initialFaults;
    std::unique_ptr<ControlServer> m_control;
    Clock m_clock;
    QElapsedTimer m_elapsed;
    QTimer m_timer;
    qint64 m_clockOrigin = 0;
    double m_startTime = 0;
    double m_simTime = 0;
    double m_stepSeconds = 1;
};

} // namespace fleetscope::sim
