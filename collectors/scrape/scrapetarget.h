#pragma once

// ScrapeTarget: how to scrape one endpoint (where, how often, with which credentials and limits).
// A plain value, any thread; the caller builds it (the fleet layer maps its targets to it).

#include "exposition/exposition.h"

#include <QMap>
#include <QMetaType>
#include <QString>
#include <QUrl>

#include <chrono>

namespace fleetscope::scrape {

struct ScrapeTarget
{
    QString id; // unique within one Scraper; names the target in results, health and logs
    QUrl url; // http or https; user info in the URL is never logged or reported
    std::chrono::milliseconds interval { std::chrono::seconds(15) };
    // The whole-scrape deadline: connect, TLS, headers and body. Clamped to the interval.
    std::chrono::milliseconds timeout { std::chrono::seconds(10) };
    QString bearerTokenFile; // read at every scrape; the token is never stored or logged
    QString caFile; // PEM; when set, the only CAs trusted for this target (as Prometheus' ca_file)
    bool insecureSkipVerify = false; // this target only; there is no blanket switch
    bool followRedirects = false; // Prometheus follows by default; FleetScope only when asked
    // maxBodyBytes counts decompressed bytes (0 = unlimited); the rest is handed to the parser.
    exposition::Limits limits = exposition::Limits::forScrape();
    QMap<QString, QString> labels; // carried for the caller (region, node, ...); not sent

    friend bool operator==(const ScrapeTarget &a, const ScrapeTarget &b);
};

} // namespace fleetscope::scrape

Q_DECLARE_METATYPE(fleetscope::scrape::ScrapeTarget)
