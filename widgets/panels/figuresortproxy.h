#pragma once

// FigureSortProxy: sorting and filtering for the panel tables. Sorts on kSortRole — numbers as
// numbers with "no data" (NaN) last in either order, text case-insensitively — and filters rows by
// a text found in any column's display text and, for tables that carry them, by node health
// (kHealthRole) and region (kRegionRole).
// GUI thread; the source model is owned by the caller.

#include "snapshot/fleetsnapshot.h"

#include <QSortFilterProxyModel>

#include <optional>

namespace fleetscope::widgets {

inline constexpr int kSortRole = Qt::UserRole + 1; // double (NaN = no data) or QString
inline constexpr int kHealthRole = Qt::UserRole + 2; // int(snapshot::Health), on every column
inline constexpr int kRegionRole = Qt::UserRole + 3; // region code, on every column

class FigureSortProxy : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    // Health filters beyond one state.
    enum class HealthFilter { All, Up, Idle, Down, Stale, Unknown, NotUp };

    explicit FigureSortProxy(QObject *parent = nullptr);

    void setFilterText(const QString &text);
    QString filterText() const { return m_text; }
    void setHealthFilter(HealthFilter filter);
    HealthFilter healthFilter() const { return m_health; }
    // Only rows whose kRegionRole is `code` ("" = every region).
    void setRegionFilter(const QString &code);
    QString regionFilter() const { return m_region; }

protected:
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString m_text;
    QString m_region;
    HealthFilter m_health = HealthFilter::All;
};

} // namespace fleetscope::widgets
