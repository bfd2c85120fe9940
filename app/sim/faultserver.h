#pragma once

// FaultServer: the small HTTP front that stands in for a node's Exposer while the node is slow,
// hung, malformed, truncated or oversized. It serialises the node with prometheus-cpp's
// TextSerializer, then misbehaves. Lives on the thread that created it (QTcpServer); owns its
// connections.

#include "fault.h"

#include <QHostAddress>
#include <QObject>
#include <QTcpServer>

#include <memory>

class QTcpSocket;

namespace fleetscope::sim {

class NodeCollectable;

class FaultServer : public QObject
{
    Q_OBJECT
public:
    FaultServer(std::shared_ptr<const NodeCollectable> node, const Fault &fault,
                QObject *parent = nullptr);
    ~FaultServer() override;

    bool listen(const QHostAddress &address, quint16 port, QString *error);
    quint16 port() const { return m_server.serverPort(); }

    // Applies to requests that arrive from now on; connections held by "hung" are closed when
    // the node stops being hung.
    void setFault(const Fault &fault);
    Fault fault() const { return m_fault; }

private:
    void acceptConnections();
    void serve(QTcpSocket *socket);
    void sendOversized(QTcpSocket *socket, QByteArray head);

    std::shared_ptr<const NodeCollectable> m_node;
    Fault m_fault;
    QTcpServer m_server;
};

} // namespace fleetscope::sim
