#pragma once

// FleetCharts: the time-series panels over the snapshot's window — latency quantiles, cache hit
// ratio, replica lag with write-queue depth (two axes) and serverless cost rate — for the
// selected region, or the top regions (slowest at the chosen quantile) when none is selected.
// Points are computed per step from the raw windows (chartdata.h) and decimated by each view.
// GUI thread; owns its chart views; keeps a shared reference to the snapshot it draws.

#include "snapshot/fleetsnapshot.h"

#include <QWidget>

#include <memory>

namespace fleetscope::widgets {

class TimeChartView;

class FleetCharts : public QWidget
{
    Q_OBJECT
public:
    explicit FleetCharts(QWidget *parent = nullptr);
    ~FleetCharts() override;

    void setSnapshot(std::shared_ptr<const snapshot::FleetSnapshot> snapshot);
    void setSelectedRegion(const QString &code);
    QString selectedRegion() const { return m_region; }
    // How many regions the charts compare when none is selected (default 5).
    void setTopRegionCount(int count);

    // Series names: with a region selected, the latency chart has "p50" "p90" "p95" "p99" (plus
    // the chosen quantile when it is none of these), the others the region's code ("<code> lag",
    // "<code> queue" on the lag chart); with none selected every chart has one line per region,
    // the latency chart at the chosen quantile.
    TimeChartView *latencyChart() const { return m_latency; }
    TimeChartView *hitRatioChart() const { return m_hitRatio; }
    TimeChartView *lagChart() const { return m_lag; }
    TimeChartView *costChart() const { return m_cost; }

    // The regions currently charted.
    QStringList chartedRegions() const { return m_charted; }
    // Which regions, in words: "5 slowest of 13 regions", "all regions", or the selected
    // region's code; empty without a snapshot. Plain text.
    QString scope() const { return m_scope; }

Q_SIGNALS:
    void scopeChanged(const QString &scope);

protected:
    void changeEvent(QEvent *event) override;

private:
    void refresh();

    std::shared_ptr<const snapshot::FleetSnapshot> m_snapshot;
    QString m_region;
    int m_topCount = 5;
    QStringList m_charted;
    QString m_scope;
    TimeChartView *m_latency;
    TimeChartView *m_hitRatio;
    TimeChartView *m_lag;
    TimeChartView *m_cost;
};

} // namespace fleetscope::widgets
