#pragma once

// What the Scraper suites (tst_scraper, tst_scrapersecurity) share: a canned Prometheus answer,
// the target and options they scrape with, and a one-scrape helper that waits on the signal.
// Test code only; the test's thread. Header-only: each suite is its own executable.

#include "scrape/scraper.h"

#include <QByteArray>
#include <QSignalSpy>
#include <QString>
#include <QUrl>

#include <chrono>

namespace fleetscope::scrape::test {

inline const QByteArray kPromBody = "# HELP edge_requests_total Requests.\n"
                                    "# TYPE edge_requests_total counter\n"
                                    "edge_requests_total{code=\"200\"} 1027\n"
                                    "edge_requests_total{code=\"500\"} 3\n"
                                    "# TYPE edge_instances gauge\n"
                                    "edge_instances{state=\"warm\"} 2\n"
                                    "edge_instances{state=\"busy\"} 1\n";
inline const QByteArray kPromType = "text/plain; version=0.0.4; charset=utf-8";

inline ScrapeTarget target(const QString &id, const QUrl &url,
                           std::chrono::milliseconds timeout = std::chrono::seconds(5))
{
    ScrapeTarget t;
    t.id = id;
    t.url = url;
    t.interval = std::chrono::seconds(60); // one scrape per test unless it asks for more
    t.timeout = timeout;
    return t;
}

inline ScraperOptions immediate()
{
    ScraperOptions options;
    options.spreadScrapes = false;
    return options;
}

inline ScrapeResult resultAt(const QSignalSpy &spy, qsizetype i)
{
    return spy.at(i).at(0).value<ScrapeResult>();
}

// Scrapes `t` once and returns the result (a default ScrapeResult when none came in time).
inline ScrapeResult scrapeOnce(const ScrapeTarget &t, ScraperOptions options = immediate())
{
    Scraper scraper(std::move(options));
    QSignalSpy spy(&scraper, &Scraper::scrapeFinished);
    scraper.setTargets({ t });
    scraper.start();
    if (!spy.wait(int(t.timeout.count()) + 10000))
        return {};
    return resultAt(spy, 0);
}

} // namespace fleetscope::scrape::test
