#pragma once

// LightFloorChart: each region's measured latency at the chosen quantile beside the speed-of-
// light round trip from the vantage point (figures.latencyQuantileMs vs lightFloorRttMs), as
// horizontal bars sorted by the gap between them — the stack's share, largest on top. GUI thread;
// owns its chart, series and axes; keeps a shared reference to the snapshot it draws.

#include "panels/regionbarchart.h"

QT_BEGIN_NAMESPACE
class QBarSet;
QT_END_NAMESPACE

namespace fleetscope::widgets {

class LightFloorChart : public RegionBarChart
{
    Q_OBJECT
public:
    explicit LightFloorChart(QWidget *parent = nullptr);
    ~LightFloorChart() override;

    QBarSet *measuredSet() const { return m_measured; }
    QBarSet *floorSet() const { return m_floor; }

private:
    void refresh() override;
    void restyle() override;
    void showHover(bool entered, int index, QBarSet *set) override;

    QBarSet *m_measured;
    QBarSet *m_floor;
};

} // namespace fleetscope::widgets
