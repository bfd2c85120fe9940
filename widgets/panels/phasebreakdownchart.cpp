#include "panels/phasebreakdownchart.h"

#include "common/figureformat.h"
#include "panels/chartdata.h"
#include "panels/panelstyle.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QEvent>
#include <QGraphicsLayout>
#include <QHorizontalStackedBarSeries>
#include <QLegend>
#include <QPainter>
#include <QToolTip>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace fleetscope::widgets {

using snapshot::RegionData;

namespace {

double phaseTotal(const RegionData &r)
{
    double total = 0;
    for (const auto &[phase, ms] : r.figures.phaseMeanMs) {
        if (std::isfinite(ms))
            total += ms;
    }
    return total;
}

QString markedCode(const QString &code, const QString &selected)
{
    return code == selected ? QStringLiteral("\u25B6 ") + code : code;
}

} // namespace

PhaseBreakdownChart::PhaseBreakdownChart(QWidget *parent)
    : QChartView(new QChart, parent)
    , m_series(new QHorizontalStackedBarSeries)
    , m_categories(new QBarCategoryAxis)
    , m_values(new QValueAxis)
{
    panelstyle::setUpChartView(this);
    QChart *c = chart();
    c->setTitle(QStringLiteral("Where the time goes (mean per request)"));
    for (const QString &phase : phases()) {
        auto *set = new QBarSet(phase);
        m_sets.append(set);
        m_series->append(set);
    }
    m_series->setBarWidth(0.7);
    c->addSeries(m_series);
    m_categories->setTruncateLabels(false); // region codes are short: never "..."
    c->addAxis(m_categories, Qt::AlignLeft);
    c->addAxis(m_values, Qt::AlignBottom);
    m_series->attachAxis(m_categories);
    m_series->attachAxis(m_values);
    m_values->setTruncateLabels(false);
    m_values->setTitleText(QStringLiteral("ms"));
    m_values->setLabelFormat(QStringLiteral("%.0f"));
    connect(m_series, &QHorizontalStackedBarSeries::hovered, this, &PhaseBreakdownChart::showHover);
    setAccessibleName(QStringLiteral("Phase breakdown per region"));
    setMinimumSize(260, 150);
    restyle();
    refresh();
}

PhaseBreakdownChart::~PhaseBreakdownChart() = default;

QStringList PhaseBreakdownChart::phases()
{
    return { QStringLiteral("dns"), QStringLiteral("tls"), QStringLiteral("compute"),
             QStringLiteral("kv"), QStringLiteral("db") };
}

QBarSet *PhaseBreakdownChart::barSet(const QString &phase) const
{
    const qsizetype i = phases().indexOf(phase);
    return i < 0 ? nullptr : m_sets[i];
}

void PhaseBreakdownChart::setSnapshot(std::shared_ptr<const snapshot::FleetSnapshot> snapshot)
{
    m_snapshot = std::move(snapshot);
    refresh();
}

void PhaseBreakdownChart::setSelectedRegion(const QString &code)
{
    if (m_region == code)
        return;
    m_region = code;
    refresh();
}

void PhaseBreakdownChart::setMaxRegions(int count)
{
    m_maxRegions = std::max(1, count);
    refresh();
}

void PhaseBreakdownChart::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        restyle();
    QChartView::changeEvent(event);
}

void PhaseBreakdownChart::refresh()
{
    const panelstyle::ChartSettler settle(this);
    std::vector<const RegionData *> regions;
    int withoutData = 0;
    if (m_snapshot) {
        for (const RegionData &r : m_snapshot->regions) {
            if (r.figures.phaseMeanMs.empty())
                ++withoutData;
            else
                regions.push_back(&r);
        }
    }
    std::stable_sort(regions.begin(), regions.end(), [](const RegionData *a, const RegionData *b) {
        return phaseTotal(*a) > phaseTotal(*b);
    });
    const std::size_t total = regions.size();
    if (regions.size() > std::size_t(m_maxRegions)) {
        const auto selected =
            std::find_if(regions.begin(), regions.end(),
                         [&](const RegionData *r) { return r->code == m_region; });
        const RegionData *keep =
            selected != regions.end() && selected - regions.begin() >= m_maxRegions ? *selected
                                                                                    : nullptr;
        regions.resize(std::size_t(m_maxRegions));
        if (keep)
            regions.back() = keep;
    }
    m_regions.clear();
    for (const RegionData *r : regions)
        m_regions.append(r->code);

    // A horizontal bar chart draws its first category at the bottom: feed bottom-up.
    QStringList categories;
    for (auto it = regions.rbegin(); it != regions.rend(); ++it)
        categories.append(markedCode((*it)->code, m_region));
    const QStringList names = phases();
    double maxTotal = 0;
    for (const RegionData *r : regions)
        maxTotal = std::max(maxTotal, phaseTotal(*r));
    for (qsizetype p = 0; p < names.size(); ++p) {
        QList<qreal> values;
        values.reserve(qsizetype(regions.size()));
        for (auto it = regions.rbegin(); it != regions.rend(); ++it) {
            const auto f = (*it)->figures.phaseMeanMs.find(names[p]);
            // A missing phase adds no length; the hover text says "no data" for it.
            values.append(f != (*it)->figures.phaseMeanMs.end() && std::isfinite(f->second)
                              ? f->second
                              : 0.0);
        }
        QBarSet *set = m_sets[p];
        set->remove(0, set->count());
        set->append(values);
    }
    if (m_categories->categories() != categories)
        m_categories->setCategories(categories);
    if (categories.isEmpty())
        m_categories->clear();
    const chartdata::NiceRange nice =
        chartdata::niceRange(0, maxTotal > 0 ? maxTotal * 1.05 : 1, 5);
    panelstyle::setAxisRange(m_values, nice.min, nice.max, nice.ticks,
                             maxTotal >= 10 ? QStringLiteral("%.0f") : QStringLiteral("%.1f"));
    QString title = QStringLiteral("Where the time goes (mean ms per request)");
    if (total > regions.size())
        title += QStringLiteral(" \u2014 %1 slowest of %2").arg(regions.size()).arg(total);
    if (chart()->title() != title)
        chart()->setTitle(title);
    if (withoutData > 0)
        setToolTip(panelstyle::plainToolTip(
            QStringLiteral("%1 region(s) report no phase timings and are not shown.")
                .arg(withoutData)));
    else
        setToolTip(QString());
    viewport()->update();
}

void PhaseBreakdownChart::restyle()
{
    const panelstyle::ChartSettler settle(this);
    for (qsizetype p = 0; p < m_sets.size(); ++p) {
        const QColor c = panelstyle::seriesColour(int(p), palette());
        m_sets[p]->setColor(c);
        m_sets[p]->setBorderColor(c);
    }
    panelstyle::applyPalette(chart(), palette());
    setBackgroundBrush(palette().color(QPalette::Base));
}

void PhaseBreakdownChart::showHover(bool entered, int index, QBarSet *set)
{
    if (!entered || !m_snapshot || index < 0 || index >= m_regions.size()) {
        QToolTip::hideText();
        return;
    }
    // Categories run bottom-up; m_regions top-down.
    const QString code = m_regions[m_regions.size() - 1 - index];
    const RegionData *r = m_snapshot->region(code);
    if (!r)
        return;
    const auto f = r->figures.phaseMeanMs.find(set->label());
    const double ms = f == r->figures.phaseMeanMs.end() ? snapshot::kNaN : f->second;
    QToolTip::showText(QCursor::pos(),
                       panelstyle::plainToolTip(
                           QStringLiteral("%1 %2: %3 (total %4)")
                               .arg(code, set->label(), formatMs(ms), formatMs(phaseTotal(*r)))),
                       this);
}

void PhaseBreakdownChart::drawForeground(QPainter *painter, const QRectF &rect)
{
    QChartView::drawForeground(painter, rect);
    if (!m_regions.isEmpty())
        return;
    painter->save();
    painter->setPen(palette().color(QPalette::Disabled, QPalette::Text));
    painter->drawText(chart()->plotArea(), Qt::AlignCenter, QStringLiteral("no data"));
    painter->restore();
}

} // namespace fleetscope::widgets
