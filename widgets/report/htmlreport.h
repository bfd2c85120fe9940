#pragma once

// The HTML report: one self-contained file that opens in any browser, offline. The same content
// as the PDF (reportcontent.h); the map and the charts are inline SVG drawn by the dashboard's
// own widgets. No external reference of any kind (no link, script, image file, web font or URL
// reference: a Content-Security-Policy forbids loading anything), and every text escaped. GUI
// thread.

#include "snapshot/fleetsnapshot.h"

#include <QByteArray>
#include <QString>

namespace fleetscope::widgets {

// Text made safe for HTML element content and double- or single-quoted attribute values.
QString htmlEscape(const QString &text);

QByteArray htmlReport(const snapshot::FleetSnapshot &snapshot);

} // namespace fleetscope::widgets
