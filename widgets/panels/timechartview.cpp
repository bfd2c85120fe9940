#include "panels/timechartview.h"

#include "panels/chartdata.h"
#include "panels/panelstyle.h"

#include <QChart>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QEvent>
#include <QGraphicsLayout>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QPainter>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace fleetscope::widgets {

namespace {

// The fewest decimals that print every tick of an evenly spaced axis exactly (2.5 -> 1).
int decimalsFor(double interval)
{
    if (!(interval > 0))
        return 0;
    for (int d = 0; d < 6; ++d) {
        const double scaled = interval * std::pow(10.0, d);
        if (std::fabs(scaled - std::round(scaled)) < 1e-6 * std::max(1.0, scaled))
            return d;
    }
    return 6;
}

// Enough time ticks for the width, preferring a count that puts them a round interval apart.
int timeTickCount(double spanSeconds, int width)
{
    const int most = std::clamp(width / 95, 3, 9);
    static const double nice[] = { 1,   2,   5,    10,   15,   20,   30,    60,    120,   300,
                                   600, 900, 1200, 1800, 3600, 7200, 10800, 21600, 43200, 86400 };
    for (int n = most; n >= 3; --n) {
        const double interval = spanSeconds / (n - 1);
        for (const double x : nice) {
            if (std::fabs(interval - x) <= 0.02 * x) // a window a tick short of the hour is fine
                return n;
        }
    }
    return most;
}

} // namespace

TimeChartView::TimeChartView(const QString &valueTitle, QWidget *parent)
    : QChartView(new QChart, parent)
    , m_timeAxis(new QDateTimeAxis)
    , m_valueAxis(new QValueAxis)
{
    panelstyle::setUpChartView(this);
    QChart *c = chart();
    c->legend()->setShowToolTips(true);
    m_timeAxis->setTitleVisible(false);
    // Small charts (a 1280x800 screen) would otherwise show "..." for every value label.
    m_timeAxis->setTruncateLabels(false);
    m_valueAxis->setTruncateLabels(false);
    m_valueAxis->setTitleText(valueTitle);
    c->addAxis(m_timeAxis, Qt::AlignBottom);
    c->addAxis(m_valueAxis, Qt::AlignLeft);
    m_valueAxis->setRange(0, 1);
    connect(c, &QChart::plotAreaChanged, this, [this] {
        if (wantedTicks() != m_ticksFor) {
            updateValueAxis(m_valueAxis, false);
            if (m_secondaryAxis)
                updateValueAxis(m_secondaryAxis, true);
        }
        if (pointBudget() != m_fedBudget)
            feed();
        fitAxisTitles();
    });
    applyPalette();
}

void TimeChartView::setSecondaryAxisTitle(const QString &title)
{
    if (!m_secondaryAxis) {
        m_secondaryAxis = new QValueAxis;
        m_secondaryAxis->setTruncateLabels(false);
        // One grid, the left axis': a second set of lines at the right axis' ticks reads as
        // values on the left scale that are not there.
        m_secondaryAxis->setGridLineVisible(false);
        m_secondaryAxis->setMinorGridLineVisible(false);
        m_secondaryAxis->setRange(0, 1);
        chart()->addAxis(m_secondaryAxis, Qt::AlignRight);
        applyPalette();
    }
    m_secondaryAxis->setTitleText(title);
    fitAxisTitles();
}

void TimeChartView::setTitle(const QString &title)
{
    if (chart()->title() == title)
        return; // a new title lays the chart out again
    chart()->setTitle(title);
    setAccessibleName(title);
}

void TimeChartView::setTimeRange(double fromSeconds, double toSeconds)
{
    // Applied by the next setLines(), after the series are emptied: every axis change makes
    // QtCharts lay out each series again, and doing that with the old points is wasted work.
    m_pendingFrom = fromSeconds;
    m_pendingTo = toSeconds;
}

void TimeChartView::applyTimeRange()
{
    if (!(m_pendingTo >= m_pendingFrom))
        return;
    const double span = m_pendingTo - m_pendingFrom;
    const QString format = span <= 900 ? QStringLiteral("HH:mm:ss")
        : span <= 36 * 3600            ? QStringLiteral("HH:mm")
                                       : QStringLiteral("MMM d HH:mm");
    if (m_timeAxis->format() != format)
        m_timeAxis->setFormat(format);
    const QDateTime from = QDateTime::fromMSecsSinceEpoch(qint64(m_pendingFrom * 1000));
    const QDateTime to = QDateTime::fromMSecsSinceEpoch(qint64(m_pendingTo * 1000));
    if (m_timeAxis->min() != from || m_timeAxis->max() != to)
        m_timeAxis->setRange(from, to);
    m_span = span;
    const int ticks = timeTickCount(m_span, width());
    if (m_timeAxis->tickCount() != ticks)
        m_timeAxis->setTickCount(ticks);
}

void TimeChartView::resizeEvent(QResizeEvent *event)
{
    QChartView::resizeEvent(event);
    const int ticks = timeTickCount(m_span, width());
    if (m_timeAxis->tickCount() != ticks)
        m_timeAxis->setTickCount(ticks);
}

void TimeChartView::setLines(std::vector<ChartLine> lines)
{
    const panelstyle::ChartSettler settle(this);
    m_lines = std::move(lines);
    QChart *c = chart();
    // Empty the series first, so that the axis changes below lay out nothing and each line's
    // points are laid out once, by feed().
    for (QLineSeries *s : m_series) {
        if (s->count() > 0)
            s->clear();
    }
    while (m_series.size() > m_lines.size()) {
        QLineSeries *s = m_series.back();
        m_series.pop_back();
        c->removeSeries(s);
        delete s;
    }
    for (std::size_t i = 0; i < m_lines.size(); ++i) {
        const ChartLine &line = m_lines[i];
        const bool secondary = line.secondaryAxis && m_secondaryAxis;
        QLineSeries *s = i < m_series.size() ? m_series[i] : nullptr;
        const bool axisChanged = s && (s->attachedAxes().contains(m_secondaryAxis) != secondary);
        if (axisChanged) {
            c->removeSeries(s);
            delete s;
            s = nullptr;
            m_series[i] = nullptr;
        }
        if (!s) {
            s = new QLineSeries;
            c->addSeries(s);
            s->attachAxis(m_timeAxis);
            s->attachAxis(secondary ? m_secondaryAxis : m_valueAxis);
            if (i < m_series.size())
                m_series[i] = s;
            else
                m_series.push_back(s);
        }
        if (s->name() != line.name)
            s->setName(line.name);
        // Bevel joins and flat caps: round ones make the stroker emit curves at every vertex,
        // for a difference no one sees at 2 px. Patterned lines are one-pixel cosmetic pens,
        // which the raster engine dashes as it draws; a wider dashed pen is cut into hundreds of
        // stroked sub-paths at every repaint. (Lines of one pixel, the default, are drawn
        // directly too; a 2 px line is rasterised as a polygon per segment, three times the
        // cost of the whole dashboard's other lines.)
        QPen pen(line.colour, line.width, line.style, Qt::FlatCap, Qt::BevelJoin);
        if (line.style != Qt::SolidLine) {
            pen.setWidthF(1);
            pen.setCosmetic(true);
        }
        if (s->pen() != pen)
            s->setPen(pen);
        const QString label = line.legendLabel.isEmpty() ? line.name : line.legendLabel;
        const QList<QLegendMarker *> markers = c->legend()->markers(s);
        for (QLegendMarker *marker : markers) {
            marker->setVisible(line.inLegend);
            if (marker->label() != label)
                marker->setLabel(label);
        }
    }
    applyTimeRange();
    updateValueAxis(m_valueAxis, false);
    if (m_secondaryAxis)
        updateValueAxis(m_secondaryAxis, true);
    m_fedBudget = -1;
    feed();
    viewport()->update();
}

void TimeChartView::setEmptyText(const QString &text)
{
    if (m_emptyText == text)
        return;
    m_emptyText = text;
    viewport()->update();
}

void TimeChartView::fitAxisTitles()
{
    const qreal plotHeight = chart()->plotArea().height();
    for (QValueAxis *axis : { m_valueAxis, m_secondaryAxis }) {
        if (!axis)
            continue;
        const QString title = axis->titleText();
        const bool fits = !title.isEmpty()
            && plotHeight >= QFontMetrics(axis->titleFont()).horizontalAdvance(title) + 8;
        if (axis->isTitleVisible() != fits)
            axis->setTitleVisible(fits);
    }
}

int TimeChartView::wantedTicks() const
{
    const qreal plotHeight = chart()->plotArea().height();
    return plotHeight > 0 ? std::clamp(int(plotHeight / 40) + 1, 2, 5) : 5;
}

int TimeChartView::pointBudget() const
{
    const int plot = int(chart()->plotArea().width());
    const int view = viewport()->width();
    const int pixels = plot > 0 ? std::min(plot, view) : view;
    // A point every two pixels: largest-triangle decimation keeps every peak and dip, and a
    // vertex closer than that moves no line visibly, yet costs a stroked segment at every repaint
    // and a piece of the outline QtCharts rebuilds for each series at every update.
    return std::max(2, pixels / 2);
}

QXYSeries *TimeChartView::series(const QString &name) const
{
    for (QLineSeries *s : m_series) {
        if (s->name() == name)
            return s;
    }
    return nullptr;
}

QList<QXYSeries *> TimeChartView::allSeries() const
{
    QList<QXYSeries *> out;
    for (QLineSeries *s : m_series)
        out.append(s);
    return out;
}

void TimeChartView::applyPalette()
{
    panelstyle::applyPalette(chart(), palette());
    setBackgroundBrush(palette().color(QPalette::Base));
}

void TimeChartView::drawForeground(QPainter *painter, const QRectF &rect)
{
    QChartView::drawForeground(painter, rect);
    bool empty = true;
    for (const ChartLine &line : m_lines) {
        if (!line.points.isEmpty()) {
            empty = false;
            break;
        }
    }
    if (!empty)
        return;
    painter->save();
    painter->setPen(palette().color(QPalette::Disabled, QPalette::Text));
    QFont f = font();
    f.setPointSizeF(f.pointSizeF() * 1.2);
    painter->setFont(f);
    painter->drawText(chart()->plotArea(), Qt::AlignCenter | Qt::TextWordWrap,
                      m_emptyText.isEmpty() ? QStringLiteral("no data") : m_emptyText);
    painter->restore();
}

void TimeChartView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        applyPalette();
    QChartView::changeEvent(event);
}

void TimeChartView::feed()
{
    const int budget = pointBudget();
    m_fedBudget = budget;
    for (std::size_t i = 0; i < m_lines.size() && i < m_series.size(); ++i)
        m_series[i]->replace(chartdata::decimate(m_lines[i].points, budget));
}

void TimeChartView::updateValueAxis(QValueAxis *axis, bool secondary)
{
    double lo = 0, hi = 0;
    bool any = false;
    for (const ChartLine &line : m_lines) {
        if ((line.secondaryAxis && m_secondaryAxis) != secondary)
            continue;
        for (const QPointF &p : line.points) {
            if (!std::isfinite(p.y()))
                continue;
            hi = any ? std::max(hi, p.y()) : p.y();
            lo = any ? std::min(lo, p.y()) : p.y();
            any = true;
        }
    }
    // About one label per 40 px of plot height: QtCharts hides labels that would overlap, and
    // what is left of six round ticks on a short chart (10, 46, 82) is no longer round.
    const int wanted = wantedTicks();
    m_ticksFor = wanted;
    chartdata::NiceRange nice;
    if (m_ceiling > 0 && !secondary) {
        // Ratios: from a round floor below the data to the ceiling, so small dips show.
        const double floor = any ? std::max(0.0, std::floor((lo - 5) / 10) * 10) : 0;
        nice = chartdata::niceRange(floor, m_ceiling, wanted);
        nice.max = std::min(nice.max, m_ceiling);
        nice.ticks = int(std::lround((nice.max - nice.min) / nice.step)) + 1;
    } else {
        lo = std::min(0.0, lo); // amounts read against zero
        if (!any || hi <= lo)
            hi = lo + 1;
        nice = chartdata::niceRange(lo, hi * 1.05, wanted);
    }
    const QString format = QStringLiteral("%.") + QString::number(decimalsFor(nice.step)) + u'f';
    panelstyle::setAxisRange(axis, nice.min, nice.max, nice.ticks, format);
}

} // namespace fleetscope::widgets
