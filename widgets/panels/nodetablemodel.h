#pragma once

// NodeTableModel: one row per scrape target of a snapshot — target (its address, host:port and
// the path when not /metrics), region, node, health (icon
// and word), cause, last scrape (relative to the snapshot's instant), scrape duration, HTTP
// status and samples. Every label value is returned as plain DisplayRole text; numbers sort on
// kSortRole. GUI thread (health icons); keeps a shared reference to the snapshot it shows.

#include "snapshot/fleetsnapshot.h"

#include <QAbstractTableModel>
#include <QIcon>
#include <QPalette>

#include <array>
#include <memory>
#include <vector>

namespace fleetscope::widgets {

class NodeTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        Target,
        Region,
        Node,
        Health,
        Cause,
        LastScrape,
        Duration,
        HttpStatus,
        Samples,
        ColumnCount
    };

    explicit NodeTableModel(QObject *parent = nullptr);

    void setSnapshot(std::shared_ptr<const snapshot::FleetSnapshot> snapshot);
    // Health icons follow the view's palette (light or dark).
    void setPalette(const QPalette &palette);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QVariant display(const snapshot::TargetRow &t, int column) const;
    QVariant sortKey(const snapshot::TargetRow &t, int column) const;

    std::shared_ptr<const snapshot::FleetSnapshot> m_snapshot;
    std::vector<QString> m_addresses; // per target: what the Target column shows
    std::array<QIcon, 5> m_icons; // by snapshot::Health
};

} // namespace fleetscope::widgets
