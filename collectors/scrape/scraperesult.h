#pragma once

// ScrapeResult: what one scrape of one target produced, success or failure. A plain value (cheap to
// copy: the parsed body is shared and immutable), built by the Scraper and handed out by queued
// signal; any thread may read it. Holders share ownership of the ParsedScrape.

#include "exposition/exposition.h"

#include <QDateTime>
#include <QMetaType>
#include <QString>
#include <QUrl>

#include <chrono>
#include <memory>
#include <optional>
#include <string>

namespace fleetscope::scrape {

enum class ScrapeError : std::uint8_t {
    None,
    InvalidTarget, // the URL or settings cannot be scraped (bad scheme, empty host)
    BearerTokenFile, // the token file is missing, unreadable, empty or malformed
    CaFile, // the CA file is missing, unreadable or holds no PEM certificate
    ConnectionRefused,
    HostNotFound,
    Timeout, // the whole-scrape deadline passed (no answer, or an answer too slow to finish)
    Tls, // handshake or certificate verification failed
    HttpStatus, // anything but 200, including a redirect that was not followed
    TooManyRedirects,
    BodyLimitExceeded, // more decompressed bytes than the target's limits.maxBodyBytes
    Truncated, // the connection closed before the announced body (or gzip stream) was complete
    Decoding, // an unsupported Content-Encoding or a corrupt gzip stream
    Network, // any other transport failure (reset, protocol error, ...)
    Parse, // the body is not valid exposition text (or exceeds the parser's limits)
};

// A stable lowercase identifier ("connection_refused", "http_status", ...) for CSV and metrics.
const char *errorName(ScrapeError error);

// The body bytes and the Exposition whose views point into them, kept together. Built once on a
// parser thread and never modified or moved afterwards, so it is shared between threads freely.
struct ParsedScrape
{
    ParsedScrape() = default;
    ParsedScrape(const ParsedScrape &) = delete;
    ParsedScrape &operator=(const ParsedScrape &) = delete;

    std::string body; // decompressed
    exposition::Exposition exposition;
};

struct ScrapeResult
{
    QString targetId;
    quint64 sequence = 0; // per target, increasing: a consumer drops any result older than one seen
    QUrl url; // the URL last requested (after followed redirects), without user info
    QDateTime startTime; // UTC, when the request was sent
    std::chrono::milliseconds duration { 0 }; // until the body was parsed (or the scrape failed)
    int httpStatus = 0; // 0 when no HTTP answer arrived
    QString contentType;
    qint64 bodyBytes = 0; // decompressed bytes received (stops at the limit when it is exceeded)
    qint64 wireBytes = 0; // bytes as they came over the connection (compressed when gzip)
    ScrapeError error = ScrapeError::None;
    QString errorMessage; // a sentence naming the cause; empty on success
    std::optional<exposition::ParseError> parseError; // set when error == Parse
    std::shared_ptr<const ParsedScrape> parsed; // set on success only
    bool idle = false; // the Scraper's idle predicate held for the parsed samples

    bool ok() const { return error == ScrapeError::None; }
    const exposition::Exposition *exposition() const
    {
        return parsed ? &parsed->exposition : nullptr;
    }
};

} // namespace fleetscope::scrape

Q_DECLARE_METATYPE(fleetscope::scrape::ScrapeResult)
