#include "ratios.h"

#include "counters.h"
#include "histogram.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace fleetscope::analytics {

namespace {

double orZero(double v)
{
    return std::isnan(v) ? 0 : v;
}

} // namespace

CacheCounts cacheCounts(std::span<const Series> cacheSeries, const Window &window,
                        const QString &cache)
{
    const auto count = [&](QLatin1String result) {
        std::vector<LabelMatch> m { { QStringLiteral("result"), QString(result) } };
        if (!cache.isEmpty())
            m.push_back({ QStringLiteral("cache"), cache });
        return sumIncrease(cacheSeries, window, m);
    };
    return { count(QLatin1String("hit")), count(QLatin1String("miss")),
             count(QLatin1String("stale")) };
}

double hitRatio(const CacheCounts &c)
{
    if (std::isnan(c.hits) && std::isnan(c.misses) && std::isnan(c.stale))
        return noData;
    const double total = orZero(c.hits) + orZero(c.misses) + orZero(c.stale);
    return total > 0 ? orZero(c.hits) / total : noData;
}

bool isErrorStatus(QStringView status, ErrorClasses classes)
{
    if (status.size() != 3 || !std::all_of(status.begin(), status.end(), [](QChar c) {
            return c >= u'0' && c <= u'9';
        }))
        return false;
    return status.front() == u'5'
        || (classes == ErrorClasses::ClientAndServer && status.front() == u'4');
}

double errorRatio(std::span<const Series> countSeries, const Window &window, ErrorClasses classes)
{
    double errors = 0;
    double total = 0;
    bool any = false;
    for (const Series &s : countSeries) {
        const std::optional<double> v = increaseResult(s.samples, window);
        if (!v)
            continue;
        any = true;
        total += *v;
        if (isErrorStatus(s.label(u"status"), classes))
            errors += *v;
    }
    return any && total > 0 ? errors / total : noData;
}

double meanOverWindow(std::span<const Series> sumSeries, std::span<const Series> countSeries,
                      const Window &window, std::span<const LabelMatch> matchers)
{
    const double sum = sumIncrease(sumSeries, window, matchers);
    const double count = sumIncrease(countSeries, window, matchers);
    return count > 0 ? sum / count : noData;
}

std::vector<PhaseTime> phaseBreakdown(std::span<const Series> sumSeries,
                                      std::span<const Series> countSeries, const Window &window)
{
    static constexpr std::array<QStringView, 5> canonical { u"dns", u"tls", u"compute", u"kv",
                                                            u"db" };
    std::vector<QString> phases;
    for (const Series &s : countSeries) {
        const QString phase = s.label(u"phase");
        if (!phase.isEmpty() && std::find(phases.begin(), phases.end(), phase) == phases.end())
            phases.push_back(phase);
    }
    const auto rank = [](const QString &p) {
        const auto it = std::find(canonical.begin(), canonical.end(), QStringView(p));
        return std::distance(canonical.begin(), it);
    };
    std::sort(phases.begin(), phases.end(), [&rank](const QString &a, const QString &b) {
        const auto ra = rank(a);
        const auto rb = rank(b);
        return ra != rb ? ra < rb : a < b;
    });

    std::vector<PhaseTime> result;
    double total = 0;
    for (const QString &phase : phases) {
        const LabelMatch m[] { { QStringLiteral("phase"), phase } };
        const double mean = meanOverWindow(sumSeries, countSeries, window, m);
        result.push_back({ phase, mean, noData });
        total += orZero(mean);
    }
    for (PhaseTime &p : result) {
        if (!std::isnan(p.meanSeconds) && total > 0)
            p.share = p.meanSeconds / total;
    }
    return result;
}

ReadWriteLatency readWriteLatency(double q, std::span<const Series> bucketSeries,
                                  std::span<const Series> sumSeries,
                                  std::span<const Series> countSeries, const Window &window)
{
    const LabelMatch reads[] { { QStringLiteral("op"), QStringLiteral("read") } };
    const LabelMatch writes[] { { QStringLiteral("op"), QStringLiteral("write") } };
    return { quantileOverWindow(q, bucketSeries, window, reads),
             quantileOverWindow(q, bucketSeries, window, writes),
             meanOverWindow(sumSeries, countSeries, window, reads),
             meanOverWindow(sumSeries, countSeries, window, writes) };
}

} // namespace fleetscope::analytics
