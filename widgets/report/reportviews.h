#pragma once

// The dashboard's own views, built off screen to draw one snapshot into a report: laid out at a
// given size without ever appearing (WA_DontShowOnScreen), in a light palette whatever the
// desktop theme, then rendered into a PDF painter (vector), an SVG document or an image. GUI
// thread.

#include "snapshot/fleetsnapshot.h"

#include <QByteArray>
#include <QFont>
#include <QImage>
#include <QPalette>
#include <QRectF>
#include <QSize>

#include <memory>

QT_BEGIN_NAMESPACE
class QPainter;
class QWidget;
QT_END_NAMESPACE

namespace fleetscope::widgets {

// Black on white, whatever the desktop theme: reports are printed and pasted into documents.
QPalette reportPalette();
// The application font without ligatures, so "fl" and "fi" in a PDF stay two letters that a
// reader can search for and copy.
QFont reportFont();

// Gives the widget the report palette and `size`, and lays it out without showing it.
void prepareForReport(QWidget *widget, QSize size);
// Delivers the layout and update events a change left pending.
void settleForReport(QWidget *widget);

// Draws the widget (and its children) scaled into `target` of the painter's device. Vector
// output on a vector device (PDF, SVG): nothing is rasterised on the way.
void renderWidget(QPainter &painter, QWidget *widget, const QRectF &target);

// The widget as an image at `pixelRatio` times its size (device pixel ratio set accordingly).
QImage renderWidgetImage(QWidget *widget, qreal pixelRatio);

// The widget as a standalone <svg> element (no XML prolog, no namespace URIs, no external
// reference), `title` as its <title>.
QByteArray renderWidgetSvg(QWidget *widget, const QString &title);

// The views a report draws, each owning its widget; created on first use at the size given.
// They draw reportViewSnapshot(snapshot): the window narrowed to the data held.
class ReportViews
{
public:
    explicit ReportViews(const snapshot::FleetSnapshot &snapshot);
    ~ReportViews();

    QWidget *map(QSize size);
    QWidget *trends(QSize size);
    QWidget *lightFloor(QSize size); // every region, when `size` is tall enough
    QWidget *phases(QSize size);
    QWidget *dashboard(QSize size);

    // The height the bar charts need to show every region.
    int barChartHeight() const;

private:
    struct Views;
    std::shared_ptr<const snapshot::FleetSnapshot> m_snapshot;
    std::unique_ptr<Views> m_views;
};

} // namespace fleetscope::widgets
