#pragma once

// What a report says, independent of how it is drawn: the cover facts, the headline figures
// (the dashboard's KPI tiles), the per-region tables and the footnotes on how each figure is
// computed. The PDF and the HTML report both lay out these values, so they always agree with
// each other and with the dashboard (the same figure formatting). Text is plain text: the
// renderers escape or draw it as such. GUI thread (the headline comes from KpiTiles).

#include "snapshot/fleetsnapshot.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <vector>

namespace fleetscope::widgets {

struct ReportFact
{
    QString label, value;
};

struct ReportHeadline
{
    QString title, value, status, caption;
};

struct ReportTable
{
    QString id; // stable, for HTML anchors and tests
    QString title;
    QString note; // one sentence under the title ("" when none)
    QStringList headers;
    QList<bool> numeric; // per column: right-aligned
    QList<QStringList> rows;
};

QString reportTitle(const snapshot::FleetSnapshot &snapshot);
// The time the figures cover: the window, or less when data began later (a short collection),
// e.g. "2026-11-27 17:14:45 – 17:15:05 UTC (20 s of data; window 5 min)".
double reportDataFrom(const snapshot::FleetSnapshot &snapshot);
QString reportWindowText(const snapshot::FleetSnapshot &snapshot);
// The snapshot the report's views draw: its window narrowed to the data it holds, so a chart of a
// 20 s collection is not 5 minutes of empty axis. The figures are unchanged.
snapshot::FleetSnapshot reportViewSnapshot(const snapshot::FleetSnapshot &snapshot);
QList<ReportFact> reportCover(const snapshot::FleetSnapshot &snapshot);
QList<ReportHeadline> reportHeadlines(const snapshot::FleetSnapshot &snapshot);
std::vector<ReportTable> reportTables(const snapshot::FleetSnapshot &snapshot);
QStringList reportFootnotes(const snapshot::FleetSnapshot &snapshot);
// Whether the snapshot knows where the users are, which the speed-of-light floor needs; when it
// does not, the reports say so, and how to give it, in place of a chart with no floor bars.
bool reportHasVantage(const snapshot::FleetSnapshot &snapshot);
QString reportNoVantageText();

} // namespace fleetscope::widgets
