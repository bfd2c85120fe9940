#pragma once

// RegionBarChart: what the per-region horizontal bar charts (LightFloorChart, PhaseBreakdownChart)
// share: one bar series against a category axis of region codes and a value axis, the snapshot
// and the selected region they follow, at most maxRegions bars (the selected region always among
// them, marked), colours from the palette, and a sentence in the plot when there is nothing to
// draw. A subclass fills the bars (refresh), colours them (restyle) and explains a bar on hover.
// GUI thread; owns its chart, series and axes; keeps a shared reference to the snapshot.

#include "snapshot/fleetsnapshot.h"

#include <QChartView>

#include <memory>
#include <vector>

QT_BEGIN_NAMESPACE
class QAbstractBarSeries;
class QBarCategoryAxis;
class QBarSet;
class QValueAxis;
QT_END_NAMESPACE

namespace fleetscope::widgets {

class RegionBarChart : public QChartView
{
    Q_OBJECT
public:
    ~RegionBarChart() override;

    void setSnapshot(std::shared_ptr<const snapshot::FleetSnapshot> snapshot);
    void setSelectedRegion(const QString &code);
    void setMaxRegions(int count);
    // Region codes from top to bottom.
    QStringList regionsTopToBottom() const { return m_regions; }

protected:
    // Takes `series` into the chart, with the axes; the subclass appends its bar sets.
    RegionBarChart(QAbstractBarSeries *series, double barWidth, const QString &accessibleName,
                   QWidget *parent);
    QAbstractBarSeries *series() const { return m_series; }

    virtual void refresh() = 0;
    virtual void restyle() = 0; // colours from the palette: at construction and on change
    virtual void showHover(bool entered, int index, QBarSet *set) = 0;

    // Of `regions`, sorted top first, the first maxRegions (the selected one kept in the last
    // place when it would fall out); remembered as regionsTopToBottom(). Returns the count before
    // the cut.
    std::size_t keepTop(std::vector<const snapshot::RegionData *> &regions);
    // The category axis (bottom-up, as QtCharts draws it; the selected region marked), the value
    // axis from 0 to a round number above `max`, and the title, each only when it changed: every
    // QtCharts setter lays the chart out again.
    void setAxes(double max);
    void setTitle(const QString &title);
    // The region shown at a hovered bar's index (categories run bottom-up), or null.
    const snapshot::RegionData *hoveredRegion(bool entered, int index) const;
    // What the plot says when it has no bars.
    void setEmptyText(const QString &text) { m_emptyText = text; }

    void drawForeground(QPainter *painter, const QRectF &rect) override;
    void changeEvent(QEvent *event) override;

    std::shared_ptr<const snapshot::FleetSnapshot> m_snapshot;
    QString m_region;
    QBarCategoryAxis *m_categories;
    QValueAxis *m_values;

private:
    QAbstractBarSeries *m_series;
    int m_maxRegions = 15;
    QStringList m_regions;
    QString m_emptyText = QStringLiteral("no data");
};

} // namespace fleetscope::widgets
