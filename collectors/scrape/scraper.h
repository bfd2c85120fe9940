#pragma once

// Scraper: polls ScrapeTargets over HTTP(S) on a spread-out schedule with a concurrency cap,
// streams each answer through a bounded decoder, parses it and reports one ScrapeResult per scrape
// plus TargetHealth changes, by signal. Lives on the thread that creates it or that it is moved to
// (a worker QThread in the app); never blocks that thread on I/O. It parses on that thread (one
// body, bounded by the target's limits, takes tens of microseconds), except on the main thread of a
// GUI application, where it parses on its own pool. It owns its network managers, timers and pool;
// what it emits are values.

#include "scrape/health.h"
#include "scrape/scraperesult.h"
#include "scrape/scrapetarget.h"

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QString>
#include <QThreadPool>
#include <QTimer>

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <queue>
#include <unordered_map>
#include <vector>

class QNetworkAccessManager;
class QNetworkReply;
class QNetworkRequest;
class QUrl;

namespace fleetscope::scrape {

struct ScraperOptions
{
    int maxConcurrentScrapes = 64; // HTTP requests in flight at once, over all targets
    // Each target's first scrape comes at a fixed offset within its interval, from a hash of its
    // id and the seed (as Prometheus does), so a fleet is not polled in lockstep. Off: at once.
    bool spreadScrapes = true;
    quint64 spreadSeed = 0;
    IdlePredicate idlePredicate = defaultIdlePredicate; // null: never idle
    int staleAfterIntervals = 2;
    int maxRedirects = 10; // for targets with followRedirects
    // 0: parse on the scraper's own thread (cheapest), unless that is the main thread of a GUI
    // application: then on a pool of QThread::idealThreadCount() threads. N > 0: always on a pool
    // of N threads.
    int parseThreads = 0;
};

// The offset of a target's first scrape within its interval: deterministic, spread evenly.
std::chrono::milliseconds spreadOffset(const QString &targetId, std::chrono::milliseconds interval,
                                       quint64 seed);

// The Accept header FleetScope sends: OpenMetrics 1.0.0, then 0.0.1, then the 0.0.4 text format.
extern const char kAcceptHeader[];

class Scraper : public QObject
{
    Q_OBJECT
public:
    explicit Scraper(ScraperOptions options = {}, QObject *parent = nullptr);
    ~Scraper() override;

    // The getters below read state owned by the scraper's thread: call them there.
    const ScraperOptions &options() const { return m_options; }
    bool isRunning() const { return m_running; }
    int scrapesInFlight() const { return m_httpInFlight; } // HTTP requests, not parses
    // The current health of every target, at the time of the call.
    QList<TargetHealth> health() const;

public Q_SLOTS:
    // Replaces the target list. Unchanged targets keep their schedule and health; removed or
    // changed ones have their scrape in flight cancelled and its result dropped.
    void setTargets(const QList<fleetscope::scrape::ScrapeTarget> &targets);
    void start();
    // Stops scheduling and cancels scrapes in flight; their results are dropped.
    void stop();
    // Scrapes one target as soon as a slot is free, unless it is already being scraped.
    void scrapeNow(const QString &targetId);

Q_SIGNALS:
    // Every scrape that ran to the end, success or failure, in the order they finished.
    void scrapeFinished(const fleetscope::scrape::ScrapeResult &result);
    // A target's state or reason changed (including to Stale, found by a periodic check).
    void healthChanged(const fleetscope::scrape::TargetHealth &health);

public:
    // The sizes of a target's last good scrape, to reserve its next body and parse at once.
    struct SizeHint
    {
        std::size_t bodyBytes = 0;
        std::size_t families = 0;
        std::size_t samples = 0;
        std::size_t labels = 0;
    };

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    struct Job;
    struct TargetState
    {
        ScrapeTarget target;
        quint64 generation = 0; // bumped when the target is replaced: older results are dropped
        quint64 sequence = 0;
        qint64 nextDueMs = -1; // on m_clock; -1 when not scheduled
        bool queued = false; // waiting for a concurrency slot
        bool busy = false; // a scrape (HTTP or parse) is in flight
        TargetHealth announced; // the last health emitted
        std::shared_ptr<const QNetworkRequest> request; // for target.url, built on first use
        SizeHint hint;
    };
    struct Due
    {
        qint64 atMs;
        quint64 generation;
        QString id;
        bool operator>(const Due &o) const { return atMs > o.atMs; }
    };

    void schedule(TargetState &state, qint64 atMs);
    void armTickTimer();
    void onTick();
    void enqueue(TargetState &state);
    void pump();
    void startScrape(TargetState &state);
    static QNetworkRequest buildRequest(const QUrl &url, std::chrono::milliseconds timeout);
    bool sendRequest(Job &job);
    void onMetaDataChanged(quint64 jobId);
    void onReadyRead(quint64 jobId);
    void onReplyFinished(quint64 jobId);
    void onDeadline(quint64 jobId);
    void failJob(Job &job, ScrapeError error, QString message);
    void httpDone(quint64 jobId);
    void deliver(ScrapeResult result, quint64 generation);
    bool parseOnOwnThread() const;
    void checkHealth();
    void startHealthTimer();
    void announce(TargetState &state, const TargetHealth &health);
    void cancelJobsOf(const QString &targetId);
    QNetworkAccessManager *networkFor(const ScrapeTarget &target);
    bool processHeaders(Job &job);
    bool readBody(Job &job);
    qint64 nowMs() const { return m_clock.elapsed(); }

    ScraperOptions m_options;
    QThreadPool m_parsePool; // first member destroyed last: waits for parses before the rest goes
    QElapsedTimer m_clock;
    QTimer m_tickTimer;
    QTimer m_healthTimer;
    HealthTracker m_health;
    std::unordered_map<QString, TargetState> m_targets;
    std::priority_queue<Due, std::vector<Due>, std::greater<>> m_due;
    std::deque<QString> m_waiting; // due, waiting for a concurrency slot
    std::unordered_map<quint64, std::unique_ptr<Job>> m_jobs;
    std::unordered_map<int, quint64> m_deadlines; // timer id -> job id
    // One manager per TLS setting, so a connection kept alive for one trust setting is never
    // reused for a target with another.
    std::map<QString, QNetworkAccessManager *> m_networks;
    struct CaCache;
    std::unique_ptr<CaCache> m_caCache; // CA files by path, re-read when they change
    std::vector<char> m_readBuffer;
    quint64 m_nextJobId = 1;
    int m_httpInFlight = 0;
    bool m_running = false;
    bool m_destroying = false;
};

} // namespace fleetscope::scrape
