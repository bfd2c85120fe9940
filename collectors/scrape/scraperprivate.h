#pragma once

// The Scraper's private parts, shared by scraper.cpp (targets, scheduling, health, delivery) and
// scrapejob.cpp (one HTTP exchange: request, headers, streamed body, redirects, deadline): the
// Job and CA-cache structures, limits, and the helpers both use. GUI-less; the Scraper's thread.

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

Q_DECLARE_LOGGING_CATEGORY(lcScrape)

namespace scraping {

inline constexpr qint64 kReadBufferBytes = 256 * 1024; // what Qt may hold for us before we read it
inline constexpr std::size_t kReadChunkBytes = 64 * 1024;
inline constexpr qint64 kMaxTokenBytes = 64 * 1024;
inline constexpr qint64 kMaxDiscardedBytes = 64 * 1024; // of an error page, before giving up on it
inline constexpr qint64 kMinIntervalMs = 10;

inline QString formatDuration(qint64 ms)
{
    if (ms < 1000)
        return QStringLiteral("%1 ms").arg(ms);
    return QStringLiteral("%1 s").arg(double(ms) / 1000.0, 0, 'g', 4);
}

inline QString hostPort(const QUrl &url)
{
    const int port = url.port(url.scheme() == QLatin1String("https") ? 443 : 80);
    return QStringLiteral("%1:%2").arg(url.host()).arg(port);
}

inline QUrl withoutUserInfo(const QUrl &url)
{
    return url.adjusted(QUrl::RemoveUserInfo);
}

inline bool sameOrigin(const QUrl &a, const QUrl &b)
{
    return a.scheme() == b.scheme() && a.host().compare(b.host(), Qt::CaseInsensitive) == 0
        && a.port(-1) == b.port(-1);
}

inline bool sameLimits(const exposition::Limits &a, const exposition::Limits &b)
{
    return a.maxLineBytes == b.maxLineBytes && a.maxLabelsPerSeries == b.maxLabelsPerSeries
        && a.maxLabelNameBytes == b.maxLabelNameBytes
        && a.maxLabelValueBytes == b.maxLabelValueBytes && a.maxBodyBytes == b.maxBodyBytes
        && a.maxSamples == b.maxSamples && a.maxFamilies == b.maxFamilies;
}

// The header value, or an error sentence naming the file (never its contents).
inline std::optional<QByteArray> readBearerToken(const QString &path, QString *why)
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

inline ParseOutcome parseBody(std::string body, exposition::Format format,
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
inline void takeOutcome(ScrapeResult &result, ParseOutcome outcome)
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

} // namespace scraping

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

} // namespace fleetscope::scrape
