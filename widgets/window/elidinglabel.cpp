#include "window/elidinglabel.h"

#include "panels/panelstyle.h"

#include <QPainter>
#include <QStyle>

namespace fleetscope::widgets {

ElidingLabel::ElidingLabel(QWidget *parent)
    : QLabel(parent)
{
    setTextFormat(Qt::PlainText); // fleet names and paths are not markup
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Preferred);
}

void ElidingLabel::setFullText(const QString &text, const QString &toolTip)
{
    setText(text);
    setAccessibleName(text);
    QString tip = text;
    if (!toolTip.isEmpty())
        tip += QLatin1Char('\n') + toolTip;
    setToolTip(panelstyle::plainToolTip(tip));
}

QSize ElidingLabel::sizeHint() const
{
    const QSize full = QLabel::sizeHint();
    return { std::min(full.width(), m_maxWidth), full.height() };
}

QSize ElidingLabel::minimumSizeHint() const
{
    // Room for a few characters and the ellipsis.
    const QString least = text().left(6) + QChar(0x2026);
    const int margins = contentsMargins().left() + contentsMargins().right() + 2 * margin();
    return { std::min(sizeHint().width(), fontMetrics().horizontalAdvance(least) + margins),
             QLabel::minimumSizeHint().height() };
}

void ElidingLabel::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    const QRect area = contentsRect().adjusted(margin(), margin(), -margin(), -margin());
    const QString shown = fontMetrics().elidedText(text(), Qt::ElideRight, area.width());
    style()->drawItemText(&painter, area, int(alignment()), palette(), isEnabled(), shown,
                          foregroundRole());
}

} // namespace fleetscope::widgets
