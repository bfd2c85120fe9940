#include "compare/compareexport.h"

#include <QFileInfo>
#include <QPageLayout>
#include <QPdfWriter>
#include <QSaveFile>
#include <QTextDocument>

namespace fleetscope::widgets {

namespace {

QString suffix(const QString &path)
{
    return QFileInfo(path).suffix().toLower();
}

bool fail(QString *error, const QString &path, const QString &why)
{
    if (error)
        *error = QStringLiteral("cannot write %1: %2").arg(path, why);
    return false;
}

} // namespace

QString comparisonExtensions()
{
    return QStringLiteral(".csv .html .pdf");
}

bool comparisonFormatSupported(const QString &path)
{
    const QString s = suffix(path);
    return s == QLatin1String("csv") || s == QLatin1String("html") || s == QLatin1String("htm")
        || s == QLatin1String("pdf");
}

bool comparisonFormatNeedsGui(const QString &path)
{
    return suffix(path) == QLatin1String("pdf");
}

bool exportComparison(const report::Comparison &comparison, const QString &path,
                      QPageSize::PageSizeId pageSize, QString *error)
{
    const QString s = suffix(path);
    QSaveFile file(path);
    if (!comparisonFormatSupported(path))
        return fail(
            error, path,
            QStringLiteral("the format follows the extension: %1").arg(comparisonExtensions()));
    if (!file.open(QIODevice::WriteOnly))
        return fail(error, path, file.errorString());
    if (s == QLatin1String("pdf")) {
        // The HTML page, laid out by Qt's text engine: vector text, paginated.
        QPdfWriter pdf(&file);
        pdf.setTitle(QStringLiteral("FleetScope comparison"));
        pdf.setCreator(QStringLiteral("FleetScope"));
        pdf.setPageSize(QPageSize(pageSize));
        pdf.setPageMargins(QMarginsF(15, 15, 15, 15), QPageLayout::Millimeter);
        QTextDocument doc;
        doc.setHtml(QString::fromUtf8(report::comparisonHtml(comparison)));
        doc.print(&pdf);
    } else {
        const QByteArray bytes = s == QLatin1String("csv") ? report::comparisonCsv(comparison)
                                                           : report::comparisonHtml(comparison);
        if (file.write(bytes) != bytes.size()) {
            file.cancelWriting();
            return fail(error, path, file.errorString());
        }
    }
    if (!file.commit())
        return fail(error, path, file.errorString());
    return true;
}

} // namespace fleetscope::widgets
