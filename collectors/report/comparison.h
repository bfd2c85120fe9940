#pragma once

// Compare two snapshots (before and after a deploy): per region, the latency quantiles, cache hit
// ratio, replica lag and cost per invocation on each side, their difference and the percent
// change. Regions present on one side only are kept and said to be so. Pure functions; any
// thread. The CSV and HTML forms are text; the PDF is drawn by widgets/compare.

#include "snapshot/fleetsnapshot.h"

#include <QByteArray>
#include <QString>

#include <array>
#include <vector>

namespace fleetscope::report {

enum class CompareFigure {
    LatencyP50,
    LatencyP90,
    LatencyP95,
    LatencyP99,
    HitRatio,
    ReplicaLag,
    CostPerInvocation,
};
inline constexpr int kCompareFigureCount = 7;

struct CompareFigureInfo
{
    const char *key; // CSV column prefix, e.g. "latency_p95_ms"
    const char *label; // "Latency p95"
    const char *unit; // "ms", "ratio", "s", "USD"
    bool lowerIsBetter;
};
const CompareFigureInfo &compareFigureInfo(CompareFigure figure);

struct FigureChange
{
    double before = snapshot::kNaN;
    double after = snapshot::kNaN;
    double delta = snapshot::kNaN; // after - before; NaN when either side has no data
    double percent = snapshot::kNaN; // 100 * delta / |before|; NaN when before is 0 or no data
};

enum class Presence { Both, BeforeOnly, AfterOnly };
const char *presenceName(Presence presence); // "both", "before only", "after only"

struct CompareRow
{
    QString region; // the fleet's region label
    QString name; // display name, from whichever side has the region (after first)
    Presence presence = Presence::Both;
    std::array<FigureChange, kCompareFigureCount> figures;
    const FigureChange &at(CompareFigure f) const { return figures[std::size_t(f)]; }
};

struct SideInfo
{
    QString fleetName, source;
    double time = snapshot::kNaN, windowSeconds = snapshot::kNaN;
    QString pricingProfile;
};

struct Comparison
{
    SideInfo before, after;
    std::vector<CompareRow> rows; // sorted by region code
};

// The change of one figure (exposed for the views and the tests).
FigureChange change(double before, double after);
Comparison compareSnapshots(const snapshot::FleetSnapshot &before,
                            const snapshot::FleetSnapshot &after);

// A figure and a delta as the views show them: "42.0 ms", "96.5 %", "+1.20 s", "$1.5e-07";
// "no data" / "—" for NaN. Hit ratio deltas are percentage points ("pp").
QString compareShown(CompareFigure figure, double value);
QString compareShownDelta(CompareFigure figure, double delta);

// One row per region: region, name, presence, then for each figure <key>_before, <key>_after,
// <key>_delta, <key>_change_pct; RFC 4180, formula-neutralised, empty cells for no data.
QByteArray comparisonCsv(const Comparison &comparison);
// One self-contained page: no script, no external reference, every label escaped.
QByteArray comparisonHtml(const Comparison &comparison);

} // namespace fleetscope::report
