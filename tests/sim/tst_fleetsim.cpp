// The fleetsim program end to end: `fleetsim --nodes 24 --port-file F` serves every METRICS.md
// family on every node, promtool finds no error, and the command line answers as documented.

#include "exposition/exposition.h"
#include "scrapehelper.h"
#include "simregions.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <set>

using namespace fleetscope::sim;
using namespace fleetscope::sim::test;
namespace exposition = fleetscope::exposition;

namespace {

struct Expected
{
    const char *name;
    exposition::MetricType type;
    std::set<std::string> labels;
};

const Expected contract[] = {
    { "edge_node_info",
      exposition::MetricType::Gauge,
      { "node", "region", "provider", "city", "lat", "lon" } },
    { "edge_request_duration_seconds", exposition::MetricType::Histogram, { "route", "status" } },
    { "edge_client_rtt_seconds", exposition::MetricType::Histogram, {} },
    { "edge_request_phase_duration_seconds", exposition::MetricType::Histogram, { "phase" } },
    { "edge_cache_requests_total", exposition::MetricType::Counter, { "cache", "result" } },
    { "edge_kv_read_duration_seconds", exposition::MetricType::Histogram, {} },
    { "edge_kv_operations_total", exposition::MetricType::Counter, { "op" } },
    { "edge_db_queries_total", exposition::MetricType::Counter, { "op", "target" } },
    { "edge_db_query_duration_seconds", exposition::MetricType::Histogram, { "op" } },
    { "edge_db_rows_read_total", exposition::MetricType::Counter, {} },
    { "edge_db_rows_written_total", exposition::MetricType::Counter, {} },
    { "edge_db_connections", exposition::MetricType::Gauge, { "state" } },
    { "edge_db_connection_errors_total", exposition::MetricType::Counter, {} },
    { "edge_replica_lag_seconds", exposition::MetricType::Gauge, { "primary" } },
    { "edge_write_queue_depth", exposition::MetricType::Gauge, {} },
    { "edge_write_queue_oldest_age_seconds", exposition::MetricType::Gauge, {} },
    { "edge_sync_last_success_timestamp_seconds", exposition::MetricType::Gauge, {} },
    { "edge_sync_failures_total", exposition::MetricType::Counter, {} },
    { "edge_invocations_total", exposition::MetricType::Counter, {} },
    { "edge_cpu_seconds_total", exposition::MetricType::Counter, {} },
    { "edge_invocation_duration_seconds_total", exposition::MetricType::Counter, {} },
    { "edge_memory_limit_bytes", exposition::MetricType::Gauge, {} },
    { "edge_egress_bytes_total", exposition::MetricType::Counter, {} },
    { "edge_instances", exposition::MetricType::Gauge, { "state" } },
    { "edge_cold_starts_total", exposition::MetricType::Counter, {} },
    { "edge_cold_start_duration_seconds", exposition::MetricType::Histogram, {} },
};

// Reads stdout until `marker` or the deadline; waits on the process' signal, never sleeps.
bool waitForOutput(QProcess &process, QByteArray &output, const QByteArray &marker, int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    QSignalSpy readable(&process, &QProcess::readyReadStandardOutput);
    while (!output.contains(marker)) {
        output += process.readAllStandardOutput();
        if (output.contains(marker))
            break;
        const int left = timeoutMs - int(timer.elapsed());
        if (left <= 0 || process.state() == QProcess::NotRunning || !readable.wait(left))
            return output.contains(marker);
    }
    return true;
}

} // namespace

class TestFleetSim : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void commandLine_data();
    void commandLine();
    void servesTheContractOnEveryNode();
};

void TestFleetSim::commandLine_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QByteArray>("stdoutContains");
    QTest::addColumn<QByteArray>("stderrContains");
    QTest::addRow("help") << QStringList { QStringLiteral("--help") } << 0 << QByteArray("Fly.io")
                          << QByteArray();
    QTest::addRow("version") << QStringList { QStringLiteral("--version") } << 0
                             << QByteArray("fleetsim " FLEETSCOPE_VERSION) << QByteArray();
    QTest::addRow("zero nodes") << QStringList { QStringLiteral("--nodes"), QStringLiteral("0") }
                                << 2 << QByteArray() << QByteArray("--nodes");
    QTest::addRow("unknown region")
        << QStringList { QStringLiteral("--regions"), QStringLiteral("atlantis") } << 2
        << QByteArray() << QByteArray("unknown region");
    QTest::addRow("fault for a missing node")
        << QStringList { QStringLiteral("--nodes=2"), QStringLiteral("--fault=syd-9=down") } << 2
        << QByteArray() << QByteArray("syd-9");
    QTest::addRow("unwritable port file")
        << QStringList { QStringLiteral("--nodes=1"), QStringLiteral("--no-control"),
                         QStringLiteral("--port-file=/nonexistent-dir/fleet.json") }
        << 2 << QByteArray() << QByteArray("cannot write");
}

void TestFleetSim::commandLine()
{
    QFETCH(QStringList, args);
    QFETCH(int, exitCode);
    QFETCH(QByteArray, stdoutContains);
    QFETCH(QByteArray, stderrContains);
    QProcess process;
    QSignalSpy finished(&process, &QProcess::finished);
    process.start(QStringLiteral(FLEETSIM_BIN), args);
    QVERIFY(finished.wait(20000));
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), exitCode);
    QVERIFY(process.readAllStandardOutput().contains(stdoutContains));
    QVERIFY(process.readAllStandardError().contains(stderrContains));
}

void TestFleetSim::servesTheContractOnEveryNode()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString fleetFile = dir.filePath(QStringLiteral("fleet.json"));
    QProcess fleetsim;
    fleetsim.setProcessChannelMode(QProcess::SeparateChannels);
    fleetsim.start(QStringLiteral(FLEETSIM_BIN),
                   { QStringLiteral("--nodes"), QStringLiteral("24"), QStringLiteral("--port-file"),
                     fleetFile, QStringLiteral("--listen"), QStringLiteral("127.0.0.1"),
                     QStringLiteral("--seed"), QStringLiteral("3"), QStringLiteral("--time-scale"),
                     QStringLiteral("600") });
    QByteArray output;
    QVERIFY2(waitForOutput(fleetsim, output, "ready\n", 30000),
             fleetsim.readAllStandardError().constData());

    QFile file(fleetFile);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QJsonArray groups = QJsonDocument::fromJson(file.readAll()).array();
    QCOMPARE(groups.size(), 24);

    const QString promtool = QStandardPaths::findExecutable(QStringLiteral("promtool"));
    const bool ci = qgetenv("CI") == "true";
    if (promtool.isEmpty() && ci)
        QFAIL("promtool not found on PATH (Debian package prometheus); required under CI=true");

    QNetworkAccessManager nam;
    QSet<QString> nodes;
    for (const QJsonValue &value : groups) {
        const QJsonObject group = value.toObject();
        const QJsonArray targets = group.value(QLatin1String("targets")).toArray();
        const QJsonObject labels = group.value(QLatin1String("labels")).toObject();
        QCOMPARE(targets.size(), 1);
        const QString node = labels.value(QLatin1String("node")).toString();
        const QString regionCode = labels.value(QLatin1String("region")).toString();
        QVERIFY(!node.isEmpty() && node.startsWith(regionCode + QLatin1Char('-')));
        nodes.insert(node);

        const QUrl url(QStringLiteral("http://%1/metrics").arg(targets[0].toString()));
        QCOMPARE(url.host(), QStringLiteral("127.0.0.1"));
        const auto scrape = httpGet(nam, url);
        QCOMPARE(scrape.error, QNetworkReply::NoError);
        QCOMPARE(scrape.status, 200);

        const auto parsed = exposition::parse(
            std::string_view(scrape.body.constData(), std::size_t(scrape.body.size())));
        QVERIFY2(parsed.ok(), parsed.ok() ? "" : parsed.error->toString().c_str());
        for (const Expected &expected : contract) {
            const auto *family = parsed.family(expected.name);
            QVERIFY2(family, qPrintable(node + QLatin1Char(' ') + QLatin1String(expected.name)));
            QCOMPARE(family->type, expected.type);
            QVERIFY(family->sampleCount > 0);
            for (const auto &sample : parsed.samplesOf(*family)) {
                std::set<std::string> names;
                for (const auto &label : parsed.labelsOf(sample)) {
                    if (label.name != "le")
                        names.emplace(label.name);
                }
                QVERIFY2(names == expected.labels, expected.name);
            }
        }
        // The identity gauge places the node where the region catalogue says.
        const auto *info = parsed.family("edge_node_info");
        const auto &sample = parsed.samplesOf(*info).front();
        const auto region = findRegion(regionCode);
        QVERIFY(region);
        QCOMPARE(QString::fromStdString(std::string(*parsed.labelValue(sample, "node"))), node);
        QCOMPARE(std::stod(std::string(*parsed.labelValue(sample, "lat"))), region->lat);
        QCOMPARE(std::stod(std::string(*parsed.labelValue(sample, "lon"))), region->lon);
        QCOMPARE(sample.value, 1.0);

        if (!promtool.isEmpty()) {
            QProcess check;
            QSignalSpy done(&check, &QProcess::finished);
            check.setProcessChannelMode(QProcess::MergedChannels);
            check.start(promtool, { QStringLiteral("check"), QStringLiteral("metrics") });
            check.write(scrape.body);
            check.closeWriteChannel();
            QVERIFY(done.wait(30000));
            const QByteArray said = check.readAll();
            QVERIFY2(check.exitCode() == 0,
                     qPrintable(node + QStringLiteral(": promtool: ") + QString::fromUtf8(said)));
        }
    }
    QCOMPARE(nodes.size(), 24);

    QSignalSpy finished(&fleetsim, &QProcess::finished);
    fleetsim.terminate(); // SIGTERM: a clean stop
    QVERIFY(finished.wait(20000));
    QCOMPARE(fleetsim.exitStatus(), QProcess::NormalExit);
    QCOMPARE(fleetsim.exitCode(), 0);
    if (promtool.isEmpty())
        QSKIP("promtool not found on PATH (Debian package prometheus); the families were checked, "
              "promtool was not run");
}

QTEST_GUILESS_MAIN(TestFleetSim)
#include "tst_fleetsim.moc"
