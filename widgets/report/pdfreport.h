#pragma once

// The PDF report, for a manager: a cover (fleet, time window, source, pricing profile with its
// date and source, headline figures, the latency map), the charts, the per-region tables and
// footnotes on how each figure is computed. Vector throughout: text stays text, and the map and
// charts are the dashboard's own widgets painted into the PDF. GUI thread.

#include "snapshot/fleetsnapshot.h"

#include <QPageSize>
#include <QString>

QT_BEGIN_NAMESPACE
class QIODevice;
QT_END_NAMESPACE

namespace fleetscope::widgets {

// Writes the report to an open device; false with *error set when painting could not start.
bool writePdfReport(const snapshot::FleetSnapshot &snapshot, QIODevice *device,
                    QPageSize::PageSizeId pageSize, QString *error);

} // namespace fleetscope::widgets
