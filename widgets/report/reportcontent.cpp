#include "report/reportcontent.h"

#include "common/figureformat.h"
#include "panels/kpitiles.h"
#include "panels/panelstyle.h"

#include <QDateTime>
#include <QTextDocumentFragment>
#include <QTimeZone>

#include <algorithm>
#include <cmath>
#include <memory>

namespace fleetscope::widgets {

using namespace fleetscope::snapshot;

namespace {

QString utc(double seconds, const QString &format)
{
    return QDateTime::fromMSecsSinceEpoch(qint64(std::llround(seconds * 1000)), QTimeZone::utc())
        .toString(format);
}

// The start of the window the figures cover.
double windowFrom(const FleetSnapshot &s)
{
    return std::max(s.windowStart, s.time - s.settings.windowSeconds);
}

QString quantileName(double q)
{
    return QStringLiteral("p%1").arg(QString::number(q * 100, 'g', 4));
}

// The region's name and place in one cell: "Frankfurt, Germany", or its city and country.
QString location(const RegionData &r)
{
    QStringList parts;
    if (!r.name.isEmpty() && r.name != r.code)
        parts << r.name;
    if (!r.city.isEmpty() && !r.name.contains(r.city))
        parts << r.city;
    if (!r.country.isEmpty() && parts.isEmpty())
        parts << r.country;
    if (parts.isEmpty())
        return r.placed ? QString() : QStringLiteral("not placed");
    return parts.join(QStringLiteral(", "));
}

QString count(double v)
{
    return std::isfinite(v) ? QString::number(v, 'f', 0) : noData();
}

QString sourceText(const FleetSnapshot &s)
{
    QString kind = s.sourceKind;
    if (kind == QLatin1String("demo"))
        kind = QStringLiteral("the embedded demo fleet (fleetsim)");
    else if (kind == QLatin1String("fleet"))
        kind = QStringLiteral("direct scraping of a fleet file");
    else if (kind == QLatin1String("prometheus"))
        kind = QStringLiteral("a Prometheus-compatible API");
    else if (kind == QLatin1String("snapshot"))
        kind = QStringLiteral("a saved snapshot");
    return s.source.isEmpty() ? kind : QStringLiteral("%1: %2").arg(kind, s.source);
}

} // namespace

QString reportTitle(const FleetSnapshot &s)
{
    return s.fleetName.isEmpty() ? QStringLiteral("FleetScope report")
                                 : QStringLiteral("FleetScope report: %1").arg(s.fleetName);
}

double reportDataFrom(const FleetSnapshot &s)
{
    const double from = windowFrom(s);
    double first = s.time;
    auto consider = [&](double t) {
        if (std::isfinite(t) && t >= from && t < first)
            first = t;
    };
    for (const RegionData &r : s.regions) {
        for (const auto &[name, h] : r.histograms) {
            const auto it = std::lower_bound(h.times.begin(), h.times.end(), from);
            if (it != h.times.end())
                consider(*it);
        }
        for (const auto *series : { &r.counters, &r.gauges }) {
            for (const auto &[name, points] : *series) {
                const auto it = std::lower_bound(points.begin(), points.end(), from,
                                                 [](const Point &p, double t) { return p.t < t; });
                if (it != points.end())
                    consider(it->t);
            }
        }
    }
    return first < s.time ? first : from;
}

QString reportWindowText(const FleetSnapshot &s)
{
    const double window = windowFrom(s);
    const double from = reportDataFrom(s);
    const QString fromText = utc(from, QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    const bool sameDay =
        utc(from, QStringLiteral("yyyy-MM-dd")) == utc(s.time, QStringLiteral("yyyy-MM-dd"));
    const QString toText =
        utc(s.time, sameDay ? QStringLiteral("HH:mm:ss") : QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    const QString span = from > window + 1
        ? QStringLiteral("%1 of data; window %2")
              .arg(formatSeconds(s.time - from), formatSeconds(s.time - window))
        : formatSeconds(std::max(0.0, s.time - from));
    return QStringLiteral("%1 \u2013 %2 UTC (%3)").arg(fromText, toText, span);
}

FleetSnapshot reportViewSnapshot(const FleetSnapshot &s)
{
    FleetSnapshot view = s;
    const double from = reportDataFrom(s);
    const double span = s.time - from;
    // A little wider than the data so the first point stays inside.
    if (span > 0 && span + 2 < s.settings.windowSeconds)
        view.settings.windowSeconds = std::ceil(span * 1.02 + 1);
    return view;
}

QList<ReportFact> reportCover(const FleetSnapshot &s)
{
    QList<ReportFact> facts;
    facts.append({ QStringLiteral("Fleet"),
                   s.fleetName.isEmpty() ? QStringLiteral("(unnamed)") : s.fleetName });
    facts.append({ QStringLiteral("Time window"), reportWindowText(s) });
    facts.append({ QStringLiteral("Source"), sourceText(s) });
    QString pricing;
    if (s.pricing.name.isEmpty() && s.pricing.id.isEmpty()) {
        pricing = QStringLiteral("none (costs are not priced)");
    } else {
        pricing = s.pricing.name.isEmpty() ? s.pricing.id : s.pricing.name;
        if (!s.pricing.vendor.isEmpty() && !pricing.contains(s.pricing.vendor))
            pricing += QStringLiteral(", ") + s.pricing.vendor;
        pricing += s.pricing.asOf.isEmpty()
            ? QStringLiteral("; prices of unknown date")
            : QStringLiteral("; prices as of %1").arg(s.pricing.asOf);
    }
    facts.append({ QStringLiteral("Pricing profile"), pricing });
    if (!s.pricing.sourceUrl.isEmpty())
        facts.append({ QStringLiteral("Prices from"), s.pricing.sourceUrl });
    QString vantage = s.settings.vantage;
    if (reportHasVantage(s)) {
        const QString at = QStringLiteral("%1\u00b0, %2\u00b0")
                               .arg(s.settings.vantageLat, 0, 'f', 2)
                               .arg(s.settings.vantageLon, 0, 'f', 2);
        vantage = vantage.isEmpty() ? at : QStringLiteral("%1 (%2)").arg(vantage, at);
    }
    facts.append({ QStringLiteral("Users at"),
                   vantage.isEmpty()
                       ? QStringLiteral("not set, so no speed-of-light floor (report --vantage)")
                       : vantage });
    facts.append({ QStringLiteral("Quantile"), quantileName(s.settings.quantile) });
    int up = 0, idle = 0, down = 0, stale = 0;
    for (const RegionData &r : s.regions) {
        up += r.nodesUp;
        idle += r.nodesIdle;
        down += r.nodesDown;
        stale += r.nodesStale;
    }
    facts.append({ QStringLiteral("Size"),
                   QStringLiteral("%1 regions, %2 targets (%3 up, %4 idle, %5 down, %6 stale)")
                       .arg(s.regions.size())
                       .arg(s.targets.size())
                       .arg(up)
                       .arg(idle)
                       .arg(down)
                       .arg(stale) });
    facts.append(
        { QStringLiteral("Generated"),
          QStringLiteral("by FleetScope %1 at %2 UTC")
              .arg(QStringLiteral(FLEETSCOPE_VERSION),
                   QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyy-MM-dd HH:mm"))) });
    return facts;
}

QList<ReportHeadline> reportHeadlines(const FleetSnapshot &s)
{
    // The dashboard's own tiles compute the headline, so report and screen agree.
    KpiTiles tiles;
    tiles.setSnapshot(std::make_shared<const FleetSnapshot>(s));
    const QStringList titles = { QStringLiteral("p95 latency"), QStringLiteral("Cache hit ratio"),
                                 QStringLiteral("Worst replica lag"),
                                 QStringLiteral("Cost per million"),
                                 QStringLiteral("Nodes up / idle / down") };
    QList<ReportHeadline> out;
    for (int i = 0; i < KpiTiles::kTileCount; ++i) {
        const auto tile = KpiTiles::Tile(i);
        out.append(
            { titles[i], tiles.valueText(tile), tiles.statusText(tile), tiles.captionText(tile) });
    }
    return out;
}

std::vector<ReportTable> reportTables(const FleetSnapshot &s)
{
    std::vector<ReportTable> tables;
    const QString q = quantileName(s.settings.quantile);

    ReportTable latency;
    latency.id = QStringLiteral("latency");
    latency.title = QStringLiteral("Latency against the speed-of-light floor");
    latency.note = QStringLiteral("Request latency quantiles per region beside the round trip "
                                  "light needs in fibre from the users' location (footnote 1, 2).");
    latency.headers = { QStringLiteral("Region"),  QStringLiteral("Location"),
                        QStringLiteral("p50"),     QStringLiteral("p90"),
                        QStringLiteral("p95"),     QStringLiteral("p99"),
                        QStringLiteral("Floor"),   q + QStringLiteral(" \u2212 floor"),
                        QStringLiteral("Distance") };
    latency.numeric = { false, false, true, true, true, true, true, true, true };
    for (const RegionData &r : s.regions) {
        const RegionFigures &f = r.figures;
        const double gap = f.latencyQuantileMs - f.lightFloorRttMs;
        latency.rows.append({ r.code, location(r), formatMs(f.latencyP50Ms),
                              formatMs(f.latencyP90Ms), formatMs(f.latencyP95Ms),
                              formatMs(f.latencyP99Ms), formatMs(f.lightFloorRttMs), formatMs(gap),
                              std::isfinite(f.distanceKm)
                                  ? QStringLiteral("%1 km").arg(f.distanceKm, 0, 'f', 0)
                                  : noData() });
    }
    tables.push_back(std::move(latency));

    ReportTable cache;
    cache.id = QStringLiteral("cache");
    cache.title = QStringLiteral("Edge cache, KV and database");
    cache.note = QStringLiteral("Shares of cache lookups over the window; KV and database "
                                "latency quantiles (footnote 3).");
    cache.headers = { QStringLiteral("Region"),      QStringLiteral("Hit"),
                      QStringLiteral("Miss"),        QStringLiteral("Stale"),
                      QStringLiteral("KV p99"),      QStringLiteral("DB read p95"),
                      QStringLiteral("DB write p95") };
    cache.numeric = { false, true, true, true, true, true, true };
    for (const RegionData &r : s.regions) {
        const RegionFigures &f = r.figures;
        cache.rows.append({ r.code, formatPercent(f.hitRatio), formatPercent(f.missRatio),
                            formatPercent(f.staleRatio), formatMs(f.kvP99Ms), formatMs(f.readP95Ms),
                            formatMs(f.writeP95Ms) });
    }
    tables.push_back(std::move(cache));

    ReportTable sync;
    sync.id = QStringLiteral("sync");
    sync.title = QStringLiteral("Replication and sync");
    sync.note = QStringLiteral("Latest values at the end of the window; failures over the "
                               "window (footnote 4).");
    sync.headers = { QStringLiteral("Region"),        QStringLiteral("Primary"),
                     QStringLiteral("Replica lag"),   QStringLiteral("Queued writes"),
                     QStringLiteral("Oldest queued"), QStringLiteral("Since last sync"),
                     QStringLiteral("Sync failures") };
    sync.numeric = { false, false, true, true, true, true, true };
    for (const RegionData &r : s.regions) {
        const RegionFigures &f = r.figures;
        sync.rows.append({ r.code, r.primary.isEmpty() ? QStringLiteral("\u2014") : r.primary,
                           formatSeconds(f.replicaLagS), count(f.queueDepth),
                           formatSeconds(f.queueOldestAgeS), formatSeconds(f.sinceLastSyncS),
                           count(f.syncFailures) });
    }
    tables.push_back(std::move(sync));

    ReportTable cost;
    cost.id = QStringLiteral("cost");
    cost.title = QStringLiteral("Cost");
    cost.note = s.pricing.name.isEmpty()
        ? QStringLiteral("No pricing profile: costs are not priced.")
        : QStringLiteral("Priced with %1 (footnote 5).").arg(s.pricing.name);
    cost.headers = { QStringLiteral("Region"),
                     QStringLiteral("Invocations"),
                     QStringLiteral("Per invocation"),
                     QStringLiteral("Per million"),
                     QStringLiteral("Serverless / month"),
                     QStringLiteral("Always-on / month"),
                     QStringLiteral("Scaled to zero") };
    // The yes/no flag right-aligned too: left-aligned it ran into the amount before it.
    cost.numeric = { false, true, true, true, true, true, true };
    for (const RegionData &r : s.regions) {
        const RegionFigures &f = r.figures;
        cost.rows.append({ r.code, formatRate(f.invocationRate), formatUsd(f.costPerInvocationUsd),
                           formatUsd(f.costPerMillionUsd), formatUsd(f.costPerMonthUsd),
                           formatUsd(f.alwaysOnPerMonthUsd),
                           f.scaledToZero ? QStringLiteral("yes") : QStringLiteral("no") });
    }
    tables.push_back(std::move(cost));

    ReportTable health;
    health.id = QStringLiteral("health");
    health.title = QStringLiteral("Health");
    health.note = QStringLiteral("Targets by health at the end of the window; requests, errors "
                                 "and cold starts over the window (footnote 6).");
    health.headers = { QStringLiteral("Region"),    QStringLiteral("Up"),
                       QStringLiteral("Idle"),      QStringLiteral("Down"),
                       QStringLiteral("Stale"),     QStringLiteral("Requests"),
                       QStringLiteral("5xx share"), QStringLiteral("Cold starts"),
                       QStringLiteral("DB conns") };
    health.numeric = { false, true, true, true, true, true, true, true, true };
    for (const RegionData &r : s.regions) {
        const RegionFigures &f = r.figures;
        QString conns = noData();
        if (std::isfinite(f.dbConnectionsActive))
            conns = std::isfinite(f.dbConnectionsWaiting)
                ? QStringLiteral("%1 (+%2 waiting)")
                      .arg(count(f.dbConnectionsActive), count(f.dbConnectionsWaiting))
                : count(f.dbConnectionsActive);
        health.rows.append({ r.code, QString::number(r.nodesUp), QString::number(r.nodesIdle),
                             QString::number(r.nodesDown), QString::number(r.nodesStale),
                             formatRate(f.requestRate), formatPercent(f.errorRatio, 2),
                             count(f.coldStarts), conns });
    }
    tables.push_back(std::move(health));

    ReportTable problems;
    problems.id = QStringLiteral("targets");
    problems.title = QStringLiteral("Targets not up");
    problems.headers = { QStringLiteral("Target"), QStringLiteral("Region"),
                         QStringLiteral("Health"), QStringLiteral("Last scrape"),
                         QStringLiteral("Cause") };
    problems.numeric = { false, false, false, false, false };
    for (const TargetRow &t : s.targets) {
        if (t.health == Health::Up || t.health == Health::Idle)
            continue;
        problems.rows.append(
            { t.id, t.region, panelstyle::healthWord(t.health),
              std::isfinite(t.lastScrapeTime)
                  ? utc(t.lastScrapeTime, QStringLiteral("HH:mm:ss")) + QStringLiteral(" UTC")
                  : QStringLiteral("never"),
              t.cause.isEmpty() ? QStringLiteral("\u2014") : t.cause });
    }
    problems.note = problems.rows.isEmpty()
        ? QStringLiteral("Every target was up or idle (scaled to zero) at the end of the window.")
        : QStringLiteral("Down and stale targets at the end of the window, with the reason.");
    tables.push_back(std::move(problems));
    return tables;
}

QStringList reportFootnotes(const FleetSnapshot &s)
{
    const QString q = quantileName(s.settings.quantile);
    QStringList notes;
    notes << QStringLiteral(
                 "Latency quantiles (p50, p90, p95, p99 and %1) are estimated from the "
                 "edge_request_duration_seconds histograms of the region's nodes, summed per "
                 "bucket, over the window %2, the way PromQL's histogram_quantile() does "
                 "(linear interpolation inside the bucket that holds the quantile).")
                 .arg(q, reportWindowText(s));
    notes << QStringLiteral(
        "The speed-of-light floor is the round trip over the great-circle distance from the "
        "users' location to the region at about 200 km per ms (light in optical fibre). It is "
        "a lower bound no stack can beat; the difference to the measured quantile is the share "
        "of latency spent in the network path and the stack.");
    notes << QStringLiteral(
        "Cache shares are increases of the hit, miss and stale counters over the window divided "
        "by their sum. KV and database figures are quantiles of their histograms, computed like "
        "request latency.");
    notes << QStringLiteral(
        "Replica lag is the largest lag of any node of the region at the end of the window; "
        "queued writes are summed over its nodes; the oldest queued write and the time since the "
        "last successful sync are the worst node's. Sync failures are the increase of the "
        "failure counter over the window.");
    notes << QStringLiteral(
                 "Costs multiply usage increases over the window (invocations, CPU time, GB-s, "
                 "KV operations, database rows, egress) by the prices of the profile \"%1\"%2, "
                 "projected to 30 days with the profile's free amounts applied. Always-on is the "
                 "monthly price of the provisioned alternative for the same regions. A region "
                 "without invocations in the window has no cost per invocation.")
                 .arg(s.pricing.name.isEmpty() ? s.pricing.id : s.pricing.name,
                      s.pricing.asOf.isEmpty() ? QString()
                                               : QStringLiteral(" as of %1").arg(s.pricing.asOf));
    notes << QStringLiteral(
        "A target is up when its last scrape succeeded, idle when it answers but reports no "
        "running instance (edge_instances all zero: scaled to zero), down when its last scrape "
        "failed and stale when no scrape result arrived for two scrape intervals. Request rate and "
        "5xx share come from the "
        "request counters over the window; cold starts are their counter's increase.");
    notes << QStringLiteral(
                 "The headline figures are the dashboard's tiles, judged against the fleet's SLO "
                 "(p95 at most %1, hit ratio at least %2, replica lag at most %3, at most %4 per "
                 "million invocations). Missing data reads \"no data\", never zero.")
                 .arg(formatMs(s.settings.slo.p95LatencyMs),
                      formatPercent(s.settings.slo.minHitRatio),
                      formatSeconds(s.settings.slo.maxReplicaLagS),
                      formatUsd(s.settings.slo.maxCostPerMillionUsd));
    return notes;
}

bool reportHasVantage(const FleetSnapshot &snapshot)
{
    return std::isfinite(snapshot.settings.vantageLat)
        && std::isfinite(snapshot.settings.vantageLon);
}

QString reportNoVantageText()
{
    return QStringLiteral("No users' location was given, so there is no floor to measure against. "
                          "Give one with report --vantage PLACE (a population centre, such as "
                          "Tokyo) or with vantage in the fleet file.");
}

} // namespace fleetscope::widgets
