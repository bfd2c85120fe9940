#pragma once

// ControlServer: fleetsim's small HTTP control endpoint: list nodes, set or clear a node's
// fault, restart a node (see SimOptions::helpText for the routes). Every request is untrusted:
// bad input gets a 4xx with a sentence, never a crash. Lives on the Simulation's thread; the
// Simulation owns it.

#include <QHostAddress>
#include <QObject>
#include <QTcpServer>

class QTcpSocket;

namespace fleetscope::sim {

class HttpRequest;
class Simulation;

class ControlServer : public QObject
{
    Q_OBJECT
public:
    explicit ControlServer(Simulation *simulation, QObject *parent = nullptr);
    ~ControlServer() override;

    bool listen(const QHostAddress &address, quint16 port, QString *error);
    quint16 port() const { return m_server.serverPort(); }

    // The response (status line to body) for one complete request; public for tests.
    QByteArray handle(const HttpRequest &request);

private:
    void acceptConnections();

    Simulation *m_simulation;
    QTcpServer m_server;
};

} // namespace fleetscope::sim
