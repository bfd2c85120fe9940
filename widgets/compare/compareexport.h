#pragma once

// Writes a snapshot comparison to a file, the format following the extension: .csv and .html
// (the text forms from report/comparison.h) and .pdf (the HTML page laid out on A4 or Letter).
// Atomic (QSaveFile). The PDF needs a QGuiApplication; the others do not.

#include "report/comparison.h"

#include <QPageSize>
#include <QString>

namespace fleetscope::widgets {

// ".csv .html .pdf"
QString comparisonExtensions();
bool comparisonFormatSupported(const QString &path);
bool comparisonFormatNeedsGui(const QString &path);

bool exportComparison(const report::Comparison &comparison, const QString &path,
                      QPageSize::PageSizeId pageSize, QString *error);

} // namespace fleetscope::widgets
