#include "nodeserver.h"

#include "faultserver.h"
#include "logging.h"
#include "nodecollectable.h"
#include "portreservation.h"

#include <prometheus/exposer.h>

#include <QTcpSocket>

#include <chrono>
#include <future>

namespace fleetscope::sim {

namespace {

// civetweb's master thread looks at its stop flag only when its poll() returns, which without
// traffic is after two seconds. Stopping a thousand nodes (or flapping one) cannot wait that
// long: stop on a helper thread and wake the poll with a connection of our own until done.
void stopExposer(std::unique_ptr<prometheus::Exposer> exposer, const QHostAddress &address,
                 quint16 port)
{
    if (!exposer)
        return;
    auto stopped =
        std::async(std::launch::async, [e = std::move(exposer)]() mutable { e.reset(); });
    QHostAddress target = address;
    if (target == QHostAddress(QHostAddress::AnyIPv4) || target == QHostAddress(QHostAddress::Any))
        target = QHostAddress(QHostAddress::LocalHost);
    else if (target == QHostAddress(QHostAddress::AnyIPv6))
        target = QHostAddress(QHostAddress::LocalHostIPv6);
    using namespace std::chrono_literals;
    while (stopped.wait_for(2ms) != std::future_status::ready) {
        QTcpSocket poke;
        poke.connectToHost(target, port);
        poke.waitForConnected(100);
        poke.abort();
    }
    stopped.get();
}

} // namespace

NodeServer::NodeServer(std::shared_ptr<NodeCollectable> node, const QHostAddress &address,
                       QObject *parent)
    : QObject(parent)
    , m_node(std::move(node))
    , m_address(address)
    , m_flapTimer(this)
{
    connect(&m_flapTimer, &QTimer::timeout, this, &NodeServer::toggleFlap);
}

NodeServer::~NodeServer()
{
    stopAll();
}

bool NodeServer::start(quint16 port, const Fault &fault, QString *error)
{
    m_port = port;
    return apply(fault.kind == Fault::Kind::Reset ? Fault() : fault, error);
}

bool NodeServer::setFault(const Fault &fault, QString *error)
{
    if (fault.kind == Fault::Kind::Reset) {
        // A process restart: the counters start again, and the Exposer (with its own
        // exposer_* counters) is a new one too.
        m_node->restart();
        if (m_exposer) {
            stopExposer(std::move(m_exposer), m_address, m_port);
            return serveExposer(error);
        }
        return true;
    }
    if (fault == m_fault)
        return true;
    return apply(fault, error);
}

bool NodeServer::apply(const Fault &fault, QString *error)
{
    m_flapTimer.stop();
    m_fault = fault;
    qCDebug(lcSim) << "node" << m_node->spec().name << "fault" << fault.toString();
    switch (fault.kind) {
    case Fault::Kind::None:
    case Fault::Kind::Reset:
        return serveExposer(error);
    case Fault::Kind::Down:
        return serveDown(error);
    case Fault::Kind::Flapping:
        m_flapUp = true;
        m_flapTimer.setSingleShot(true);
        m_flapTimer.start(std::chrono::milliseconds(qint64(fault.seconds * 1000)));
        return serveExposer(error);
    case Fault::Kind::Slow:
    case Fault::Kind::Hung:
    case Fault::Kind::Malformed:
    case Fault::Kind::Truncated:
    case Fault::Kind::Oversized:
        return serveFront(fault, error);
    }
    return false;
}

void NodeServer::toggleFlap()
{
    m_flapUp = !m_flapUp;
    QString error;
    if (!(m_flapUp ? serveExposer(&error) : serveDown(&error)))
        qCWarning(lcSim) << "node" << m_node->spec().name << "flapping:" << error;
    // Each phase lasts the full period from the moment it is in place.
    m_flapTimer.start();
    Q_EMIT flapped(m_flapUp);
}

void NodeServer::stopAll()
{
    stopExposer(std::move(m_exposer), m_address, m_port);
    m_front.reset();
    m_reservation.reset();
}

bool NodeServer::serveExposer(QString *error)
{
    if (m_exposer)
        return true;
    stopAll();
    const QString host = m_address.protocol() == QAbstractSocket::IPv6Protocol
        ? QLatin1Char('[') + m_address.toString() + QLatin1Char(']')
        : m_address.toString();
    const std::string bind = (host + QLatin1Char(':') + QString::number(m_port)).toStdString();
    try {
        // One worker thread per node: a scrape takes well under a millisecond, and a thousand
        // nodes should not cost three thousand threads.
        m_exposer = std::make_unique<prometheus::Exposer>(
            std::vector<std::string> { "listening_ports", bind, "num_threads", "1" });
        m_exposer->RegisterCollectable(m_node);
        const std::vector<int> ports = m_exposer->GetListeningPorts();
        if (ports.empty())
            throw std::runtime_error("no listening port");
        m_port = quint16(ports.front());
    } catch (const std::exception &e) {
        m_exposer.reset();
        if (error)
            *error = QStringLiteral("cannot serve %1 on %2: %3")
                         .arg(m_node->spec().name, QString::fromStdString(bind),
                              QString::fromLocal8Bit(e.what()));
        return false;
    }
    return true;
}

bool NodeServer::serveFront(const Fault &fault, QString *error)
{
    if (m_front) {
        m_front->setFault(fault);
        return true;
    }
    stopAll();
    auto front = std::make_unique<FaultServer>(m_node, fault);
    QString why;
    if (!front->listen(m_address, m_port, &why)) {
        if (error)
            *error = QStringLiteral("cannot serve %1 on %2:%3: %4")
                         .arg(m_node->spec().name, m_address.toString())
                         .arg(m_port)
                         .arg(why);
        return false;
    }
    m_port = front->port();
    m_front = std::move(front);
    return true;
}

bool NodeServer::serveDown(QString *error)
{
    stopAll();
    m_reservation = PortReservation::bind(m_address, m_port, error);
    if (!m_reservation)
        return false;
    m_port = m_reservation->port();
    return true;
}

} // namespace fleetscope::sim
