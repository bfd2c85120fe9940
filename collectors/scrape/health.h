#pragma once

// Target health from scrape results: up, idle (answering but scaled to zero), down (with the
// cause), stale (no result for too long). HealthTracker is a plain class used by one thread at a
// time (the Scraper's); the TargetHealth values it returns are copies the caller owns.

#include "scrape/scraperesult.h"

#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>

#include <chrono>
#include <functional>
#include <optional>
#include <unordered_map>

namespace fleetscope::scrape {

enum class HealthState : std::uint8_t {
    Unknown, // not scraped yet
    Up, // the last scrape succeeded
    Idle, // the last scrape succeeded and the target is scaled to zero: not an outage
    Down, // the last scrape failed; TargetHealth::reason names the cause
    Stale, // no scrape result for staleAfterIntervals intervals: what we know is too old
};

const char *healthName(HealthState state); // "unknown", "up", "idle", "down", "stale"

struct TargetHealth
{
    QString targetId;
    HealthState state = HealthState::Unknown;
    QString reason; // a sentence a person understands; for Down the scrape's error message
    ScrapeError lastError = ScrapeError::None;
    QDateTime lastResult; // when the last result finished (UTC), success or not
    QDateTime lastSuccess; // when the last successful result finished (UTC)
    int consecutiveFailures = 0;

    // Same state and reason: what makes a change worth announcing.
    bool sameStatus(const TargetHealth &other) const
    {
        return state == other.state && reason == other.reason;
    }
};

// Decides "scaled to zero" from a successful scrape's samples. Runs on a parser thread: it must be
// thread-safe (a pure function of its argument).
using IdlePredicate = std::function<bool(const exposition::Exposition &)>;

// METRICS.md: the `edge_instances` gauge is present and every one of its samples is 0.
bool defaultIdlePredicate(const exposition::Exposition &exposition);

class HealthTracker
{
public:
    explicit HealthTracker(int staleAfterIntervals = 2);

    // Starts (or restarts) tracking a target; `now` is when its staleness clock starts.
    void addTarget(const QString &id, std::chrono::milliseconds interval, const QDateTime &now);
    void removeTarget(const QString &id);
    bool contains(const QString &id) const { return m_targets.count(id) != 0; }

    // Takes in a finished scrape (ignored for unknown targets) and returns the target's health.
    std::optional<TargetHealth> record(const ScrapeResult &result);

    // The health at `now`: Stale when the last result (or the start, if none) is older than
    // staleAfterIntervals intervals, else Down for a failed last scrape, Idle or Up otherwise.
    std::optional<TargetHealth> health(const QString &id, const QDateTime &now) const;
    QList<TargetHealth> all(const QDateTime &now) const; // ordered by target id

private:
    struct Entry
    {
        std::chrono::milliseconds interval { 0 };
        QDateTime since; // when tracking started
        TargetHealth last; // the state from the last result, before staleness
        qint64 samples = 0;
        std::chrono::milliseconds duration { 0 };
    };
    TargetHealth evaluate(const QString &id, const Entry &entry, const QDateTime &now) const;

    std::unordered_map<QString, Entry> m_targets;
    int m_staleAfterIntervals;
};

} // namespace fleetscope::scrape

Q_DECLARE_METATYPE(fleetscope::scrape::TargetHealth)
