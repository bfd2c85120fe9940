#include "panels/phasebreakdownchart.h"

#include "common/figureformat.h"
#include "panels/panelstyle.h"

#include <QBarSet>
#include <QChart>
#include <QHorizontalStackedBarSeries>
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

} // namespace

PhaseBreakdownChart::PhaseBreakdownChart(QWidget *parent)
    : RegionBarChart(new QHorizontalStackedBarSeries, 0.7,
                     QStringLiteral("Phase breakdown per region"), parent)
{
    chart()->setTitle(QStringLiteral("Where the time goes (mean per request)"));
    for (const QString &phase : phases()) {
        auto *set = new QBarSet(phase);
        m_sets.append(set);
        series()->append(set);
    }
    m_values->setTitleText(QStringLiteral("ms"));
    m_values->setTitleVisible(true);
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
    const std::size_t total = keepTop(regions);
    // A horizontal bar chart draws its first category at the bottom: feed bottom-up.
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
    setAxes(maxTotal);
    QString title = QStringLiteral("Where the time goes (mean ms per request)");
    if (total > regions.size())
        title += QStringLiteral(" \u2014 %1 slowest of %2").arg(regions.size()).arg(total);
    setTitle(title);
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
    const RegionData *r = hoveredRegion(entered, index);
    if (!r)
        return;
    const auto f = r->figures.phaseMeanMs.find(set->label());
    const double ms = f == r->figures.phaseMeanMs.end() ? snapshot::kNaN : f->second;
    QToolTip::showText(QCursor::pos(),
                       panelstyle::plainToolTip(
                           QStringLiteral("%1 %2: %3 (total %4)")
                               .arg(r->code, set->label(), formatMs(ms), formatMs(phaseTotal(*r)))),
                       this);
}

} // namespace fleetscope::widgets
