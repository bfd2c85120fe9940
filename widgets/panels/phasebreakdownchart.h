#pragma once

// PhaseBreakdownChart: where a request's time goes, per region — the mean dns, tls, compute, kv
// and db time (figures.phaseMeanMs) as stacked horizontal bars, the slowest regions on top (at
// most maxRegions, always including the selected one, which is marked). GUI thread; owns its
// chart, series and axes; keeps a shared reference to the snapshot it draws.

#include "snapshot/fleetsnapshot.h"

#include <QChartView>

#include <memory>

QT_BEGIN_NAMESPACE
class QBarCategoryAxis;
class QBarSet;
class QHorizontalStackedBarSeries;
class QValueAxis;
QT_END_NAMESPACE

namespace fleetscope::widgets {

class PhaseBreakdownChart : public QChartView
{
    Q_OBJECT
public:
    explicit PhaseBreakdownChart(QWidget *parent = nullptr);
    ~PhaseBreakdownChart() override;

    void setSnapshot(std::shared_ptr<const snapshot::FleetSnapshot> snapshot);
    void setSelectedRegion(const QString &code);
    void setMaxRegions(int count);

    static QStringList phases(); // dns, tls, compute, kv, db: the stacking order
    // The bar set of one phase, and the region codes of the bars from top to bottom.
    QBarSet *barSet(const QString &phase) const;
    QStringList regionsTopToBottom() const { return m_regions; }

protected:
    void drawForeground(QPainter *painter, const QRectF &rect) override;
    void changeEvent(QEvent *event) override;

private:
    void refresh();
    void restyle(); // colours from the palette: at construction and when the palette changes
    void showHover(bool entered, int index, QBarSet *set);

    std::shared_ptr<const snapshot::FleetSnapshot> m_snapshot;
    QString m_region;
    int m_maxRegions = 15;
    QStringList m_regions;
    QHorizontalStackedBarSeries *m_series;
    QList<QBarSet *> m_sets;
    QBarCategoryAxis *m_categories;
    QValueAxis *m_values;
};

} // namespace fleetscope::widgets
