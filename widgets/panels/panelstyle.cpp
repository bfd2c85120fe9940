#include "panels/panelstyle.h"

#include <QAbstractAxis>
#include <QChart>
#include <QChartView>
#include <QCoreApplication>
#include <QGraphicsLayout>
#include <QLegend>
#include <QPainter>
#include <QPainterPath>
#include <QPixmap>
#include <QValueAxis>

namespace fleetscope::widgets::panelstyle {

using analytics::SloStatus;
using snapshot::Health;

bool isDark(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() < 128;
}

QColor sloColour(SloStatus status, const QPalette &palette)
{
    const bool dark = isDark(palette);
    switch (status) {
    case SloStatus::Ok:
        return dark ? QColor(0x66, 0xbb, 0x6a) : QColor(0x1b, 0x7f, 0x3b);
    case SloStatus::Warning:
        return dark ? QColor(0xff, 0xb7, 0x4d) : QColor(0xb2, 0x6a, 0x00);
    case SloStatus::Breach:
        return dark ? QColor(0xef, 0x53, 0x50) : QColor(0xc6, 0x28, 0x28);
    case SloStatus::NoData:
        break;
    }
    return palette.color(QPalette::Disabled, QPalette::WindowText);
}

QString sloWord(SloStatus status)
{
    switch (status) {
    case SloStatus::Ok:
        return QStringLiteral("OK");
    case SloStatus::Warning:
        return QStringLiteral("Warning");
    case SloStatus::Breach:
        return QStringLiteral("Breach");
    case SloStatus::NoData:
        break;
    }
    return QStringLiteral("No data");
}

QString sloSymbol(SloStatus status)
{
    switch (status) {
    case SloStatus::Ok:
        return QStringLiteral("\u2714"); // heavy check mark
    case SloStatus::Warning:
        return QStringLiteral("\u25B2"); // triangle
    case SloStatus::Breach:
        return QStringLiteral("\u2716"); // heavy cross
    case SloStatus::NoData:
        break;
    }
    return QStringLiteral("\u2013"); // dash
}

QColor healthColour(Health health, const QPalette &palette)
{
    switch (health) {
    case Health::Up:
        return sloColour(SloStatus::Ok, palette);
    case Health::Idle:
        return isDark(palette) ? QColor(0x64, 0xb5, 0xf6) : QColor(0x15, 0x65, 0xc0);
    case Health::Down:
        return sloColour(SloStatus::Breach, palette);
    case Health::Stale:
        return sloColour(SloStatus::Warning, palette);
    case Health::Unknown:
        break;
    }
    return sloColour(SloStatus::NoData, palette);
}

QString healthWord(Health health)
{
    switch (health) {
    case Health::Up:
        return QStringLiteral("Up");
    case Health::Idle:
        return QStringLiteral("Idle");
    case Health::Down:
        return QStringLiteral("Down");
    case Health::Stale:
        return QStringLiteral("Stale");
    case Health::Unknown:
        break;
    }
    return QStringLiteral("Unknown");
}

QIcon healthIcon(Health health, const QPalette &palette)
{
    QIcon icon;
    for (const int size : { 16, 32 }) {
        QPixmap pm(size, size);
        pm.fill(Qt::transparent);
        QPainter p(&pm);
        p.setRenderHint(QPainter::Antialiasing);
        const QColor c = healthColour(health, palette);
        const double m = size * 0.15;
        const QRectF r(m, m, size - 2 * m, size - 2 * m);
        QPen pen(c, size / 8.0, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin);
        switch (health) {
        case Health::Up:
            p.setPen(Qt::NoPen);
            p.setBrush(c);
            p.drawEllipse(r);
            break;
        case Health::Idle:
            p.setPen(pen);
            p.setBrush(Qt::NoBrush);
            p.drawEllipse(r.adjusted(size / 16.0, size / 16.0, -size / 16.0, -size / 16.0));
            break;
        case Health::Down:
            pen.setWidthF(size / 5.0);
            p.setPen(pen);
            p.drawLine(r.topLeft(), r.bottomRight());
            p.drawLine(r.topRight(), r.bottomLeft());
            break;
        case Health::Stale: {
            QPainterPath path;
            path.moveTo(r.center().x(), r.top());
            path.lineTo(r.right(), r.bottom());
            path.lineTo(r.left(), r.bottom());
            path.closeSubpath();
            p.setPen(Qt::NoPen);
            p.setBrush(c);
            p.drawPath(path);
            break;
        }
        case Health::Unknown: {
            p.setPen(pen);
            QFont f = p.font();
            f.setPixelSize(int(size * 0.9));
            f.setBold(true);
            p.setFont(f);
            p.drawText(QRectF(0, 0, size, size), Qt::AlignCenter, QStringLiteral("?"));
            break;
        }
        }
        p.end();
        icon.addPixmap(pm);
    }
    return icon;
}

QColor seriesColour(int index, const QPalette &palette)
{
    // Okabe-Ito without black (invisible on dark) and yellow (invisible on light).
    static const QColor colours[] = {
        QColor(0x00, 0x72, 0xb2), QColor(0xe6, 0x9f, 0x00), QColor(0x00, 0x9e, 0x73),
        QColor(0xd5, 0x5e, 0x00), QColor(0xcc, 0x79, 0xa7), QColor(0x56, 0xb4, 0xe9),
        QColor(0x8c, 0x6d, 0x31),
    };
    const QColor c = colours[std::size_t(index) % std::size(colours)];
    return isDark(palette) ? c.lighter(130) : c;
}

void setUpChartView(QChartView *view)
{
    view->setRenderHint(QPainter::Antialiasing);
    view->setViewportUpdateMode(QGraphicsView::FullViewportUpdate);
    QChart *c = view->chart();
    c->setAnimationOptions(QChart::NoAnimation);
    c->setMargins(QMargins(4, 4, 4, 4));
    c->layout()->setContentsMargins(0, 0, 0, 0);
    QFont titleFont = c->titleFont();
    titleFont.setBold(true);
    c->setTitleFont(titleFont);
    c->legend()->setAlignment(Qt::AlignBottom);
}

void settleChart(QChartView *view)
{
    // Only the chart's own objects: its layout requests and its scene's queued calls (a general
    // sendPostedEvents here could deliver, say, a new snapshot in the middle of this one).
    QChart *chart = view->chart();
    QCoreApplication::sendPostedEvents(chart, QEvent::LayoutRequest);
    QCoreApplication::sendPostedEvents(chart->legend(), QEvent::LayoutRequest);
    QCoreApplication::sendPostedEvents(view->scene(), QEvent::MetaCall);
}

void applyPalette(QChart *chart, const QPalette &palette)
{
    const QColor base = palette.color(QPalette::Base);
    const QColor text = palette.color(QPalette::Text);
    // Grid lines in the opaque colour of 16% text over the chart's base: the same look as a
    // translucent pen, without blending each of their pixels at every repaint.
    const auto over = [&](int alpha) {
        const auto mix = [alpha](int fg, int bg) {
            return (fg * alpha + bg * (255 - alpha)) / 255;
        };
        return QColor(mix(text.red(), base.red()), mix(text.green(), base.green()),
                      mix(text.blue(), base.blue()));
    };
    const QColor grid = over(40);
    chart->setBackgroundBrush(base);
    chart->setBackgroundPen(Qt::NoPen);
    chart->setPlotAreaBackgroundVisible(false);
    chart->setTitleBrush(text);
    chart->legend()->setLabelColor(text);
    const auto axes = chart->axes();
    for (QAbstractAxis *axis : axes) {
        axis->setLabelsColor(text);
        axis->setTitleBrush(text);
        // One-pixel cosmetic pens: the raster engine draws them directly, where the themes'
        // wider pens go through the general stroker for every grid line at every repaint.
        QPen line(grid, 1);
        line.setCosmetic(true);
        axis->setLinePen(line);
        axis->setGridLinePen(line);
        QPen minor(over(15), 1);
        minor.setCosmetic(true);
        axis->setMinorGridLinePen(minor);
    }
}

void setAxisRange(QValueAxis *axis, double min, double max, int ticks, const QString &format)
{
    if (axis->min() != min || axis->max() != max)
        axis->setRange(min, max);
    if (axis->tickCount() != ticks)
        axis->setTickCount(ticks);
    if (axis->labelFormat() != format)
        axis->setLabelFormat(format);
}

QString plainToolTip(const QString &text)
{
    if (text.isEmpty())
        return text;
    return QStringLiteral("<p style=\"white-space:pre-wrap\">%1</p>").arg(text.toHtmlEscaped());
}

} // namespace fleetscope::widgets::panelstyle
