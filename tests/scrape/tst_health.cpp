// Target health: the default idle predicate (METRICS.md edge_instances all zero), and
// HealthTracker's up / idle / down / stale decisions on a clock the test controls.

#include "scrape/health.h"

#include <QTest>

using namespace fleetscope::scrape;
using namespace std::chrono_literals;

namespace {

ScrapeResult success(const QString &id, const QDateTime &start, const std::string &body,
                     bool idle = false)
{
    auto parsed = std::make_shared<ParsedScrape>();
    parsed->body = body;
    fleetscope::exposition::parseInto(parsed->exposition, parsed->body);
    ScrapeResult r;
    r.targetId = id;
    r.startTime = start;
    r.duration = 20ms;
    r.httpStatus = 200;
    r.idle = idle;
    r.parsed = std::move(parsed);
    return r;
}

ScrapeResult failure(const QString &id, const QDateTime &start, ScrapeError error,
                     const QString &message)
{
    ScrapeResult r;
    r.targetId = id;
    r.startTime = start;
    r.duration = 5ms;
    r.error = error;
    r.errorMessage = message;
    return r;
}

} // namespace

class TestHealth : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void idlePredicate_data();
    void idlePredicate();
    void upIdleDown();
    void staleAfterTwoIntervals();
    void neverScrapedGoesStale();
    void removedTargetIgnored();
};

void TestHealth::idlePredicate_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("idle");
    QTest::addRow("all zero") << QByteArray("# TYPE edge_instances gauge\n"
                                            "edge_instances{state=\"warm\"} 0\n"
                                            "edge_instances{state=\"busy\"} 0\n")
                              << true;
    QTest::addRow("one warm") << QByteArray("# TYPE edge_instances gauge\n"
                                            "edge_instances{state=\"warm\"} 1\n"
                                            "edge_instances{state=\"busy\"} 0\n")
                              << false;
    QTest::addRow("busy") << QByteArray("edge_instances{state=\"warm\"} 0\n"
                                        "edge_instances{state=\"busy\"} 3\n")
                          << false;
    QTest::addRow("absent") << QByteArray("edge_requests_total 0\n") << false;
    QTest::addRow("declared, no samples") << QByteArray("# TYPE edge_instances gauge\n") << false;
    QTest::addRow("empty body") << QByteArray() << false;
}

void TestHealth::idlePredicate()
{
    QFETCH(QByteArray, body);
    QFETCH(bool, idle);
    const std::string text = body.toStdString();
    const auto e = fleetscope::exposition::parse(text);
    QVERIFY(e.ok());
    QCOMPARE(defaultIdlePredicate(e), idle);
}

void TestHealth::upIdleDown()
{
    const QDateTime t0 = QDateTime::fromMSecsSinceEpoch(1'700'000'000'000, Qt::UTC);
    HealthTracker tracker;
    tracker.addTarget(QStringLiteral("a"), 1000ms, t0);
    QCOMPARE(tracker.health(QStringLiteral("a"), t0)->state, HealthState::Unknown);

    auto h = tracker.record(success(QStringLiteral("a"), t0, "edge_instances 2\n"));
    QVERIFY(h);
    QCOMPARE(h->state, HealthState::Up);
    QCOMPARE(h->consecutiveFailures, 0);

    h = tracker.record(success(QStringLiteral("a"), t0.addMSecs(1000), "edge_instances 0\n", true));
    QCOMPARE(h->state, HealthState::Idle);
    QVERIFY2(h->reason.contains(QLatin1String("scaled to zero")), qPrintable(h->reason));

    h = tracker.record(failure(QStringLiteral("a"), t0.addMSecs(2000), ScrapeError::HttpStatus,
                               QStringLiteral("HTTP 503 Service Unavailable")));
    QCOMPARE(h->state, HealthState::Down);
    QCOMPARE(h->reason, QStringLiteral("HTTP 503 Service Unavailable"));
    QCOMPARE(h->lastError, ScrapeError::HttpStatus);
    QCOMPARE(h->consecutiveFailures, 1);
    QCOMPARE(h->lastSuccess, t0.addMSecs(1000 + 20));

    h = tracker.record(failure(QStringLiteral("a"), t0.addMSecs(3000),
                               ScrapeError::ConnectionRefused,
                               QStringLiteral("connection refused by 127.0.0.1:9")));
    QCOMPARE(h->consecutiveFailures, 2);
    QCOMPARE(h->lastError, ScrapeError::ConnectionRefused);
}

void TestHealth::staleAfterTwoIntervals()
{
    const QDateTime t0 = QDateTime::fromMSecsSinceEpoch(1'700'000'000'000, Qt::UTC);
    HealthTracker tracker(2);
    tracker.addTarget(QStringLiteral("a"), 1000ms, t0);
    tracker.record(success(QStringLiteral("a"), t0, "x 1\n"));
    const QDateTime end = t0.addMSecs(20);
    QCOMPARE(tracker.health(QStringLiteral("a"), end.addMSecs(1999))->state, HealthState::Up);
    QCOMPARE(tracker.health(QStringLiteral("a"), end.addMSecs(2000))->state, HealthState::Up);
    const auto stale = tracker.health(QStringLiteral("a"), end.addMSecs(2001));
    QCOMPARE(stale->state, HealthState::Stale);
    QVERIFY2(stale->reason.contains(QLatin1String("2 intervals of 1 s")),
             qPrintable(stale->reason));
    // A failing target that keeps answering is down, not stale: it has a cause.
    tracker.record(failure(QStringLiteral("a"), t0.addMSecs(5000), ScrapeError::Timeout,
                           QStringLiteral("timeout: no answer within 1 s")));
    QCOMPARE(tracker.health(QStringLiteral("a"), t0.addMSecs(5100))->state, HealthState::Down);
    QCOMPARE(tracker.health(QStringLiteral("a"), t0.addMSecs(9000))->state, HealthState::Stale);
}

void TestHealth::neverScrapedGoesStale()
{
    const QDateTime t0 = QDateTime::fromMSecsSinceEpoch(1'700'000'000'000, Qt::UTC);
    HealthTracker tracker;
    tracker.addTarget(QStringLiteral("a"), 500ms, t0);
    QCOMPARE(tracker.health(QStringLiteral("a"), t0.addMSecs(900))->state, HealthState::Unknown);
    const auto h = tracker.health(QStringLiteral("a"), t0.addMSecs(1200));
    QCOMPARE(h->state, HealthState::Stale);
    QVERIFY2(h->reason.startsWith(QLatin1String("never scraped")), qPrintable(h->reason));
    QCOMPARE(tracker.all(t0).size(), 1);
}

void TestHealth::removedTargetIgnored()
{
    const QDateTime t0 = QDateTime::currentDateTimeUtc();
    HealthTracker tracker;
    tracker.addTarget(QStringLiteral("a"), 1000ms, t0);
    tracker.removeTarget(QStringLiteral("a"));
    QVERIFY(!tracker.record(success(QStringLiteral("a"), t0, "x 1\n")));
    QVERIFY(!tracker.health(QStringLiteral("a"), t0));
    QVERIFY(tracker.all(t0).isEmpty());
}

QTEST_GUILESS_MAIN(TestHealth)
#include "tst_health.moc"
