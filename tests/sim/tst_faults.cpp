// Each fault kind as an HTTP client observes it, set from the command line and through the
// control endpoint; and the healthy neighbours stay healthy meanwhile.

#include "exposition/exposition.h"
#include "nodeserver.h"
#include "scrapehelper.h"
#include "simulation.h"

#include <QTcpSocket>
#include <QTest>

using namespace fleetscope::sim;
using namespace fleetscope::sim::test;
namespace exposition = fleetscope::exposition;

namespace {

constexpr double startTime = 1768496400; // 2026-01-15T17:00:00Z: morning in iad, evening in fra

exposition::Exposition parse(const QByteArray &body, exposition::Limits limits = {})
{
    exposition::ParseOptions options;
    options.format = exposition::Format::Prometheus;
    options.limits = limits;
    return exposition::parse(std::string_view(body.constData(), std::size_t(body.size())), options);
}

double invocations(const QByteArray &body)
{
    const auto e = parse(body);
    const auto *family = e.family("edge_invocations_total");
    if (!e.ok() || !family || family->sampleCount != 1)
        return -1;
    return e.samplesOf(*family).front().value;
}

} // namespace

class TestFaults : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void faultIsObserved_data();
    void faultIsObserved();

private:
    QUrl metricsUrl(const Simulation &simulation, int index) const
    {
        return QUrl(
            QStringLiteral("http://127.0.0.1:%1/metrics").arg(simulation.server(index)->port()));
    }
    QNetworkAccessManager m_nam;
};

void TestFaults::faultIsObserved_data()
{
    QTest::addColumn<QString>("fault");
    QTest::addColumn<bool>("fromCommandLine");
    for (const char *fault : { "down", "slow:0.4", "hung", "flapping:0.3", "malformed", "truncated",
                               "oversized:2", "reset" }) {
        // A reset on the command line happens before anything is served; call the library's
        // run-time API instead.
        const bool reset = std::string_view(fault) == "reset";
        QTest::addRow("%s via %s", fault, reset ? "Simulation::setFault" : "--fault")
            << QString::fromLatin1(fault) << true;
        QTest::addRow("%s via control", fault) << QString::fromLatin1(fault) << false;
    }
}

void TestFaults::faultIsObserved()
{
    QFETCH(QString, fault);
    QFETCH(bool, fromCommandLine);
    const auto parsedFault = Fault::parse(fault, nullptr);
    QVERIFY(parsedFault);
    const Fault::Kind kind = parsedFault->kind;

    SimOptions options;
    options.nodes = 3;
    options.regions = { QStringLiteral("iad"), QStringLiteral("fra"), QStringLiteral("nrt") };
    options.startTime = startTime;
    options.listen = QHostAddress(QHostAddress::LocalHost);
    const bool viaOptions = fromCommandLine && kind != Fault::Kind::Reset;
    if (viaOptions)
        options.faults.append({ QStringLiteral("iad-1"), *parsedFault });
    Simulation simulation;
    QString error;
    QVERIFY2(simulation.configure(options, &error), qPrintable(error));
    simulation.advanceTo(startTime + 3600); // an hour of traffic on the counters
    QVERIFY2(simulation.start(&error), qPrintable(error));
    const QUrl faulty = metricsUrl(simulation, 0);
    const QUrl healthy = metricsUrl(simulation, 1);

    double before = -1;
    if (kind == Fault::Kind::Reset) {
        const auto scrape = httpGet(m_nam, faulty);
        QCOMPARE(scrape.error, QNetworkReply::NoError);
        before = invocations(scrape.body);
        QVERIFY(before > 1000);
    }
    if (!viaOptions) {
        if (fromCommandLine) {
            QVERIFY(simulation.setFault(QStringLiteral("iad-1"), *parsedFault, &error));
        } else {
            const QUrl control(QStringLiteral("http://127.0.0.1:%1/nodes/iad-1/%2")
                                   .arg(simulation.controlPort())
                                   .arg(kind == Fault::Kind::Reset ? QStringLiteral("reset")
                                                                   : QStringLiteral("fault")));
            const auto answer = httpRequest(m_nam, kind == Fault::Kind::Reset ? "POST" : "PUT",
                                            control, fault.toUtf8());
            QCOMPARE(answer.status, 200);
            QVERIFY2(answer.body.contains(kind == Fault::Kind::Reset ? "\"fault\":\"none\""
                                                                     : "\"fault\":\""
                                                  + parsedFault->toString().toUtf8() + '"'),
                     answer.body.constData());
        }
    }

    switch (kind) {
    case Fault::Kind::Down: {
        const auto scrape = httpGet(m_nam, faulty);
        QCOMPARE(scrape.error, QNetworkReply::ConnectionRefusedError);
        break;
    }
    case Fault::Kind::Slow: {
        const auto scrape = httpGet(m_nam, faulty);
        QCOMPARE(scrape.error, QNetworkReply::NoError);
        QVERIFY2(scrape.elapsedMs >= 400, qPrintable(QString::number(scrape.elapsedMs)));
        QVERIFY(parse(scrape.body).ok());
        break;
    }
    case Fault::Kind::Hung: {
        QTcpSocket socket;
        QSignalSpy connected(&socket, &QTcpSocket::connected);
        socket.connectToHost(QHostAddress(QHostAddress::LocalHost), faulty.port());
        QVERIFY(connected.wait(5000));
        socket.write("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        QSignalSpy readyRead(&socket, &QTcpSocket::readyRead);
        QSignalSpy disconnected(&socket, &QTcpSocket::disconnected);
        QVERIFY(!readyRead.wait(1500)); // bounded: a second and a half of silence
        QCOMPARE(socket.state(), QAbstractSocket::ConnectedState);
        QCOMPARE(disconnected.count(), 0);
        const auto scrape = httpGet(m_nam, faulty, 800);
        QVERIFY(scrape.error != QNetworkReply::NoError);
        QVERIFY(scrape.body.isEmpty());
        break;
    }
    case Fault::Kind::Flapping: {
        NodeServer *server = simulation.server(0);
        QSignalSpy flapped(server, &NodeServer::flapped);
        QCOMPARE(httpGet(m_nam, faulty).error, QNetworkReply::NoError);
        QVERIFY(flapped.wait(5000));
        QCOMPARE(flapped.last().at(0).toBool(), false);
        QCOMPARE(httpGet(m_nam, faulty).error, QNetworkReply::ConnectionRefusedError);
        QVERIFY(flapped.wait(5000));
        QCOMPARE(flapped.last().at(0).toBool(), true);
        const auto up = httpGet(m_nam, faulty);
        QCOMPARE(up.error, QNetworkReply::NoError);
        QVERIFY(parse(up.body).ok());
        break;
    }
    case Fault::Kind::Malformed: {
        const auto scrape = httpGet(m_nam, faulty);
        QCOMPARE(scrape.error, QNetworkReply::NoError);
        QCOMPARE(scrape.status, 200);
        const auto parsed = parse(scrape.body);
        QVERIFY2(!parsed.ok(), "a malformed body parsed");
        qInfo("parser says: %s", parsed.error->toString().c_str());
        break;
    }
    case Fault::Kind::Truncated: {
        QTcpSocket socket;
        QSignalSpy disconnected(&socket, &QTcpSocket::disconnected);
        socket.connectToHost(QHostAddress(QHostAddress::LocalHost), faulty.port());
        socket.write("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        QVERIFY(disconnected.wait(5000));
        const QByteArray all = socket.readAll();
        const qsizetype headerEnd = all.indexOf("\r\n\r\n");
        QVERIFY(headerEnd > 0);
        QVERIFY(all.startsWith("HTTP/1.1 200"));
        const qsizetype lengthAt = all.indexOf("Content-Length: ");
        QVERIFY(lengthAt > 0 && lengthAt < headerEnd);
        const qlonglong promised =
            all.mid(lengthAt + 16, all.indexOf("\r\n", lengthAt) - lengthAt - 16).toLongLong();
        const qsizetype received = all.size() - headerEnd - 4;
        QVERIFY2(received < promised,
                 qPrintable(QStringLiteral("%1 of %2").arg(received).arg(promised)));
        const auto scrape = httpGet(m_nam, faulty);
        QVERIFY2(scrape.error != QNetworkReply::NoError
                     || scrape.body.size() < scrape.contentLength,
                 "an HTTP client saw a whole body");
        break;
    }
    case Fault::Kind::Oversized: {
        const auto scrape = httpGet(m_nam, faulty);
        QCOMPARE(scrape.error, QNetworkReply::NoError);
        QVERIFY(scrape.body.size() >= 2 * 1024 * 1024);
        QCOMPARE(qint64(scrape.body.size()), scrape.contentLength);
        QVERIFY(parse(scrape.body).ok()); // valid, just too big
        exposition::Limits limits;
        limits.maxBodyBytes = 1024 * 1024;
        QVERIFY(!parse(scrape.body, limits).ok());
        break;
    }
    case Fault::Kind::Reset: {
        const auto scrape = httpGet(m_nam, faulty);
        QCOMPARE(scrape.error, QNetworkReply::NoError);
        const double after = invocations(scrape.body);
        QVERIFY2(after >= 0 && after < before,
                 qPrintable(QStringLiteral("%1 -> %2").arg(before).arg(after)));
        break;
    }
    case Fault::Kind::None:
        QFAIL("no fault under test");
    }

    // One bad node never hurts the rest.
    const auto neighbour = httpGet(m_nam, healthy);
    QCOMPARE(neighbour.error, QNetworkReply::NoError);
    QVERIFY(parse(neighbour.body).ok());
    QVERIFY(invocations(neighbour.body) > 0);

    // Healed, the node serves valid text on the same port again.
    QVERIFY(simulation.setFault(QStringLiteral("iad-1"), Fault(), &error));
    const auto healed = httpGet(m_nam, faulty);
    QCOMPARE(healed.error, QNetworkReply::NoError);
    QVERIFY(parse(healed.body).ok());
    QCOMPARE(simulation.server(0)->port(), faulty.port());
}

QTEST_GUILESS_MAIN(TestFaults)
#include "tst_faults.moc"
