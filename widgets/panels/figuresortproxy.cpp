#include "panels/figuresortproxy.h"

#include <cmath>

namespace fleetscope::widgets {

FigureSortProxy::FigureSortProxy(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(kSortRole);
    setSortCaseSensitivity(Qt::CaseInsensitive);
    setDynamicSortFilter(true);
}

void FigureSortProxy::setFilterText(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed == m_text)
        return;
    m_text = trimmed;
    invalidateFilter();
}

void FigureSortProxy::setHealthFilter(HealthFilter filter)
{
    if (filter == m_health)
        return;
    m_health = filter;
    invalidateFilter();
}

void FigureSortProxy::setRegionFilter(const QString &code)
{
    if (code == m_region)
        return;
    m_region = code;
    invalidateFilter();
}

bool FigureSortProxy::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    const QVariant l = left.data(sortRole());
    const QVariant r = right.data(sortRole());
    const bool ln = l.typeId() == QMetaType::Double;
    const bool rn = r.typeId() == QMetaType::Double;
    if (ln && rn) {
        const double a = l.toDouble(), b = r.toDouble();
        // "No data" stays below every number, whichever way the column is sorted (a descending
        // sort asks lessThan(right, left)).
        if (std::isnan(a) || std::isnan(b)) {
            if (sortOrder() == Qt::AscendingOrder)
                return !std::isnan(a) && std::isnan(b);
            return std::isnan(a) && !std::isnan(b);
        }
        return a < b;
    }
    if (ln != rn)
        return ln; // numbers before text
    return l.toString().compare(r.toString(), Qt::CaseInsensitive) < 0;
}

bool FigureSortProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QAbstractItemModel *m = sourceModel();
    if (!m_region.isEmpty()) {
        const QVariant region = m->index(sourceRow, 0, sourceParent).data(kRegionRole);
        if (region.isValid() && region.toString() != m_region)
            return false;
    }
    if (m_health != HealthFilter::All) {
        const QVariant h = m->index(sourceRow, 0, sourceParent).data(kHealthRole);
        if (h.isValid()) {
            const auto health = snapshot::Health(h.toInt());
            bool ok = false;
            switch (m_health) {
            case HealthFilter::All:
                ok = true;
                break;
            case HealthFilter::Up:
                ok = health == snapshot::Health::Up;
                break;
            case HealthFilter::Idle:
                ok = health == snapshot::Health::Idle;
                break;
            case HealthFilter::Down:
                ok = health == snapshot::Health::Down;
                break;
            case HealthFilter::Stale:
                ok = health == snapshot::Health::Stale;
                break;
            case HealthFilter::Unknown:
                ok = health == snapshot::Health::Unknown;
                break;
            case HealthFilter::NotUp:
                ok = health != snapshot::Health::Up && health != snapshot::Health::Idle;
                break;
            }
            if (!ok)
                return false;
        }
    }
    if (m_text.isEmpty())
        return true;
    for (int c = 0; c < m->columnCount(sourceParent); ++c) {
        if (m->index(sourceRow, c, sourceParent)
                .data(Qt::DisplayRole)
                .toString()
                .contains(m_text, Qt::CaseInsensitive))
            return true;
    }
    return false;
}

} // namespace fleetscope::widgets
