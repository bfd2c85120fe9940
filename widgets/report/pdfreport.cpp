#include "report/pdfreport.h"

#include "report/reportcontent.h"
#include "report/reportviews.h"

#include <QFontMetricsF>
#include <QPageLayout>
#include <QPainter>
#include <QPdfWriter>
#include <QTextOption>

#include <algorithm>
#include <cmath>
#include <memory>

namespace fleetscope::widgets {

using snapshot::FleetSnapshot;

namespace {

// Device units are CSS pixels (96 per inch), so the widgets' fonts and metrics measured on
// screen match what they paint here.
constexpr int kResolution = 96;
constexpr double kGap = 10;

const QColor kInk(0x1a, 0x1a, 0x1a);
const QColor kMuted(0x5a, 0x5a, 0x5a);
const QColor kRule(0xc8, 0xc8, 0xc8);
const QColor kShade(0xee, 0xf1, 0xf4);
const QColor kStripe(0xf8, 0xf8, 0xf8);

QFont font(double points, bool bold = false)
{
    QFont f = reportFont();
    f.setPointSizeF(points);
    f.setBold(bold);
    return f;
}

QColor statusColour(const QString &status)
{
    if (status.contains(QLatin1String("Breach")))
        return QColor(0xb0, 0x20, 0x20);
    if (status.contains(QLatin1String("Warning")))
        return QColor(0x9a, 0x5b, 0x00);
    if (status.contains(QLatin1String("OK")))
        return QColor(0x1d, 0x6b, 0x2f);
    return kMuted;
}

class Pages
{
public:
    Pages(QPdfWriter &writer, QString footer)
        : m_writer(writer)
        , m_footer(std::move(footer))
    { }

    bool begin()
    {
        if (!m_painter.begin(&m_writer))
            return false;
        m_area = QRectF(QPointF(0, 0),
                        QSizeF(m_writer.pageLayout().paintRectPixels(kResolution).size()));
        m_y = m_area.top();
        return true;
    }

    QPainter &painter() { return m_painter; }
    double width() const { return m_area.width(); }
    double y() const { return m_y; }
    double left() const { return m_area.left(); }
    void advance(double dy) { m_y += dy; }
    double remaining() const { return bottom() - m_y; }
    double pageHeight() const { return bottom() - m_area.top(); }
    bool atTop() const { return m_y <= m_area.top() + 0.5; }

    void newPage()
    {
        drawFooter();
        m_writer.newPage();
        ++m_page;
        m_y = m_area.top();
    }

    // Starts a new page unless `height` fits below the cursor (or the page is still empty).
    void ensure(double height)
    {
        if (height > remaining() && !atTop())
            newPage();
    }

    void finish()
    {
        drawFooter();
        m_painter.end();
    }

    // Wrapped text at the cursor; returns its height. Splits across pages by paragraph only.
    double text(const QString &text, const QFont &f, const QColor &colour, double indent = 0)
    {
        const QRectF box(m_area.left() + indent, m_y, m_area.width() - indent, 1e6);
        m_painter.setFont(f);
        const QRectF need =
            m_painter.boundingRect(box, Qt::TextWordWrap | Qt::AlignLeft | Qt::AlignTop, text);
        ensure(need.height());
        const QRectF at(m_area.left() + indent, m_y, m_area.width() - indent, need.height());
        m_painter.setPen(colour);
        m_painter.drawText(at, Qt::TextWordWrap | Qt::AlignLeft | Qt::AlignTop, text);
        m_y += need.height();
        return need.height();
    }

    double measure(const QString &text, const QFont &f)
    {
        m_painter.setFont(f);
        return m_painter
            .boundingRect(QRectF(0, 0, m_area.width(), 1e6),
                          Qt::TextWordWrap | Qt::AlignLeft | Qt::AlignTop, text)
            .height();
    }

    void heading(const QString &title, double points = 13)
    {
        const QFont f = font(points, true);
        // Keep a heading with at least a few lines of what follows it.
        ensure(QFontMetricsF(f, &m_writer).height() + 120);
        if (!atTop())
            m_y += kGap;
        text(title, f, kInk);
        m_y += 4;
    }

private:
    double bottom() const { return m_area.bottom() - footerHeight(); }
    double footerHeight() const { return QFontMetricsF(font(7.5), &m_writer).height() + 8; }

    void drawFooter()
    {
        const QFont f = font(7.5);
        const double h = QFontMetricsF(f, &m_writer).height();
        const QRectF line(m_area.left(), m_area.bottom() - h, m_area.width(), h);
        m_painter.setFont(f);
        m_painter.setPen(QPen(kRule, 0.5));
        m_painter.drawLine(QPointF(line.left(), line.top() - 3),
                           QPointF(line.right(), line.top() - 3));
        m_painter.setPen(kMuted);
        const QString page = QStringLiteral("page %1").arg(m_page);
        const double pageWidth = QFontMetricsF(f, &m_writer).horizontalAdvance(page);
        m_painter.drawText(
            line.adjusted(0, 0, -pageWidth - 12, 0), Qt::AlignLeft | Qt::AlignVCenter,
            QFontMetricsF(f, &m_writer)
                .elidedText(m_footer, Qt::ElideRight, line.width() - pageWidth - 12));
        m_painter.drawText(line, Qt::AlignRight | Qt::AlignVCenter, page);
    }

    QPdfWriter &m_writer;
    QPainter m_painter;
    QString m_footer;
    QRectF m_area;
    double m_y = 0;
    int m_page = 1;
};

void drawFacts(Pages &pages, const QList<ReportFact> &facts)
{
    QPainter &p = pages.painter();
    const QFont labelFont = font(9, true), valueFont = font(9);
    const double labelWidth = 110;
    for (const ReportFact &fact : facts) {
        p.setFont(valueFont);
        const QRectF box(pages.left() + labelWidth, pages.y(), pages.width() - labelWidth, 1e6);
        const double h =
            p.boundingRect(box, Qt::TextWordWrap | Qt::TextWrapAnywhere, fact.value).height();
        pages.ensure(h + 3);
        p.setFont(labelFont);
        p.setPen(kMuted);
        p.drawText(QRectF(pages.left(), pages.y(), labelWidth - 8, h), Qt::AlignLeft | Qt::AlignTop,
                   fact.label);
        p.setFont(valueFont);
        p.setPen(kInk);
        p.drawText(QRectF(pages.left() + labelWidth, pages.y(), pages.width() - labelWidth, h),
                   Qt::TextWordWrap | Qt::TextWrapAnywhere, fact.value);
        pages.advance(h + 3);
    }
}

void drawHeadlines(Pages &pages, const QList<ReportHeadline> &headlines)
{
    QPainter &p = pages.painter();
    const int n = int(headlines.size());
    if (n == 0)
        return;
    const double gap = 6;
    const double w = (pages.width() - gap * (n - 1)) / n;
    const QFont titleFont = font(7.5, true), valueFont = font(15, true), smallFont = font(7.5);
    // Measure the tallest caption so every box has the same height.
    double captionHeight = 0, titleH = 0;
    for (const ReportHeadline &h : headlines) {
        p.setFont(smallFont);
        captionHeight = std::max(
            captionHeight,
            p.boundingRect(QRectF(0, 0, w - 12, 1e6), Qt::TextWordWrap, h.caption).height());
        p.setFont(titleFont);
        titleH = std::max(
            titleH, p.boundingRect(QRectF(0, 0, w - 12, 1e6), Qt::TextWordWrap, h.title).height());
    }
    const double valueH = QFontMetricsF(valueFont, p.device()).height();
    const double smallH = QFontMetricsF(smallFont, p.device()).height();
    const double boxH = 8 + titleH + 2 + valueH + 2 + smallH + 2 + captionHeight + 8;
    pages.ensure(boxH);
    for (int i = 0; i < n; ++i) {
        const ReportHeadline &h = headlines[i];
        const QRectF box(pages.left() + i * (w + gap), pages.y(), w, boxH);
        p.setPen(QPen(kRule, 0.75));
        p.setBrush(kShade);
        p.drawRoundedRect(box, 4, 4);
        p.setBrush(Qt::NoBrush);
        double y = box.top() + 8;
        const double x = box.left() + 6, iw = box.width() - 12;
        p.setFont(titleFont);
        p.setPen(kMuted);
        p.drawText(QRectF(x, y, iw, titleH), Qt::AlignLeft | Qt::TextWordWrap, h.title);
        y += titleH + 2;
        p.setFont(valueFont);
        p.setPen(kInk);
        p.drawText(QRectF(x, y, iw, valueH), Qt::AlignLeft,
                   QFontMetricsF(valueFont, p.device()).elidedText(h.value, Qt::ElideRight, iw));
        y += valueH + 2;
        p.setFont(smallFont);
        p.setPen(statusColour(h.status));
        p.drawText(QRectF(x, y, iw, smallH), Qt::AlignLeft, h.status);
        y += smallH + 2;
        p.setPen(kMuted);
        p.drawText(QRectF(x, y, iw, captionHeight), Qt::TextWordWrap, h.caption);
    }
    pages.advance(boxH);
}

// A titled figure kept on one page with its title and note.
void drawFigure(Pages &pages, const QString &title, const QString &note, QWidget *widget,
                double height)
{
    const double need = kGap + pages.measure(title, font(13, true)) + 4
        + (note.isEmpty() ? 0 : pages.measure(note, font(8.5)) + 4) + height;
    pages.ensure(need);
    pages.heading(title);
    if (!note.isEmpty()) {
        pages.text(note, font(8.5), kMuted);
        pages.advance(4);
    }
    renderWidget(pages.painter(), widget, QRectF(pages.left(), pages.y(), pages.width(), height));
    pages.advance(height);
}

// A section whose figure cannot be drawn: its heading and why.
void drawNote(Pages &pages, const QString &title, const QString &note)
{
    pages.ensure(kGap + pages.measure(title, font(13, true)) + 4 + pages.measure(note, font(8.5)));
    pages.heading(title);
    pages.text(note, font(8.5), kMuted);
    pages.advance(4);
}

// Column widths that fit `width`: numbers keep their natural width, text columns share the rest.
QList<double> columnWidths(const ReportTable &t, const QFontMetricsF &body,
                           const QFontMetricsF &head, double width, double pad)
{
    const int n = int(t.headers.size());
    QList<double> natural(n, 0);
    for (int c = 0; c < n; ++c) {
        // Headers wrap at spaces: their longest word is what a column cannot go below.
        for (const QString &word : t.headers[c].split(u' ', Qt::SkipEmptyParts))
            natural[c] = std::max(natural[c], head.horizontalAdvance(word) + 2 * pad);
        for (const QStringList &row : t.rows)
            natural[c] = std::max(natural[c], body.horizontalAdvance(row.value(c)) + 2 * pad);
    }
    double total = 0;
    for (double w : natural)
        total += w;
    if (total <= width) {
        // Spread the slack over every column alike.
        QList<double> out = natural;
        for (int c = 0; c < n; ++c)
            out[c] += (width - total) * natural[c] / total;
        return out;
    }
    double numericTotal = 0, textTotal = 0;
    for (int c = 0; c < n; ++c)
        (t.numeric.value(c) ? numericTotal : textTotal) += natural[c];
    QList<double> out = natural;
    const double forText = width - numericTotal;
    if (textTotal > 0 && forText >= 60 * (n > 0 ? 1 : 0)) {
        for (int c = 0; c < n; ++c)
            if (!t.numeric.value(c))
                out[c] = std::max(50.0, forText * natural[c] / textTotal);
    }
    total = 0;
    for (double w : out)
        total += w;
    if (total > width) // still too wide: shrink every column alike (cells elide)
        for (double &w : out)
            w *= width / total;
    return out;
}

void drawTable(Pages &pages, const ReportTable &t)
{
    QPainter &p = pages.painter();
    const QFont bodyFont = font(8), headFont = font(8, true);
    const QFontMetricsF body(bodyFont, p.device()), head(headFont, p.device());
    const double pad = 4;
    const QList<double> widths = columnWidths(t, body, head, pages.width(), pad);
    const double rowH = body.height() + 5;
    int headLines = 1;
    for (int c = 0; c < widths.size(); ++c) {
        const QRectF r = head.boundingRect(QRectF(0, 0, widths[c] - 2 * pad, 1e6), Qt::TextWordWrap,
                                           t.headers.value(c));
        headLines = std::max(headLines, int(std::lround(r.height() / head.height())));
    }
    const double headH = head.height() * headLines + 7;

    // A table that fits on a page is kept on one page.
    const double whole = kGap + pages.measure(t.title, font(11.5, true)) + 4
        + (t.note.isEmpty() ? 0 : pages.measure(t.note, font(8.5)) + 4) + headH
        + rowH * double(t.rows.size());
    if (whole <= pages.pageHeight())
        pages.ensure(whole);
    pages.heading(t.title, 11.5);
    if (!t.note.isEmpty()) {
        pages.text(t.note, font(8.5), kMuted);
        pages.advance(4);
    }

    auto drawRow = [&](const QStringList &cells, bool header, int index) {
        const double h = header ? headH : rowH;
        const QRectF line(pages.left(), pages.y(), pages.width(), h);
        if (header) {
            p.fillRect(line, kShade);
        } else if (index % 2 == 1) {
            p.fillRect(line, kStripe);
        }
        double x = pages.left();
        p.setFont(header ? headFont : bodyFont);
        p.setPen(kInk);
        const QFontMetricsF &m = header ? head : body;
        for (int c = 0; c < widths.size(); ++c) {
            const QRectF cell(x + pad, line.top(), widths[c] - 2 * pad, h);
            const Qt::Alignment align = (t.numeric.value(c) ? Qt::AlignRight : Qt::AlignLeft);
            if (header)
                p.drawText(cell, align | Qt::AlignVCenter | Qt::TextWordWrap, cells.value(c));
            else
                p.drawText(cell, align | Qt::AlignVCenter | Qt::TextSingleLine,
                           m.elidedText(cells.value(c), Qt::ElideRight, cell.width()));
            x += widths[c];
        }
        p.setPen(QPen(header ? kMuted : kRule, header ? 0.75 : 0.4));
        p.drawLine(line.bottomLeft(), line.bottomRight());
        pages.advance(h);
    };

    if (t.rows.isEmpty())
        return; // the note says why
    pages.ensure(headH + rowH * std::min<qsizetype>(3, t.rows.size()));
    drawRow(t.headers, true, 0);
    for (int i = 0; i < t.rows.size(); ++i) {
        if (pages.remaining() < rowH) {
            pages.newPage();
            pages.text(QStringLiteral("%1 (continued)").arg(t.title), font(9, true), kMuted);
            pages.advance(2);
            drawRow(t.headers, true, 0);
        }
        drawRow(t.rows[i], false, i);
    }
}

} // namespace

bool writePdfReport(const FleetSnapshot &s, QIODevice *device, QPageSize::PageSizeId pageSize,
                    QString *error)
{
    QPdfWriter writer(device);
    writer.setResolution(kResolution);
    writer.setPageLayout(QPageLayout(QPageSize(pageSize), QPageLayout::Portrait,
                                     QMarginsF(15, 14, 15, 12), QPageLayout::Millimeter));
    writer.setTitle(reportTitle(s));
    writer.setCreator(QStringLiteral("FleetScope %1").arg(QStringLiteral(FLEETSCOPE_VERSION)));

    const QString footer = QStringLiteral("%1 \u00b7 %2").arg(reportTitle(s), reportWindowText(s));
    Pages pages(writer, footer);
    if (!pages.begin()) {
        *error = QStringLiteral("cannot start painting the PDF");
        return false;
    }
    ReportViews views(s);
    const double width = pages.width();
    const QString q = QStringLiteral("p%1").arg(QString::number(s.settings.quantile * 100, 'g', 4));

    // Cover: what this is, the headline, the map.
    pages.text(reportTitle(s), font(19, true), kInk);
    pages.advance(2);
    pages.text(reportWindowText(s), font(10.5), kMuted);
    pages.advance(10);
    drawFacts(pages, reportCover(s));
    pages.heading(QStringLiteral("Headline"));
    drawHeadlines(pages, reportHeadlines(s));
    // Drawn a little larger than the page and scaled down, so the map keeps its proportions.
    const QSize mapSize(860, 470);
    drawFigure(pages, QStringLiteral("Latency map"),
               QStringLiteral("Colour: %1 request latency; area: request rate; lines: replication "
                              "to the primary, coloured by replica lag.")
                   .arg(q),
               views.map(mapSize), width * mapSize.height() / mapSize.width());

    // The charts.
    pages.newPage();
    // Drawn larger and scaled down, so each chart's legend has room for every region.
    const QSize trendsSize(900, 600);
    drawFigure(pages, QStringLiteral("Trends over the window"),
               QStringLiteral("The five regions slowest at %1 (footnotes 1, 3, 4, 5).").arg(q),
               views.trends(trendsSize), width * trendsSize.height() / trendsSize.width());
    const int barHeight = views.barChartHeight();
    if (reportHasVantage(s)) {
        drawFigure(pages, QStringLiteral("Measured against the speed of light"),
                   QStringLiteral("%1 latency per region beside the round trip in fibre from the "
                                  "users' location, largest gap on top (footnote 2).")
                       .arg(q),
                   views.lightFloor(QSize(int(width), barHeight)), barHeight);
    } else {
        drawNote(pages, QStringLiteral("Measured against the speed of light"),
                 reportNoVantageText());
    }
    drawFigure(pages, QStringLiteral("Where the time goes"),
               QStringLiteral("Mean time per request phase (dns, tls, compute, kv, db), slowest "
                              "regions on top."),
               views.phases(QSize(int(width), barHeight)), barHeight);

    // The tables.
    for (const ReportTable &t : reportTables(s)) {
        pages.advance(6);
        drawTable(pages, t);
    }

    // How each figure is computed.
    pages.heading(QStringLiteral("How the figures are computed"));
    const QStringList notes = reportFootnotes(s);
    for (int i = 0; i < notes.size(); ++i) {
        pages.text(QStringLiteral("%1. %2").arg(i + 1).arg(notes[i]), font(8.5), kInk);
        pages.advance(5);
    }
    pages.finish();
    return true;
}

} // namespace fleetscope::widgets
