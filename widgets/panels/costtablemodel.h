#pragma once

// CostTableModel: one row per region of a snapshot — serverless cost per invocation, per million
// and per month, the always-on provisioned alternative per month, what serverless saves, and
// whether the region scaled to zero. "no data" where usage was not measured, "not priced" where
// it was but the pricing profile has no USD price for it. Numbers sort on kSortRole. GUI thread
// (it feeds a view); keeps a shared reference to the snapshot it shows.

#include "snapshot/fleetsnapshot.h"

#include <QAbstractTableModel>

#include <memory>

namespace fleetscope::widgets {

class CostTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        Region,
        PerInvocation,
        PerMillion,
        ServerlessMonth,
        AlwaysOnMonth,
        Savings,
        ScaledToZero,
        ColumnCount
    };

    explicit CostTableModel(QObject *parent = nullptr);

    void setSnapshot(std::shared_ptr<const snapshot::FleetSnapshot> snapshot);

    // The figure behind a cell (NaN when there is none); Region and ScaledToZero give NaN.
    double value(int row, int column) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QString missingText(const snapshot::RegionData &r, int column) const;

    std::shared_ptr<const snapshot::FleetSnapshot> m_snapshot;
};

} // namespace fleetscope::widgets
