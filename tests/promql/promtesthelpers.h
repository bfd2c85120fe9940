#pragma once

// Test helpers for the Prometheus source: fleetsim in this process on a clock the test holds
// still and moves by hand (FrozenSim), and a real Prometheus (/usr/bin/prometheus) on 127.0.0.1
// with a temporary data directory, stopped on destruction (also when a test fails).

#include "simoptions.h"
#include "simulation.h"

#include <QByteArray>
#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QObject>
#include <QProcess>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QThread>

#include <memory>

namespace fleetscope::promtest {

inline constexpr const char *kPrometheus = "/usr/bin/prometheus";

// fleetsim on its own thread whose clock never moves by itself: the models change only when the
// test calls advance(), so two observers polling at different instants see the same values
// between two advances.
class FrozenSim
{
public:
    FrozenSim()
    {
        m_thread.setObjectName(QStringLiteral("fleetsim"));
        m_thread.start();
        m_holder.moveToThread(&m_thread);
    }
    ~FrozenSim()
    {
        QMetaObject::invokeMethod(
            &m_holder, [this] { m_sim.reset(); }, Qt::BlockingQueuedConnection);
        m_thread.quit();
        m_thread.wait();
    }
    FrozenSim(const FrozenSim &) = delete;
    FrozenSim &operator=(const FrozenSim &) = delete;

    bool start(const sim::SimOptions &options, QString *error, QByteArray *fleetJson)
    {
        bool ok = false;
        QMetaObject::invokeMethod(
            &m_holder,
            [&] {
                m_sim = std::make_unique<sim::Simulation>();
                m_sim->setClock([] { return qint64(0); });
                ok = m_sim->configure(options, error) && m_sim->start(error);
                if (ok)
                    *fleetJson = m_sim->fleetFileJson();
            },
            Qt::BlockingQueuedConnection);
        return ok;
    }

    // Moves every node `seconds` of simulated time ahead; returns when they are there.
    void advance(double seconds)
    {
        QMetaObject::invokeMethod(
            &m_holder, [&] { m_sim->advanceTo(m_sim->simTime() + seconds); },
            Qt::BlockingQueuedConnection);
    }

private:
    QThread m_thread;
    QObject m_holder;
    std::unique_ptr<sim::Simulation> m_sim;
};

// A port the OS had free a moment ago (Prometheus cannot report the port it picked for :0).
inline quint16 freePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    const quint16 port = probe.serverPort();
    probe.close();
    return port;
}

// A real Prometheus scraping the targets of a file_sd list every second.
class PrometheusProcess
{
public:
    ~PrometheusProcess() { stop(); }

    bool start(const QByteArray &fileSdJson, QString *error,
               const QString &interval = QStringLiteral("1s"),
               const QString &timeout = QStringLiteral("900ms"))
    {
        if (!m_dir.isValid()) {
            *error = QStringLiteral("cannot make a temporary directory");
            return false;
        }
        const QString targets = m_dir.filePath(QStringLiteral("targets.json"));
        QFile t(targets);
        if (!t.open(QIODevice::WriteOnly) || t.write(fileSdJson) < 0) {
            *error = QStringLiteral("cannot write %1").arg(targets);
            return false;
        }
        t.close();
        const QString config = m_dir.filePath(QStringLiteral("prometheus.yml"));
        QFile c(config);
        if (!c.open(QIODevice::WriteOnly)) {
            *error = QStringLiteral("cannot write %1").arg(config);
            return false;
        }
        c.write(QStringLiteral("global:\n"
                               "  scrape_interval: %1\n"
                               "  scrape_timeout: %2\n"
                               "  evaluation_interval: 15s\n"
                               "scrape_configs:\n"
                               "  - job_name: edge\n"
                               "    file_sd_configs:\n"
                               "      - files: ['%3']\n"
                               "        refresh_interval: 1s\n")
                    .arg(interval, timeout, targets)
                    .toUtf8());
        c.close();
        m_port = freePort();
        if (!m_port) {
            *error = QStringLiteral("no free port on 127.0.0.1");
            return false;
        }
        m_process.setProgram(QString::fromLatin1(kPrometheus));
        m_process.setArguments(
            { QStringLiteral("--config.file=") + config,
              QStringLiteral("--storage.tsdb.path=") + m_dir.filePath(QStringLiteral("data")),
              QStringLiteral("--web.listen-address=127.0.0.1:%1").arg(m_port),
              QStringLiteral("--log.level=warn") });
        m_process.setProcessChannelMode(QProcess::MergedChannels);
        m_process.start();
        if (!m_process.waitForStarted(10000)) {
            *error = QStringLiteral("cannot start %1: %2")
                         .arg(QString::fromLatin1(kPrometheus), m_process.errorString());
            return false;
        }
        return true;
    }

    // More command-line options for the next start(), e.g. --query.timeout=5m.
    void setExtraArguments(const QStringList &arguments) { m_extraArguments = arguments; }
    QString baseUrl() const { return QStringLiteral("http://127.0.0.1:%1").arg(m_port); }
    bool running() const { return m_process.state() == QProcess::Running; }
    QByteArray output() { return m_process.readAll(); }

    // One GET of /-/ready; true when it answered 200. Call it in a QTRY loop.
    bool ready(QNetworkAccessManager &nam)
    {
        if (m_pending)
            return false;
        m_pending = nam.get(QNetworkRequest(QUrl(baseUrl() + QStringLiteral("/-/ready"))));
        QObject::connect(m_pending, &QNetworkReply::finished, m_pending, [this] {
            m_ready = m_pending->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == 200;
            m_pending->deleteLater();
            m_pending = nullptr;
        });
        return m_ready;
    }

    void stop()
    {
        if (m_process.state() == QProcess::NotRunning)
            return;
        m_process.terminate();
        if (!m_process.waitForFinished(10000)) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }

private:
    QTemporaryDir m_dir;
    QProcess m_process;
    QStringList m_extraArguments;
    quint16 m_port = 0;
    QNetworkReply *m_pending = nullptr;
    bool m_ready = false;
};

} // namespace fleetscope::promtest
