#pragma once

// A FleetSnapshot as CSV, the way spreadsheet users expect it: one section a table (regions,
// then targets), a header row each, RFC 4180 quoting, numbers in the C locale, and cells a
// spreadsheet would run as a formula neutralised. Pure functions; any thread.

#include "snapshot/fleetsnapshot.h"

#include <QByteArray>
#include <QString>

namespace fleetscope::report {

// One CSV cell: quoted when needed; a leading = + - @ tab or CR gets a ' so no spreadsheet
// evaluates it (OWASP "CSV injection"). Numbers are written with numberCell.
QByteArray textCell(const QString &text);
QByteArray numberCell(double value, int decimals = -1); // empty for NaN

QByteArray regionsCsv(const snapshot::FleetSnapshot &snapshot);
QByteArray targetsCsv(const snapshot::FleetSnapshot &snapshot);
// Both tables in one file, each preceded by a "# section" line and separated by a blank line.
QByteArray snapshotCsv(const snapshot::FleetSnapshot &snapshot);

} // namespace fleetscope::report
