#include "scrape/scraper.h"

#include "scrape/bodydecoder.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QThread>
#include <QTimerEvent>
#include <QtConcurrent/QtConcurrentRun>

#if QT_CONFIG(ssl)
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslError>
#include <QSslSocket>
#endif

#include <algorithm>
#include <unordered_set>

namespace fleetscope::scrape {

namespace {
Q_LOGGING_CATEGORY(lcScrape, "fleetscope.scrape")

constexpr qint64 kReadBufferBytes = 256 * 1024; // what Qt may hold for us before we read it
constexpr std::size_t kReadChunkBytes = 64 * 1024;
constexpr qint64 kMaxTokenBytes = 64 * 1024;
constexpr qint64 kMaxDiscardedBytes = 64 * 1024; // of an error page, before giving up on it
constexpr qint64 kMinIntervalMs = 10;

QString formatDuration(qint64 ms)
{
    if (ms < 1000)
        return QStringLiteral("%1 ms").arg(ms);
    return QStringLiteral("%1 s").arg(double(ms) / 1000.0, 0, 'g', 4);
}

QString hostPort(const QUrl &url)
{
    const int port = url.port(url.scheme() == QLatin1String("https") ? 443 : 80);
    return QStringLiteral("%1:%2").arg(url.host()).arg(port);
}

QUrl withoutUserInfo(const QUrl &url)
{
    return url.adjusted(QUrl::RemoveUserInfo);
}

bool sameOrigin(const QUrl &a, const QUrl &b)
{
    return a.scheme() == b.scheme() && a.host().compare(b.host(), Qt::CaseInsensitive) == 0
        && a.port(-1) == b.port(-1);
}

bool sameLimits(const exposition::Limits &a, const exposition::Limits &b)
{
    return a.maxLineBytes == b.maxLineBytes && a.maxLabelsPerSeries == b.maxLabelsPerSeries
        && a.maxLabelNameBytes == b.maxLabelNameBytes
        && a.maxLabelValueBytes == b.maxLabelValueBytes && a.maxBodyBytes == b.maxBodyBytes
        && a.maxSamples == b.maxSamples && a.maxFamilies == b.maxFamilies;
}

// The header value, or an error sentence naming the file (never its contents).
std::optional<QByteArray> readBearerToken(const QString &path, QString *why)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *why = QStringLiteral("cannot read the bearer token file %1: %2")
                   .arg(path, file.errorString());
        return std::nullopt;
    }
    QByteArray token = file.read(kMaxTokenBytes + 1);
    if (token.size() > kMaxTokenBytes) {
        *why = QStringLiteral("the bearer token file %1 is larger than 64 KiB").arg(path);
        return std::nullopt;
    }
    token = token.trimmed();
    if (token.isEmpty()) {
        *why = QStringLiteral("the bearer token file %1 is empty").arg(path);
        return std::nullopt;
    }
    for (const char c : std::as_const(token)) {
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
            *why = QStringLiteral("the bearer token file %1 holds a line break or control "
                                  "character inside the token")
                       .arg(path);
            return std::nullopt;
        }
    }
    return QByteArrayLiteral("Bearer ") + token;
}

struct ParseOutcome
{
    std::shared_ptr<const ParsedScrape> parsed;
    std::optional<exposition::ParseError> error;
    bool idle = false;
};

ParseOutcome parseBody(std::string body, exposition::Format format,
                       const exposition::Limits &limits, const IdlePredicate &idle,
                       const Scraper::SizeHint &hint)
{
    auto parsed = std::make_shared<ParsedScrape>();
    parsed->body = std::move(body);
    // Sized like the target's last good scrape (which passed the same limits), so the vectors
    // do not grow step by step.
    parsed->exposition.families.reserve(hint.families);
    parsed->exposition.samples.reserve(hint.samples);
    parsed->exposition.labels.reserve(hint.labels);
    exposition::ParseOptions options;
    options.format = format;
    options.limits = limits;
    exposition::parseInto(parsed->exposition, parsed->body, options);
    ParseOutcome out;
    if (!parsed->exposition.ok()) {
        out.error = parsed->exposition.error;
        return out;
    }
    out.idle = idle && idle(parsed->exposition);
    out.parsed = std::move(parsed);
    return out;
}

// Moves a parse outcome into the result: the parsed body, or a parse error naming the line.
void takeOutcome(ScrapeResult &result, ParseOutcome outcome)
{
    if (outcome.error) {
        const exposition::ParseError &e = *outcome.error;
        result.error = ScrapeError::Parse;
        result.errorMessage = QStringLiteral("parse error at line %1, column %2: %3")
                                  .arg(e.line)
                                  .arg(e.column)
                                  .arg(QString::fromStdString(e.message));
        result.parseError = e;
    } else {
        result.parsed = std::move(outcome.parsed);
        result.idle = outcome.idle;
    }
}

} // namespace

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

// One scrape in flight: the HTTP exchange (and its redirects) up to the body being complete.
struct Scraper::Job
{
    quint64 id = 0;
    quint64 generation = 0;
    quint64 sequence = 0;
    ScrapeTarget target; // the settings as they were when the scrape started
    QNetworkReply *reply = nullptr; // owned by its manager; deleteLater in the finished handler
    int deadlineTimer = 0; // the Scraper's timer for the whole-scrape deadline; 0: none
    QUrl url; // the URL of the current request
    SizeHint hint;
    std::shared_ptr<const QNetworkRequest> request; // built for target.url, shared with its state
    QByteArray authorization; // "Bearer ..." while a redirect may still need it; never logged
    bool sendAuthorization = false;
    int redirects = 0;
    QUrl redirectTo;
    std::unique_ptr<BodyDecoder> decoder;
    QElapsedTimer clock;
    QDateTime start;
    bool headersSeen = false;
    bool discardBody = false; // an error status: read the page to its end, keep nothing
    int status = 0;
    QString contentType;
    qint64 contentLength = -1;
    qint64 wireBytes = 0;
    ScrapeError error = ScrapeError::None;
    QString message;
    QStringList tlsErrors;
};

#if QT_CONFIG(ssl)
struct Scraper::CaCache
{
    struct Entry
    {
        QDateTime modified;
        qint64 size = -1;
        QList<QSslCertificate> certificates;
    };
    std::map<QString, Entry> files;

    std::optional<QList<QSslCertificate>> load(const QString &path, QString *why)
    {
        const QFileInfo info(path);
        Entry &entry = files[path];
        if (info.exists() && entry.size == info.size() && entry.modified == info.lastModified()
            && !entry.certificates.isEmpty())
            return entry.certificates;
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly)) {
            *why = QStringLiteral("cannot read the CA file %1: %2").arg(path, file.errorString());
            files.erase(path);
            return std::nullopt;
        }
        const QList<QSslCertificate> certificates =
            QSslCertificate::fromData(file.read(16 * 1024 * 1024), QSsl::Pem);
        if (certificates.isEmpty()) {
            *why = QStringLiteral("the CA file %1 holds no PEM certificate").arg(path);
            files.erase(path);
            return std::nullopt;
        }
        entry = Entry { info.lastModified(), info.size(), certificates };
        return certificates;
    }
};
#else
struct Scraper::CaCache
{
};
#endif

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

QNetworkAccessManager *Scraper::networkFor(const ScrapeTarget &target)
{
    QString key = QStringLiteral("verified");
    if (target.url.scheme() == QLatin1String("https")) {
        if (target.insecureSkipVerify)
            key = QStringLiteral("insecure");
        else if (!target.caFile.isEmpty())
            key = QStringLiteral("ca:") + target.caFile;
    }
    QNetworkAccessManager *&network = m_networks[key];
    if (!network) {
        network = new QNetworkAccessManager(this);
        network->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
        network->setStrictTransportSecurityEnabled(false);
        // Targets are scraped directly, as Prometheus does without proxy_url: no proxy look-up
        // (environment variables, a query object) on every request.
        network->setProxy(QNetworkProxy::NoProxy);
    }
    return network;
}

void Scraper::startScrape(TargetState &state)
{
    state.busy = true;
    auto owned = std::make_unique<Job>();
    Job &job = *owned;
    job.id = m_nextJobId++;
    job.generation = state.generation;
    job.sequence = ++state.sequence;
    job.target = state.target;
    job.hint = state.hint;
    job.url = state.target.url;
    if (!state.request)
        state.request = std::make_shared<const QNetworkRequest>(
            buildRequest(state.target.url, state.target.timeout));
    job.request = state.request;
    job.start = QDateTime::currentDateTimeUtc();
    job.clock.start();
    m_jobs.emplace(job.id, std::move(owned));
    ++m_httpInFlight;

    const quint64 id = job.id;
    // A timer of the Scraper's own (timerEvent), not a QTimer object a scrape. Precise: a coarse
    // timer may fire 5% early.
    job.deadlineTimer = startTimer(job.target.timeout, Qt::PreciseTimer);
    if (job.deadlineTimer != 0)
        m_deadlines.emplace(job.deadlineTimer, id);

    const QUrl &url = job.target.url;
    QString why;
    ScrapeError error = ScrapeError::None;
    const QString scheme = url.scheme();
    if (!url.isValid() || url.host().isEmpty()
        || (scheme != QLatin1String("http") && scheme != QLatin1String("https"))) {
        error = ScrapeError::InvalidTarget;
        why = QStringLiteral("cannot scrape %1: only http:// and https:// URLs with a host are "
                             "supported")
                  .arg(withoutUserInfo(url).toString());
    } else if (!job.target.bearerTokenFile.isEmpty()) {
        if (auto token = readBearerToken(job.target.bearerTokenFile, &why)) {
            job.authorization = std::move(*token);
            job.sendAuthorization = true;
        } else {
            error = ScrapeError::BearerTokenFile;
        }
    }
    qCDebug(lcScrape) << "scraping" << job.target.id << withoutUserInfo(url).toString();
    if (error == ScrapeError::None && sendRequest(job))
        return;
    if (error != ScrapeError::None) {
        job.error = error;
        job.message = why;
    }
    // Report it from the event loop, as a network failure would be, never from inside start().
    QMetaObject::invokeMethod(
        this, [this, id] { httpDone(id); }, Qt::QueuedConnection);
}

QNetworkRequest Scraper::buildRequest(const QUrl &url, std::chrono::milliseconds timeout)
{
    QNetworkRequest request(url);
    request.setRawHeader(QByteArrayLiteral("Accept"), QByteArray(kAcceptHeader));
    // Set by hand, so Qt leaves the body compressed and BodyDecoder bounds the inflated size.
    request.setRawHeader(QByteArrayLiteral("Accept-Encoding"), QByteArrayLiteral("gzip"));
    request.setRawHeader(QByteArrayLiteral("User-Agent"),
                         QByteArrayLiteral("FleetScope/" FLEETSCOPE_VERSION));
    request.setRawHeader(QByteArrayLiteral("X-Prometheus-Scrape-Timeout-Seconds"),
                         QByteArray::number(double(timeout.count()) / 1000.0, 'g', 6));
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute,
                         QNetworkRequest::AlwaysNetwork);
    request.setAttribute(QNetworkRequest::CacheSaveControlAttribute, false);
    request.setAttribute(QNetworkRequest::CookieLoadControlAttribute, QNetworkRequest::Manual);
    request.setAttribute(QNetworkRequest::CookieSaveControlAttribute, QNetworkRequest::Manual);
    request.setAttribute(QNetworkRequest::AuthenticationReuseAttribute, QNetworkRequest::Manual);
    return request;
}

bool Scraper::sendRequest(Job &job)
{
    // The target's own URL: the request built once for it (shared, copied only when a header is
    // added); a redirect: a new one.
    QNetworkRequest request = job.url == job.target.url && job.request
        ? *job.request
        : buildRequest(job.url, job.target.timeout);
    if (job.sendAuthorization)
        request.setRawHeader(QByteArrayLiteral("Authorization"), job.authorization);

    if (job.url.scheme() == QLatin1String("https")) {
#if QT_CONFIG(ssl)
        if (!QSslSocket::supportsSsl()) {
            job.error = ScrapeError::Tls;
            job.message = QStringLiteral("cannot scrape %1: TLS is not available (no TLS backend)")
                              .arg(withoutUserInfo(job.url).toString());
            return false;
        }
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        if (!job.target.caFile.isEmpty()) {
            QString why;
            const auto certificates = m_caCache->load(job.target.caFile, &why);
            if (!certificates) {
                job.error = ScrapeError::CaFile;
                job.message = why;
                return false;
            }
            tls.setCaCertificates(*certificates); // replaces the system roots, as ca_file does
        }
        if (job.target.insecureSkipVerify)
            tls.setPeerVerifyMode(QSslSocket::VerifyNone);
        request.setSslConfiguration(tls);
#else
        job.error = ScrapeError::Tls;
        job.message = QStringLiteral("cannot scrape %1: this build has no TLS support")
                          .arg(withoutUserInfo(job.url).toString());
        return false;
#endif
    }

    job.headersSeen = false;
    job.discardBody = false;
    job.status = 0;
    job.contentType.clear();
    job.contentLength = -1;
    job.decoder.reset();
    job.redirectTo.clear();
    QNetworkReply *reply = networkFor(job.target)->get(request);
    job.reply = reply;
    reply->setReadBufferSize(kReadBufferBytes);
    const quint64 id = job.id;
    connect(reply, &QNetworkReply::metaDataChanged, this, [this, id] { onMetaDataChanged(id); });
    connect(reply, &QNetworkReply::readyRead, this, [this, id] { onReadyRead(id); });
    connect(reply, &QNetworkReply::finished, this, [this, id] { onReplyFinished(id); });
#if QT_CONFIG(ssl)
    connect(reply, &QNetworkReply::sslErrors, this, [this, id](const QList<QSslError> &errors) {
        // Recorded for the message; never ignored: verification failures fail the scrape.
        const auto it = m_jobs.find(id);
        if (it == m_jobs.end())
            return;
        for (const QSslError &error : errors)
            it->second->tlsErrors.append(error.errorString());
    });
#endif
    return true;
}

bool Scraper::processHeaders(Job &job)
{
    QNetworkReply *reply = job.reply;
    job.headersSeen = true;
    job.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    job.contentType = reply->header(QNetworkRequest::ContentTypeHeader).toString();
    const QVariant length = reply->header(QNetworkRequest::ContentLengthHeader);
    job.contentLength = length.isValid() ? length.toLongLong() : -1;
    const QString reason =
        reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString().trimmed();
    const QString statusText = reason.isEmpty()
        ? QStringLiteral("HTTP %1").arg(job.status)
        : QStringLiteral("HTTP %1 %2").arg(job.status).arg(reason);

    const bool redirect = job.status == 301 || job.status == 302 || job.status == 303
        || job.status == 307 || job.status == 308;
    if (redirect) {
        const QByteArray location = reply->rawHeader(QByteArrayLiteral("Location"));
        const QUrl target = job.url.resolved(QUrl::fromEncoded(location));
        const QString shown = withoutUserInfo(target).toString();
        if (location.isEmpty() || !target.isValid()) {
            job.error = ScrapeError::HttpStatus;
            job.message = QStringLiteral("%1 without a usable Location").arg(statusText);
        } else if (!job.target.followRedirects) {
            job.error = ScrapeError::HttpStatus;
            job.message = QStringLiteral("%1: redirect to %2 not followed (the target does not "
                                         "follow redirects)")
                              .arg(statusText, shown);
        } else if (job.url.scheme() == QLatin1String("https")
                   && target.scheme() != QLatin1String("https")) {
            job.error = ScrapeError::HttpStatus;
            job.message = QStringLiteral("%1: refusing to follow a redirect from https to %2")
                              .arg(statusText, shown);
        } else {
            job.redirectTo = target;
        }
        return false;
    }
    if (job.status != 200) {
        job.error = ScrapeError::HttpStatus;
        job.message = job.status == 0 ? QStringLiteral("the answer is not HTTP") : statusText;
        // Qt reports 4xx/5xx itself when the answer ends; aborting first would make it warn. Read
        // a short error page to its end instead (readBody discards it, and aborts a long one).
        job.discardBody = job.status >= 400;
        return job.discardBody;
    }

    const QByteArray encodingHeader = reply->rawHeader(QByteArrayLiteral("Content-Encoding"));
    const auto encoding = BodyDecoder::encodingFromHeader(encodingHeader);
    if (!encoding) {
        job.error = ScrapeError::Decoding;
        job.message = QStringLiteral("the answer uses Content-Encoding \"%1\", which was not "
                                     "asked for (only gzip is)")
                          .arg(QString::fromLatin1(encodingHeader.left(64)));
        return false;
    }
    const std::size_t limit = job.target.limits.maxBodyBytes;
    if (*encoding == BodyDecoder::Encoding::Identity && limit != 0 && job.contentLength > 0
        && quint64(job.contentLength) > limit) {
        job.error = ScrapeError::BodyLimitExceeded;
        job.message = QStringLiteral("body limit exceeded: the server announced %1 bytes, more "
                                     "than the %2 byte limit")
                          .arg(job.contentLength)
                          .arg(limit);
        return false;
    }
    job.decoder = std::make_unique<BodyDecoder>(*encoding, limit);
    if (*encoding == BodyDecoder::Encoding::Identity && job.contentLength > 0)
        job.decoder->reserve(std::size_t(job.contentLength));
    else
        // Room for a body a little longer than the last (values change width): growing a
        // string doubles it. Capped at the limit.
        job.decoder->reserve(job.hint.bodyBytes + job.hint.bodyBytes / 16 + 1024);
    return true;
}

bool Scraper::readBody(Job &job)
{
    if (job.discardBody) {
        for (;;) {
            const qint64 n = job.reply->read(m_readBuffer.data(), qint64(m_readBuffer.size()));
            if (n <= 0)
                return true;
            job.wireBytes += n;
            if (job.wireBytes > kMaxDiscardedBytes)
                return false;
        }
    }
    if (!job.decoder)
        return job.error == ScrapeError::None;
    for (;;) {
        const qint64 n = job.reply->read(m_readBuffer.data(), qint64(m_readBuffer.size()));
        if (n <= 0)
            return true;
        job.wireBytes += n;
        const auto status = job.decoder->feed(m_readBuffer.data(), std::size_t(n));
        if (status == BodyDecoder::Status::Ok)
            continue;
        if (status == BodyDecoder::Status::LimitExceeded) {
            job.error = ScrapeError::BodyLimitExceeded;
            job.message = job.decoder->encoding() == BodyDecoder::Encoding::Identity
                ? QStringLiteral("body limit exceeded: more than %1 bytes")
                      .arg(job.decoder->maxBytes())
                : QStringLiteral("body limit exceeded: more than %1 bytes after "
                                 "decompression (%2 compressed bytes read)")
                      .arg(job.decoder->maxBytes())
                      .arg(job.wireBytes);
        } else {
            job.error = status == BodyDecoder::Status::Truncated ? ScrapeError::Truncated
                                                                 : ScrapeError::Decoding;
            job.message = job.decoder->errorString();
        }
        return false;
    }
}

void Scraper::onMetaDataChanged(quint64 jobId)
{
    const auto it = m_jobs.find(jobId);
    if (it == m_jobs.end() || !it->second->reply || it->second->headersSeen)
        return;
    Job &job = *it->second;
    if (!job.reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).isValid())
        return;
    if (!processHeaders(job))
        job.reply->abort(); // finished arrives now; onReplyFinished reports or follows
}

void Scraper::onReadyRead(quint64 jobId)
{
    const auto it = m_jobs.find(jobId);
    if (it == m_jobs.end() || !it->second->reply)
        return;
    Job &job = *it->second;
    if (!job.headersSeen) {
        onMetaDataChanged(jobId);
        if (!m_jobs.count(jobId) || !job.reply
            || (job.error != ScrapeError::None && !job.discardBody))
            return;
    }
    if (!readBody(job))
        job.reply->abort(); // the job may be gone after this
}

void Scraper::timerEvent(QTimerEvent *event)
{
    const auto it = m_deadlines.find(event->timerId());
    if (it == m_deadlines.end()) {
        QObject::timerEvent(event);
        return;
    }
    const quint64 jobId = it->second;
    killTimer(event->timerId()); // fires once
    m_deadlines.erase(it);
    if (const auto job = m_jobs.find(jobId); job != m_jobs.end()) {
        job->second->deadlineTimer = 0;
        onDeadline(jobId);
    }
}

void Scraper::onDeadline(quint64 jobId)
{
    const auto it = m_jobs.find(jobId);
    if (it == m_jobs.end())
        return;
    Job &job = *it->second;
    const QString limit = formatDuration(job.target.timeout.count());
    failJob(job, ScrapeError::Timeout,
            job.headersSeen
                ? QStringLiteral("timeout: the answer did not complete within %1").arg(limit)
                : QStringLiteral("timeout: no answer within %1").arg(limit));
}

void Scraper::failJob(Job &job, ScrapeError error, QString message)
{
    if (job.error == ScrapeError::None) {
        job.error = error;
        job.message = std::move(message);
    }
    if (job.reply)
        job.reply->abort(); // emits finished: onReplyFinished ends the job
    else
        httpDone(job.id);
}

void Scraper::onReplyFinished(quint64 jobId)
{
    const auto it = m_jobs.find(jobId);
    if (it == m_jobs.end() || !it->second->reply)
        return;
    Job &job = *it->second;
    QNetworkReply *reply = job.reply;
    reply->deleteLater();

    if (job.error == ScrapeError::None && !m_destroying) {
        if (!job.headersSeen
            && reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).isValid())
            processHeaders(job);
        if (job.error == ScrapeError::None && job.redirectTo.isValid()) {
            job.reply = nullptr;
            if (++job.redirects > m_options.maxRedirects) {
                job.error = ScrapeError::TooManyRedirects;
                job.message = QStringLiteral("more than %1 redirects").arg(m_options.maxRedirects);
            } else {
                qCDebug(lcScrape) << "target" << job.target.id << "redirected to"
                                  << withoutUserInfo(job.redirectTo).toString();
                // Credentials go only to the origin they were configured for.
                job.sendAuthorization =
                    job.sendAuthorization && sameOrigin(job.redirectTo, job.target.url);
                job.url = job.redirectTo;
                if (sendRequest(job))
                    return;
            }
            httpDone(jobId);
            return;
        }
        if (job.error == ScrapeError::None)
            readBody(job);
    }

    const QNetworkReply::NetworkError network = reply->error();
    if (job.error == ScrapeError::None && network != QNetworkReply::NoError) {
        const QString where = hostPort(job.url);
        switch (network) {
        case QNetworkReply::ConnectionRefusedError:
            job.error = ScrapeError::ConnectionRefused;
            job.message = QStringLiteral("connection refused by %1").arg(where);
            break;
        case QNetworkReply::HostNotFoundError:
            job.error = ScrapeError::HostNotFound;
            job.message = QStringLiteral("host not found: %1").arg(job.url.host());
            break;
        case QNetworkReply::TimeoutError:
            job.error = ScrapeError::Timeout;
            job.message = QStringLiteral("timeout: the connection to %1 timed out").arg(where);
            break;
        case QNetworkReply::SslHandshakeFailedError:
        case QNetworkReply::InsecureRedirectError:
            job.error = ScrapeError::Tls;
            job.message =
                QStringLiteral("TLS error with %1: %2")
                    .arg(where,
                         job.tlsErrors.isEmpty() ? reply->errorString()
                                                 : job.tlsErrors.join(QStringLiteral("; ")));
            break;
        case QNetworkReply::RemoteHostClosedError:
            if (job.headersSeen) {
                job.error = ScrapeError::Truncated;
                job.message = job.contentLength >= 0
                    ? QStringLiteral("truncated: the connection closed after %1 of %2 body "
                                     "bytes")
                          .arg(job.wireBytes)
                          .arg(job.contentLength)
                    : QStringLiteral("truncated: the connection closed part-way through the "
                                     "body");
            } else {
                job.error = ScrapeError::Network;
                job.message =
                    QStringLiteral("%1 closed the connection without answering").arg(where);
            }
            break;
        default:
            if (!job.tlsErrors.isEmpty()) {
                job.error = ScrapeError::Tls;
                job.message = QStringLiteral("TLS error with %1: %2")
                                  .arg(where, job.tlsErrors.join(QStringLiteral("; ")));
            } else {
                job.error = ScrapeError::Network;
                job.message =
                    QStringLiteral("network error with %1: %2").arg(where, reply->errorString());
            }
            break;
        }
    }
    if (job.error == ScrapeError::None && !job.headersSeen) {
        job.error = ScrapeError::Network;
        job.message = QStringLiteral("%1 gave no HTTP answer").arg(hostPort(job.url));
    }
    if (job.error == ScrapeError::None && job.decoder) {
        if (job.decoder->finish() != BodyDecoder::Status::Ok) {
            job.error = job.decoder->status() == BodyDecoder::Status::Truncated
                ? ScrapeError::Truncated
                : ScrapeError::Decoding;
            job.message = QStringLiteral("truncated: %1").arg(job.decoder->errorString());
        } else if (job.decoder->encoding() == BodyDecoder::Encoding::Identity
                   && job.contentLength >= 0 && job.wireBytes < job.contentLength) {
            job.error = ScrapeError::Truncated;
            job.message = QStringLiteral("truncated: the connection closed after %1 of %2 body "
                                         "bytes")
                              .arg(job.wireBytes)
                              .arg(job.contentLength);
        }
    }
    job.reply = nullptr;
    httpDone(jobId);
}

void Scraper::cancelJobsOf(const QString &targetId)
{
    std::vector<quint64> ids;
    for (const auto &[id, job] : m_jobs) {
        if (job->target.id == targetId)
            ids.push_back(id);
    }
    for (const quint64 id : ids) {
        const auto it = m_jobs.find(id);
        if (it != m_jobs.end())
            failJob(*it->second, ScrapeError::Network, QStringLiteral("the target was replaced"));
    }
}

void Scraper::httpDone(quint64 jobId)
{
    auto node = m_jobs.extract(jobId);
    if (node.empty())
        return;
    std::unique_ptr<Job> job = std::move(node.mapped());
    if (job->deadlineTimer != 0) {
        killTimer(job->deadlineTimer);
        m_deadlines.erase(job->deadlineTimer);
        job->deadlineTimer = 0;
    }
    --m_httpInFlight;
    if (m_destroying)
        return;

    const auto it = m_targets.find(job->target.id);
    if (it == m_targets.end() || it->second.generation != job->generation) {
        qCDebug(lcScrape) << "dropping a stale result for" << job->target.id;
        pump();
        return;
    }

    ScrapeResult result;
    result.targetId = job->target.id;
    result.sequence = job->sequence;
    result.url = withoutUserInfo(job->url);
    result.startTime = job->start;
    result.httpStatus = job->status;
    result.contentType = job->contentType;
    result.bodyBytes = job->decoder ? qint64(job->decoder->bodyBytes()) : 0;
    result.wireBytes = job->wireBytes;
    result.error = job->error;
    result.errorMessage = job->message;

    if (!result.ok()) {
        result.duration = std::chrono::milliseconds(job->clock.elapsed());
        qCDebug(lcScrape) << "target" << result.targetId << "failed:" << result.errorMessage;
        deliver(std::move(result), job->generation);
        pump();
        return;
    }

    const exposition::Format format = exposition::formatFromContentType(
        std::string_view(job->contentType.toLatin1().constData()));
    if (parseOnOwnThread()) {
        // Parsing a scrape costs tens of microseconds; handing it to a pool and back costs more
        // (two thread wake-ups and a watcher). This thread is not a GUI thread: parse here.
        ParseOutcome outcome = parseBody(job->decoder->takeBody(), format, job->target.limits,
                                         m_options.idlePredicate, job->hint);
        result.duration = std::chrono::milliseconds(job->clock.elapsed());
        takeOutcome(result, std::move(outcome));
        deliver(std::move(result), job->generation);
        pump();
        return;
    }

    // Parse on the pool; the body moves into the task and ends up owned by the result.
    auto *watcher = new QFutureWatcher<ParseOutcome>(this);
    const quint64 generation = job->generation;
    const QElapsedTimer clock = job->clock;
    connect(watcher, &QFutureWatcherBase::finished, this,
            [this, watcher, generation, clock, result = std::move(result)]() mutable {
                watcher->deleteLater();
                result.duration = std::chrono::milliseconds(clock.elapsed());
                takeOutcome(result, watcher->result());
                deliver(std::move(result), generation);
            });
    watcher->setFuture(QtConcurrent::run(&m_parsePool, &parseBody, job->decoder->takeBody(), format,
                                         job->target.limits, m_options.idlePredicate, job->hint));
    pump();
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
