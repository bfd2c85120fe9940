#include "report/exporter.h"

#include "report/csvreport.h"
#include "report/htmlreport.h"
#include "report/pdfreport.h"
#include "report/reportviews.h"
#include "snapshot/snapshotfile.h"

#include <QBuffer>
#include <QFileInfo>
#include <QImageWriter>
#include <QLocale>
#include <QSaveFile>
#include <QWidget>

#include <memory>

namespace fleetscope::widgets {

ReportFormat reportFormatFor(const QString &path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("pdf"))
        return ReportFormat::Pdf;
    if (suffix == QLatin1String("png"))
        return ReportFormat::Png;
    if (suffix == QLatin1String("csv"))
        return ReportFormat::Csv;
    if (suffix == QLatin1String("html") || suffix == QLatin1String("htm"))
        return ReportFormat::Html;
    if (suffix == QLatin1String("json"))
        return ReportFormat::Json;
    return ReportFormat::Unknown;
}

bool reportFormatNeedsGui(ReportFormat format)
{
    return format == ReportFormat::Pdf || format == ReportFormat::Png
        || format == ReportFormat::Html;
}

QString reportExtensions()
{
    return QStringLiteral(".pdf, .png, .csv, .html or .json");
}

QString reportFileFilters()
{
    return QStringLiteral("PDF report (*.pdf);;Dashboard image (*.png);;CSV tables (*.csv);;"
                          "HTML report (*.html *.htm);;Snapshot (*.json)");
}

QPageSize::PageSizeId pageSizeForLocale()
{
    switch (QLocale().territory()) {
    case QLocale::UnitedStates:
    case QLocale::Canada:
    case QLocale::Mexico:
    case QLocale::Philippines:
    case QLocale::Chile:
    case QLocale::Colombia:
    case QLocale::Venezuela:
        return QPageSize::Letter;
    default:
        return QPageSize::A4;
    }
}

namespace {

bool fail(QString *error, const QString &path, const QString &why)
{
    *error = QStringLiteral("cannot write %1: %2").arg(path, why);
    return false;
}

bool saveBytes(const QString &path, const QByteArray &bytes, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return fail(error, path, file.errorString());
    if (file.write(bytes) != bytes.size() || !file.commit())
        return fail(error, path, file.errorString());
    return true;
}

} // namespace

bool exportReport(const snapshot::FleetSnapshot &s, const QString &path,
                  const ExportOptions &options, QString *error)
{
    switch (reportFormatFor(path)) {
    case ReportFormat::Json:
        return snapshot::saveSnapshot(s, path, error);
    case ReportFormat::Csv:
        return saveBytes(path, report::snapshotCsv(s), error);
    case ReportFormat::Html:
        return saveBytes(path, htmlReport(s), error);
    case ReportFormat::Png: {
        QImage image;
        if (options.shownDashboard) {
            image = renderWidgetImage(options.shownDashboard, options.pixelRatio);
        } else {
            ReportViews views(s);
            image = renderWidgetImage(views.dashboard(options.dashboardSize), options.pixelRatio);
        }
        QByteArray bytes;
        QBuffer buffer(&bytes);
        buffer.open(QIODevice::WriteOnly);
        QImageWriter writer(&buffer, "png");
        if (image.isNull() || !writer.write(image))
            return fail(error, path, QStringLiteral("the image could not be encoded"));
        return saveBytes(path, bytes, error);
    }
    case ReportFormat::Pdf: {
        QSaveFile file(path);
        if (!file.open(QIODevice::WriteOnly))
            return fail(error, path, file.errorString());
        QString why;
        if (!writePdfReport(s, &file, options.pageSize, &why)) {
            file.cancelWriting();
            return fail(error, path, why);
        }
        if (!file.commit())
            return fail(error, path, file.errorString());
        return true;
    }
    case ReportFormat::Unknown:
        break;
    }
    return fail(error, path,
                QStringLiteral("the format follows the extension: %1").arg(reportExtensions()));
}

} // namespace fleetscope::widgets
