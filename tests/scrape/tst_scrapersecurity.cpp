// The Scraper's trust decisions, against servers on 127.0.0.1 port 0 inside the test: redirects
// (not followed unless asked, loops bounded, the bearer token kept to its own origin), bearer
// tokens read from a file at every scrape and never logged, and TLS verified by default (a CA
// file, or an explicit skip, to trust a self-signed server). Waits on signals only.

#include "scrape/scraper.h"
#include "scrapertestsupport.h"
#include "testserver.h"

#include <QFile>
#include <QLoggingCategory>
#include <QProcess>
#include <QSignalSpy>
#include <QSslKey>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace fleetscope::scrape;
using namespace fleetscope::scrape::test;

namespace {

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TestScraperSecurity : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();

    void redirectNotFollowedByDefault();
    void redirectFollowedWhenConfigured();
    void redirectDropsTokenAcrossOrigins();
    void bearerTokenFromFile();
    void bearerTokenFileMissing();
    void tlsVerifiedByDefault();

private:
    QTemporaryDir m_dir; // token files and the self-signed certificate
};

void TestScraperSecurity::initTestCase()
{
    QVERIFY(m_dir.isValid());
}

void TestScraperSecurity::redirectNotFollowedByDefault()
{
    TestServer server;
    server.on("/old",
              TestServer::serve(302, "Found", "text/plain", "moved\n", { "Location: /metrics" }));
    server.on("/metrics", TestServer::serve(200, "OK", kPromType, kPromBody));
    const ScrapeResult r =
        scrapeOnce(target(QStringLiteral("a"), server.url(QStringLiteral("/old"))));
    QCOMPARE(r.error, ScrapeError::HttpStatus);
    QCOMPARE(r.httpStatus, 302);
    QCOMPARE(r.errorMessage,
             QStringLiteral("HTTP 302 Found: redirect to %1 not followed (the target does not "
                            "follow redirects)")
                 .arg(server.url(QStringLiteral("/metrics")).toString()));
    QCOMPARE(server.requestsFor("/metrics").size(), 0);
}

void TestScraperSecurity::redirectFollowedWhenConfigured()
{
    TestServer server;
    server.on("/old",
              TestServer::serve(301, "Moved Permanently", "text/plain", "moved\n",
                                { "Location: /metrics" }));
    server.on("/metrics", TestServer::serve(200, "OK", kPromType, kPromBody));
    ScrapeTarget t = target(QStringLiteral("a"), server.url(QStringLiteral("/old")));
    t.followRedirects = true;
    const ScrapeResult r = scrapeOnce(t);
    QVERIFY2(r.ok(), qPrintable(r.errorMessage));
    QCOMPARE(r.url, server.url(QStringLiteral("/metrics")));
    QCOMPARE(r.httpStatus, 200);
    QCOMPARE(server.requestsFor("/metrics").size(), 1);

    // A loop ends with an error, not forever.
    TestServer loop;
    loop.on("/a", TestServer::serve(302, "Found", "text/plain", "", { "Location: /b" }));
    loop.on("/b", TestServer::serve(302, "Found", "text/plain", "", { "Location: /a" }));
    ScrapeTarget l = target(QStringLiteral("loop"), loop.url(QStringLiteral("/a")));
    l.followRedirects = true;
    ScraperOptions options = immediate();
    options.maxRedirects = 3;
    const ScrapeResult lr = scrapeOnce(l, options);
    QCOMPARE(lr.error, ScrapeError::TooManyRedirects);
    QCOMPARE(loop.requests.size(), 4);
}

void TestScraperSecurity::redirectDropsTokenAcrossOrigins()
{
    const QString tokenFile = m_dir.filePath(QStringLiteral("redirect-token"));
    {
        QFile f(tokenFile);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("tok-redirect\n");
    }
    TestServer other;
    other.on("/metrics", TestServer::serve(200, "OK", kPromType, kPromBody));
    TestServer server;
    server.on("/same",
              TestServer::serve(302, "Found", "text/plain", "", { "Location: /elsewhere" }));
    server.on(
        "/elsewhere",
        TestServer::serve(302, "Found", "text/plain", "",
                          { "Location: " + other.url(QStringLiteral("/metrics")).toEncoded() }));
    ScrapeTarget t = target(QStringLiteral("a"), server.url(QStringLiteral("/same")));
    t.followRedirects = true;
    t.bearerTokenFile = tokenFile;
    const ScrapeResult r = scrapeOnce(t);
    QVERIFY2(r.ok(), qPrintable(r.errorMessage));
    QCOMPARE(server.requestsFor("/elsewhere").value(0).headers.value("authorization"),
             QByteArray("Bearer tok-redirect"));
    QCOMPARE(other.requests.size(), 1);
    QVERIFY(!other.requests[0].headers.contains("authorization"));
}

void TestScraperSecurity::bearerTokenFromFile()
{
    const QString tokenFile = m_dir.filePath(QStringLiteral("token"));
    auto writeToken = [&](const QByteArray &token) {
        QFile f(tokenFile);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(token);
    };
    writeToken("s3cr3t-token-one\n");

    // Every log line the scraper writes, to prove the token is never in one.
    static QStringList logged;
    logged.clear();
    QLoggingCategory::setFilterRules(QStringLiteral("fleetscope.scrape.debug=true"));
    const QtMessageHandler previous =
        qInstallMessageHandler([](QtMsgType, const QMessageLogContext &, const QString &message) {
            logged.append(message);
        });

    TestServer server;
    server.on("/metrics", TestServer::serve(200, "OK", kPromType, kPromBody));
    server.on("/denied", TestServer::serve(401, "Unauthorized", "text/plain", "no\n"));
    ScrapeTarget ok = target(QStringLiteral("ok"), server.url(QStringLiteral("/metrics")));
    ok.bearerTokenFile = tokenFile;
    ScrapeTarget denied = target(QStringLiteral("denied"), server.url(QStringLiteral("/denied")));
    denied.bearerTokenFile = tokenFile;

    Scraper scraper(immediate());
    QSignalSpy spy(&scraper, &Scraper::scrapeFinished);
    scraper.setTargets({ ok, denied });
    scraper.start();
    QTRY_COMPARE_WITH_TIMEOUT(spy.size(), 2, 10000);
    // The file is read at every scrape: a rotated token is used at once.
    writeToken("s3cr3t-token-two");
    scraper.scrapeNow(QStringLiteral("ok"));
    QTRY_COMPARE_WITH_TIMEOUT(spy.size(), 3, 10000);

    qInstallMessageHandler(previous);
    QLoggingCategory::setFilterRules(QString());

    const QList<Request> seen = server.requestsFor("/metrics");
    QCOMPARE(seen.size(), 2);
    QCOMPARE(seen[0].headers.value("authorization"), QByteArray("Bearer s3cr3t-token-one"));
    QCOMPARE(seen[1].headers.value("authorization"), QByteArray("Bearer s3cr3t-token-two"));
    QVERIFY(!logged.isEmpty());
    for (qsizetype i = 0; i < spy.size(); ++i) {
        const ScrapeResult r = resultAt(spy, i);
        const QString all = r.targetId + r.url.toString() + r.contentType + r.errorMessage
            + (r.parsed ? QString::fromStdString(r.parsed->body) : QString());
        QVERIFY2(!all.contains(QLatin1String("s3cr3t")), qPrintable(all));
        if (r.targetId == QLatin1String("denied")) {
            QCOMPARE(r.error, ScrapeError::HttpStatus);
            QCOMPARE(r.errorMessage, QStringLiteral("HTTP 401 Unauthorized"));
        }
    }
    for (const QString &line : std::as_const(logged))
        QVERIFY2(!line.contains(QLatin1String("s3cr3t")), qPrintable(line));
}

void TestScraperSecurity::bearerTokenFileMissing()
{
    TestServer server;
    server.on("/metrics", TestServer::serve(200, "OK", kPromType, kPromBody));
    ScrapeTarget t = target(QStringLiteral("a"), server.url(QStringLiteral("/metrics")));
    t.bearerTokenFile = m_dir.filePath(QStringLiteral("no-such-token"));
    const ScrapeResult r = scrapeOnce(t);
    QCOMPARE(r.error, ScrapeError::BearerTokenFile);
    QVERIFY2(r.errorMessage.startsWith(
                 QStringLiteral("cannot read the bearer token file %1").arg(t.bearerTokenFile)),
             qPrintable(r.errorMessage));
    QCOMPARE(server.requests.size(), 0); // never sent without the credentials it needs
}

void TestScraperSecurity::tlsVerifiedByDefault()
{
    const QString openssl = QStandardPaths::findExecutable(QStringLiteral("openssl"));
    if (openssl.isEmpty())
        QSKIP("openssl is not installed (packaging/install-deps.sh installs it)");
    if (!QSslSocket::supportsSsl())
        QSKIP("Qt has no TLS backend here");
    const QString cert = m_dir.filePath(QStringLiteral("cert.pem"));
    const QString key = m_dir.filePath(QStringLiteral("key.pem"));
    QProcess process;
    process.start(openssl,
                  { QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                    QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
                    QStringLiteral("ec_paramgen_curve:prime256v1"), QStringLiteral("-nodes"),
                    QStringLiteral("-keyout"), key, QStringLiteral("-out"), cert,
                    QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-subj"),
                    QStringLiteral("/CN=127.0.0.1"), QStringLiteral("-addext"),
                    QStringLiteral("subjectAltName=IP:127.0.0.1") });
    QVERIFY(process.waitForFinished(30000));
    QVERIFY2(process.exitCode() == 0, process.readAllStandardError().constData());

    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setLocalCertificate(QSslCertificate(readFile(cert), QSsl::Pem));
    tls.setPrivateKey(QSslKey(readFile(key), QSsl::Ec, QSsl::Pem));
    tls.setPeerVerifyMode(QSslSocket::VerifyNone); // the server does not ask for client certs
    TestServer server(tls);
    server.on("/metrics", TestServer::serve(200, "OK", kPromType, kPromBody));
    const QUrl url = server.url(QStringLiteral("/metrics"));

    const ScrapeResult untrusted = scrapeOnce(target(QStringLiteral("a"), url));
    QCOMPARE(untrusted.error, ScrapeError::Tls);
    QVERIFY2(untrusted.errorMessage.startsWith(QLatin1String("TLS error with 127.0.0.1:")),
             qPrintable(untrusted.errorMessage));
    QCOMPARE(server.requests.size(), 0);

    ScrapeTarget withCa = target(QStringLiteral("a"), url);
    withCa.caFile = cert;
    const ScrapeResult trusted = scrapeOnce(withCa);
    QVERIFY2(trusted.ok(), qPrintable(trusted.errorMessage));
    QCOMPARE(int(trusted.exposition()->samples.size()), 4);

    ScrapeTarget insecure = target(QStringLiteral("a"), url);
    insecure.insecureSkipVerify = true;
    const ScrapeResult skipped = scrapeOnce(insecure);
    QVERIFY2(skipped.ok(), qPrintable(skipped.errorMessage));

    ScrapeTarget missingCa = target(QStringLiteral("a"), url);
    missingCa.caFile = m_dir.filePath(QStringLiteral("no-such-ca.pem"));
    const ScrapeResult noCa = scrapeOnce(missingCa);
    QCOMPARE(noCa.error, ScrapeError::CaFile);
    QVERIFY2(noCa.errorMessage.contains(missingCa.caFile), qPrintable(noCa.errorMessage));
}

QTEST_GUILESS_MAIN(TestScraperSecurity)
#include "tst_scrapersecurity.moc"
