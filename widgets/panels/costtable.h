#pragma once

// CostTable: the per-region cost table (CostTableModel) in a sortable view, with the pricing
// profile named above it; the selected region's row is selected. GUI thread; owns its model,
// proxy and child widgets.

#include "snapshot/fleetsnapshot.h"

#include <QWidget>

#include <memory>

QT_BEGIN_NAMESPACE
class QLabel;
class QTableView;
QT_END_NAMESPACE

namespace fleetscope::widgets {

class CostTableModel;
class FigureSortProxy;

class CostTable : public QWidget
{
    Q_OBJECT
public:
    explicit CostTable(QWidget *parent = nullptr);
    ~CostTable() override;

    void setSnapshot(std::shared_ptr<const snapshot::FleetSnapshot> snapshot);
    void setSelectedRegion(const QString &code);

    QTableView *view() const { return m_view; }
    CostTableModel *model() const { return m_model; }
    FigureSortProxy *proxy() const { return m_proxy; }

private:
    void selectRegion();
    void fitColumns();

    CostTableModel *m_model;
    FigureSortProxy *m_proxy;
    QLabel *m_profile;
    QTableView *m_view;
    QString m_region;
};

} // namespace fleetscope::widgets
