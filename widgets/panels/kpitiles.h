#pragma once

// KpiTiles: the headline row — p95 latency, cache hit ratio, worst replica lag, cost per million
// invocations and nodes up/idle/down — for the whole fleet or the selected region, each judged
// against the snapshot's SLO thresholds and shown with a word and a symbol besides its colour.
// GUI thread; owns its child widgets; keeps a shared reference to the snapshot it draws.

#include "analytics/slo.h"
#include "snapshot/fleetsnapshot.h"

#include <QWidget>

#include <array>
#include <memory>

QT_BEGIN_NAMESPACE
class QLabel;
QT_END_NAMESPACE

namespace fleetscope::widgets {

class KpiTile;

class KpiTiles : public QWidget
{
    Q_OBJECT
public:
    enum class Tile { Latency, HitRatio, ReplicaLag, Cost, Nodes };
    static constexpr int kTileCount = 5;

    explicit KpiTiles(QWidget *parent = nullptr);
    ~KpiTiles() override;

    void setSnapshot(std::shared_ptr<const snapshot::FleetSnapshot> snapshot);
    void setSelectedRegion(const QString &code);
    QString selectedRegion() const { return m_region; }

    // What a tile shows, for tests and accessibility.
    analytics::SloStatus status(Tile tile) const;
    QString valueText(Tile tile) const;
    QString statusText(Tile tile) const; // symbol and word, e.g. "▲ Warning"
    QString captionText(Tile tile) const;
    QColor statusColour(Tile tile) const;
    QWidget *tileWidget(Tile tile) const;

protected:
    void changeEvent(QEvent *event) override;

private:
    void refresh();

    std::shared_ptr<const snapshot::FleetSnapshot> m_snapshot;
    QString m_region;
    std::array<KpiTile *, kTileCount> m_tiles {};
};

} // namespace fleetscope::widgets
