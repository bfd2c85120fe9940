#include "report/comparison.h"

#include "report/csvreport.h"

#include <QDateTime>
#include <QList>
#include <QTimeZone>

#include <algorithm>
#include <cmath>
#include <map>

namespace fleetscope::report {

using namespace fleetscope::snapshot;

namespace {

constexpr std::array<CompareFigureInfo, kCompareFigureCount> kFigures = { {
    { "latency_p50_ms", "Latency p50", "ms", true },
    { "latency_p90_ms", "Latency p90", "ms", true },
    { "latency_p95_ms", "Latency p95", "ms", true },
    { "latency_p99_ms", "Latency p99", "ms", true },
    { "hit_ratio", "Cache hit ratio", "ratio", false },
    { "replica_lag_s", "Replica lag", "s", true },
    { "cost_per_invocation_usd", "Cost per invocation", "USD", true },
} };

double figure(const RegionFigures &f, CompareFigure which)
{
    switch (which) {
    case CompareFigure::LatencyP50:
        return f.latencyP50Ms;
    case CompareFigure::LatencyP90:
        return f.latencyP90Ms;
    case CompareFigure::LatencyP95:
        return f.latencyP95Ms;
    case CompareFigure::LatencyP99:
        return f.latencyP99Ms;
    case CompareFigure::HitRatio:
        return f.hitRatio;
    case CompareFigure::ReplicaLag:
        return f.replicaLagS;
    case CompareFigure::CostPerInvocation:
        return f.costPerInvocationUsd;
    }
    return kNaN;
}

SideInfo side(const FleetSnapshot &s)
{
    return { s.fleetName, s.source, s.time, s.settings.windowSeconds,
             s.pricing.id.isEmpty() ? s.settings.pricingProfile : s.pricing.id };
}

QByteArray csvRow(const QList<QByteArray> &cells)
{
    QByteArray line;
    for (qsizetype i = 0; i < cells.size(); ++i) {
        if (i)
            line += ',';
        line += cells[i];
    }
    return line + "\r\n";
}

QString utc(double t)
{
    if (!std::isfinite(t))
        return QStringLiteral("unknown time");
    return QDateTime::fromMSecsSinceEpoch(qint64(std::llround(t * 1000)), QTimeZone::utc())
        .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss 'UTC'"));
}

QString esc(const QString &s)
{
    return s.toHtmlEscaped();
}

// A figure for people: ratios as percentages, costs with three significant digits.
QString shown(CompareFigure f, double v)
{
    if (std::isnan(v))
        return QStringLiteral("no data");
    switch (f) {
    case CompareFigure::HitRatio:
        return QString::number(v * 100, 'f', 1) + QStringLiteral(" %");
    case CompareFigure::ReplicaLag:
        return QString::number(v, 'f', 2) + QStringLiteral(" s");
    case CompareFigure::CostPerInvocation:
        return QStringLiteral("$") + QString::number(v, 'g', 3);
    default:
        return QString::number(v, 'f', 1) + QStringLiteral(" ms");
    }
}

QString shownDelta(CompareFigure f, double d)
{
    if (std::isnan(d))
        return QStringLiteral("—");
    const QString sign = d > 0 ? QStringLiteral("+") : QString();
    switch (f) {
    case CompareFigure::HitRatio:
        return sign + QString::number(d * 100, 'f', 1) + QStringLiteral(" pp");
    case CompareFigure::ReplicaLag:
        return sign + QString::number(d, 'f', 2) + QStringLiteral(" s");
    case CompareFigure::CostPerInvocation:
        return (d < 0 ? QStringLiteral("−$") : sign + QStringLiteral("$"))
            + QString::number(std::abs(d), 'g', 3);
    default:
        return sign + QString::number(d, 'f', 1) + QStringLiteral(" ms");
    }
}

} // namespace

const CompareFigureInfo &compareFigureInfo(CompareFigure figure)
{
    return kFigures[std::size_t(figure)];
}

const char *presenceName(Presence presence)
{
    switch (presence) {
    case Presence::BeforeOnly:
        return "before only";
    case Presence::AfterOnly:
        return "after only";
    case Presence::Both:
        break;
    }
    return "both";
}

FigureChange change(double before, double after)
{
    FigureChange c;
    c.before = before;
    c.after = after;
    if (std::isfinite(before) && std::isfinite(after)) {
        c.delta = after - before;
        if (before != 0)
            c.percent = 100.0 * c.delta / std::abs(before);
    }
    return c;
}

Comparison compareSnapshots(const FleetSnapshot &before, const FleetSnapshot &after)
{
    Comparison out;
    out.before = side(before);
    out.after = side(after);
    std::map<QString, std::pair<const RegionData *, const RegionData *>> regions;
    for (const RegionData &r : before.regions)
        regions[r.code].first = &r;
    for (const RegionData &r : after.regions)
        regions[r.code].second = &r;
    out.rows.reserve(regions.size());
    for (const auto &[code, sides] : regions) {
        const auto [b, a] = sides;
        CompareRow row;
        row.region = code;
        row.name = a ? a->name : b->name;
        row.presence = a && b ? Presence::Both : (b ? Presence::BeforeOnly : Presence::AfterOnly);
        for (int i = 0; i < kCompareFigureCount; ++i) {
            const auto which = CompareFigure(i);
            row.figures[std::size_t(i)] =
                change(b ? figure(b->figures, which) : kNaN, a ? figure(a->figures, which) : kNaN);
        }
        out.rows.push_back(std::move(row));
    }
    return out;
}

QByteArray comparisonCsv(const Comparison &c)
{
    QList<QByteArray> header = { "region", "name", "presence" };
    for (const CompareFigureInfo &f : kFigures) {
        const QByteArray key = f.key;
        header << key + "_before" << key + "_after" << key + "_delta" << key + "_change_pct";
    }
    QByteArray out = csvRow(header);
    for (const CompareRow &r : c.rows) {
        QList<QByteArray> cells = { textCell(r.region), textCell(r.name),
                                    textCell(QString::fromLatin1(presenceName(r.presence))) };
        for (const FigureChange &f : r.figures)
            cells << numberCell(f.before) << numberCell(f.after) << numberCell(f.delta)
                  << numberCell(f.percent);
        out += csvRow(cells);
    }
    return out;
}

QByteArray comparisonHtml(const Comparison &c)
{
    QString h;
    h += QStringLiteral("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
                        "<title>FleetScope comparison</title>\n<style>\n"
                        "body{font-family:system-ui,sans-serif;margin:2em;color:#222}\n"
                        "table{border-collapse:collapse;margin-bottom:2em}\n"
                        "th,td{border:1px solid #ccc;padding:.25em .6em}td.n{text-align:right}\n"
                        "th{background:#f0f0f0}.worse{color:#b00020}.better{color:#0a7a28}"
                        ".only{color:#666;font-style:italic}\n</style></head><body>\n"
                        "<h1>FleetScope: before and after</h1>\n<table>\n");
    auto sideRow = [&](const char *label, const SideInfo &s) {
        h += QStringLiteral("<tr><th>%1</th><td>%2</td><td>%3</td><td>%4</td><td>%5</td></tr>\n")
                 .arg(QLatin1String(label), esc(s.fleetName), esc(s.source), esc(utc(s.time)),
                      esc(s.pricingProfile));
    };
    h += QStringLiteral("<tr><th></th><th>Fleet</th><th>Source</th><th>Time</th>"
                        "<th>Pricing profile</th></tr>\n");
    sideRow("Before", c.before);
    sideRow("After", c.after);
    h += QStringLiteral("</table>\n");
    for (int i = 0; i < kCompareFigureCount; ++i) {
        const auto which = CompareFigure(i);
        const CompareFigureInfo &info = kFigures[std::size_t(i)];
        h += QStringLiteral("<h2>%1</h2>\n<table>\n<tr><th>Region</th><th>Name</th>"
                            "<th>Before</th><th>After</th><th>Delta</th><th>Change</th></tr>\n")
                 .arg(QLatin1String(info.label));
        for (const CompareRow &r : c.rows) {
            const FigureChange &f = r.at(which);
            QString cls;
            if (!std::isnan(f.delta) && f.delta != 0)
                cls = (f.delta < 0) == info.lowerIsBetter ? QStringLiteral("better")
                                                          : QStringLiteral("worse");
            const QString pct = std::isnan(f.percent)
                ? QStringLiteral("—")
                : (f.percent > 0 ? QStringLiteral("+") : QString())
                    + QString::number(f.percent, 'f', 1) + QStringLiteral(" %");
            const QString beforeText = r.presence == Presence::AfterOnly
                ? QStringLiteral("<td class=\"only\">not in before</td>")
                : QStringLiteral("<td class=\"n\">%1</td>").arg(esc(shown(which, f.before)));
            const QString afterText = r.presence == Presence::BeforeOnly
                ? QStringLiteral("<td class=\"only\">not in after</td>")
                : QStringLiteral("<td class=\"n\">%1</td>").arg(esc(shown(which, f.after)));
            h += QStringLiteral("<tr><td>%1</td><td>%2</td>%3%4<td class=\"n %5\">%6</td>"
                                "<td class=\"n %5\">%7</td></tr>\n")
                     .arg(esc(r.region), esc(r.name), beforeText, afterText, cls,
                          esc(shownDelta(which, f.delta)), esc(pct));
        }
        h += QStringLiteral("</table>\n");
    }
    h += QStringLiteral(
        "<p>Delta is after minus before; change is the delta as a percentage of the before "
        "figure. Latency quantiles come from the request-duration histograms over each "
        "snapshot's window; the hit ratio is hits over all cache lookups; replica lag is the "
        "worst node's latest value; cost per invocation follows each snapshot's pricing "
        "profile.</p>\n</body></html>\n");
    return h.toUtf8();
}

QString compareShown(CompareFigure f, double v)
{
    return shown(f, v);
}

QString compareShownDelta(CompareFigure f, double d)
{
    return shownDelta(f, d);
}

} // namespace fleetscope::report
