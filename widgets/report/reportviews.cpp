#include "report/reportviews.h"

#include "map/regionmapwidget.h"
#include "panels/fleetcharts.h"
#include "panels/lightfloorchart.h"
#include "panels/phasebreakdownchart.h"
#include "report/reportcontent.h"
#include "window/dashboardview.h"

#include <QBuffer>
#include <QCoreApplication>
#include <QFontMetrics>
#include <QGraphicsView>
#include <QLayout>
#include <QPainter>
#include <QRegularExpression>
#include <QSvgGenerator>
#include <QWidget>

#include <algorithm>

namespace fleetscope::widgets {

QPalette reportPalette()
{
    QPalette p;
    const QColor window(0xfa, 0xfa, 0xfa), text(0x1a, 0x1a, 0x1a);
    for (const auto group : { QPalette::Active, QPalette::Inactive, QPalette::Disabled }) {
        p.setColor(group, QPalette::Window, window);
        p.setColor(group, QPalette::WindowText, text);
        p.setColor(group, QPalette::Base, Qt::white);
        p.setColor(group, QPalette::AlternateBase, QColor(0xf0, 0xf0, 0xf0));
        p.setColor(group, QPalette::Text, text);
        p.setColor(group, QPalette::Button, QColor(0xe8, 0xe8, 0xe8));
        p.setColor(group, QPalette::ButtonText, text);
        p.setColor(group, QPalette::ToolTipBase, QColor(0xff, 0xff, 0xdc));
        p.setColor(group, QPalette::ToolTipText, text);
        p.setColor(group, QPalette::Highlight, QColor(0x30, 0x8c, 0xc6));
        p.setColor(group, QPalette::HighlightedText, Qt::white);
        p.setColor(group, QPalette::PlaceholderText, QColor(0x80, 0x80, 0x80));
        p.setColor(group, QPalette::Light, Qt::white);
        p.setColor(group, QPalette::Midlight, QColor(0xe0, 0xe0, 0xe0));
        p.setColor(group, QPalette::Mid, QColor(0xb0, 0xb0, 0xb0));
        p.setColor(group, QPalette::Dark, QColor(0x90, 0x90, 0x90));
        p.setColor(group, QPalette::Shadow, QColor(0x40, 0x40, 0x40));
    }
    return p;
}

QFont reportFont()
{
    QFont f;
    // No shaping for scripts that need none (Latin): no ligature glyphs, plain letters.
    f.setStyleStrategy(QFont::PreferNoShaping);
    return f;
}

void prepareForReport(QWidget *widget, QSize size)
{
    widget->setAttribute(Qt::WA_DontShowOnScreen);
    widget->setPalette(reportPalette());
    widget->setFont(reportFont());
    widget->resize(size);
    widget->show(); // lays the widget out and delivers its resize events; never on screen
    settleForReport(widget);
}

void settleForReport(QWidget *widget)
{
    // Layouts, chart geometry and scene updates arrive as posted events: deliver them all.
    // Charts lay out their legends and titles in queued calls, hence processEvents().
    for (int i = 0; i < 3; ++i) {
        QCoreApplication::sendPostedEvents();
        QCoreApplication::processEvents(QEventLoop::ExcludeUserInputEvents);
        if (widget->layout())
            widget->layout()->activate();
    }
}

void renderWidget(QPainter &painter, QWidget *widget, const QRectF &target)
{
    if (widget->width() <= 0 || widget->height() <= 0)
        return;
    painter.save();
    painter.translate(target.topLeft());
    const double sx = target.width() / widget->width(), sy = target.height() / widget->height();
    painter.scale(sx, sy);
    painter.setClipRect(QRectF(0, 0, widget->width(), widget->height()), Qt::IntersectClip);
    // Graphics views (the charts) are drawn through QGraphicsView::render(), which paints their
    // scene, background and foreground straight into the painter: QWidget::render() of a chart
    // into a PDF stops after its first text item. Other widgets paint themselves.
    const QList<QGraphicsView *> views = widget->findChildren<QGraphicsView *>();
    auto *self = qobject_cast<QGraphicsView *>(widget);
    if (!self && views.isEmpty()) {
        widget->render(&painter, QPoint(), QRegion(),
                       QWidget::DrawWindowBackground | QWidget::DrawChildren);
    } else {
        painter.fillRect(QRectF(0, 0, widget->width(), widget->height()),
                         widget->palette().color(QPalette::Window));
        const QList<QGraphicsView *> all = self ? QList<QGraphicsView *> { self } : views;
        for (QGraphicsView *view : all) {
            if (!view->isVisibleTo(widget) && view != widget)
                continue;
            const QRect viewport = view->viewport()->rect();
            const QPoint at = view->viewport()->mapTo(widget, QPoint(0, 0));
            painter.fillRect(QRect(at, viewport.size()), view->backgroundBrush());
            view->render(&painter, QRectF(at, viewport.size()), viewport, Qt::IgnoreAspectRatio);
        }
    }
    painter.restore();
}

QImage renderWidgetImage(QWidget *widget, qreal pixelRatio)
{
    const QSize pixels = (QSizeF(widget->size()) * pixelRatio).toSize();
    QImage image(pixels, QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(pixelRatio);
    image.fill(widget->palette().color(QPalette::Window));
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setRenderHint(QPainter::TextAntialiasing);
    widget->render(&painter, QPoint(), QRegion(),
                   QWidget::DrawWindowBackground | QWidget::DrawChildren);
    painter.end();
    return image;
}

QByteArray renderWidgetSvg(QWidget *widget, const QString &title)
{
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    QSvgGenerator generator;
    generator.setOutputDevice(&buffer);
    generator.setSize(widget->size());
    generator.setViewBox(QRect(QPoint(), widget->size()));
    generator.setResolution(96);
    generator.setTitle(title);
    {
        QPainter painter(&generator);
        renderWidget(painter, widget, QRectF(QPointF(0, 0), QSizeF(widget->size())));
    }
    QByteArray svg = buffer.data();
    // Inline in HTML: no prolog, no doctype, no namespace URIs (the HTML parser knows SVG).
    const qsizetype start = svg.indexOf("<svg");
    if (start > 0)
        svg.remove(0, start);
    static const QRegularExpression xmlns(QStringLiteral(R"(\s+xmlns(:\w+)?="[^"]*")"));
    QString text = QString::fromUtf8(svg);
    text.remove(xmlns);
    return text.toUtf8();
}

struct ReportViews::Views
{
    std::unique_ptr<RegionMapWidget> map;
    std::unique_ptr<FleetCharts> trends;
    std::unique_ptr<LightFloorChart> floor;
    std::unique_ptr<PhaseBreakdownChart> phases;
    std::unique_ptr<DashboardView> dashboard;
};

ReportViews::ReportViews(const snapshot::FleetSnapshot &snapshot)
    : m_snapshot(std::make_shared<const snapshot::FleetSnapshot>(reportViewSnapshot(snapshot)))
    , m_views(std::make_unique<Views>())
{ }

ReportViews::~ReportViews() = default;

namespace {

// Shows `view` off screen at `size`, then gives it the snapshot: the order a dashboard panel
// lives through, so every view draws exactly as it does on screen.
template<typename View, typename Setup>
View *make(std::unique_ptr<View> &slot, QSize size,
           const std::shared_ptr<const snapshot::FleetSnapshot> &snapshot, Setup setup)
{
    if (!slot) {
        slot = std::make_unique<View>();
        prepareForReport(slot.get(), size);
        setup(*slot);
        slot->setSnapshot(snapshot);
        settleForReport(slot.get());
    }
    return slot.get();
}

} // namespace

QWidget *ReportViews::map(QSize size)
{
    return make(m_views->map, size, m_snapshot, [](RegionMapWidget &) {});
}

QWidget *ReportViews::trends(QSize size)
{
    return make(m_views->trends, size, m_snapshot, [](FleetCharts &) {});
}

int ReportViews::barChartHeight() const
{
    const int rows = int(m_snapshot ? m_snapshot->regions.size() : 0);
    const int row = QFontMetrics(QFont()).height() + 4;
    return std::clamp(110 + rows * row, 220, 900);
}

QWidget *ReportViews::lightFloor(QSize size)
{
    const int regions = int(m_snapshot ? std::max<std::size_t>(1, m_snapshot->regions.size()) : 1);
    return make(m_views->floor, size, m_snapshot,
                [regions](LightFloorChart &v) { v.setMaxRegions(regions); });
}

QWidget *ReportViews::phases(QSize size)
{
    const int regions = int(m_snapshot ? std::max<std::size_t>(1, m_snapshot->regions.size()) : 1);
    return make(m_views->phases, size, m_snapshot,
                [regions](PhaseBreakdownChart &v) { v.setMaxRegions(regions); });
}

QWidget *ReportViews::dashboard(QSize size)
{
    return make(m_views->dashboard, size, m_snapshot, [](DashboardView &) {});
}

} // namespace fleetscope::widgets
