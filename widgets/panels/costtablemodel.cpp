#include "panels/costtablemodel.h"

#include "common/figureformat.h"
#include "panels/figuresortproxy.h"

#include <cmath>

namespace fleetscope::widgets {

using snapshot::kNaN;
using snapshot::RegionData;

CostTableModel::CostTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{ }

void CostTableModel::setSnapshot(std::shared_ptr<const snapshot::FleetSnapshot> snapshot)
{
    bool sameRows =
        m_snapshot && snapshot && m_snapshot->regions.size() == snapshot->regions.size();
    for (std::size_t i = 0; sameRows && i < snapshot->regions.size(); ++i)
        sameRows = m_snapshot->regions[i].code == snapshot->regions[i].code;
    if (sameRows) {
        m_snapshot = std::move(snapshot);
        if (rowCount() > 0)
            Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
        return;
    }
    beginResetModel();
    m_snapshot = std::move(snapshot);
    endResetModel();
}

double CostTableModel::value(int row, int column) const
{
    if (!m_snapshot || row < 0 || row >= rowCount())
        return kNaN;
    const snapshot::RegionFigures &f = m_snapshot->regions[std::size_t(row)].figures;
    switch (column) {
    case PerInvocation:
        return f.costPerInvocationUsd;
    case PerMillion:
        return f.costPerMillionUsd;
    case ServerlessMonth:
        return f.costPerMonthUsd;
    case AlwaysOnMonth:
        return f.alwaysOnPerMonthUsd;
    case Savings:
        return f.alwaysOnPerMonthUsd - f.costPerMonthUsd; // NaN if either is
    default:
        return kNaN;
    }
}

QString CostTableModel::missingText(const RegionData &r, int column) const
{
    const snapshot::RegionFigures &f = r.figures;
    const bool measured = std::isfinite(f.invocationRate);
    switch (column) {
    case AlwaysOnMonth:
        return QStringLiteral("not priced");
    case Savings:
        if (!std::isfinite(f.alwaysOnPerMonthUsd))
            return QStringLiteral("not priced");
        [[fallthrough]];
    default:
        return measured ? QStringLiteral("not priced") : noData();
    }
}

int CostTableModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid() || !m_snapshot)
        return 0;
    return int(m_snapshot->regions.size());
}

int CostTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant CostTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)
        || !m_snapshot)
        return {};
    const RegionData &r = m_snapshot->regions[std::size_t(index.row())];
    const int column = index.column();
    const double v = value(index.row(), column);
    switch (role) {
    case Qt::DisplayRole:
    case Qt::AccessibleTextRole:
        if (column == Region)
            return r.code;
        if (column == ScaledToZero) {
            if (!std::isfinite(r.figures.invocationRate) && !r.figures.scaledToZero)
                return noData();
            return r.figures.scaledToZero ? QStringLiteral("yes") : QStringLiteral("no");
        }
        if (!std::isfinite(v))
            return missingText(r, column);
        if (column == Savings && v < 0)
            return QStringLiteral("%1 (always-on cheaper)").arg(formatUsd(v));
        return formatUsd(v);
    case kSortRole:
        if (column == Region)
            return r.code;
        if (column == ScaledToZero)
            return r.figures.scaledToZero ? 1.0 : 0.0;
        return v;
    case kRegionRole:
        return r.code;
    case Qt::TextAlignmentRole:
        if (column == ScaledToZero)
            return int(Qt::AlignCenter);
        return int((column == Region ? Qt::AlignLeft : Qt::AlignRight) | Qt::AlignVCenter);
    case Qt::ToolTipRole:
        if (column == Region) {
            const QString where = r.city.isEmpty() ? r.name : r.city;
            return where.isEmpty()
                ? QVariant()
                : QVariant(QStringLiteral("<p>%1</p>").arg(where.toHtmlEscaped()));
        }
        if (column == AlwaysOnMonth)
            return QStringLiteral(
                "Provisioned instances for the region's peak, running all month.");
        if (column == Savings)
            return QStringLiteral("Always-on per month minus serverless per month: what scaling to "
                                  "zero saves.");
        return {};
    default:
        return {};
    }
}

QVariant CostTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Region:
        return QStringLiteral("Region");
    case PerInvocation:
        return QStringLiteral("Per invocation");
    case PerMillion:
        return QStringLiteral("Per million");
    case ServerlessMonth:
        return QStringLiteral("Serverless / month");
    case AlwaysOnMonth:
        return QStringLiteral("Always-on / month");
    case Savings:
        return QStringLiteral("Savings / month");
    case ScaledToZero:
        return QStringLiteral("Scaled to zero");
    default:
        return {};
    }
}

} // namespace fleetscope::widgets
