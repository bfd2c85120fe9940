#include "panels/statictextdelegate.h"

#include <QApplication>
#include <QPainter>
#include <QStyle>

#include <cmath>

namespace fleetscope::widgets {

StaticTextDelegate::StaticTextDelegate(QObject *parent)
    : QStyledItemDelegate(parent)
{ }

const QStaticText &StaticTextDelegate::staticText(const QString &text, const QFont &font) const
{
    const QString fontKey = font.key();
    if (fontKey != m_fontKey || m_texts.size() >= kMaxEntries) {
        m_texts.clear();
        m_fontKey = fontKey;
    }
    auto it = m_texts.find(text);
    if (it == m_texts.end()) {
        QStaticText st(text);
        st.setTextFormat(Qt::PlainText); // never markup: label values come from the nodes
        st.setPerformanceHint(QStaticText::AggressiveCaching);
        st.prepare(QTransform(), font);
        it = m_texts.insert(text, st);
    }
    return *it;
}

void StaticTextDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                               const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    // Text-only cells; icons and check boxes are laid out by the style (which measures the text
    // to place them), so those cells are left to QStyledItemDelegate.
    const bool simple = !opt.text.isEmpty() && opt.direction == Qt::LeftToRight
        && !(opt.features
             & (QStyleOptionViewItem::WrapText | QStyleOptionViewItem::HasDecoration
                | QStyleOptionViewItem::HasCheckIndicator))
        && !(opt.state & QStyle::State_Editing) && !opt.text.contains(QChar::LineFeed)
        && !opt.text.contains(QChar::LineSeparator);
    if (!simple) {
        QStyledItemDelegate::paint(painter, option, index);
        return;
    }
    const QWidget *widget = opt.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    // The text's place as QCommonStyle has it: the whole cell, less the focus frame's margin
    // and a pixel on each side.
    const int margin = style->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, widget) + 1;
    const QRect textRect = opt.rect.adjusted(margin, 0, -margin, 0);
    const QStaticText &text = staticText(opt.text, opt.font);
    const QSizeF size = text.size();
    if (size.width() > textRect.width()) { // elided: QStyledItemDelegate knows how
        QStyledItemDelegate::paint(painter, option, index);
        return;
    }

    painter->save();
    painter->setClipRect(opt.rect, Qt::IntersectClip);
    style->drawPrimitive(QStyle::PE_PanelItemViewItem, &opt, painter, widget); // background

    QPalette::ColorGroup group =
        opt.state & QStyle::State_Enabled ? QPalette::Normal : QPalette::Disabled;
    if (group == QPalette::Normal && !(opt.state & QStyle::State_Active))
        group = QPalette::Inactive;
    const Qt::Alignment align = opt.displayAlignment;
    double x = textRect.left();
    if (align & Qt::AlignRight)
        x = textRect.right() + 1 - size.width();
    else if (align & Qt::AlignHCenter)
        x = textRect.left() + (textRect.width() - size.width()) / 2;
    double y = textRect.top();
    if (align & Qt::AlignBottom)
        y = textRect.bottom() + 1 - size.height();
    else if (align & Qt::AlignVCenter) // whole pixels, as QCommonStyle centres a line
        y = textRect.top() + std::floor((textRect.height() - size.height()) / 2);
    painter->setFont(opt.font);
    painter->setPen(opt.palette.color(
        group, opt.state & QStyle::State_Selected ? QPalette::HighlightedText : QPalette::Text));
    painter->drawStaticText(QPointF(x, y), text);

    if (opt.state & QStyle::State_HasFocus) { // as QCommonStyle draws it
        QStyleOptionFocusRect focus;
        focus.QStyleOption::operator=(opt);
        focus.rect = style->subElementRect(QStyle::SE_ItemViewItemFocusRect, &opt, widget);
        focus.state |= QStyle::State_KeyboardFocusChange | QStyle::State_Item;
        focus.backgroundColor = opt.palette.color(
            opt.state & QStyle::State_Enabled ? QPalette::Normal : QPalette::Disabled,
            opt.state & QStyle::State_Selected ? QPalette::Highlight : QPalette::Window);
        style->drawPrimitive(QStyle::PE_FrameFocusRect, &focus, painter, widget);
    }
    painter->restore();
}

} // namespace fleetscope::widgets
