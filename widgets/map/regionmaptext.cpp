// RegionMapWidget's words: the note on unplaced regions, the hover card's plain text and the
// accessible description that screen readers announce (the card of the Tab cursor's region
// included). Kept apart from the widget's data, view and interaction (regionmapwidget.cpp) and
// its painting (regionmappainting.cpp) so that what people read is reviewed in one place.

#include "map/regionmapwidget.h"

#include "map/regionmapprivate.h"

#include "common/figureformat.h"

#include <cmath>

namespace fleetscope::widgets {

using mapdetail::plain;
using mapdetail::quantileName;
using snapshot::RegionData;

QString RegionMapWidget::unplacedNote() const
{
    if (m_unplaced.isEmpty())
        return {};
    QStringList codes;
    for (const QString &code : m_unplaced)
        codes.append(plain(code, 24));
    const QString list = codes.join(QStringLiteral(", "));
    return m_unplaced.size() == 1
        ? tr("1 region not on the map: %1").arg(list)
        : tr("%1 regions not on the map: %2").arg(m_unplaced.size()).arg(list);
}

QString RegionMapWidget::cardText(const QString &code) const
{
    if (!m_snapshot)
        return {};
    const RegionData *r = m_snapshot->region(code);
    if (!r)
        return {};
    const auto &f = r->figures;
    const MarkerStyle style = styleFor(*r);
    QStringList lines;
    const QString title = r->name.isEmpty() || r->name == r->code
        ? plain(r->code)
        : QStringLiteral("%1 (%2)").arg(plain(r->name), plain(r->code, 40));
    lines.append(title);
    QStringList where;
    if (!r->city.isEmpty())
        where.append(plain(r->city, 40));
    if (!r->country.isEmpty())
        where.append(plain(r->country, 20));
    if (!r->provider.isEmpty())
        where.append(plain(r->provider, 20));
    if (!where.isEmpty())
        lines.append(tr("Where: %1").arg(where.join(QStringLiteral(", "))));

    QString status;
    switch (style) {
    case MarkerStyle::Down:
        status = tr("down");
        break;
    case MarkerStyle::ScaledToZero:
        status = tr("scaled to zero");
        break;
    case MarkerStyle::NoData:
        status = tr("no latency data");
        break;
    case MarkerStyle::None:
        status = tr("not on the map (no coordinates)");
        break;
    case MarkerStyle::Latency:
        status = r->nodesDown > 0
            ? tr("serving, %1 of %2 nodes down")
                  .arg(r->nodesDown)
                  .arg(r->nodesUp + r->nodesIdle + r->nodesDown + r->nodesStale)
            : tr("serving");
        break;
    }
    lines.append(tr("Status: %1").arg(status));
    const double q = m_snapshot->settings.quantile;
    lines.append(tr("Latency p50: %1").arg(formatMs(f.latencyP50Ms)));
    lines.append(tr("Latency p90: %1").arg(formatMs(f.latencyP90Ms)));
    lines.append(tr("Latency p95: %1").arg(formatMs(f.latencyP95Ms)));
    lines.append(tr("Latency p99: %1").arg(formatMs(f.latencyP99Ms)));
    if (q != 0.5 && q != 0.9 && q != 0.95 && q != 0.99)
        lines.append(tr("Latency %1: %2").arg(quantileName(q), formatMs(f.latencyQuantileMs)));
    QString floor = formatMs(f.lightFloorRttMs);
    if (std::isfinite(f.lightFloorRttMs) && !m_snapshot->settings.vantage.isEmpty())
        floor = tr("%1 from %2").arg(floor, plain(m_snapshot->settings.vantage, 40));
    lines.append(tr("Speed-of-light floor (RTT): %1").arg(floor));
    lines.append(tr("Requests: %1").arg(formatRate(f.requestRate)));
    lines.append(tr("Hit ratio: %1").arg(formatPercent(f.hitRatio)));
    QString lag = formatSeconds(f.replicaLagS);
    if (!r->primary.isEmpty() && r->primary != r->code)
        lag = tr("%1 behind %2").arg(lag, plain(r->primary, 40));
    else if (r->code == m_snapshot->primaryRegion)
        lag = tr("primary");
    lines.append(tr("Replica lag: %1").arg(lag));
    lines.append(tr("Cost per invocation: %1").arg(formatUsd(f.costPerInvocationUsd)));
    QString nodes =
        tr("%1 up, %2 idle, %3 down").arg(r->nodesUp).arg(r->nodesIdle).arg(r->nodesDown);
    if (r->nodesStale > 0)
        nodes += tr(", %1 stale").arg(r->nodesStale);
    lines.append(tr("Nodes: %1").arg(nodes));
    return lines.join(u'\n');
}

void RegionMapWidget::updateAccessibleDescription()
{
    QString description;
    if (!m_snapshot) {
        description = tr("No fleet snapshot.");
    } else {
        description = m_markers.size() == 1 ? tr("1 region on the map.")
                                            : tr("%1 regions on the map.").arg(m_markers.size());
        if (!m_unplaced.isEmpty())
            description += u' ' + unplacedNote() + u'.';
        if (!m_selected.isEmpty())
            description += u' ' + tr("Selected: %1.").arg(plain(m_selected, 40));
        if (!m_keyboard.isEmpty())
            description += u' ' + cardText(m_keyboard).replace(u'\n', QStringLiteral("; "));
    }
    description += u' '
        + tr("Tab moves between regions, Enter selects, Escape clears, plus and minus zoom, "
             "arrows pan, 0 resets the view.");
    if (description != accessibleDescription())
        setAccessibleDescription(description);
}

} // namespace fleetscope::widgets
