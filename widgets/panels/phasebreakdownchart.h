#pragma once

// PhaseBreakdownChart: where a request's time goes, per region — the mean dns, tls, compute, kv
// and db time (figures.phaseMeanMs) as stacked horizontal bars, the slowest regions on top (at
// most maxRegions, always including the selected one, which is marked). GUI thread; owns its
// chart, series and axes; keeps a shared reference to the snapshot it draws.

#include "panels/regionbarchart.h"

QT_BEGIN_NAMESPACE
class QBarSet;
QT_END_NAMESPACE

namespace fleetscope::widgets {

class PhaseBreakdownChart : public RegionBarChart
{
    Q_OBJECT
public:
    explicit PhaseBreakdownChart(QWidget *parent = nullptr);
    ~PhaseBreakdownChart() override;

    static QStringList phases(); // dns, tls, compute, kv, db: the stacking order
    // The bar set of one phase.
    QBarSet *barSet(const QString &phase) const;

private:
    void refresh() override;
    void restyle() override;
    void showHover(bool entered, int index, QBarSet *set) override;

    QList<QBarSet *> m_sets;
};

} // namespace fleetscope::widgets
