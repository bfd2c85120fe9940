#include "report/htmlreport.h"

#include "report/reportcontent.h"
#include "report/reportviews.h"

#include <QRegularExpression>
#include <QWidget>

#include <memory>

namespace fleetscope::widgets {

using snapshot::FleetSnapshot;

namespace {

constexpr const char *kStyle = R"(
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:#1a1a1a;
background:#fff;margin:2em auto;max-width:1100px;padding:0 1em;line-height:1.4}
h1{font-size:1.7em;margin:0 0 .2em}h2{font-size:1.25em;margin:1.6em 0 .4em;border-bottom:1px solid #ccc}
.sub,.note{color:#555}.note{font-size:.9em;margin:.2em 0 .6em}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.2em 1.2em;margin:1em 0}
dl.facts dt{color:#555;font-weight:600}dl.facts dd{margin:0;overflow-wrap:anywhere}
.tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(170px,1fr));gap:.6em}
.tile{background:#eef1f4;border:1px solid #c8c8c8;border-radius:6px;padding:.5em .7em}
.tile .t{font-size:.8em;color:#555;font-weight:600}.tile .v{font-size:1.5em;font-weight:700}
.tile .s{font-size:.8em}.tile .c{font-size:.8em;color:#555}
.ok{color:#1d6b2f}.warning{color:#9a5b00}.breach{color:#b02020}
figure{margin:.5em 0}figure svg{width:100%;height:auto;display:block}
table{border-collapse:collapse;width:100%;font-size:.9em;margin-bottom:.5em}
th,td{padding:.25em .5em;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}
th{background:#eef1f4;border-bottom:1px solid #888}tbody tr:nth-child(even){background:#f8f8f8}
td.n,th.n{text-align:right;white-space:nowrap}
ol.notes li{margin-bottom:.4em}
@media print{body{margin:0;max-width:none}h2{break-after:avoid}figure,tr{break-inside:avoid}}
)";

QString statusClass(const QString &status)
{
    if (status.contains(QLatin1String("Breach")))
        return QStringLiteral("breach");
    if (status.contains(QLatin1String("Warning")))
        return QStringLiteral("warning");
    if (status.contains(QLatin1String("OK")))
        return QStringLiteral("ok");
    return QString();
}

// The SVG scales with the page: the root keeps its viewBox and loses its fixed size.
QString responsiveSvg(const QByteArray &svg)
{
    QString text = QString::fromUtf8(svg);
    const qsizetype end = text.indexOf(u'>');
    if (end < 0)
        return {};
    QString root = text.left(end);
    static const QRegularExpression size(QStringLiteral(R"(\s+(width|height)="[^"]*")"));
    root.remove(size);
    return root + text.mid(end);
}

QString figure(QWidget *widget, const QString &title)
{
    return QStringLiteral("<figure aria-label=\"%1\">\n%2\n</figure>\n")
        .arg(htmlEscape(title), responsiveSvg(renderWidgetSvg(widget, title)));
}

} // namespace

QString htmlEscape(const QString &text)
{
    QString out = text.toHtmlEscaped(); // & < > "
    out.replace(u'\'', QStringLiteral("&#39;"));
    return out;
}

QByteArray htmlReport(const FleetSnapshot &s)
{
    ReportViews views(s);
    const QString q = QStringLiteral("p%1").arg(QString::number(s.settings.quantile * 100, 'g', 4));

    QString h;
    h += QStringLiteral("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    // Nothing may load from anywhere: no script, no font, no image outside this file.
    h += QStringLiteral("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
                        "'none'; style-src 'unsafe-inline'; img-src data:\">\n");
    h += QStringLiteral(
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    h += QStringLiteral("<meta name=\"generator\" content=\"FleetScope %1\">\n")
             .arg(QStringLiteral(FLEETSCOPE_VERSION));
    h += QStringLiteral("<title>%1</title>\n<style>%2</style>\n</head>\n<body>\n")
             .arg(htmlEscape(reportTitle(s)), QLatin1String(kStyle));
    h += QStringLiteral("<h1>%1</h1>\n<p class=\"sub\">%2</p>\n")
             .arg(htmlEscape(reportTitle(s)), htmlEscape(reportWindowText(s)));

    h += QStringLiteral("<dl class=\"facts\">\n");
    for (const ReportFact &f : reportCover(s))
        h += QStringLiteral("<dt>%1</dt><dd>%2</dd>\n")
                 .arg(htmlEscape(f.label), htmlEscape(f.value));
    h += QStringLiteral("</dl>\n");

    h += QStringLiteral("<h2>Headline</h2>\n<div class=\"tiles\">\n");
    for (const ReportHeadline &t : reportHeadlines(s))
        h += QStringLiteral("<div class=\"tile\"><div class=\"t\">%1</div><div class=\"v\">%2</div>"
                            "<div class=\"s %3\">%4</div><div class=\"c\">%5</div></div>\n")
                 .arg(htmlEscape(t.title), htmlEscape(t.value), statusClass(t.status),
                      htmlEscape(t.status), htmlEscape(t.caption));
    h += QStringLiteral("</div>\n");

    h += QStringLiteral("<h2>Latency map</h2>\n<p class=\"note\">Colour: %1 request latency; area: "
                        "request rate; lines: replication to the primary, coloured by replica "
                        "lag.</p>\n")
             .arg(htmlEscape(q));
    h += figure(views.map(QSize(1000, 540)), QStringLiteral("Region latency map"));

    h += QStringLiteral("<h2>Trends over the window</h2>\n<p class=\"note\">The five regions "
                        "slowest at %1.</p>\n")
             .arg(htmlEscape(q));
    h += figure(views.trends(QSize(1000, 640)), QStringLiteral("Trends over the window"));
    const int barHeight = views.barChartHeight();
    h += QStringLiteral("<h2>Measured against the speed of light</h2>\n");
    if (reportHasVantage(s))
        h += figure(views.lightFloor(QSize(1000, barHeight)),
                    QStringLiteral("Measured latency against the speed-of-light floor"));
    else
        h += QStringLiteral("<p class=\"note\">%1</p>\n").arg(htmlEscape(reportNoVantageText()));
    h += QStringLiteral("<h2>Where the time goes</h2>\n");
    h += figure(views.phases(QSize(1000, barHeight)), QStringLiteral("Phase breakdown"));

    for (const ReportTable &t : reportTables(s)) {
        h += QStringLiteral("<h2 id=\"%1\">%2</h2>\n").arg(htmlEscape(t.id), htmlEscape(t.title));
        if (!t.note.isEmpty())
            h += QStringLiteral("<p class=\"note\">%1</p>\n").arg(htmlEscape(t.note));
        h += QStringLiteral("<table>\n<thead><tr>");
        for (int c = 0; c < t.headers.size(); ++c)
            h += QStringLiteral("<th%1>%2</th>")
                     .arg(t.numeric.value(c) ? QStringLiteral(" class=\"n\"") : QString(),
                          htmlEscape(t.headers[c]));
        h += QStringLiteral("</tr></thead>\n<tbody>\n");
        for (const QStringList &row : t.rows) {
            h += QStringLiteral("<tr>");
            for (int c = 0; c < t.headers.size(); ++c)
                h += QStringLiteral("<td%1>%2</td>")
                         .arg(t.numeric.value(c) ? QStringLiteral(" class=\"n\"") : QString(),
                              htmlEscape(row.value(c)));
            h += QStringLiteral("</tr>\n");
        }
        h += QStringLiteral("</tbody>\n</table>\n");
    }

    h += QStringLiteral("<h2>How the figures are computed</h2>\n<ol class=\"notes\">\n");
    for (const QString &note : reportFootnotes(s))
        h += QStringLiteral("<li>%1</li>\n").arg(htmlEscape(note));
    h += QStringLiteral("</ol>\n</body>\n</html>\n");
    return h.toUtf8();
}

} // namespace fleetscope::widgets
