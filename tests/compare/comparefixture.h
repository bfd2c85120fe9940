#pragma once

// Two small snapshots, before and after a deploy, with figures set by hand so every delta in the
// tests can be computed by hand. Regions: fra and nrt on both sides, "old" only before, "new"
// only after; nrt has no p95 after (no data); a hostile name that a spreadsheet or a browser
// would run.

#include "snapshot/fleetsnapshot.h"

namespace fleetscope::testfixture {

inline snapshot::RegionData compareRegion(const QString &code, const QString &name, double p50,
                                          double p90, double p95, double p99, double hit,
                                          double lag, double cost)
{
    snapshot::RegionData r;
    r.code = code;
    r.name = name;
    r.figures.latencyP50Ms = p50;
    r.figures.latencyP90Ms = p90;
    r.figures.latencyP95Ms = p95;
    r.figures.latencyP99Ms = p99;
    r.figures.hitRatio = hit;
    r.figures.replicaLagS = lag;
    r.figures.costPerInvocationUsd = cost;
    return r;
}

inline snapshot::FleetSnapshot compareBefore()
{
    snapshot::FleetSnapshot s;
    s.fleetName = QStringLiteral("edge-prod");
    s.sourceKind = QStringLiteral("snapshot");
    s.time = 1'700'000'000;
    s.windowStart = s.time - 300;
    s.regions.push_back(compareRegion(QStringLiteral("fra"), QStringLiteral("Frankfurt"), 20, 40,
                                      50, 80, 0.9, 1.5, 2e-7));
    s.regions.push_back(compareRegion(QStringLiteral("nrt"),
                                      QStringLiteral("=HYPERLINK(\"x\")<script>"), 30, 60, 100, 160,
                                      0.8, 4, 4e-7));
    s.regions.push_back(compareRegion(QStringLiteral("old"), QStringLiteral("Retired"), 10, 20, 25,
                                      40, 0.5, 0, 1e-7));
    return s;
}

inline snapshot::FleetSnapshot compareAfter()
{
    snapshot::FleetSnapshot s;
    s.fleetName = QStringLiteral("edge-prod");
    s.sourceKind = QStringLiteral("snapshot");
    s.time = 1'700'086'400;
    s.windowStart = s.time - 300;
    s.regions.push_back(compareRegion(QStringLiteral("fra"), QStringLiteral("Frankfurt"), 25, 44,
                                      60, 70, 0.95, 1.0, 3e-7));
    s.regions.push_back(compareRegion(QStringLiteral("new"), QStringLiteral("Newly added"), 12, 22,
                                      30, 45, 0.99, 0.5, 1e-7));
    s.regions.push_back(compareRegion(QStringLiteral("nrt"),
                                      QStringLiteral("=HYPERLINK(\"x\")<script>"), 33, 66,
                                      snapshot::kNaN, 200, 0.6, 2, 4e-7));
    return s;
}

// RFC 4180: rows of cells (quoted cells may hold commas, quotes and line breaks).
inline QList<QStringList> parseCsv(const QByteArray &bytes)
{
    QList<QStringList> rows;
    QStringList row;
    QString cell;
    const QString text = QString::fromUtf8(bytes);
    bool quoted = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (quoted) {
            if (c == u'"' && i + 1 < text.size() && text[i + 1] == u'"') {
                cell += u'"';
                ++i;
            } else if (c == u'"') {
                quoted = false;
            } else {
                cell += c;
            }
        } else if (c == u'"') {
            quoted = true;
        } else if (c == u',') {
            row << cell;
            cell.clear();
        } else if (c == u'\r' && i + 1 < text.size() && text[i + 1] == u'\n') {
            row << cell;
            rows << row;
            row.clear();
            cell.clear();
            ++i;
        } else {
            cell += c;
        }
    }
    if (!cell.isEmpty() || !row.isEmpty())
        rows << (row << cell);
    return rows;
}

} // namespace fleetscope::testfixture
