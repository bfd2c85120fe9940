// The Scraper: targets, their schedule (spread over the interval, at most N in flight), health,
// and delivery of parsed results. One HTTP exchange is in scrapejob.cpp.

#include "scrape/scraperprivate.h"

namespace fleetscope::scrape {

Q_LOGGING_CATEGORY(lcScrape, "fleetscope.scrape")

using namespace scraping;

const char kAcceptHeader[] = "application/openmetrics-text;version=1.0.0,"
                             "application/openmetrics-text;version=0.0.1;q=0.75,"
                             "text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

bool operator==(const ScrapeTarget &a, const ScrapeTarget &b)
{
    return a.id == b.id && a.url == b.url && a.interval == b.interval && a.timeout == b.timeout
        && a.bearerTokenFile == b.bearerTokenFile && a.caFile == b.caFile
        && a.insecureSkipVerify == b.insecureSkipVerify && a.followRedirects == b.followRedirects
        && sameLimits(a.limits, b.limits) && a.labels == b.labels;
}

const char *errorName(ScrapeError error)
{
    switch (error) {
    case ScrapeError::None:
        return "none";
    case ScrapeError::InvalidTarget:
        return "invalid_target";
    case ScrapeError::BearerTokenFile:
        return "bearer_token_file";
    case ScrapeError::CaFile:
        return "ca_file";
    case ScrapeError::ConnectionRefused:
        return "connection_refused";
    case ScrapeError::HostNotFound:
        return "host_not_found";
    case ScrapeError::Timeout:
        return "timeout";
    case ScrapeError::Tls:
        return "tls";
    case ScrapeError::HttpStatus:
        return "http_status";
    case ScrapeError::TooManyRedirects:
        return "too_many_redirects";
    case ScrapeError::BodyLimitExceeded:
        return "body_limit_exceeded";
    case ScrapeError::Truncated:
        return "truncated";
    case ScrapeError::Decoding:
        return "decoding";
    case ScrapeError::Network:
        return "network";
    case ScrapeError::Parse:
        return "parse";
    }
    return "unknown";
}

std::chrono::milliseconds spreadOffset(const QString &targetId, std::chrono::milliseconds interval,
                                       quint64 seed)
{
    if (interval.count() <= 0)
        return std::chrono::milliseconds(0);
    // FNV-1a over the UTF-16 id, then a 64-bit finaliser (splitmix64) so neighbouring ids land far
    // apart.
    quint64 h = 0xcbf29ce484222325ULL ^ seed;
    for (const QChar c : targetId) {
        h ^= c.unicode();
        h *= 0x100000001b3ULL;
    }
    h += 0x9e3779b97f4a7c15ULL;
    h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ULL;
    h = (h ^ (h >> 27)) * 0x94d049bb133111ebULL;
    h ^= h >> 31;
    return std::chrono::milliseconds(qint64(h % quint64(interval.count())));
}

Scraper::Scraper(ScraperOptions options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_tickTimer(this) // children, so moveToThread() takes them along
    , m_healthTimer(this)
    , m_health(m_options.staleAfterIntervals)
    , m_caCache(std::make_unique<CaCache>())
    , m_readBuffer(kReadChunkBytes)
{
    m_options.maxConcurrentScrapes = std::max(1, m_options.maxConcurrentScrapes);
    m_options.maxRedirects = std::max(0, m_options.maxRedirects);
    m_parsePool.setMaxThreadCount(m_options.parseThreads > 0 ? m_options.parseThreads
                                                             : QThread::idealThreadCount());
    m_parsePool.setObjectName(QStringLiteral("fleetscope.scrape.parse"));
    m_clock.start();
    m_tickTimer.setSingleShot(true);
    m_tickTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_tickTimer, &QTimer::timeout, this, &Scraper::onTick);
    connect(&m_healthTimer, &QTimer::timeout, this, &Scraper::checkHealth);
}

Scraper::~Scraper()
{
    m_destroying = true;
    m_tickTimer.stop();
    m_healthTimer.stop();
    std::vector<quint64> ids;
    for (const auto &[id, job] : m_jobs)
        ids.push_back(id);
    for (const quint64 id : ids) {
        const auto it = m_jobs.find(id);
        if (it != m_jobs.end() && it->second->reply)
            it->second->reply->abort();
    }
    // Parses still running finish into m_parsePool's destructor; their watchers never fire.
}

QList<TargetHealth> Scraper::health() const
{
    return m_health.all(QDateTime::currentDateTimeUtc());
}

void Scraper::setTargets(const QList<ScrapeTarget> &targets)
{
    std::unordered_map<QString, ScrapeTarget> wanted;
    for (ScrapeTarget target : targets) {
        if (target.id.isEmpty()) {
            qCWarning(lcScrape) << "ignoring a target without an id:"
                                << withoutUserInfo(target.url).toString();
            continue;
        }
        if (target.interval.count() < kMinIntervalMs)
            target.interval = std::chrono::milliseconds(kMinIntervalMs);
        if (target.timeout.count() <= 0 || target.timeout > target.interval) {
            qCDebug(lcScrape) << "target" << target.id << "timeout clamped to its interval";
            target.timeout = target.interval;
        }
        if (wanted.count(target.id))
            qCWarning(lcScrape) << "duplicate target id" << target.id << "- the last one wins";
        wanted[target.id] = std::move(target);
    }

    const QDateTime now = QDateTime::currentDateTimeUtc();
    std::vector<QString> removed;
    for (const auto &[id, state] : m_targets) {
        if (!wanted.count(id))
            removed.push_back(id);
    }
    for (const QString &id : removed) {
        m_targets[id].generation++;
        cancelJobsOf(id);
        m_targets.erase(id);
        m_health.removeTarget(id);
    }
    for (auto &[id, target] : wanted) {
        auto it = m_targets.find(id);
        if (it != m_targets.end() && it->second.target == target)
            continue;
        if (it == m_targets.end()) {
            it = m_targets.emplace(id, TargetState {}).first;
        } else {
            it->second.generation++;
            cancelJobsOf(id);
        }
        TargetState &state = it->second;
        state.target = std::move(target);
        state.request.reset();
        state.busy = false;
        state.queued = false;
        state.nextDueMs = -1;
        m_health.addTarget(id, state.target.interval, now);
        state.announced = TargetHealth {};
        if (m_running) {
            const auto offset = m_options.spreadScrapes
                ? spreadOffset(id, state.target.interval, m_options.spreadSeed)
                : std::chrono::milliseconds(0);
            schedule(state, nowMs() + offset.count());
        }
    }
    qCDebug(lcScrape) << "targets set:" << m_targets.size() << "targets," << removed.size()
                      << "removed";
    if (m_running)
        startHealthTimer();
    armTickTimer();
}

void Scraper::start()
{
    if (m_running)
        return;
    m_running = true;
    const qint64 now = nowMs();
    for (auto &[id, state] : m_targets) {
        const auto offset = m_options.spreadScrapes
            ? spreadOffset(id, state.target.interval, m_options.spreadSeed)
            : std::chrono::milliseconds(0);
        schedule(state, now + offset.count());
    }
    startHealthTimer();
    qCInfo(lcScrape) << "scraping" << m_targets.size() << "targets, at most"
                     << m_options.maxConcurrentScrapes << "at once";
    armTickTimer();
}

void Scraper::startHealthTimer()
{
    // Staleness is judged in intervals; looking four times an interval (at most once a second)
    // finds it promptly without scanning a large fleet too often.
    qint64 shortest = 1000;
    for (const auto &[id, state] : m_targets)
        shortest = std::min<qint64>(shortest, state.target.interval.count());
    m_healthTimer.start(int(std::clamp<qint64>(shortest / 4, 50, 1000)));
}

void Scraper::stop()
{
    if (!m_running)
        return;
    m_running = false;
    m_tickTimer.stop();
    m_healthTimer.stop();
    m_due = {};
    m_waiting.clear();
    for (auto &[id, state] : m_targets) {
        state.generation++;
        state.busy = false;
        state.queued = false;
        state.nextDueMs = -1;
    }
    std::vector<quint64> ids;
    for (const auto &[id, job] : m_jobs)
        ids.push_back(id);
    for (const quint64 id : ids) {
        const auto it = m_jobs.find(id);
        if (it != m_jobs.end())
            failJob(*it->second, ScrapeError::Network, QStringLiteral("the scraper stopped"));
    }
    qCInfo(lcScrape) << "stopped";
}

void Scraper::scrapeNow(const QString &targetId)
{
    const auto it = m_targets.find(targetId);
    if (it == m_targets.end() || it->second.busy || it->second.queued)
        return;
    enqueue(it->second);
    pump();
}

void Scraper::schedule(TargetState &state, qint64 atMs)
{
    state.nextDueMs = atMs;
    m_due.push(Due { atMs, state.generation, state.target.id });
}

void Scraper::armTickTimer()
{
    // Entries of replaced targets are dropped lazily; skip them here so they do not wake us.
    while (!m_due.empty()) {
        const Due &top = m_due.top();
        const auto it = m_targets.find(top.id);
        if (it != m_targets.end() && it->second.generation == top.generation
            && it->second.nextDueMs == top.atMs)
            break;
        m_due.pop();
    }
    if (!m_running || m_due.empty()) {
        m_tickTimer.stop();
        return;
    }
    m_tickTimer.start(int(std::clamp<qint64>(m_due.top().atMs - nowMs(), 0, 24 * 3600 * 1000)));
}

void Scraper::onTick()
{
    const qint64 now = nowMs();
    while (!m_due.empty() && m_due.top().atMs <= now) {
        const Due due = m_due.top();
        m_due.pop();
        const auto it = m_targets.find(due.id);
        if (it == m_targets.end() || it->second.generation != due.generation
            || it->second.nextDueMs != due.atMs)
            continue;
        TargetState &state = it->second;
        // Keep the phase: the next scrape is a whole number of intervals after this one.
        const qint64 interval = state.target.interval.count();
        qint64 next = due.atMs + interval;
        if (next <= now)
            next += ((now - next) / interval + 1) * interval;
        schedule(state, next);
        if (state.busy || state.queued) {
            qCDebug(lcScrape) << "target" << due.id << "still being scraped; skipping a tick";
            continue;
        }
        enqueue(state);
    }
    pump();
    armTickTimer();
}

void Scraper::enqueue(TargetState &state)
{
    state.queued = true;
    m_waiting.push_back(state.target.id);
}

void Scraper::pump()
{
    while (m_httpInFlight < m_options.maxConcurrentScrapes && !m_waiting.empty()) {
        const QString id = m_waiting.front();
        m_waiting.pop_front();
        const auto it = m_targets.find(id);
        if (it == m_targets.end() || !it->second.queued)
            continue;
        it->second.queued = false;
        if (!it->second.busy)
            startScrape(it->second);
    }
}

bool Scraper::parseOnOwnThread() const
{
    if (m_options.parseThreads > 0)
        return false;
    // The main thread of a GUI application must stay responsive: parse on the pool there.
    const QCoreApplication *app = QCoreApplication::instance();
    return !app || thread() != app->thread() || !app->inherits("QGuiApplication");
}

void Scraper::deliver(ScrapeResult result, quint64 generation)
{
    const QString id = result.targetId;
    auto it = m_targets.find(id);
    if (it == m_targets.end() || it->second.generation != generation) {
        qCDebug(lcScrape) << "dropping a stale result for" << id;
        return;
    }
    it->second.busy = false;
    if (const exposition::Exposition *e = result.exposition()) {
        it->second.hint = SizeHint { std::size_t(result.bodyBytes), e->families.size(),
                                     e->samples.size(), e->labels.size() };
    }
    const std::optional<TargetHealth> health = m_health.record(result);
    if (!result.ok())
        qCInfo(lcScrape).noquote() << "target" << id << "scrape failed:" << result.errorMessage;
    Q_EMIT scrapeFinished(result);
    // A receiver may have replaced the targets: look again.
    it = m_targets.find(id);
    if (health && it != m_targets.end() && it->second.generation == generation)
        announce(it->second, *health);
}

void Scraper::announce(TargetState &state, const TargetHealth &health)
{
    const TargetHealth &before = state.announced;
    const bool same = before.state == health.state && before.lastError == health.lastError
        && (health.state != HealthState::Down || before.reason == health.reason);
    if (same && !before.targetId.isEmpty())
        return;
    state.announced = health;
    qCInfo(lcScrape).noquote() << "target" << health.targetId << "is" << healthName(health.state)
                               << "-" << health.reason;
    Q_EMIT healthChanged(health);
}

void Scraper::checkHealth()
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    std::vector<QString> ids;
    ids.reserve(m_targets.size());
    for (const auto &[id, state] : m_targets)
        ids.push_back(id);
    for (const QString &id : ids) {
        const auto it = m_targets.find(id);
        if (it == m_targets.end())
            continue;
        if (const auto health = m_health.health(id, now))
            announce(it->second, *health);
    }
}

} // namespace fleetscope::scrape
