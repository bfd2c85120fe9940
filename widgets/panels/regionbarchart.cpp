#include "panels/regionbarchart.h"

#include "panels/chartdata.h"
#include "panels/panelstyle.h"

#include <QAbstractBarSeries>
#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QEvent>
#include <QPainter>
#include <QToolTip>
#include <QValueAxis>

#include <algorithm>

namespace fleetscope::widgets {

using snapshot::RegionData;

RegionBarChart::RegionBarChart(QAbstractBarSeries *series, double barWidth,
                               const QString &accessibleName, QWidget *parent)
    : QChartView(new QChart, parent)
    , m_categories(new QBarCategoryAxis)
    , m_values(new QValueAxis)
    , m_series(series)
{
    panelstyle::setUpChartView(this);
    QChart *c = chart();
    series->setBarWidth(barWidth);
    c->addSeries(series);
    m_categories->setTruncateLabels(false); // region codes are short: never "..."
    c->addAxis(m_categories, Qt::AlignLeft);
    c->addAxis(m_values, Qt::AlignBottom);
    series->attachAxis(m_categories);
    series->attachAxis(m_values);
    m_values->setTruncateLabels(false);
    // The unit is in the chart's title: QtCharts squeezes an axis title to "..." when the dock
    // leaves the chart short.
    m_values->setTitleVisible(false);
    connect(series, &QAbstractBarSeries::hovered, this,
            [this](bool entered, int index, QBarSet *set) { showHover(entered, index, set); });
    setAccessibleName(accessibleName);
    setMinimumSize(260, 150);
}

RegionBarChart::~RegionBarChart() = default;

void RegionBarChart::setSnapshot(std::shared_ptr<const snapshot::FleetSnapshot> snapshot)
{
    m_snapshot = std::move(snapshot);
    refresh();
}

void RegionBarChart::setSelectedRegion(const QString &code)
{
    if (m_region == code)
        return;
    m_region = code;
    refresh();
}

void RegionBarChart::setMaxRegions(int count)
{
    m_maxRegions = std::max(1, count);
    refresh();
}

std::size_t RegionBarChart::keepTop(std::vector<const RegionData *> &regions)
{
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
    return total;
}

void RegionBarChart::setAxes(double max)
{
    // A horizontal bar chart draws its first category at the bottom.
    QStringList categories;
    for (auto it = m_regions.crbegin(); it != m_regions.crend(); ++it)
        categories.append(*it == m_region ? QStringLiteral("\u25B6 ") + *it : *it);
    if (m_categories->categories() != categories)
        m_categories->setCategories(categories);
    if (categories.isEmpty())
        m_categories->clear();
    const chartdata::NiceRange nice = chartdata::niceRange(0, max > 0 ? max * 1.05 : 1, 5);
    panelstyle::setAxisRange(m_values, nice.min, nice.max, nice.ticks,
                             max >= 10 ? QStringLiteral("%.0f") : QStringLiteral("%.1f"));
}

void RegionBarChart::setTitle(const QString &title)
{
    if (chart()->title() != title)
        chart()->setTitle(title);
}

const RegionData *RegionBarChart::hoveredRegion(bool entered, int index) const
{
    if (!entered || !m_snapshot || index < 0 || index >= m_regions.size()) {
        QToolTip::hideText();
        return nullptr;
    }
    return m_snapshot->region(m_regions[m_regions.size() - 1 - index]);
}

void RegionBarChart::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        restyle();
    QChartView::changeEvent(event);
}

void RegionBarChart::drawForeground(QPainter *painter, const QRectF &rect)
{
    QChartView::drawForeground(painter, rect);
    if (!m_regions.isEmpty())
        return;
    painter->save();
    painter->setPen(palette().color(QPalette::Disabled, QPalette::Text));
    painter->drawText(chart()->plotArea().adjusted(8, 0, -8, 0), Qt::AlignCenter | Qt::TextWordWrap,
                      m_emptyText);
    painter->restore();
}

} // namespace fleetscope::widgets
