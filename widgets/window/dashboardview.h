#pragma once

// DashboardView: the dashboard's panels around the region map: KPI tiles on top, the map in
// the middle, charts, the phase breakdown and the measured-versus-floor chart on the right,
// cost and node tables below, all in docks the user can rearrange. Every panel draws the same
// snapshot and follows the selected region; a region filter narrows what every panel shows.
// GUI thread; owns its panels.

#include "snapshot/fleetsnapshot.h"

#include <QMainWindow>

#include <memory>

namespace fleetscope::widgets {

class RegionMapWidget;
class KpiTiles;
class FleetCharts;
class PhaseBreakdownChart;
class LightFloorChart;
class CostTable;
class NodeTable;

class DashboardView : public QMainWindow
{
    Q_OBJECT

public:
    explicit DashboardView(QWidget *parent = nullptr);
    ~DashboardView() override;

    void setSnapshot(std::shared_ptr<const snapshot::FleetSnapshot> snapshot);
    void setSelectedRegion(const QString &code);
    // Case-insensitive text matched against region code, name and city; empty shows all.
    void setRegionFilter(const QString &text);

    QByteArray saveLayout() const;
    void restoreLayout(const QByteArray &state);

    // The snapshot the panels draw (after the region filter).
    std::shared_ptr<const snapshot::FleetSnapshot> shownSnapshot() const { return m_filtered; }

    RegionMapWidget *map() const { return m_map; }
    KpiTiles *tiles() const { return m_tiles; }
    FleetCharts *charts() const { return m_charts; }
    CostTable *costTable() const { return m_costs; }
    NodeTable *nodeTable() const { return m_nodes; }

Q_SIGNALS:
    void regionSelected(const QString &code);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void refresh();

    std::shared_ptr<const snapshot::FleetSnapshot> m_snapshot;
    std::shared_ptr<const snapshot::FleetSnapshot> m_filtered;
    QString m_filter;
    QString m_selected;
    RegionMapWidget *m_map = nullptr;
    KpiTiles *m_tiles = nullptr;
    FleetCharts *m_charts = nullptr;
    PhaseBreakdownChart *m_phases = nullptr;
    LightFloorChart *m_floor = nullptr;
    CostTable *m_costs = nullptr;
    NodeTable *m_nodes = nullptr;
};

} // namespace fleetscope::widgets
