#pragma once

// ElidingLabel: a one-line plain-text label that gives up width when its layout is short of it
// (a toolbar on a small screen) and then shows its text elided at the end, the whole text in
// text(), the accessible name and the tooltip. GUI thread; owned by its parent.

#include <QLabel>

namespace fleetscope::widgets {

class ElidingLabel : public QLabel
{
    Q_OBJECT
public:
    explicit ElidingLabel(QWidget *parent = nullptr);

    // The whole text, shown elided when the label is narrower than it. `toolTip` is added under
    // it in the tooltip (both as plain text).
    void setFullText(const QString &text, const QString &toolTip = {});

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    int m_maxWidth = 400; // even with room to spare: a name is not worth a whole toolbar
};

} // namespace fleetscope::widgets
