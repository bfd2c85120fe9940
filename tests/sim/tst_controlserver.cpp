// The control endpoint's routes and its answers to bad input: always a status and a sentence.

#include "controlserver.h"
#include "httprequest.h"
#include "simulation.h"

#include <QTest>

using namespace fleetscope::sim;

class TestControlServer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void answers_data();
    void answers();
    void requestReaderBounds_data();
    void requestReaderBounds();

private:
    Simulation m_simulation;
};

void TestControlServer::initTestCase()
{
    SimOptions options;
    options.nodes = 3;
    options.regions = { QStringLiteral("nrt"), QStringLiteral("iad"), QStringLiteral("fra") };
    options.startTime = 1768435200;
    QString error;
    QVERIFY2(m_simulation.configure(options, &error), qPrintable(error));
}

void TestControlServer::answers_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("contains");
    auto row = [](const char *name, const QByteArray &request, int status, const char *contains) {
        QTest::addRow("%s", name) << request << status << QByteArray(contains);
    };
    row("list", "GET /nodes HTTP/1.1\r\nHost: x\r\n\r\n", 200, "\"node\": \"nrt-1\"");
    row("root lists too", "GET / HTTP/1.0\r\n\r\n", 200, "\"node\": \"iad-1\"");
    row("one node", "GET /nodes/fra-1 HTTP/1.1\r\n\r\n", 200, "\"region\":\"fra\"");
    row("set fault", "PUT /nodes/nrt-1/fault HTTP/1.1\r\nContent-Length: 6\r\n\r\nslow:3", 200,
        "\"fault\":\"slow:3\"");
    row("post fault", "POST /nodes/iad-1/fault HTTP/1.1\r\nContent-Length: 4\r\n\r\nhung", 200,
        "\"fault\":\"hung\"");
    row("clear fault", "DELETE /nodes/nrt-1/fault HTTP/1.1\r\n\r\n", 200, "\"fault\":\"none\"");
    row("reset", "POST /nodes/nrt-1/reset HTTP/1.1\r\n\r\n", 200, "\"node\":\"nrt-1\"");
    row("percent-encoded node", "GET /nodes/nrt%2D1 HTTP/1.1\r\n\r\n", 200, "\"node\":\"nrt-1\"");
    row("unknown fault", "PUT /nodes/nrt-1/fault HTTP/1.1\r\nContent-Length: 7\r\n\r\nexplode", 400,
        "unknown fault");
    row("empty fault body", "PUT /nodes/nrt-1/fault HTTP/1.1\r\n\r\n", 400, "send the fault");
    row("unknown node", "PUT /nodes/zzz-1/fault HTTP/1.1\r\nContent-Length: 4\r\n\r\ndown", 404,
        "no node called \"zzz-1\"");
    row("unknown path", "GET /metrics HTTP/1.1\r\n\r\n", 404, "try GET /nodes");
    row("unknown action", "POST /nodes/nrt-1/explode HTTP/1.1\r\n\r\n", 404, "no such path");
    row("too deep", "GET /nodes/nrt-1/fault/x HTTP/1.1\r\n\r\n", 404, "no such path");
    row("wrong method on list", "DELETE /nodes HTTP/1.1\r\n\r\n", 405, "use GET");
    row("wrong method on reset", "GET /nodes/nrt-1/reset HTTP/1.1\r\n\r\n", 405, "use POST");
    row("wrong method on fault", "PATCH /nodes/nrt-1/fault HTTP/1.1\r\n\r\n", 405, "use PUT");
}

void TestControlServer::answers()
{
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    QFETCH(QByteArray, contains);
    HttpRequest reader;
    QCOMPARE(reader.feed(request), HttpRequest::State::Complete);
    ControlServer server(&m_simulation);
    const QByteArray response = server.handle(reader);
    QVERIFY2(response.startsWith("HTTP/1.1 " + QByteArray::number(status) + ' '),
             response.constData());
    QVERIFY2(response.contains(contains), response.constData());
    QVERIFY(response.contains("Content-Length: "));
}

void TestControlServer::requestReaderBounds_data()
{
    QTest::addColumn<QList<QByteArray>>("pieces");
    QTest::addColumn<int>("state");
    QTest::addColumn<int>("errorStatus");
    const int complete = int(HttpRequest::State::Complete);
    const int invalid = int(HttpRequest::State::Invalid);
    const int incomplete = int(HttpRequest::State::Incomplete);
    QTest::addRow("split across reads")
        << QList<QByteArray> { "GET /no", "des HTTP/1.1\r", "\n\r\n" } << complete << 0;
    QTest::addRow("body arrives later")
        << QList<QByteArray> { "PUT /x HTTP/1.1\r\nContent-Length: 4\r\n\r\n", "do", "wn" }
        << complete << 0;
    QTest::addRow("not yet") << QList<QByteArray> { "GET / HTTP/1.1\r\n" } << incomplete << 0;
    QTest::addRow("garbage") << QList<QByteArray> { "\x16\x03\x01 hello\r\n\r\n" } << invalid
                             << 400;
    QTest::addRow("no path") << QList<QByteArray> { "GET nodes HTTP/1.1\r\n\r\n" } << invalid
                             << 400;
    QTest::addRow("http2") << QList<QByteArray> { "GET / HTTP/2\r\n\r\n" } << invalid << 505;
    QTest::addRow("bad header") << QList<QByteArray> { "GET / HTTP/1.1\r\nnocolon\r\n\r\n" }
                                << invalid << 400;
    QTest::addRow("bad length") << QList<QByteArray> {
        "PUT / HTTP/1.1\r\nContent-Length: -5\r\n\r\n"
    } << invalid << 400;
    QTest::addRow("body too large")
        << QList<QByteArray> { "PUT / HTTP/1.1\r\nContent-Length: 1000000\r\n\r\n" } << invalid
        << 413;
    QTest::addRow("chunked") << QList<QByteArray> {
        "PUT / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
    } << invalid << 400;
    QTest::addRow("endless headers")
        << QList<QByteArray> { "GET / HTTP/1.1\r\n", QByteArray(20000, 'a') } << invalid << 431;
}

void TestControlServer::requestReaderBounds()
{
    QFETCH(QList<QByteArray>, pieces);
    QFETCH(int, state);
    QFETCH(int, errorStatus);
    HttpRequest reader;
    for (const QByteArray &piece : pieces)
        reader.feed(piece);
    QCOMPARE(int(reader.state()), state);
    if (reader.state() == HttpRequest::State::Invalid) {
        QCOMPARE(reader.errorStatus(), errorStatus);
        QVERIFY(!reader.errorMessage().isEmpty());
    }
}

QTEST_GUILESS_MAIN(TestControlServer)
#include "tst_controlserver.moc"
