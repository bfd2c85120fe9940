#include "controlserver.h"

#include "fault.h"
#include "httprequest.h"
#include "simulation.h"

#include <QTcpSocket>
#include <QTimer>
#include <QUrl>

#include <memory>

namespace fleetscope::sim {

namespace {
constexpr int requestTimeoutMs = 10000;

QByteArray error(int status, const QString &message)
{
    return HttpRequest::response(status, "text/plain; charset=utf-8",
                                 "error: " + message.toUtf8() + '\n');
}

QByteArray json(const QByteArray &body)
{
    return HttpRequest::response(200, "application/json", body + '\n');
}
} // namespace

ControlServer::ControlServer(Simulation *simulation, QObject *parent)
    : QObject(parent)
    , m_simulation(simulation)
    , m_server(this)
{
    connect(&m_server, &QTcpServer::newConnection, this, &ControlServer::acceptConnections);
}

ControlServer::~ControlServer()
{
    m_server.close();
}

bool ControlServer::listen(const QHostAddress &address, quint16 port, QString *errorText)
{
    if (m_server.listen(address, port))
        return true;
    if (errorText)
        *errorText = QStringLiteral("control endpoint on %1:%2: %3")
                         .arg(address.toString())
                         .arg(port)
                         .arg(m_server.errorString());
    return false;
}

void ControlServer::acceptConnections()
{
    while (QTcpSocket *socket = m_server.nextPendingConnection()) {
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        // A client that never finishes its request is dropped.
        QTimer::singleShot(requestTimeoutMs, socket, [socket] { socket->abort(); });
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
                socket->write(error(request->errorStatus(), request->errorMessage()));
                break;
            case HttpRequest::State::Complete:
                socket->write(handle(*request));
                break;
            }
            socket->disconnectFromHost();
        });
    }
}

QByteArray ControlServer::handle(const HttpRequest &request)
{
    const QByteArray method = request.method();
    const QString path = QUrl::fromPercentEncoding(request.path());
    QStringList parts = path.split(QLatin1Char('/'), Qt::SkipEmptyParts);

    if (parts.isEmpty() || (parts.size() == 1 && parts[0] == QLatin1String("nodes"))) {
        if (method != "GET")
            return error(405, QStringLiteral("use GET on %1").arg(path));
        return json(m_simulation->nodesJson());
    }
    if (parts[0] != QLatin1String("nodes") || parts.size() > 3)
        return error(404, QStringLiteral("no such path; try GET /nodes"));

    const QString name = parts[1];
    const int index = m_simulation->indexOf(name);
    if (index < 0)
        return error(404, QStringLiteral("no node called \"%1\"").arg(name.left(40)));

    if (parts.size() == 2) {
        if (method != "GET")
            return error(405, QStringLiteral("use GET on /nodes/NODE"));
        return json(m_simulation->nodeJson(index));
    }

    Fault fault;
    if (parts[2] == QLatin1String("fault")) {
        if (method == "DELETE") {
            fault = Fault();
        } else if (method == "PUT" || method == "POST") {
            const QString text = QString::fromUtf8(request.body()).trimmed();
            if (text.isEmpty())
                return error(
                    400, QStringLiteral("send the fault as the body: %1").arg(Fault::syntaxHelp()));
            QString why;
            const auto parsed = Fault::parse(text, &why);
            if (!parsed)
                return error(400, why);
            fault = *parsed;
        } else {
            return error(405, QStringLiteral("use PUT, POST or DELETE on /nodes/NODE/fault"));
        }
    } else if (parts[2] == QLatin1String("reset")) {
        if (method != "POST")
            return error(405, QStringLiteral("use POST on /nodes/NODE/reset"));
        fault.kind = Fault::Kind::Reset;
    } else {
        return error(404,
                     QStringLiteral("no such path; try /nodes/NODE/fault or /nodes/NODE/reset"));
    }

    QString why;
    if (!m_simulation->setFault(name, fault, &why))
        return error(500, why);
    return json(m_simulation->nodeJson(index));
}

} // namespace fleetscope::sim
