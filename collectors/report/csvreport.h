#pragma once

// A FleetSnapshot as CSV, the way spreadsheet users expect it: one section a table, a header
// row each, RFC 4180 quoting, numbers in the C locale, and cells a spreadsheet would run as a
// formula neutralised. Pure functions; any thread.

#include "snapshot/fleetsnapshot.h"

#include <QByteArray>
#include <QString>

namespace fleetscope::report {

// One CSV cell: quoted when needed; a leading = + - @ tab or CR gets a ' so no spreadsheet
// evaluates it (OWASP "CSV injection"). Numbers are written with numberCell.
QByteArray textCell(const QString &text);
QByteArray numberCell(double value, int decimals = -1); // empty for NaN

// The dashboard's tables: every figure per region; the phase breakdown; the cost table (as the
// Cost panel shows it, with savings against always-on); the targets (the Nodes panel); and what
// the report is about (fleet, window, source, pricing profile, SLO) as key/value rows.
QByteArray regionsCsv(const snapshot::FleetSnapshot &snapshot);
QByteArray phasesCsv(const snapshot::FleetSnapshot &snapshot);
QByteArray costCsv(const snapshot::FleetSnapshot &snapshot);
QByteArray targetsCsv(const snapshot::FleetSnapshot &snapshot);
QByteArray aboutCsv(const snapshot::FleetSnapshot &snapshot);
// Every table in one file, in that order, each preceded by a "# name" line (regions, phases,
// cost, targets, about) and separated by a blank line.
QByteArray snapshotCsv(const snapshot::FleetSnapshot &snapshot);

} // namespace fleetscope::report
