#pragma once

// LightFloorChart: each region's measured latency at the chosen quantile beside the speed-of-
// light round trip from the vantage point (figures.latencyQuantileMs vs lightFloorRttMs), as
// horizontal bars sorted by the gap between them — the stack's share, largest on top. GUI thread;
// owns its chart, series and axes; keeps a shared reference to the snapshot it draws.

#include "snapshot/fleetsnapshot.h"

#include <QChartView>

#include <memory>

QT_BEGIN_NAMESPACE
class QBarCategoryAxis;
class QBarSet;
class QHorizontalBarSeries;
class QValueAxis;
QT_END_NAMESPACE

namespace fleetscope::widgets {

class LightFloorChart : public QChartView
{
    Q_OBJECT
public:
    explicit LightFloorChart(QWidget *parent = nullptr);
    ~LightFloorChart() override;

    void setSnapshot(std::shared_ptr<const snapshot::FleetSnapshot> snapshot);
    void setSelectedRegion(const QString &code);
    void setMaxRegions(int count);

    QBarSet *measuredSet() const { return m_measured; }
    QBarSet *floorSet() const { return m_floor; }
    // Region codes from top (largest gap) to bottom.
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
    QString m_emptyText;
    QHorizontalBarSeries *m_series;
    QBarSet *m_measured;
    QBarSet *m_floor;
    QBarCategoryAxis *m_categories;
    QValueAxis *m_values;
};

} // namespace fleetscope::widgets
