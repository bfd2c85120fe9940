#include "scrape/health.h"

#include <algorithm>

namespace fleetscope::scrape {

const char *healthName(HealthState state)
{
    switch (state) {
    case HealthState::Unknown:
        return "unknown";
    case HealthState::Up:
        return "up";
    case HealthState::Idle:
        return "idle";
    case HealthState::Down:
        return "down";
    case HealthState::Stale:
        return "stale";
    }
    return "unknown";
}

bool defaultIdlePredicate(const exposition::Exposition &exposition)
{
    const exposition::Family *instances = exposition.family("edge_instances");
    if (!instances || instances->sampleCount == 0)
        return false;
    const auto samples = exposition.samplesOf(*instances);
    return std::all_of(samples.begin(), samples.end(),
                       [](const exposition::Sample &s) { return s.value == 0; });
}

HealthTracker::HealthTracker(int staleAfterIntervals)
    : m_staleAfterIntervals(std::max(1, staleAfterIntervals))
{ }

void HealthTracker::addTarget(const QString &id, std::chrono::milliseconds interval,
                              const QDateTime &now)
{
    Entry &entry = m_targets[id];
    entry = Entry {};
    entry.interval = interval;
    entry.since = now;
    entry.last.targetId = id;
}

void HealthTracker::removeTarget(const QString &id)
{
    m_targets.erase(id);
}

std::optional<TargetHealth> HealthTracker::record(const ScrapeResult &result)
{
    const auto it = m_targets.find(result.targetId);
    if (it == m_targets.end())
        return std::nullopt;
    Entry &entry = it->second;
    TargetHealth &h = entry.last;
    h.lastResult = result.startTime.addMSecs(result.duration.count());
    h.lastError = result.error;
    if (result.ok()) {
        h.lastSuccess = h.lastResult;
        h.consecutiveFailures = 0;
        h.state = result.idle ? HealthState::Idle : HealthState::Up;
        const exposition::Exposition *e = result.exposition();
        entry.samples = e ? qint64(e->samples.size()) : 0;
        entry.duration = result.duration;
        h.reason = result.idle ? QStringLiteral("answering, scaled to zero (no instances running)")
                               : QStringLiteral("answering: %1 samples in %2 ms")
                                     .arg(entry.samples)
                                     .arg(qint64(result.duration.count()));
    } else {
        ++h.consecutiveFailures;
        h.state = HealthState::Down;
        h.reason = result.errorMessage;
    }
    return evaluate(it->first, entry, h.lastResult);
}

TargetHealth HealthTracker::evaluate(const QString &id, const Entry &entry,
                                     const QDateTime &now) const
{
    TargetHealth h = entry.last;
    h.targetId = id;
    const QDateTime &reference = h.lastResult.isValid() ? h.lastResult : entry.since;
    const qint64 ageMs = reference.msecsTo(now);
    const qint64 staleMs = qint64(entry.interval.count()) * m_staleAfterIntervals;
    if (staleMs > 0 && ageMs > staleMs) {
        h.state = HealthState::Stale;
        h.reason = h.lastResult.isValid()
            ? QStringLiteral("no scrape result for %1 s, more than %2 intervals of %3 s")
                  .arg(double(ageMs) / 1000.0, 0, 'f', 1)
                  .arg(m_staleAfterIntervals)
                  .arg(double(entry.interval.count()) / 1000.0, 0, 'g', 4)
            : QStringLiteral("never scraped in %1 s, more than %2 intervals of %3 s")
                  .arg(double(ageMs) / 1000.0, 0, 'f', 1)
                  .arg(m_staleAfterIntervals)
                  .arg(double(entry.interval.count()) / 1000.0, 0, 'g', 4);
    } else if (h.state == HealthState::Unknown) {
        h.reason = QStringLiteral("not scraped yet");
    }
    return h;
}

std::optional<TargetHealth> HealthTracker::health(const QString &id, const QDateTime &now) const
{
    const auto it = m_targets.find(id);
    if (it == m_targets.end())
        return std::nullopt;
    return evaluate(id, it->second, now);
}

QList<TargetHealth> HealthTracker::all(const QDateTime &now) const
{
    QList<TargetHealth> out;
    out.reserve(qsizetype(m_targets.size()));
    for (const auto &[id, entry] : m_targets)
        out.append(evaluate(id, entry, now));
    std::sort(out.begin(), out.end(),
              [](const TargetHealth &a, const TargetHealth &b) { return a.targetId < b.targetId; });
    return out;
}

} // namespace fleetscope::scrape
