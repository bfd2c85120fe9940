#include "panels/lightfloorchart.h"

#include "common/figureformat.h"
#include "panels/panelstyle.h"

#include <QBarSet>
#include <QChart>
#include <QHorizontalBarSeries>
#include <QToolTip>

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
    : RegionBarChart(new QHorizontalBarSeries, 0.8,
                     QStringLiteral("Measured latency versus speed-of-light floor"), parent)
    , m_measured(new QBarSet(QStringLiteral("measured")))
    , m_floor(new QBarSet(QStringLiteral("speed-of-light floor")))
{
    // Appended bottom-up per category: floor below measured reads "floor, then what we add".
    series()->append(m_floor);
    series()->append(m_measured);
    restyle();
    refresh();
}

LightFloorChart::~LightFloorChart() = default;

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
    const std::size_t total = keepTop(regions);
    QList<qreal> measured, floor;
    double max = 0;
    for (auto it = regions.rbegin(); it != regions.rend(); ++it) {
        const RegionData &r = **it;
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
    setAxes(max);
    QString title = vantage.isEmpty() ? QStringLiteral("Round trip (ms)")
                                      : QStringLiteral("Round trip (ms) from %1").arg(vantage);
    if (total > regions.size())
        title += QStringLiteral(" \u2014 %1 largest gaps of %2").arg(regions.size()).arg(total);
    setTitle(title);
    setEmptyText(!m_snapshot || !anyMeasured ? QStringLiteral("no data")
                                             : QStringLiteral("no data: choose a vantage point to "
                                                              "see the speed-of-light floor"));
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
    const RegionData *r = hoveredRegion(entered, index);
    if (!r)
        return;
    const auto &f = r->figures;
    QToolTip::showText(
        QCursor::pos(),
        panelstyle::plainToolTip(
            QStringLiteral("%1: measured %2, floor %3 over %4 km.\nThe stack adds %5.")
                .arg(r->code, formatMs(f.latencyQuantileMs), formatMs(f.lightFloorRttMs),
                     formatCount(f.distanceKm), formatMs(gap(*r)))),
        this);
}

} // namespace fleetscope::widgets
