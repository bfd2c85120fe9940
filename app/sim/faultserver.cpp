#include "faultserver.h"

#include "httprequest.h"
#include "logging.h"
#include "nodecollectable.h"

#include <QTcpSocket>
#include <QTimer>

namespace fleetscope::sim {

namespace {
const QByteArray textContentType = "text/plain; version=0.0.4; charset=utf-8";
constexpr const char *hungProperty = "fleetsimHung";

QByteArray responseHead(qsizetype contentLength)
{
    return "HTTP/1.1 200 OK\r\nContent-Type: " + textContentType + "\r\nContent-Length: "
        + QByteArray::number(contentLength) + "\r\nConnection: close\r\n\r\n";
}

// Breaks the exposition in a way every parser must reject: a sample whose label set is never
// closed, in the middle of an otherwise valid body.
QByteArray malform(QByteArray body)
{
    const QByteArray broken = "edge_cache_requests_total{cache=\"kv\",result=\"hit\" 1\n";
    const qsizetype at = body.indexOf("# HELP edge_cache_requests_total");
    body.insert(at < 0 ? 0 : at, broken);
    return body;
}
} // namespace

FaultServer::FaultServer(std::shared_ptr<const NodeCollectable> node, const Fault &fault,
                         QObject *parent)
    : QObject(parent)
    , m_node(std::move(node))
    , m_fault(fault)
    , m_server(this)
{
    connect(&m_server, &QTcpServer::newConnection, this, &FaultServer::acceptConnections);
}

FaultServer::~FaultServer()
{
    m_server.close();
}

bool FaultServer::listen(const QHostAddress &address, quint16 port, QString *error)
{
    if (m_server.listen(address, port))
        return true;
    if (error)
        *error = m_server.errorString();
    return false;
}

void FaultServer::setFault(const Fault &fault)
{
    m_fault = fault;
    if (fault.kind == Fault::Kind::Hung)
        return;
    const auto sockets = m_server.findChildren<QTcpSocket *>();
    for (QTcpSocket *socket : sockets) {
        if (socket->property(hungProperty).toBool())
            socket->abort();
    }
}

void FaultServer::acceptConnections()
{
    while (QTcpSocket *socket = m_server.nextPendingConnection()) {
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        if (m_fault.kind == Fault::Kind::Hung) {
            // Accept and never answer; whatever the client sends stays unread.
            socket->setProperty(hungProperty, true);
            continue;
        }
        auto request = std::make_shared<HttpRequest>();
        connect(socket, &QTcpSocket::readyRead, socket, [this, socket, request] {
            if (request->state() != HttpRequest::State::Incomplete) {
                socket->readAll();
                return;
            }
            switch (request->feed(socket->readAll())) {
            case HttpRequest::State::Incomplete:
                return;
            case HttpRequest::State::Invalid:
                socket->write(HttpRequest::response(request->errorStatus(), "text/plain",
                                                    request->errorMessage().toUtf8() + '\n'));
                socket->disconnectFromHost();
                return;
            case HttpRequest::State::Complete:
                break;
            }
            if (request->path() != "/metrics") {
                socket->write(
                    HttpRequest::response(404, "text/plain", "not found; try /metrics\n"));
                socket->disconnectFromHost();
                return;
            }
            if (m_fault.kind == Fault::Kind::Slow) {
                QTimer::singleShot(qint64(m_fault.seconds * 1000), socket,
                                   [this, socket] { serve(socket); });
                return;
            }
            serve(socket);
        });
    }
}

void FaultServer::serve(QTcpSocket *socket)
{
    const QByteArray body = QByteArray::fromStdString(m_node->serialize());
    switch (m_fault.kind) {
    case Fault::Kind::Malformed: {
        const QByteArray bad = malform(body);
        socket->write(responseHead(bad.size()) + bad);
        break;
    }
    case Fault::Kind::Truncated:
        // Promise the whole body, send half, close: the client sees a premature end.
        socket->write(responseHead(body.size()) + body.left(body.size() / 2));
        break;
    case Fault::Kind::Oversized:
        sendOversized(socket, body);
        return;
    default: // Slow (after its delay), or a fault that has just been lifted
        socket->write(responseHead(body.size()) + body);
        break;
    }
    socket->disconnectFromHost();
}

void FaultServer::sendOversized(QTcpSocket *socket, QByteArray head)
{
    // A valid exposition padded with one filler family to the requested size, streamed in
    // chunks so the server never holds the whole body.
    head += "# HELP edge_sim_padding_bytes Filler that makes this body oversized (fleetsim "
            "fault).\n# TYPE edge_sim_padding_bytes gauge\n";
    constexpr int lineBytes = 100;
    const auto target = qint64(m_fault.megabytes * 1024 * 1024);
    const qint64 lines = std::max<qint64>(1, (target - head.size() + lineBytes - 1) / lineBytes);
    const qint64 total = head.size() + lines * lineBytes;
    socket->write(responseHead(qsizetype(total)) + head);

    auto next = std::make_shared<qint64>(0);
    auto pump = [socket, next, lines] {
        if (*next >= lines)
            return;
        QByteArray chunk;
        while (socket->bytesToWrite() + chunk.size() < 1024 * 1024 && *next < lines) {
            // exactly lineBytes long, newline included
            chunk += "edge_sim_padding_bytes{line=\"";
            chunk += QByteArray::number(*next).rightJustified(10, '0');
            chunk += "\",fill=\"" + QByteArray(48, '0') + "\"} 1\n";
            ++*next;
        }
        socket->write(chunk);
        if (*next >= lines)
            socket->disconnectFromHost();
    };
    connect(socket, &QTcpSocket::bytesWritten, socket, pump);
    pump();
}

} // namespace fleetscope::sim
