#pragma once

// Exporting a snapshot: the format follows the file's extension — .pdf (the report), .png (the
// dashboard at twice its pixel density), .csv (every table), .html (one self-contained file),
// .json (the snapshot itself). Files are written atomically (QSaveFile): a reader sees the old
// file or the new one. Used by `fleetscope report` and the dashboard's Export action. GUI thread
// (a QApplication must exist for every format but .csv and .json).

#include "snapshot/fleetsnapshot.h"

#include <QPageSize>
#include <QSize>
#include <QString>

QT_BEGIN_NAMESPACE
class QWidget;
QT_END_NAMESPACE

namespace fleetscope::widgets {

enum class ReportFormat { Unknown, Pdf, Png, Csv, Html, Json };

ReportFormat reportFormatFor(const QString &path); // by extension, case-insensitive
bool reportFormatNeedsGui(ReportFormat format); // .pdf .png .html draw widgets
QString reportExtensions(); // ".pdf, .png, .csv, .html or .json"
QString reportFileFilters(); // for QFileDialog, PDF first

// A4 unless the locale is one that uses US Letter (US, Canada, Mexico, the Philippines, Chile,
// Colombia, Venezuela).
QPageSize::PageSizeId pageSizeForLocale();

struct ExportOptions
{
    QPageSize::PageSizeId pageSize = QPageSize::A4;
    // .png: the dashboard as shown (the window's view); when null, a dashboard of
    // `dashboardSize` is drawn off screen.
    QWidget *shownDashboard = nullptr;
    QSize dashboardSize { 1440, 900 }; // at least the dashboard's minimum size
    qreal pixelRatio = 2;
};

// Writes `path` in the format its extension names; false with *error naming the file otherwise.
bool exportReport(const snapshot::FleetSnapshot &snapshot, const QString &path,
                  const ExportOptions &options, QString *error);

} // namespace fleetscope::widgets
