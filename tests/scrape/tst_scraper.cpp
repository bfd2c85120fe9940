// The Scraper end to end against servers on 127.0.0.1 port 0 inside the test: content types,
// gzip, HTTP failures, refused and hung peers, tricklers, truncation, size limits and a real gzip
// bomb, concurrency, spread-out scheduling, parse errors, idle vs down, stale results and a worker
// thread. Redirects, bearer tokens and TLS are in tst_scrapersecurity. Waits on signals only.

#include "scrape/scraper.h"
#include "scrapertestsupport.h"
#include "testserver.h"

#include <QScopeGuard>
#include <QSignalSpy>
#include <QTest>
#include <QThread>

#include <sys/resource.h>

using namespace fleetscope::scrape;
using namespace fleetscope::scrape::test;
using namespace std::chrono_literals;

namespace {

const QByteArray kOpenMetricsBody = "# TYPE edge_requests counter\n"
                                    "edge_requests_total{code=\"200\"} 1027\n"
                                    "edge_requests_created{code=\"200\"} 1.7e9\n"
                                    "# EOF\n";
const QByteArray kIdleBody = "# TYPE edge_instances gauge\n"
                             "edge_instances{state=\"warm\"} 0\n"
                             "edge_instances{state=\"busy\"} 0\n";
const QByteArray kOpenMetricsType = "application/openmetrics-text; version=1.0.0; charset=utf-8";

long peakRssKiB()
{
    rusage usage {};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss;
}

} // namespace

class TestScraper : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void contentTypes_data();
    void contentTypes();
    void requestHeaders();
    void gzipBody();
    void httpStatusFails_data();
    void httpStatusFails();
    void connectionRefused();
    void peerNeverAnswers();
    void tricklingServerHitsDeadline();
    void truncatedBody();
    void oversizedAnnounced();
    void oversizedStreamed();
    void gzipBombStaysBounded();
    void concurrencyCap();
    void spreadOffsetsAreEven();
    void firstScrapesAreSpread();
    void repeatsOnInterval();
    void parseErrorNamesLine();
    void parsesOnPoolWhenAsked();
    void idleIsNotDown();
    void replacedTargetResultDropped();
    void workerThread();
};

void TestScraper::contentTypes_data()
{
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("format");
    QTest::addColumn<int>("samples");
    QTest::addRow("0.0.4") << kPromType << kPromBody
                           << int(fleetscope::exposition::Format::Prometheus) << 4;
    QTest::addRow("OpenMetrics") << kOpenMetricsType << kOpenMetricsBody
                                 << int(fleetscope::exposition::Format::OpenMetrics) << 2;
    QTest::addRow("no content type")
        << QByteArray() << kPromBody << int(fleetscope::exposition::Format::Prometheus) << 4;
}

void TestScraper::contentTypes()
{
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, body);
    QFETCH(int, format);
    QFETCH(int, samples);
    TestServer server;
    server.on("/metrics", TestServer::serve(200, "OK", contentType, body));
    const ScrapeResult r =
        scrapeOnce(target(QStringLiteral("a"), server.url(QStringLiteral("/metrics"))));
    QVERIFY2(r.ok(), qPrintable(r.errorMessage));
    QCOMPARE(r.targetId, QStringLiteral("a"));
    QCOMPARE(r.httpStatus, 200);
    QCOMPARE(r.contentType.toUtf8(), contentType);
    QCOMPARE(r.bodyBytes, body.size());
    QCOMPARE(r.wireBytes, body.size());
    QVERIFY(r.startTime.isValid());
    QVERIFY(r.errorMessage.isEmpty());
    QVERIFY(r.parsed);
    QCOMPARE(QByteArray::fromStdString(r.parsed->body), body);
    QCOMPARE(int(r.exposition()->format), format);
    QCOMPARE(int(r.exposition()->samples.size()), samples);
    QVERIFY(!r.idle);
    // The views into the body survive copying the result (the body is shared, not moved).
    ScrapeResult copy = r;
    ScrapeResult moved = std::move(copy);
    QCOMPARE(moved.exposition()->samples[0].name, std::string_view("edge_requests_total"));
}

void TestScraper::requestHeaders()
{
    TestServer server;
    server.on("/metrics", TestServer::serve(200, "OK", kPromType, kPromBody));
    ScrapeTarget t = target(QStringLiteral("a"), server.url(QStringLiteral("/metrics")), 2500ms);
    QVERIFY(scrapeOnce(t).ok());
    QCOMPARE(server.requests.size(), 1);
    const Request &req = server.requests[0];
    QCOMPARE(req.method, QByteArray("GET"));
    QCOMPARE(req.headers.value("accept"),
             QByteArray("application/openmetrics-text;version=1.0.0,application/"
                        "openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/"
                        "*;q=0.1"));
    QCOMPARE(req.headers.value("accept-encoding"), QByteArray("gzip"));
    QCOMPARE(req.headers.value("x-prometheus-scrape-timeout-seconds"), QByteArray("2.5"));
    QVERIFY(req.headers.value("user-agent").startsWith("FleetScope/"));
    QVERIFY(!req.headers.contains("authorization"));
}

void TestScraper::gzipBody()
{
    QByteArray body = kPromBody;
    for (int i = 0; i < 2000; ++i)
        body += "edge_kv_hits_total{shard=\"" + QByteArray::number(i) + "\"} "
            + QByteArray::number(i * 7) + '\n';
    const QByteArray compressed = gzip(body);
    TestServer server;
    server.on("/metrics",
              TestServer::serve(200, "OK", kPromType, compressed, { "Content-Encoding: gzip" }));
    const ScrapeResult r =
        scrapeOnce(target(QStringLiteral("a"), server.url(QStringLiteral("/metrics"))));
    QVERIFY2(r.ok(), qPrintable(r.errorMessage));
    QCOMPARE(r.bodyBytes, body.size());
    QCOMPARE(r.wireBytes, compressed.size());
    QCOMPARE(QByteArray::fromStdString(r.parsed->body), body);
    QCOMPARE(int(r.exposition()->samples.size()), 4 + 2000);
}

void TestScraper::httpStatusFails_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("reason");
    QTest::addRow("404") << 404 << QByteArray("Not Found");
    QTest::addRow("503") << 503 << QByteArray("Service Unavailable");
    QTest::addRow("204") << 204 << QByteArray("No Content");
}

void TestScraper::httpStatusFails()
{
    QFETCH(int, status);
    QFETCH(QByteArray, reason);
    TestServer server;
    // A valid body: the status alone must fail the scrape.
    server.on("/metrics", TestServer::serve(status, reason, kPromType, kPromBody));
    const ScrapeResult r =
        scrapeOnce(target(QStringLiteral("a"), server.url(QStringLiteral("/metrics"))));
    QCOMPARE(r.error, ScrapeError::HttpStatus);
    QCOMPARE(r.httpStatus, status);
    QCOMPARE(r.errorMessage,
             QStringLiteral("HTTP %1 %2").arg(status).arg(QString::fromLatin1(reason)));
    QVERIFY(!r.parsed);
}

void TestScraper::connectionRefused()
{
    quint16 port = 0;
    {
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost, 0));
        port = closed.serverPort();
    }
    const QUrl url(QStringLiteral("http://127.0.0.1:%1/metrics").arg(port));
    const ScrapeResult r = scrapeOnce(target(QStringLiteral("a"), url));
    QCOMPARE(r.error, ScrapeError::ConnectionRefused);
    QCOMPARE(r.errorMessage, QStringLiteral("connection refused by 127.0.0.1:%1").arg(port));
    QCOMPARE(r.httpStatus, 0);
}

void TestScraper::peerNeverAnswers()
{
    TestServer server;
    server.on("/metrics", [](QTcpSocket *, const Request &) {});
    const ScrapeResult r =
        scrapeOnce(target(QStringLiteral("a"), server.url(QStringLiteral("/metrics")), 600ms));
    QCOMPARE(r.error, ScrapeError::Timeout);
    QCOMPARE(r.errorMessage, QStringLiteral("timeout: no answer within 600 ms"));
    QVERIFY2(r.duration >= 550ms && r.duration < 3000ms,
             qPrintable(QString::number(r.duration.count())));
}

void TestScraper::tricklingServerHitsDeadline()
{
    TestServer server;
    int trickled = 0;
    server.on("/metrics", [&trickled](QTcpSocket *socket, const Request &) {
        socket->write(
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100000\r\n\r\n");
        auto *timer = new QTimer(socket);
        QObject::connect(timer, &QTimer::timeout, socket, [socket, &trickled] {
            socket->write("#");
            ++trickled;
        });
        timer->start(50); // 20 bytes a second: progress all the time, never done
    });
    const ScrapeResult r =
        scrapeOnce(target(QStringLiteral("a"), server.url(QStringLiteral("/metrics")), 1000ms));
    QCOMPARE(r.error, ScrapeError::Timeout);
    QCOMPARE(r.errorMessage, QStringLiteral("timeout: the answer did not complete within 1 s"));
    QCOMPARE(r.httpStatus, 200);
    QVERIFY2(r.duration >= 950ms && r.duration < 3000ms,
             qPrintable(QString::number(r.duration.count())));
    QVERIFY(r.wireBytes > 0);
    QVERIFY(trickled > 5);
}

void TestScraper::truncatedBody()
{
    TestServer server;
    server.on("/metrics", [](QTcpSocket *socket, const Request &) {
        TestServer::respond(socket,
                            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                            "Content-Length: 1000\r\n\r\n"
                                + kPromBody.left(100));
    });
    const ScrapeResult r =
        scrapeOnce(target(QStringLiteral("a"), server.url(QStringLiteral("/metrics"))));
    QCOMPARE(r.error, ScrapeError::Truncated);
    QVERIFY2(r.errorMessage.startsWith(QLatin1String("truncated")), qPrintable(r.errorMessage));
    QVERIFY(!r.parsed);
}

void TestScraper::oversizedAnnounced()
{
    TestServer server;
    const QByteArray body(2 * 1024 * 1024, '#');
    server.on("/metrics", TestServer::serve(200, "OK", kPromType, body));
    ScrapeTarget t = target(QStringLiteral("a"), server.url(QStringLiteral("/metrics")));
    t.limits.maxBodyBytes = 1024 * 1024;
    const ScrapeResult r = scrapeOnce(t);
    QCOMPARE(r.error, ScrapeError::BodyLimitExceeded);
    QCOMPARE(r.errorMessage,
             QStringLiteral("body limit exceeded: the server announced 2097152 "
                            "bytes, more than the 1048576 byte limit"));
    QCOMPARE(r.bodyBytes, 0); // refused on the headers, nothing read
}

void TestScraper::oversizedStreamed()
{
    // No Content-Length: the limit can only be found while the body streams in.
    TestServer server;
    server.on("/metrics", [](QTcpSocket *socket, const Request &) {
        TestServer::respond(socket,
                            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                            "Connection: close\r\n\r\n"
                                + QByteArray(8 * 1024 * 1024, '#'));
    });
    ScrapeTarget t = target(QStringLiteral("a"), server.url(QStringLiteral("/metrics")));
    t.limits.maxBodyBytes = 1024 * 1024;
    const ScrapeResult r = scrapeOnce(t);
    QCOMPARE(r.error, ScrapeError::BodyLimitExceeded);
    QCOMPARE(r.errorMessage, QStringLiteral("body limit exceeded: more than 1048576 bytes"));
    QCOMPARE(r.bodyBytes, 1024 * 1024);
    QVERIFY2(r.wireBytes < 2 * 1024 * 1024, qPrintable(QString::number(r.wireBytes)));
}

void TestScraper::gzipBombStaysBounded()
{
    // 256 MiB of zeros in about 256 KiB of gzip, sent as one well-formed answer.
    const QByteArray bomb = gzip(QByteArray(1024 * 1024, '\0'), 256);
    QVERIFY(bomb.size() < 1024 * 1024);
    TestServer server;
    server.on("/metrics",
              TestServer::serve(200, "OK", kPromType, bomb, { "Content-Encoding: gzip" }));
    ScrapeTarget t = target(QStringLiteral("a"), server.url(QStringLiteral("/metrics")));
    t.limits.maxBodyBytes = 4 * 1024 * 1024;
    const long peakBefore = peakRssKiB();
    const ScrapeResult r = scrapeOnce(t);
    const long grownKiB = peakRssKiB() - peakBefore;
    QCOMPARE(r.error, ScrapeError::BodyLimitExceeded);
    QVERIFY2(r.errorMessage.startsWith(QLatin1String("body limit exceeded: more than 4194304 "
                                                     "bytes after decompression")),
             qPrintable(r.errorMessage));
    // Decompression stopped at the limit, after reading a small part of the compressed answer.
    QCOMPARE(r.bodyBytes, 4 * 1024 * 1024);
    QVERIFY2(r.wireBytes <= 128 * 1024, qPrintable(QString::number(r.wireBytes)));
    // And memory never grew towards the 256 MiB the answer inflates to.
    QVERIFY2(grownKiB < 64 * 1024,
             qPrintable(QStringLiteral("peak RSS grew %1 KiB").arg(grownKiB)));
}

void TestScraper::concurrencyCap()
{
    TestServer server;
    QList<ScrapeTarget> targets;
    for (int i = 0; i < 9; ++i) {
        const QByteArray path = "/slow/" + QByteArray::number(i);
        server.on(path, [](QTcpSocket *socket, const Request &) {
            QTimer::singleShot(250, socket, [socket] {
                TestServer::respond(socket, TestServer::answer(200, "OK", kPromType, kPromBody));
            });
        });
        targets.append(target(QStringLiteral("t%1").arg(i), server.url(QString::fromLatin1(path))));
    }
    ScraperOptions options = immediate();
    options.maxConcurrentScrapes = 3;
    Scraper scraper(options);
    QSignalSpy spy(&scraper, &Scraper::scrapeFinished);
    int maxInFlight = 0;
    connect(&scraper, &Scraper::scrapeFinished, this,
            [&] { maxInFlight = std::max(maxInFlight, scraper.scrapesInFlight()); });
    scraper.setTargets(targets);
    scraper.start();
    QVERIFY(scraper.scrapesInFlight() <= 3);
    QTRY_COMPARE_WITH_TIMEOUT(spy.size(), 9, 15000);
    for (qsizetype i = 0; i < spy.size(); ++i)
        QVERIFY2(resultAt(spy, i).ok(), qPrintable(resultAt(spy, i).errorMessage));
    QCOMPARE(server.totalConnections, 9);
    QCOMPARE(server.maxOpenConnections, 3); // the cap was reached, never passed
    QVERIFY(maxInFlight <= 3);
}

void TestScraper::spreadOffsetsAreEven()
{
    // 10,000 targets over a 10 s interval: every tenth of it gets about a tenth of them.
    std::array<int, 10> buckets {};
    for (int i = 0; i < 10000; ++i) {
        const auto offset = spreadOffset(QStringLiteral("node-%1:9100").arg(i), 10s, 0);
        QVERIFY(offset >= 0ms && offset < 10s);
        ++buckets[std::size_t(offset.count() / 1000)];
    }
    for (const int n : buckets)
        QVERIFY2(n > 850 && n < 1150, qPrintable(QString::number(n)));
    QCOMPARE(spreadOffset(QStringLiteral("x"), 10s, 1), spreadOffset(QStringLiteral("x"), 10s, 1));
    QVERIFY(spreadOffset(QStringLiteral("x"), 10s, 1) != spreadOffset(QStringLiteral("x"), 10s, 2));
}

void TestScraper::firstScrapesAreSpread()
{
    TestServer server;
    server.on("/metrics", TestServer::serve(200, "OK", kPromType, kPromBody));
    QList<ScrapeTarget> targets;
    for (int i = 0; i < 12; ++i) {
        ScrapeTarget t =
            target(QStringLiteral("node-%1").arg(i), server.url(QStringLiteral("/metrics")));
        t.interval = 1500ms;
        t.timeout = 1000ms;
        targets.append(t);
    }
    Scraper scraper; // spread on (the default)
    QSignalSpy spy(&scraper, &Scraper::scrapeFinished);
    scraper.setTargets(targets);
    const QDateTime started = QDateTime::currentDateTimeUtc();
    scraper.start();
    QTRY_VERIFY_WITH_TIMEOUT(spy.size() >= 12, 10000);
    scraper.stop();
    QHash<QString, qint64> first;
    for (qsizetype i = 0; i < spy.size(); ++i) {
        const ScrapeResult r = resultAt(spy, i);
        if (!first.contains(r.targetId))
            first.insert(r.targetId, started.msecsTo(r.startTime));
    }
    QCOMPARE(first.size(), 12); // all first scrapes within one interval
    std::array<int, 5> buckets {};
    qint64 earliest = 1 << 30, latest = 0;
    for (auto it = first.cbegin(); it != first.cend(); ++it) {
        // Each starts at its own offset, not all at start().
        const qint64 expected = spreadOffset(it.key(), 1500ms, 0).count();
        QVERIFY2(qAbs(it.value() - expected) < 250,
                 qPrintable(QStringLiteral("%1 at %2 ms, expected %3")
                                .arg(it.key())
                                .arg(it.value())
                                .arg(expected)));
        earliest = std::min(earliest, it.value());
        latest = std::max(latest, it.value());
        ++buckets[std::size_t(std::clamp<qint64>(it.value() / 300, 0, 4))];
    }
    QVERIFY2(latest - earliest > 700, qPrintable(QString::number(latest - earliest)));
    for (const int n : buckets)
        QVERIFY(n <= 6); // never half the fleet in one 300 ms slice
}

void TestScraper::repeatsOnInterval()
{
    TestServer server;
    server.on("/metrics", TestServer::serve(200, "OK", kPromType, kPromBody));
    ScrapeTarget t = target(QStringLiteral("a"), server.url(QStringLiteral("/metrics")));
    t.interval = 200ms;
    Scraper scraper(immediate());
    QSignalSpy spy(&scraper, &Scraper::scrapeFinished);
    scraper.setTargets({ t });
    scraper.start();
    QTRY_VERIFY_WITH_TIMEOUT(spy.size() >= 4, 5000);
    scraper.stop();
    for (qsizetype i = 1; i < 4; ++i) {
        const ScrapeResult before = resultAt(spy, i - 1);
        const ScrapeResult after = resultAt(spy, i);
        QCOMPARE(after.sequence, before.sequence + 1);
        const qint64 gap = before.startTime.msecsTo(after.startTime);
        QVERIFY2(gap > 100 && gap < 600, qPrintable(QString::number(gap)));
    }
}

void TestScraper::parseErrorNamesLine()
{
    TestServer server;
    server.on("/metrics",
              TestServer::serve(200, "OK", kPromType, "# TYPE a counter\na_total 1\nb{ 2\nc 3\n"));
    const ScrapeResult r =
        scrapeOnce(target(QStringLiteral("a"), server.url(QStringLiteral("/metrics"))));
    QCOMPARE(r.error, ScrapeError::Parse);
    QVERIFY(r.parseError);
    QCOMPARE(r.parseError->line, 3u);
    QVERIFY2(r.errorMessage.startsWith(QLatin1String("parse error at line 3, column ")),
             qPrintable(r.errorMessage));
    QVERIFY(!r.parsed);
    QCOMPARE(r.httpStatus, 200);
}

void TestScraper::parsesOnPoolWhenAsked()
{
    // By default a scraper off a GUI thread parses on its own thread; parseThreads > 0 parses on a
    // pool (as on a GUI application's main thread). Both give the same results.
    TestServer server;
    server.on("/good", TestServer::serve(200, "OK", kPromType, kPromBody));
    server.on("/bad",
              TestServer::serve(200, "OK", kPromType, "# TYPE a counter\na_total 1\nb{ 2\n"));
    ScraperOptions options = immediate();
    options.parseThreads = 1;
    const ScrapeResult good =
        scrapeOnce(target(QStringLiteral("g"), server.url(QStringLiteral("/good"))), options);
    QVERIFY2(good.ok(), qPrintable(good.errorMessage));
    QCOMPARE(QByteArray::fromStdString(good.parsed->body), QByteArray(kPromBody));
    QCOMPARE(int(good.exposition()->samples.size()), 4);
    const ScrapeResult bad =
        scrapeOnce(target(QStringLiteral("b"), server.url(QStringLiteral("/bad"))), options);
    QCOMPARE(bad.error, ScrapeError::Parse);
    QVERIFY(bad.parseError);
    QCOMPARE(bad.parseError->line, 3u);
    QVERIFY(!bad.parsed);
}

void TestScraper::idleIsNotDown()
{
    TestServer server;
    server.on("/idle", TestServer::serve(200, "OK", kPromType, kIdleBody));
    server.on("/busy", TestServer::serve(200, "OK", kPromType, kPromBody));
    server.on("/down", TestServer::serve(503, "Service Unavailable", "text/plain", "overloaded\n"));
    QList<ScrapeTarget> targets;
    for (const char *name : { "idle", "busy", "down" }) {
        ScrapeTarget t = target(QString::fromLatin1(name),
                                server.url(QLatin1Char('/') + QString::fromLatin1(name)));
        t.interval = 250ms;
        targets.append(t);
    }
    Scraper scraper(immediate());
    QSignalSpy results(&scraper, &Scraper::scrapeFinished);
    QList<TargetHealth> changes;
    connect(&scraper, &Scraper::healthChanged, this,
            [&changes](const TargetHealth &h) { changes.append(h); });
    scraper.setTargets(targets);
    scraper.start();
    QTRY_VERIFY_WITH_TIMEOUT(results.size() >= 9, 10000); // three rounds
    QHash<QString, TargetHealth> now;
    for (const TargetHealth &h : scraper.health())
        now.insert(h.targetId, h);
    scraper.stop();

    QCOMPARE(now.value(QStringLiteral("idle")).state, HealthState::Idle);
    QCOMPARE(now.value(QStringLiteral("busy")).state, HealthState::Up);
    QCOMPARE(now.value(QStringLiteral("down")).state, HealthState::Down);
    QCOMPARE(now.value(QStringLiteral("down")).reason,
             QStringLiteral("HTTP 503 Service Unavailable"));
    QVERIFY(now.value(QStringLiteral("down")).consecutiveFailures >= 3);
    for (const TargetHealth &h : std::as_const(changes)) {
        if (h.targetId == QLatin1String("idle"))
            QVERIFY2(h.state != HealthState::Down && h.state != HealthState::Stale,
                     qPrintable(h.reason));
    }
    // Announced on change only: the down target went Down once, not once a scrape.
    const auto downs = std::count_if(changes.cbegin(), changes.cend(), [](const TargetHealth &h) {
        return h.targetId == QLatin1String("down") && h.state == HealthState::Down;
    });
    QCOMPARE(downs, 1);
    for (qsizetype i = 0; i < results.size(); ++i) {
        const ScrapeResult r = resultAt(results, i);
        QCOMPARE(r.idle, r.targetId == QLatin1String("idle"));
    }

    // A custom predicate decides instead.
    ScraperOptions options = immediate();
    options.idlePredicate = [](const fleetscope::exposition::Exposition &e) {
        return e.family("edge_requests_total") != nullptr;
    };
    const ScrapeResult custom = scrapeOnce(targets[1], options);
    QVERIFY(custom.ok());
    QVERIFY(custom.idle);
}

void TestScraper::replacedTargetResultDropped()
{
    TestServer server;
    server.on("/slow", [](QTcpSocket *socket, const Request &) {
        QTimer::singleShot(300, socket, [socket] {
            TestServer::respond(socket, TestServer::answer(200, "OK", kPromType, kPromBody));
        });
    });
    server.on("/fast", TestServer::serve(200, "OK", kPromType, kPromBody));
    Scraper scraper(immediate());
    QSignalSpy spy(&scraper, &Scraper::scrapeFinished);
    scraper.setTargets({ target(QStringLiteral("a"), server.url(QStringLiteral("/slow"))) });
    scraper.start();
    QTRY_COMPARE_WITH_TIMEOUT(server.requests.size(), 1, 5000); // in flight now
    scraper.setTargets({ target(QStringLiteral("a"), server.url(QStringLiteral("/fast"))) });
    QVERIFY(spy.wait(5000));
    QCOMPARE(resultAt(spy, 0).url, server.url(QStringLiteral("/fast")));
    QVERIFY2(resultAt(spy, 0).ok(), qPrintable(resultAt(spy, 0).errorMessage));
    // Give the cancelled slow answer every chance to show up: it must not.
    QVERIFY(!spy.wait(600));
    QCOMPARE(spy.size(), 1);
}

void TestScraper::workerThread()
{
    TestServer server;
    server.on("/metrics", TestServer::serve(200, "OK", kPromType, kPromBody));
    QThread thread;
    auto *scraper = new Scraper(immediate());
    scraper->moveToThread(&thread);
    connect(&thread, &QThread::finished, scraper, &QObject::deleteLater);
    thread.start();
    const auto cleanup = qScopeGuard([&thread] {
        thread.quit();
        thread.wait(10000);
    });

    QThread *emittedOn = nullptr;
    QThread *receivedOn = nullptr;
    ScrapeResult received;
    connect(
        scraper, &Scraper::scrapeFinished, scraper,
        [&emittedOn] { emittedOn = QThread::currentThread(); }, Qt::DirectConnection);
    connect(scraper, &Scraper::scrapeFinished, this, [&](const ScrapeResult &r) {
        receivedOn = QThread::currentThread();
        received = r;
    });
    const QList<ScrapeTarget> targets { target(QStringLiteral("a"),
                                               server.url(QStringLiteral("/metrics"))) };
    QMetaObject::invokeMethod(scraper, "setTargets", Qt::QueuedConnection,
                              Q_ARG(QList<fleetscope::scrape::ScrapeTarget>, targets));
    QMetaObject::invokeMethod(scraper, &Scraper::start, Qt::QueuedConnection);
    QTRY_VERIFY_WITH_TIMEOUT(receivedOn != nullptr, 10000);
    QCOMPARE(receivedOn, QThread::currentThread());
    QCOMPARE(emittedOn, &thread);
    QVERIFY2(received.ok(), qPrintable(received.errorMessage));
    QCOMPARE(int(received.exposition()->samples.size()), 4);
    thread.quit();
    QVERIFY(thread.wait(10000));
}

QTEST_GUILESS_MAIN(TestScraper)
#include "tst_scraper.moc"
