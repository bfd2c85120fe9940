#include "promql/promsource.h"

#include "analytics/usage.h"
#include "fleet/regioncatalogue.h"
#include "snapshot/analysis.h"
#include "snapshot/fleetmonitor.h"

#include <QDateTime>
#include <QRegularExpression>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <set>

namespace fleetscope::promql {

using fleet::MetricKind;
using fleet::MetricRole;
using snapshot::kNaN;

namespace {

double nowSeconds()
{
    return double(QDateTime::currentMSecsSinceEpoch()) / 1000.0;
}

QString statusClass(const QString &status)
{
    if (status.size() == 3 && status[0] >= QLatin1Char('1') && status[0] <= QLatin1Char('5'))
        return QString(status[0]) + QStringLiteral("xx");
    return QStringLiteral("other");
}

QString labelOr(const PromSeries &s, const QString &name, const QString &fallback)
{
    const QString v = s.labels.value(name);
    return v.isEmpty() ? fallback : v;
}

bool parseBound(const QString &le, double &out)
{
    if (le == QLatin1String("+Inf") || le == QLatin1String("Inf")) {
        out = std::numeric_limits<double>::infinity();
        return true;
    }
    bool ok = false;
    out = le.toDouble(&ok);
    return ok && !std::isnan(out);
}

using Increments = std::map<double, double>; // step time -> increase in that step

snapshot::Series cumulative(const Increments &inc)
{
    snapshot::Series s;
    s.reserve(inc.size());
    double total = 0;
    for (const auto &[t, v] : inc) {
        if (std::isfinite(v))
            total += v;
        s.push_back({ t, total });
    }
    return s;
}

} // namespace

QString checkSelector(const QString &selector)
{
    if (selector.trimmed().isEmpty())
        return {};
    // name op "value" (, name op "value")* with Prometheus' string escapes inside the quotes.
    static const QRegularExpression matcher(QStringLiteral(
        R"(^\s*[a-zA-Z_][a-zA-Z0-9_]*\s*(=|!=|=~|!~)\s*"(?:[^"\\]|\\.)*"\s*(,\s*[a-zA-Z_][a-zA-Z0-9_]*\s*(=|!=|=~|!~)\s*"(?:[^"\\]|\\.)*"\s*)*,?\s*$)"));
    if (!matcher.match(selector).hasMatch())
        return QStringLiteral("the label selector '%1' is not a list of label matchers such as "
                              "job=\"edge\",env=~\"prod|staging\" (without braces)")
            .arg(selector.left(200));
    return {};
}

struct PrometheusMonitor::Refresh
{
    quint64 generation = 0;
    double end = 0, start = 0, step = 0;
    int pending = 0;
    QString error;
    QElapsedTimer timer;

    struct Hist
    {
        std::map<double, Increments> buckets;
        Increments sum;
    };
    struct Region
    {
        std::map<QString, Increments> counters;
        std::map<QString, Hist> histograms;
        std::map<QString, snapshot::Series> gauges;
        std::map<QString, int> primaryVotes;
    };
    std::map<QString, Region> regions;
    std::map<QString, snapshot::TargetRow> targets; // by job/instance
    std::map<QString, std::pair<QString, QString>> info; // node_info's node and provider
    // Counter families: per purpose, per label set, the three answers (see the header).
    struct Group
    {
        QMap<QString, QString> labels;
        snapshot::Series raw, inc, resets;
    };
    std::map<QString, std::map<QString, Group>> groups;
    std::map<QString, snapshot::Series> upCount; // targets up per region, per step

    Region &region(const PromSeries &s)
    {
        return regions[s.labels.value(QStringLiteral("region"))];
    }
};

PrometheusMonitor::PrometheusMonitor(SourceOptions options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_client(m_options.client, this)
{
    qRegisterMetaType<std::shared_ptr<const snapshot::FleetSnapshot>>();
    if (m_options.fleet)
        m_settings = snapshot::settingsFor(*m_options.fleet);
    else
        m_settings.pricingProfile = QLatin1String(snapshot::kDefaultPricingProfile);
    m_timer.setInterval(15000);
    connect(&m_timer, &QTimer::timeout, this, &PrometheusMonitor::refreshNow);
}

PrometheusMonitor::~PrometheusMonitor() = default;

void PrometheusMonitor::setSettings(const snapshot::Settings &settings)
{
    m_settings = settings;
}

void PrometheusMonitor::start()
{
    refreshNow();
    if (m_timer.interval() > 0)
        m_timer.start();
}

void PrometheusMonitor::stop()
{
    m_timer.stop();
    m_client.abortAll();
    m_refresh.reset();
}

void PrometheusMonitor::setPublishInterval(int milliseconds)
{
    if (milliseconds <= 0) {
        m_timer.stop();
        return;
    }
    m_timer.setInterval(milliseconds);
    if (m_timer.isActive() || m_refresh)
        m_timer.start();
}

void PrometheusMonitor::refreshNow()
{
    if (m_refresh)
        return; // the one in flight answers first; a slow server is not asked twice
    refreshAt(nowSeconds());
}

double PrometheusMonitor::stepFor(double windowSeconds) const
{
    const double points = std::max(2, m_options.maxPointsPerSeries);
    const double step = std::ceil(windowSeconds / (points - 1));
    return std::max(m_options.minStepSeconds, step);
}

QString PrometheusMonitor::sel(const QString &name, const QString &extra) const
{
    QString matchers = QStringLiteral("region!=\"\"");
    if (!m_options.selector.trimmed().isEmpty()) {
        QString s = m_options.selector.trimmed();
        if (s.endsWith(QLatin1Char(',')))
            s.chop(1);
        matchers += QLatin1Char(',') + s;
    }
    if (!extra.isEmpty())
        matchers += QLatin1Char(',') + extra;
    return name + QLatin1Char('{') + matchers + QLatin1Char('}');
}

std::vector<PlannedQuery> PrometheusMonitor::plan(double stepSeconds) const
{
    std::vector<PlannedQuery> out;
    const fleet::MetricNames &names =
        m_options.fleet ? m_options.fleet->metrics : fleet::MetricNames {};
    auto add = [&](PlannedQuery::Kind kind, QString purpose, QString promql) {
        out.push_back({ kind, std::move(purpose), std::move(promql) });
    };
    using K = PlannedQuery::Kind;
    const QString step = promDuration(stepSeconds);
    const QString twoSteps = promDuration(2 * stepSeconds);
    // A counter family: its per-group sums (the increase between two steps is their difference),
    // PromQL's increase() per step and the resets seen around each step (see the header).
    const auto family = [&](const QString &purpose, const QString &by, const QString &series) {
        add(K::Range, purpose + QStringLiteral(" #raw"),
            QStringLiteral("sum by (region%1) (%2)").arg(by, series));
        add(K::Range, purpose + QStringLiteral(" #inc"),
            QStringLiteral("sum by (region%1) (increase(%2[%3]))").arg(by, series, step));
        add(K::Range, purpose + QStringLiteral(" #resets"),
            QStringLiteral("sum by (region%1) (resets(%2[%3]))").arg(by, series, twoSteps));
    };
    for (const auto &info : fleet::metricRoles()) {
        const QString name = names.name(info.role);
        const QString key = QLatin1String(info.key);
        if (info.kind == MetricKind::Histogram) {
            QString by;
            if (info.role == MetricRole::RequestPhaseDuration)
                by = QStringLiteral(", phase");
            else if (info.role == MetricRole::DbQueryDuration)
                by = QStringLiteral(", op");
            family(QStringLiteral("histogram %1 buckets").arg(key), QStringLiteral(", le") + by,
                   sel(name + QStringLiteral("_bucket")));
            family(QStringLiteral("histogram %1 sum").arg(key), by,
                   sel(name + QStringLiteral("_sum")));
            if (info.role == MetricRole::RequestDuration)
                by = QStringLiteral(", status");
            family(QStringLiteral("histogram %1 count").arg(key), by,
                   sel(name + QStringLiteral("_count")));
        } else if (info.kind == MetricKind::Counter) {
            QString by;
            if (info.role == MetricRole::CacheRequests)
                by = QStringLiteral(", result");
            else if (info.role == MetricRole::KvOperations)
                by = QStringLiteral(", op");
            else if (info.role == MetricRole::DbQueries)
                by = QStringLiteral(", op, target");
            family(QStringLiteral("counter %1 -").arg(key), by, sel(name));
        }
    }
    // GB-seconds: each node's wall time times its own memory limit, as the direct path
    // multiplies per node.
    {
        const QString wall = sel(names.name(MetricRole::InvocationDuration));
        const QString memory = QStringLiteral("max by (job, instance) (%1)")
                                   .arg(sel(names.name(MetricRole::MemoryLimit)));
        const QString gb = QString::number(analytics::bytesPerBillingGb, 'f', 0);
        const QString purpose = QStringLiteral("counter gb_seconds -");
        add(K::Range, purpose + QStringLiteral(" #raw"),
            QStringLiteral("sum by (region) (%1 * on (job, instance) group_left () %2) / %3")
                .arg(wall, memory, gb));
        add(K::Range, purpose + QStringLiteral(" #inc"),
            QStringLiteral("sum by (region) (increase(%1[%2]) * on (job, instance) group_left () "
                           "%3) / %4")
                .arg(wall, step, memory, gb));
        add(K::Range, purpose + QStringLiteral(" #resets"),
            QStringLiteral("sum by (region) (resets(%1[%2]))").arg(wall, twoSteps));
    }
    // Targets up per region at each step: a change means nodes came or went.
    add(K::Range, QStringLiteral("churn up - #churn"),
        QStringLiteral("count by (region) (%1 == 1)").arg(sel(QStringLiteral("up"))));
    const auto gauge = [&](MetricRole role, const QString &key, const QString &expr) {
        add(K::Range, QStringLiteral("gauge %1").arg(key), expr.arg(sel(names.name(role))));
    };
    gauge(MetricRole::ReplicaLag, QStringLiteral("replica_lag"),
          QStringLiteral("max by (region) (%1)"));
    gauge(MetricRole::WriteQueueDepth, QStringLiteral("queue_depth"),
          QStringLiteral("sum by (region) (%1)"));
    gauge(MetricRole::WriteQueueOldestAge, QStringLiteral("queue_age"),
          QStringLiteral("max by (region) (%1)"));
    gauge(MetricRole::SyncLastSuccessTimestamp, QStringLiteral("last_sync"),
          QStringLiteral("min by (region) (max by (region, job, instance) (%1))"));
    gauge(MetricRole::MemoryLimit, QStringLiteral("memory_limit_bytes"),
          QStringLiteral("avg by (region) (max by (region, job, instance) (%1))"));
    gauge(MetricRole::Instances, QStringLiteral("instances"),
          QStringLiteral("sum by (region, state) (%1)"));
    gauge(MetricRole::DbConnections, QStringLiteral("db_connections"),
          QStringLiteral("sum by (region, state) (%1)"));
    add(K::Instant, QStringLiteral("primary"),
        QStringLiteral("count by (region, primary) (%1)")
            .arg(sel(names.name(MetricRole::ReplicaLag))));
    add(K::Instant, QStringLiteral("health up"), sel(QStringLiteral("up")));
    add(K::Instant, QStringLiteral("health scrape_duration_seconds"),
        sel(QStringLiteral("scrape_duration_seconds")));
    add(K::Instant, QStringLiteral("health scrape_samples_scraped"),
        sel(QStringLiteral("scrape_samples_scraped")));
    add(K::Instant, QStringLiteral("health timestamp"),
        QStringLiteral("timestamp(%1)").arg(sel(QStringLiteral("up"))));
    add(K::Instant, QStringLiteral("health node_info"), sel(names.name(MetricRole::NodeInfo)));
    return out;
}

void PrometheusMonitor::absorb(Refresh &refresh, const QString &purpose, const PromSeries &s)
{
    const QStringList words = purpose.split(QLatin1Char(' '));
    const QString kind = words.value(0);
    const QString key = words.value(1);
    const QString part = words.value(2);
    Refresh *rf = &refresh;
    {
        if (kind == QLatin1String("histogram")) {
            QString hist = key;
            if (const QString phase = s.labels.value(QStringLiteral("phase"));
                key == QLatin1String("request_phase_duration"))
                hist += QLatin1Char(':') + (phase.isEmpty() ? QStringLiteral("unknown") : phase);
            else if (key == QLatin1String("db_query_duration"))
                hist +=
                    QLatin1Char(':') + labelOr(s, QStringLiteral("op"), QStringLiteral("unknown"));
            Refresh::Region &reg = rf->region(s);
            if (part == QLatin1String("buckets")) {
                double bound = 0;
                if (!parseBound(s.labels.value(QStringLiteral("le")), bound))
                    return;
                Increments &inc = reg.histograms[hist].buckets[bound];
                for (const snapshot::Point &p : s.points)
                    inc[p.t] += p.v;
            } else if (part == QLatin1String("sum")) {
                Increments &inc = reg.histograms[hist].sum;
                for (const snapshot::Point &p : s.points)
                    inc[p.t] += p.v;
            } else {
                Increments &count = reg.counters[QStringLiteral("histcount:") + hist];
                for (const snapshot::Point &p : s.points)
                    count[p.t] += p.v;
                if (key == QLatin1String("request_duration")) {
                    Increments &cls =
                        reg.counters[QStringLiteral("requests:")
                                     + statusClass(s.labels.value(QStringLiteral("status")))];
                    for (const snapshot::Point &p : s.points)
                        cls[p.t] += p.v;
                }
            }
        } else if (kind == QLatin1String("counter")) {
            QString k = key;
            if (key == QLatin1String("cache_requests"))
                k = QStringLiteral("cache:")
                    + labelOr(s, QStringLiteral("result"), QStringLiteral("unknown"));
            else if (key == QLatin1String("kv_operations"))
                k = QStringLiteral("kv_ops:")
                    + labelOr(s, QStringLiteral("op"), QStringLiteral("unknown"));
            else if (key == QLatin1String("db_queries"))
                k = QStringLiteral("db_queries:")
                    + labelOr(s, QStringLiteral("op"), QStringLiteral("unknown")) + QLatin1Char(':')
                    + labelOr(s, QStringLiteral("target"), QStringLiteral("unknown"));
            Increments &inc = rf->region(s).counters[k];
            for (const snapshot::Point &p : s.points)
                inc[p.t] += p.v;
        } else if (kind == QLatin1String("gauge")) {
            QString k = key;
            if (key == QLatin1String("instances") || key == QLatin1String("db_connections"))
                k += QLatin1Char(':')
                    + labelOr(s, QStringLiteral("state"), QStringLiteral("unknown"));
            rf->region(s).gauges[k] = s.points;
        } else if (kind == QLatin1String("primary")) {
            const QString p = s.labels.value(QStringLiteral("primary"));
            if (!p.isEmpty() && !s.points.empty())
                rf->region(s).primaryVotes[p] += int(s.points.front().v);
        } else if (kind == QLatin1String("health")) {
            const QString id = s.labels.value(QStringLiteral("instance"));
            const QString job = s.labels.value(QStringLiteral("job"));
            const QString rowKey = job + QLatin1Char('/') + id;
            if (s.points.empty())
                return;
            const double v = s.points.front().v;
            if (key == QLatin1String("node_info")) {
                rf->info[rowKey] = { s.labels.value(QStringLiteral("node")),
                                     s.labels.value(QStringLiteral("provider")) };
                return;
            }
            snapshot::TargetRow &t = rf->targets[rowKey];
            t.id = id;
            t.url = id;
            t.region = s.labels.value(QStringLiteral("region"));
            if (t.node.isEmpty())
                t.node = s.labels.value(QStringLiteral("node"));
            if (t.provider.isEmpty())
                t.provider = s.labels.value(QStringLiteral("provider"));
            if (key == QLatin1String("up")) {
                t.health = v == 1 ? snapshot::Health::Up : snapshot::Health::Down;
                if (v != 1)
                    t.cause = QStringLiteral("Prometheus reports up == 0 for job %1").arg(job);
            } else if (key == QLatin1String("scrape_duration_seconds")) {
                t.lastScrapeDurationMs = v * 1000.0;
            } else if (key == QLatin1String("scrape_samples_scraped")) {
                t.samples = v;
            } else if (key == QLatin1String("timestamp")) {
                t.lastScrapeTime = v;
            }
        }
    }
}

void PrometheusMonitor::refreshAt(double end, double stepSeconds)
{
    m_client.abortAll();
    const double window = std::max(1.0, m_settings.windowSeconds);
    // In whole milliseconds, as the server takes it (promDuration), so its grid is this one.
    const double step =
        std::max(1.0, std::round((stepSeconds > 0 ? stepSeconds : stepFor(window)) * 1000.0))
        / 1000.0;
    auto r = std::make_unique<Refresh>();
    r->generation = ++m_generation;
    r->end = end;
    // A whole number of steps, so the grid ends exactly at `end` and starts at or before
    // end - window.
    r->start = end - std::ceil(window / step - 1e-9) * step;
    r->step = step;
    r->timer.start();
    m_refresh = std::move(r);
    Refresh *refresh = m_refresh.get();
    const quint64 generation = refresh->generation;

    const std::vector<PlannedQuery> queries = plan(step);
    refresh->pending = int(queries.size());
    for (const PlannedQuery &q : queries) {
        const QString purpose = q.purpose;
        auto done = [this, generation, purpose](const PromResult &result) {
            Refresh *rf = m_refresh.get();
            if (!rf || rf->generation != generation)
                return;
            if (!result.ok) {
                if (rf->error.isEmpty())
                    rf->error = result.error;
            } else {
                if (const qsizetype hash = purpose.indexOf(QLatin1String(" #")); hash >= 0) {
                    const QString base = purpose.left(hash);
                    const QString variant = purpose.mid(hash + 2);
                    for (const PromSeries &s : result.series) {
                        if (variant == QLatin1String("churn")) {
                            rf->upCount[s.labels.value(QStringLiteral("region"))] = s.points;
                            continue;
                        }
                        QString groupKey;
                        for (auto it = s.labels.begin(); it != s.labels.end(); ++it)
                            groupKey += it.key() + QLatin1Char('=') + it.value() + QChar(0x1f);
                        Refresh::Group &g = rf->groups[base][groupKey];
                        g.labels = s.labels;
                        (variant == QLatin1String("raw")
                             ? g.raw
                             : (variant == QLatin1String("inc") ? g.inc : g.resets)) = s.points;
                    }
                } else {
                    for (const PromSeries &s : result.series)
                        absorb(*rf, purpose, s);
                }
            }
            if (--rf->pending == 0)
                finish(*rf);
        };
        if (q.kind == PlannedQuery::Kind::Range)
            m_client.queryRange(q.promql, refresh->start, refresh->end, step, done);
        else
            m_client.query(q.promql, refresh->end, done);
        if (!m_refresh || m_refresh->generation != generation)
            return; // a callback ran synchronously (an unreadable token file) and finished
    }
}

void PrometheusMonitor::finish(Refresh &refresh)
{
    std::unique_ptr<Refresh> owned = std::move(m_refresh);
    m_lastRefreshSeconds = double(refresh.timer.nsecsElapsed()) / 1e9;
    if (!refresh.error.isEmpty()) {
        Q_EMIT refreshFailed(refresh.error);
        return;
    }
    auto s = std::make_shared<snapshot::FleetSnapshot>();
    s->sourceKind = QStringLiteral("prometheus");
    s->source = m_client.displayUrl();
    s->fleetName = m_options.fleet && !m_options.fleet->name.isEmpty()
        ? m_options.fleet->name
        : QStringLiteral("Prometheus %1").arg(m_options.client.baseUrl.host());
    s->time = refresh.end;
    s->windowStart = refresh.start;
    s->settings = m_settings;

    // Counter families: each group's increase per step (see the header).
    const double tolerance = refresh.step * 0.25;
    auto at = [tolerance](const snapshot::Series &series, double t) -> const snapshot::Point * {
        const auto it =
            std::lower_bound(series.begin(), series.end(), t - tolerance,
                             [](const snapshot::Point &p, double x) { return p.t < x; });
        return it != series.end() && std::abs(it->t - t) <= tolerance ? &*it : nullptr;
    };
    for (const auto &[purpose, groups] : refresh.groups) {
        for (const auto &[groupKey, g] : groups) {
            const QString region = g.labels.value(QStringLiteral("region"));
            const auto up = refresh.upCount.find(region);
            PromSeries increments;
            increments.labels = g.labels;
            for (const snapshot::Point &p : g.raw) {
                const double before = p.t - refresh.step;
                if (before < refresh.start - tolerance) {
                    increments.points.push_back({ p.t, 0.0 }); // the window's first point
                    continue;
                }
                const snapshot::Point *upNow =
                    up == refresh.upCount.end() ? nullptr : at(up->second, p.t);
                const snapshot::Point *upBefore =
                    up == refresh.upCount.end() ? nullptr : at(up->second, before);
                const bool sameTargets = upNow && upBefore && upNow->v == upBefore->v;
                const snapshot::Point *resets = at(g.resets, p.t);
                const snapshot::Point *previous = at(g.raw, before);
                double v = kNaN;
                if (sameTargets && !(resets && resets->v > 0)) {
                    // Same nodes, no reset: the sums' difference; a group new since the last
                    // step is series new on those nodes, counted whole.
                    v = previous ? p.v - previous->v : p.v;
                }
                if (!(v >= 0)) {
                    const snapshot::Point *estimate = at(g.inc, p.t);
                    v = estimate ? estimate->v : 0.0;
                }
                increments.points.push_back({ p.t, v });
            }
            absorb(refresh, purpose, increments);
        }
    }

    // Where regions are: the fleet file's targets, else the region catalogue.
    std::map<QString, snapshot::RegionData> places;
    if (m_options.fleet) {
        for (const fleet::Target &t : m_options.fleet->targets) {
            const QString code = t.regionCode();
            if (code.isEmpty() || !t.isPlaced() || places.count(code))
                continue;
            snapshot::RegionData d;
            if (t.region) {
                d.name = t.region->name;
                d.city = t.region->city;
                d.country = t.region->country;
                d.provider = t.region->provider;
            }
            d.lat = t.lat;
            d.lon = t.lon;
            d.placed = true;
            places[code] = d;
        }
    }
    std::set<QString> codes;
    for (const auto &[code, r] : refresh.regions)
        codes.insert(code);
    for (const auto &[id, t] : refresh.targets)
        codes.insert(t.region);
    codes.erase(QString());

    std::map<QString, int> primaryVotes;
    for (const QString &code : codes) {
        snapshot::RegionData d;
        if (const auto p = places.find(code); p != places.end()) {
            d = p->second;
        } else if (const auto region = fleet::RegionCatalogue::embedded().find(code)) {
            d.name = region->name;
            d.city = region->city;
            d.country = region->country;
            d.provider = region->provider;
            d.lat = region->lat;
            d.lon = region->lon;
            d.placed = true;
        }
        d.code = code;
        if (const auto it = refresh.regions.find(code); it != refresh.regions.end()) {
            const Refresh::Region &r = it->second;
            for (const auto &[key, inc] : r.counters)
                d.counters.emplace(key, cumulative(inc));
            for (const auto &[key, h] : r.histograms) {
                if (h.buckets.empty())
                    continue;
                snapshot::HistogramWindow w;
                std::set<double> times;
                for (const auto &[bound, inc] : h.buckets) {
                    w.bounds.push_back(bound);
                    for (const auto &[t, v] : inc)
                        times.insert(t);
                }
                if (!std::isinf(w.bounds.back()))
                    continue; // without +Inf there is no total: not a histogram
                w.times.assign(times.begin(), times.end());
                w.counts.assign(w.times.size(), std::vector<double>(w.bounds.size(), 0.0));
                std::size_t b = 0;
                for (const auto &[bound, inc] : h.buckets) {
                    double total = 0;
                    auto next = inc.begin();
                    for (std::size_t i = 0; i < w.times.size(); ++i) {
                        if (next != inc.end() && next->first == w.times[i]) {
                            if (std::isfinite(next->second))
                                total += next->second;
                            ++next;
                        }
                        w.counts[i][b] = total;
                    }
                    ++b;
                }
                w.sum = cumulative(h.sum);
                d.histograms.emplace(key, std::move(w));
            }
            d.gauges = r.gauges;
            int best = 0;
            for (const auto &[p, votes] : r.primaryVotes) {
                if (votes > best) {
                    best = votes;
                    d.primary = p;
                }
            }
            if (!d.primary.isEmpty())
                primaryVotes[d.primary] += best;
        }
        s->regions.push_back(std::move(d));
    }
    int best = 0;
    for (const auto &[p, votes] : primaryVotes) {
        if (votes > best) {
            best = votes;
            s->primaryRegion = p;
        }
    }
    int up = 0;
    for (auto &[key, t] : refresh.targets) {
        if (t.health == snapshot::Health::Unknown)
            continue; // answered scrape_* but not up: not a target Prometheus scrapes now
        for (snapshot::RegionData &d : s->regions) {
            if (d.code != t.region)
                continue;
            if (t.health == snapshot::Health::Up)
                ++d.nodesUp;
            else
                ++d.nodesDown;
        }
        if (const auto i = refresh.info.find(key); i != refresh.info.end()) {
            if (t.node.isEmpty())
                t.node = i->second.first;
            if (t.provider.isEmpty())
                t.provider = i->second.second;
        }
        up += t.health == snapshot::Health::Up ? 1 : 0;
        t.format = QStringLiteral("prometheus");
        s->targets.push_back(t);
    }
    std::sort(
        s->targets.begin(), s->targets.end(),
        [](const snapshot::TargetRow &a, const snapshot::TargetRow &b) { return a.id < b.id; });
    snapshot::analyse(*s);
    Q_EMIT progress(up, int(s->targets.size()), int(s->targets.size()) - up);
    Q_EMIT snapshotReady(std::move(s));
}

} // namespace fleetscope::promql
