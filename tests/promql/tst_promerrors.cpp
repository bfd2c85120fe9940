// The Prometheus source's errors, against a fake API server on 127.0.0.1 (port 0): an
// unreachable server, 4xx/5xx answers with and without the API's JSON, a PromQL error, a query
// timeout, an oversized and a malformed answer. Each message names the server and the query.
// Also the answer parser on well-formed vectors and matrices, and the source passing an error on.

#include "promql/promclient.h"
#include "promql/promsource.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>

#include <functional>
#include <memory>

#include <cmath>

using namespace fleetscope;

namespace {

// Answers every request with one canned HTTP response (or never, when `silent`).
class FakeApi : public QObject
{
public:
    explicit FakeApi(QByteArray response, bool silent = false)
        : m_response(std::move(response))
        , m_silent(silent)
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *s = m_server.nextPendingConnection()) {
                s->setParent(this);
                connect(s, &QTcpSocket::readyRead, s, [this, s] {
                    m_request += s->readAll();
                    if (!m_request.contains("\r\n\r\n") || m_silent)
                        return;
                    s->write(m_response);
                    s->disconnectFromHost();
                });
            }
        });
        m_server.listen(QHostAddress::LocalHost, 0);
    }
    QString url() const { return QStringLiteral("http://127.0.0.1:%1").arg(m_server.serverPort()); }
    QByteArray request() const { return m_request; }

private:
    QTcpServer m_server;
    QByteArray m_response;
    QByteArray m_request;
    bool m_silent = false;
};

// A fake Prometheus that answers by what the PromQL asks: `answer(query)` gives the body.
class ScriptedApi : public QObject
{
public:
    explicit ScriptedApi(std::function<QByteArray(const QString &)> answer)
        : m_answer(std::move(answer))
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *s = m_server.nextPendingConnection()) {
                s->setParent(this);
                auto buffer = std::make_shared<QByteArray>();
                connect(s, &QTcpSocket::readyRead, s, [this, s, buffer] {
                    *buffer += s->readAll();
                    if (!buffer->contains("\r\n\r\n"))
                        return;
                    const QByteArray target = buffer->split(' ').value(1);
                    const QUrlQuery q(QUrl(QString::fromUtf8(target)));
                    const QString query =
                        q.queryItemValue(QStringLiteral("query"), QUrl::FullyDecoded);
                    const QByteArray body = m_answer(query);
                    s->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                             "Content-Length: "
                             + QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n"
                             + body);
                    s->disconnectFromHost();
                });
            }
        });
        m_server.listen(QHostAddress::LocalHost, 0);
    }
    QString url() const { return QStringLiteral("http://127.0.0.1:%1").arg(m_server.serverPort()); }

private:
    QTcpServer m_server;
    std::function<QByteArray(const QString &)> m_answer;
};

QByteArray http(int status, const QByteArray &reason, const QByteArray &body,
                const QByteArray &type = "application/json")
{
    return "HTTP/1.1 " + QByteArray::number(status) + ' ' + reason + "\r\nContent-Type: " + type
        + "\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n"
        + body;
}

const QString kQuery = QStringLiteral("sum by (region) (edge_invocations_total{job=\"edge\"})");

promql::PromResult ask(const QString &url, int timeoutMs = 5000, qint64 maxBody = 1 << 20,
                       const promql::PromAuth &auth = {})
{
    promql::ClientOptions o;
    o.baseUrl = QUrl(url);
    o.timeoutMs = timeoutMs;
    o.maxBodyBytes = maxBody;
    o.auth = auth;
    promql::PromClient client(o);
    promql::PromResult result;
    bool done = false;
    client.query(kQuery, 1768478400, [&](const promql::PromResult &r) {
        result = r;
        done = true;
    });
    if (!QTest::qWaitFor([&] { return done; }, timeoutMs + 10000))
        result.error = QStringLiteral("the test gave up waiting");
    return result;
}

} // namespace

class TestPromErrors : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void unreachableServer()
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const QString url = QStringLiteral("http://127.0.0.1:%1").arg(probe.serverPort());
        probe.close();
        const promql::PromResult r = ask(url);
        QVERIFY(!r.ok);
        QVERIFY2(r.error.contains(QStringLiteral("Prometheus at ") + url), qPrintable(r.error));
        QVERIFY2(r.error.contains(QStringLiteral("cannot reach the server")), qPrintable(r.error));
        QVERIFY2(r.error.contains(kQuery), qPrintable(r.error));
    }

    void httpErrorWithoutApiJson()
    {
        FakeApi api(http(503, "Service Unavailable", "upstream down\n", "text/plain"));
        const promql::PromResult r = ask(api.url());
        QVERIFY(!r.ok);
        QVERIFY2(r.error.contains(QStringLiteral("HTTP 503 Service Unavailable")),
                 qPrintable(r.error));
        QVERIFY2(r.error.contains(kQuery), qPrintable(r.error));
    }

    void notFoundIsAWrongApiRoot()
    {
        FakeApi api(http(404, "Not Found", "404 page not found\n", "text/plain"));
        const promql::PromResult r = ask(api.url());
        QVERIFY(!r.ok);
        QVERIFY2(r.error.contains(QStringLiteral("HTTP 404")), qPrintable(r.error));
        QVERIFY2(r.error.contains(QStringLiteral("API root")), qPrintable(r.error));
    }

    void badDataAnswer()
    {
        FakeApi api(http(400, "Bad Request",
                         "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"invalid "
                         "parameter \\\"time\\\"\"}"));
        const promql::PromResult r = ask(api.url());
        QVERIFY(!r.ok);
        QVERIFY2(r.error.contains(QStringLiteral("HTTP 400")), qPrintable(r.error));
        QVERIFY2(r.error.contains(QStringLiteral("bad_data")), qPrintable(r.error));
        QVERIFY2(r.error.contains(QStringLiteral("invalid parameter \"time\"")),
                 qPrintable(r.error));
        QVERIFY2(r.error.contains(kQuery), qPrintable(r.error));
    }

    void promqlError()
    {
        FakeApi api(http(422, "Unprocessable Entity",
                         "{\"status\":\"error\",\"errorType\":\"execution\",\"error\":\"vector "
                         "cannot contain metrics with the same labelset\"}"));
        const promql::PromResult r = ask(api.url());
        QVERIFY(!r.ok);
        QVERIFY2(r.error.contains(QStringLiteral("execution")), qPrintable(r.error));
        QVERIFY2(r.error.contains(QStringLiteral("same labelset")), qPrintable(r.error));
        QVERIFY2(r.error.contains(kQuery), qPrintable(r.error));
        // The request asked for the server's own timeout and carried the query.
        QVERIFY(api.request().contains("timeout=5000ms"));
        QVERIFY(api.request().contains("/api/v1/query?"));
    }

    void queryTimeout()
    {
        FakeApi api(QByteArray(), /*silent=*/true);
        QElapsedTimer t;
        t.start();
        const promql::PromResult r = ask(api.url(), 400);
        QVERIFY(!r.ok);
        QVERIFY2(r.error.contains(QStringLiteral("no answer within the timeout of 0.4 s")),
                 qPrintable(r.error));
        QVERIFY2(r.error.contains(kQuery), qPrintable(r.error));
        QVERIFY(t.elapsed() < 8000);
    }

    void oversizedAnswer()
    {
        FakeApi api(http(200, "OK", QByteArray(200000, ' ') + "{}"));
        const promql::PromResult r = ask(api.url(), 5000, 100000);
        QVERIFY(!r.ok);
        QVERIFY2(r.error.contains(QStringLiteral("larger than the limit")), qPrintable(r.error));
    }

    void malformedAnswer()
    {
        FakeApi api(http(200, "OK",
                         "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{"
                         "\"metric\":{},\"value\":[1,2]}]}}"));
        const promql::PromResult r = ask(api.url());
        QVERIFY(!r.ok);
        QVERIFY2(r.error.contains(QStringLiteral("series 1")), qPrintable(r.error));
        FakeApi html(http(200, "OK", "<html>login</html>", "text/html"));
        const promql::PromResult h = ask(html.url());
        QVERIFY(!h.ok);
        QVERIFY2(h.error.contains(QStringLiteral("not the API's JSON")), qPrintable(h.error));
    }

    void credentialsFromFiles()
    {
        QTemporaryDir dir;
        const QString tokenFile = dir.filePath(QStringLiteral("token"));
        QFile f(tokenFile);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("s3cret-token\n");
        f.close();
        FakeApi api(
            http(200, "OK",
                 "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}"));
        promql::PromAuth auth;
        auth.bearerTokenFile = tokenFile;
        const promql::PromResult r = ask(api.url(), 5000, 1 << 20, auth);
        QVERIFY2(r.ok, qPrintable(r.error));
        QVERIFY(api.request().contains("Authorization: Bearer s3cret-token\r\n"));

        auth.bearerTokenFile = dir.filePath(QStringLiteral("missing"));
        const promql::PromResult m = ask(api.url(), 5000, 1 << 20, auth);
        QVERIFY(!m.ok);
        QVERIFY2(m.error.contains(QStringLiteral("missing")), qPrintable(m.error));
        QVERIFY(!m.error.contains(QStringLiteral("s3cret")));

        const QString passwordFile = dir.filePath(QStringLiteral("password"));
        QFile p(passwordFile);
        QVERIFY(p.open(QIODevice::WriteOnly));
        p.write("pw\n");
        p.close();
        FakeApi basic(
            http(200, "OK",
                 "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}"));
        promql::PromAuth b;
        b.basicUser = QStringLiteral("alice");
        b.basicPasswordFile = passwordFile;
        QVERIFY(ask(basic.url(), 5000, 1 << 20, b).ok);
        QVERIFY(
            basic.request().contains("Authorization: Basic " + QByteArray("alice:pw").toBase64()));
    }

    void parsesVectorsAndMatrices()
    {
        const auto v = promql::parseApiResponse(
            "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[ "
            "{\"metric\":{\"__name__\":\"up\",\"region\":\"nrt\"},\"value\":[1700000000.5,\"1\"]}, "
            "{\"metric\":{\"region\":\"iad\"},\"value\":[1700000000.5,\"NaN\"]}]}}",
            200, kQuery);
        QVERIFY2(v.ok, qPrintable(v.error));
        QCOMPARE(v.series.size(), std::size_t(2));
        QCOMPARE(v.series[0].labels.value(QStringLiteral("region")), QStringLiteral("nrt"));
        QVERIFY(!v.series[0].labels.contains(QStringLiteral("__name__")));
        QCOMPARE(v.series[0].points[0].t, 1700000000.5);
        QCOMPARE(v.series[0].points[0].v, 1.0);
        QVERIFY(std::isnan(v.series[1].points[0].v));
        const auto m = promql::parseApiResponse(
            "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[ "
            "{\"metric\":{\"le\":\"+Inf\"},\"values\":[[2,\"3.5\"],[1,\"+Inf\"]]}]}}",
            200, kQuery);
        QVERIFY2(m.ok, qPrintable(m.error));
        QCOMPARE(m.series[0].points.size(), std::size_t(2));
        QCOMPARE(m.series[0].points[0].t, 1.0); // sorted by time
        QVERIFY(std::isinf(m.series[0].points[0].v));
        QCOMPARE(m.series[0].points[1].v, 3.5);
    }

    void sourceReportsTheFailingQuery()
    {
        FakeApi api(http(422, "Unprocessable Entity",
                         "{\"status\":\"error\",\"errorType\":\"execution\",\"error\":\"query "
                         "processing would load too many samples into memory\"}"));
        promql::SourceOptions o;
        o.client.baseUrl = QUrl(api.url());
        o.client.timeoutMs = 5000;
        o.selector = QStringLiteral("job=\"edge\"");
        promql::PrometheusMonitor source(o);
        QSignalSpy failed(&source, &promql::PrometheusMonitor::refreshFailed);
        QSignalSpy ready(&source, &promql::PrometheusMonitor::snapshotReady);
        source.refreshNow();
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 20000);
        QCOMPARE(ready.count(), 0);
        const QString message = failed.first().first().toString();
        QVERIFY2(message.contains(QStringLiteral("too many samples")), qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("the query was: ")), qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("job=\"edge\"")), qPrintable(message));
    }

    // Counter windows: the difference of the per-region sums between steps, but increase()'s
    // estimate across a reset or when the region's targets changed.
    void countersFallBackAcrossResetsAndChurn()
    {
        const double t0 = 1768478400;
        auto matrix = [&](const QString &labels, std::initializer_list<double> values) {
            QByteArray points;
            double t = t0;
            for (const double v : values) {
                if (!points.isEmpty())
                    points += ',';
                points +=
                    "[" + QByteArray::number(t, 'f', 3) + ",\"" + QByteArray::number(v) + "\"]";
                t += 10;
            }
            return "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{"
                   "\"metric\":{"
                + labels.toUtf8() + "},\"values\":[" + points + "]}]}}";
        };
        const QByteArray empty =
            "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}";
        const QString region = QStringLiteral("\"region\":\"nrt\"");
        ScriptedApi api([&](const QString &q) -> QByteArray {
            if (q.startsWith(QLatin1String("count by (region) (up")))
                return matrix(region, { 2, 2, 2, 3, 3 }); // a node joins at the 4th step
            if (!q.contains(QLatin1String("edge_invocations_total")))
                return empty;
            if (q.contains(QLatin1String("increase(")))
                return matrix(region, { 7, 7, 7, 7, 7 });
            if (q.contains(QLatin1String("resets(")))
                return matrix(region, { 0, 0, 1, 0, 0 }); // a reset before the 3rd step
            return matrix(region, { 100, 110, 150, 400, 420 });
        });
        promql::SourceOptions o;
        o.client.baseUrl = QUrl(api.url());
        o.minStepSeconds = 10;
        promql::PrometheusMonitor source(o);
        snapshot::Settings settings = source.settings();
        settings.windowSeconds = 40;
        source.setSettings(settings);
        QSignalSpy ready(&source, &promql::PrometheusMonitor::snapshotReady);
        QSignalSpy failed(&source, &promql::PrometheusMonitor::refreshFailed);
        source.refreshAt(t0 + 40, 10);
        QTRY_VERIFY_WITH_TIMEOUT(ready.count() + failed.count() > 0, 20000);
        QVERIFY2(failed.isEmpty(), qPrintable(failed.value(0).value(0).toString()));
        const auto snap =
            ready.first().first().value<std::shared_ptr<const snapshot::FleetSnapshot>>();
        const snapshot::RegionData *nrt = snap->region(QStringLiteral("nrt"));
        QVERIFY(nrt);
        const auto it = nrt->counters.find(QStringLiteral("invocations"));
        QVERIFY(it != nrt->counters.end());
        // 0 (the window's start), +10 (difference), +7 (reset: estimate), +7 (a node joined:
        // estimate), +20 (difference).
        const std::vector<double> expected = { 0, 10, 17, 24, 44 };
        QCOMPARE(it->second.size(), expected.size());
        for (std::size_t i = 0; i < expected.size(); ++i) {
            QCOMPARE(it->second[i].t, t0 + 10.0 * double(i));
            QCOMPARE(it->second[i].v, expected[i]);
        }
        QCOMPARE(nrt->figures.invocationRate, 44.0 / 40.0);
    }

    void selectorsAreChecked()
    {
        QVERIFY(
            promql::checkSelector(QStringLiteral("job=\"edge\", env=~\"prod|staging\"")).isEmpty());
        QVERIFY(promql::checkSelector(QString()).isEmpty());
        QVERIFY(!promql::checkSelector(QStringLiteral("{job=\"edge\"}")).isEmpty());
        QVERIFY(!promql::checkSelector(QStringLiteral("job=edge")).isEmpty());
        QVERIFY(!promql::checkSelector(QStringLiteral("job=\"a\"} or vector(1) or {x=\"b\""))
                     .isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestPromErrors)
#include "tst_promerrors.moc"
