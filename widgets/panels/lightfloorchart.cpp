#include "panels/lightfloorchart.h"

#include "common/figureformat.h"
#include "panels/chartdata.h"
#include "panels/panelstyle.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QEvent>
#include <QGraphicsLayout>
#include <QHorizontalBarSeries>
#include <QLegend>
#include <QPainter>
#include <QToolTip>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace fleetscope::widgets {

using snapshot::RegionData;

namespace {

double gap(const RegionData &r)
{
    return r.figures.latencyQuantileMs - r.figures.lightFloorRttMs;
}

QString quantileName(double q)
{
    const double pct = q * 100;
    return u'p' + QString::number(pct, 'f', std::fabs(pct - std::round(pct)) < 1e-9 ? 0 : 1);
}

} // namespace

LightFloorChart::LightFloorChart(QWidget *parent)
    : QChartView(new QChart, parent)
    , m_series(new QHorizontalBarSeries)
    , m_measured(new QBarSet(QStringLiteral("measured")))
    , m_floor(new QBarSet(QStringLiteral("speed-of-light floor")))
    , m_categories(new QBarCategoryAxis)
    , m_values(new QValueAxis)
{
    panelstyle::setUpChartView(this);
    QChart *c = chart();
    // Appended bottom-up per category: floor below measured reads "floor, then what we add".
    m_series->append(m_floor);
    m_series->append(m_measured);
    m_series->setBarWidth(0.8);
    c->addSeries(m_series);
    m_categories->setTruncateLabels(false); // region codes are short: never "..."
    c->addAxis(m_categories, Qt::AlignLeft);
    c->addAxis(m_values, Qt::AlignBottom);
    m_series->attachAxis(m_categories);
    m_series->attachAxis(m_values);
    m_values->setTruncateLabels(false);
    // The unit is in the chart's title: QtCharts squeezes an axis title to "..." when the dock
    // leaves the chart short.
    m_values->setTitleVisible(false);
    connect(m_series, &QHorizontalBarSeries::hovered, this, &LightFloorChart::showHover);
    setAccessibleName(QStringLiteral("Measured latency versus speed-of-light floor"));
    setMinimumSize(260, 150);
    restyle();
    refresh();
}

LightFloorChart::~LightFloorChart() = default;

void LightFloorChart::setSnapshot(std::shared_ptr<const snapshot::FleetSnapshot> snapshot)
{
    m_snapshot = std::move(snapshot);
    refresh();
}

void LightFloorChart::setSelectedRegion(const QString &code)
{
    if (m_region == code)
        return;
    m_region = code;
    refresh();
}

void LightFloorChart::setMaxRegions(int count)
{
    m_maxRegions = std::max(1, count);
    refresh();
}

void LightFloorChart::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        restyle();
    QChartView::changeEvent(event);
}

void LightFloorChart::refresh()
{
    const panelstyle::ChartSettler settle(this);
    std::vector<const RegionData *> regions;
    bool anyMeasured = false;
    double quantile = 0.95;
    QString vantage;
    if (m_snapshot) {
        quantile = m_snapshot->settings.quantile;
        vantage = m_snapshot->settings.vantage;
        for (const RegionData &r : m_snapshot->regions) {
            anyMeasured = anyMeasured || std::isfinite(r.figures.latencyQuantileMs);
            if (std::isfinite(gap(r)))
                regions.push_back(&r);
        }
    }
    std::stable_sort(regions.begin(), regions.end(),
                     [](const RegionData *a, const RegionData *b) { return gap(*a) > gap(*b); });
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
    QStringList categories;
    QList<qreal> measured, floor;
    double max = 0;
    for (const RegionData *r : regions)
        m_regions.append(r->code);
    for (auto it = regions.rbegin(); it != regions.rend(); ++it) {
        const RegionData &r = **it;
        categories.append(r.code == m_region ? QStringLiteral("\u25B6 ") + r.code : r.code);
        measured.append(r.figures.latencyQuantileMs);
        floor.append(r.figures.lightFloorRttMs);
        max = std::max({ max, r.figures.latencyQuantileMs, r.figures.lightFloorRttMs });
    }
    m_measured->remove(0, m_measured->count());
    m_measured->append(measured);
    m_floor->remove(0, m_floor->count());
    m_floor->append(floor);
    // Only what differs: each QtCharts setter lays the chart out again, labels and all.
    const QString measuredLabel = QStringLiteral("measured %1").arg(quantileName(quantile));
    if (m_measured->label() != measuredLabel)
        m_measured->setLabel(measuredLabel);
    if (m_categories->categories() != categories)
        m_categories->setCategories(categories);
    if (categories.isEmpty())
        m_categories->clear();
    const chartdata::NiceRange nice = chartdata::niceRange(0, max > 0 ? max * 1.05 : 1, 5);
    panelstyle::setAxisRange(m_values, nice.min, nice.max, nice.ticks,
                             max >= 10 ? QStringLiteral("%.0f") : QStringLiteral("%.1f"));
    QString title = vantage.isEmpty() ? QStringLiteral("Round trip (ms)")
                                      : QStringLiteral("Round trip (ms) from %1").arg(vantage);
    if (total > regions.size())
        title += QStringLiteral(" \u2014 %1 largest gaps of %2").arg(regions.size()).arg(total);
    if (chart()->title() != title)
        chart()->setTitle(title);
    m_emptyText = !m_snapshot || !anyMeasured ? QStringLiteral("no data")
                                              : QStringLiteral("no data: choose a vantage point to "
                                                               "see the speed-of-light floor");
    viewport()->update();
}

void LightFloorChart::restyle()
{
    const panelstyle::ChartSettler settle(this);
    m_floor->setLabel(QStringLiteral("speed-of-light floor (fibre round trip)"));
    const QColor measuredColour = panelstyle::seriesColour(0, palette());
    QColor floorColour = palette().color(QPalette::Text);
    floorColour.setAlpha(110);
    m_measured->setColor(measuredColour);
    m_measured->setBorderColor(measuredColour);
    m_floor->setColor(floorColour);
    m_floor->setBorderColor(floorColour);
    panelstyle::applyPalette(chart(), palette());
    setBackgroundBrush(palette().color(QPalette::Base));
}

void LightFloorChart::showHover(bool entered, int index, QBarSet *)
{
    if (!entered || !m_snapshot || index < 0 || index >= m_regions.size()) {
        QToolTip::hideText();
        return;
    }
    const QString code = m_regions[m_regions.size() - 1 - index];
    const RegionData *r = m_snapshot->region(code);
    if (!r)
        return;
    const auto &f = r->figures;
    QToolTip::showText(
        QCursor::pos(),
        panelstyle::plainToolTip(
            QStringLiteral("%1: measured %2, floor %3 over %4 km.\nThe stack adds %5.")
                .arg(code, formatMs(f.latencyQuantileMs), formatMs(f.lightFloorRttMs),
                     formatCount(f.distanceKm), formatMs(gap(*r)))),
        this);
}

void LightFloorChart::drawForeground(QPainter *painter, const QRectF &rect)
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
