#include "panels/kpitile.h"

#include "panels/panelstyle.h"

#include <QEvent>
#include <QLabel>
#include <QPainter>
#include <QPainterPath>
#include <QVBoxLayout>

namespace fleetscope::widgets {

namespace {

constexpr int kBand = 6; // width of the coloured band on the left

QLabel *plainLabel(QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setTextFormat(Qt::PlainText);
    return label;
}

} // namespace

KpiTile::KpiTile(const QString &title, QWidget *parent)
    : QWidget(parent)
    , m_title(plainLabel(this))
    , m_value(plainLabel(this))
    , m_statusLabel(plainLabel(this))
    , m_caption(plainLabel(this))
{
    m_title->setText(title);
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    m_title->setFont(titleFont);

    QFont valueFont = m_value->font();
    valueFont.setPointSizeF(valueFont.pointSizeF() * 1.9);
    valueFont.setBold(true);
    m_value->setFont(valueFont);

    QFont statusFont = m_statusLabel->font();
    statusFont.setBold(true);
    m_statusLabel->setFont(statusFont);

    m_caption->setWordWrap(true);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(kBand + 10, 8, 10, 8);
    layout->setSpacing(2);
    layout->addWidget(m_title);
    layout->addWidget(m_value);
    layout->addWidget(m_statusLabel);
    layout->addWidget(m_caption);
    layout->addStretch(1);

    setAccessibleName(title);
    setFigure(QString(), analytics::SloStatus::NoData, QString(), QString());
}

void KpiTile::setFigure(const QString &value, analytics::SloStatus status, const QString &caption,
                        const QString &toolTip)
{
    m_status = status;
    m_value->setText(value);
    m_statusLabel->setText(panelstyle::sloSymbol(status) + u' ' + panelstyle::sloWord(status));
    m_caption->setText(caption);
    m_caption->setVisible(!caption.isEmpty());
    setToolTip(panelstyle::plainToolTip(toolTip));
    setAccessibleDescription(
        QStringLiteral("%1, %2. %3").arg(value, panelstyle::sloWord(status), caption));
    applyColours();
    update();
}

QString KpiTile::title() const
{
    return m_title->text();
}

QString KpiTile::value() const
{
    return m_value->text();
}

QString KpiTile::statusText() const
{
    return m_statusLabel->text();
}

QString KpiTile::caption() const
{
    return m_caption->text();
}

QColor KpiTile::statusColour() const
{
    return panelstyle::sloColour(m_status, palette());
}

QSize KpiTile::sizeHint() const
{
    const QSize s = QWidget::sizeHint();
    return { std::max(s.width(), 170), s.height() };
}

void KpiTile::applyColours()
{
    QPalette p = m_statusLabel->palette();
    p.setColor(QPalette::WindowText, statusColour());
    m_statusLabel->setPalette(p);
    // Secondary text: the text colour two-thirds of the way from the background, which stays
    // readable on the tinted tile in both themes (the disabled colour does not).
    QPalette captionPalette = m_caption->palette();
    const QColor text = palette().color(QPalette::Text);
    const QColor base = palette().color(QPalette::Base);
    captionPalette.setColor(QPalette::WindowText,
                            QColor::fromRgbF(base.redF() + (text.redF() - base.redF()) * 0.7f,
                                             base.greenF() + (text.greenF() - base.greenF()) * 0.7f,
                                             base.blueF() + (text.blueF() - base.blueF()) * 0.7f));
    m_caption->setPalette(captionPalette);
}

void KpiTile::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QColor colour = statusColour();
    QColor fill = palette().color(QPalette::Base);
    // A faint wash of the state colour, so a breach stands out across the room.
    QColor wash = colour;
    wash.setAlpha(
        m_status == analytics::SloStatus::NoData ? 0 : (panelstyle::isDark(palette()) ? 40 : 28));
    const QRectF r = QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5);
    QPainterPath path;
    path.addRoundedRect(r, 6, 6);
    p.fillPath(path, fill);
    p.fillPath(path, wash);
    QColor border = palette().color(QPalette::Mid);
    p.setPen(QPen(border, 1));
    p.drawPath(path);
    p.save();
    p.setClipPath(path);
    p.fillRect(QRectF(r.left(), r.top(), kBand, r.height()), colour);
    p.restore();
}

void KpiTile::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        applyColours();
    QWidget::changeEvent(event);
}

} // namespace fleetscope::widgets
