#pragma once

// KpiTile: one headline figure — title, value, SLO state (symbol, word and a coloured band) and a
// caption saying where the figure comes from. Paints its own background from the palette.
// GUI thread; owns its labels.

#include "analytics/slo.h"

#include <QWidget>

QT_BEGIN_NAMESPACE
class QLabel;
QT_END_NAMESPACE

namespace fleetscope::widgets {

class KpiTile : public QWidget
{
    Q_OBJECT
public:
    explicit KpiTile(const QString &title, QWidget *parent = nullptr);

    void setFigure(const QString &value, analytics::SloStatus status, const QString &caption,
                   const QString &toolTip);

    QString title() const;
    QString value() const;
    QString statusText() const;
    QString caption() const;
    analytics::SloStatus status() const { return m_status; }
    QColor statusColour() const;

    QSize sizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void applyColours();

    QLabel *m_title;
    QLabel *m_value;
    QLabel *m_statusLabel;
    QLabel *m_caption;
    analytics::SloStatus m_status = analytics::SloStatus::NoData;
};

} // namespace fleetscope::widgets
