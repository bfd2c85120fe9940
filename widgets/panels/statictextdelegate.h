#pragma once

// StaticTextDelegate: the tables' item delegate. It paints a text cell as Qt's own delegate and
// style do (the style's item background and selection, the text where QCommonStyle puts it, the
// focus frame), but draws the text from a cache of laid-out QStaticText instead of shaping it
// again at every repaint: the node table's cells were a tenth of a dashboard frame, nearly all of
// it text shaping of strings that rarely change ("Up", "2.00 ms", "200"). Text is always plain
// (label values may hold markup). Cells with an icon or a check box, and text that does not fit
// (elided), wraps, spans lines or runs right to left are painted by QStyledItemDelegate itself.
// The cache holds at most kMaxEntries strings and is emptied when full or when the font changes.
// GUI thread.

#include <QHash>
#include <QStaticText>
#include <QStyledItemDelegate>

namespace fleetscope::widgets {

class StaticTextDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    static constexpr int kMaxEntries = 4096;

    explicit StaticTextDelegate(QObject *parent = nullptr);

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;

    int cachedTexts() const { return int(m_texts.size()); }

private:
    const QStaticText &staticText(const QString &text, const QFont &font) const;

    mutable QHash<QString, QStaticText> m_texts;
    mutable QString m_fontKey;
};

} // namespace fleetscope::widgets
