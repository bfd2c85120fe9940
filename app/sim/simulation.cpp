#include "simulation.h"

#include "controlserver.h"
#include "logging.h"
#include "nodecollectable.h"
#include "nodeserver.h"
#include "simregions.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

#include <algorithm>
#include <cmath>

namespace fleetscope::sim {

namespace {
constexpr int tickMilliseconds = 500;
constexpr int maxStepsPerTick = 7200;
} // namespace

Simulation::Simulation(QObject *parent)
    : QObject(parent)
    , m_timer(this)
{
    connect(&m_timer, &QTimer::timeout, this, &Simulation::tick);
}

Simulation::~Simulation()
{
    stop();
}

bool Simulation::configure(const SimOptions &options, QString *error)
{
    auto fail = [&](const QString &message) {
        if (error)
            *error = message;
        return false;
    };
    stop();
    m_nodes.clear();
    m_options = options;
    if (fleet::RegionCatalogue::embedded().size() == 0)
        return fail(QStringLiteral("the embedded region catalogue is missing"));

    const QStringList specs =
        options.regions.isEmpty() ? SimOptions::defaultRegions() : options.regions;
    QList<Region> regions;
    for (const QString &spec : specs) {
        const auto region = findRegion(spec);
        if (!region)
            return fail(QStringLiteral("unknown region \"%1\"").arg(spec.left(40)));
        regions.append(*region);
    }
    const auto primary = findRegion(options.primary);
    if (!primary)
        return fail(QStringLiteral("unknown primary region \"%1\"").arg(options.primary.left(40)));

    m_startTime = options.startTime
        ? *options.startTime
        : std::floor(double(QDateTime::currentMSecsSinceEpoch()) / 1000);
    m_simTime = m_startTime;
    // One model step per tick at real speed; at most a minute of simulated time per step.
    m_stepSeconds = std::clamp(options.timeScale * tickMilliseconds / 1000.0, 1.0, 60.0);

    m_nodes.reserve(std::size_t(options.nodes));
    for (int i = 0; i < options.nodes; ++i) {
        const Region &region = regions[i % regions.size()];
        const QString name = QStringLiteral("%1-%2").arg(region.code).arg(i / regions.size() + 1);
        m_nodes.push_back(std::make_shared<NodeCollectable>(
            NodeSpec::make(name, region, *primary, options.seed, i), m_startTime));
    }
    m_initialFaults.assign(m_nodes.size(), Fault());
    for (const auto &[name, fault] : options.faults) {
        const int index = indexOf(name);
        if (index < 0)
            return fail(QStringLiteral("--fault: no node called \"%1\" (nodes are named like %2)")
                            .arg(name.left(40), nodeName(0)));
        if (fault.kind == Fault::Kind::Reset)
            m_nodes[std::size_t(index)]->restart();
        else
            m_initialFaults[std::size_t(index)] = fault;
    }
    return true;
}

bool Simulation::start(QString *error)
{
    m_servers.clear();
    m_servers.reserve(m_nodes.size());
    for (std::size_t i = 0; i < m_nodes.size(); ++i) {
        auto server = std::make_unique<NodeServer>(m_nodes[i], m_options.listen);
        const quint16 port = m_options.basePort == 0 ? 0 : quint16(m_options.basePort + i);
        if (!server->start(port, m_initialFaults[i], error)) {
            m_servers.clear();
            return false;
        }
        m_servers.push_back(std::move(server));
    }
    if (m_options.control) {
        m_control = std::make_unique<ControlServer>(this);
        if (!m_control->listen(m_options.listen, m_options.controlPort, error)) {
            m_control.reset();
            m_servers.clear();
            return false;
        }
    }
    startClock();
    qCInfo(lcSim) << "serving" << m_nodes.size() << "nodes on" << m_options.listen.toString();
    return true;
}

void Simulation::startClock()
{
    if (!m_clock) {
        m_elapsed.start();
        m_clock = [this] {
            return m_elapsed.elapsed();
        };
    }
    m_clockOrigin = m_clock();
    m_timer.start(tickMilliseconds);
}

void Simulation::stop()
{
    m_timer.stop();
    m_control.reset();
    m_servers.clear();
}

void Simulation::tick()
{
    if (!m_clock)
        return;
    const double realSeconds = double(m_clock() - m_clockOrigin) / 1000.0;
    double target = m_startTime + realSeconds * m_options.timeScale;
    if ((target - m_simTime) / m_stepSeconds > maxStepsPerTick) {
        // The process was stopped or starved: skip ahead rather than stall catching up.
        qCWarning(lcSim) << "simulation fell behind by" << (target - m_simTime) << "s; skipping";
        m_startTime += target - m_simTime - maxStepsPerTick * m_stepSeconds;
        target = m_startTime + realSeconds * m_options.timeScale;
    }
    advanceTo(target);
}

void Simulation::advanceTo(double time)
{
    bool moved = false;
    while (m_simTime + m_stepSeconds <= time + 1e-9) {
        m_simTime += m_stepSeconds;
        for (const auto &node : m_nodes)
            node->advanceTo(m_simTime);
        moved = true;
    }
    if (moved)
        Q_EMIT advanced(m_simTime);
}

int Simulation::indexOf(const QString &name) const
{
    for (std::size_t i = 0; i < m_nodes.size(); ++i) {
        if (m_nodes[i]->spec().name == name)
            return int(i);
    }
    return -1;
}

QString Simulation::nodeName(int index) const
{
    return index >= 0 && std::size_t(index) < m_nodes.size()
        ? m_nodes[std::size_t(index)]->spec().name
        : QString();
}

std::shared_ptr<NodeCollectable> Simulation::node(int index) const
{
    return index >= 0 && std::size_t(index) < m_nodes.size() ? m_nodes[std::size_t(index)]
                                                             : nullptr;
}

NodeServer *Simulation::server(int index) const
{
    return index >= 0 && std::size_t(index) < m_servers.size() ? m_servers[std::size_t(index)].get()
                                                               : nullptr;
}

quint16 Simulation::controlPort() const
{
    return m_control ? m_control->port() : 0;
}

Fault Simulation::fault(int index) const
{
    if (NodeServer *s = server(index))
        return s->fault();
    return index >= 0 && std::size_t(index) < m_initialFaults.size()
        ? m_initialFaults[std::size_t(index)]
        : Fault();
}

bool Simulation::setFault(const QString &name, const Fault &fault, QString *error)
{
    const int index = indexOf(name);
    if (index < 0) {
        if (error)
            *error = QStringLiteral("no node called \"%1\"").arg(name.left(40));
        return false;
    }
    NodeServer *s = server(index);
    if (s) {
        if (!s->setFault(fault, error))
            return false;
    } else if (fault.kind == Fault::Kind::Reset) {
        m_nodes[std::size_t(index)]->restart();
    } else {
        m_initialFaults[std::size_t(index)] = fault;
    }
    qCInfo(lcSim) << "node" << name << "fault" << fault.toString();
    Q_EMIT faultChanged(name, fault.toString());
    return true;
}

QString Simulation::targetHost() const
{
    QHostAddress host = m_options.listen;
    if (host == QHostAddress(QHostAddress::AnyIPv4) || host == QHostAddress(QHostAddress::Any))
        host = QHostAddress(QHostAddress::LocalHost);
    else if (host == QHostAddress(QHostAddress::AnyIPv6))
        host = QHostAddress(QHostAddress::LocalHostIPv6);
    return host.protocol() == QAbstractSocket::IPv6Protocol
        ? QLatin1Char('[') + host.toString() + QLatin1Char(']')
        : host.toString();
}

QByteArray Simulation::fleetFileJson() const
{
    QJsonArray groups;
    const QString host = targetHost();
    for (std::size_t i = 0; i < m_servers.size(); ++i) {
        const NodeSpec &spec = m_nodes[i]->spec();
        QJsonObject labels;
        labels.insert(QStringLiteral("region"), spec.region.code);
        labels.insert(QStringLiteral("node"), spec.name);
        QJsonObject group;
        group.insert(
            QStringLiteral("targets"),
            QJsonArray { host + QLatin1Char(':') + QString::number(m_servers[i]->port()) });
        group.insert(QStringLiteral("labels"), labels);
        groups.append(group);
    }
    return QJsonDocument(groups).toJson(QJsonDocument::Indented);
}

bool Simulation::writePortFile(const QString &path, QString *error) const
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(fleetFileJson()) < 0 || !file.commit()) {
        if (error)
            *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

QByteArray Simulation::nodeJson(int index) const
{
    QJsonObject o;
    const NodeSpec &spec = m_nodes[std::size_t(index)]->spec();
    o.insert(QStringLiteral("node"), spec.name);
    o.insert(QStringLiteral("region"), spec.region.code);
    o.insert(QStringLiteral("city"), spec.region.city);
    if (NodeServer *s = server(index)) {
        o.insert(QStringLiteral("port"), int(s->port()));
        o.insert(QStringLiteral("url"),
                 QStringLiteral("http://%1:%2/metrics").arg(targetHost()).arg(s->port()));
    }
    o.insert(QStringLiteral("fault"), fault(index).toString());
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QByteArray Simulation::nodesJson() const
{
    QJsonArray array;
    for (int i = 0; i < nodeCount(); ++i)
        array.append(QJsonDocument::fromJson(nodeJson(i)).object());
    return QJsonDocument(array).toJson(QJsonDocument::Indented);
}

} // namespace fleetscope::sim
