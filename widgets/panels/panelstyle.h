#pragma once

// Colours, symbols and words the panels share, taken from the widget's palette so light and dark
// themes both read: SLO states (ok / warning / breach / no data, always with a word and a shape
// beside the colour), node health icons, the qualitative series colours and chart theming.
// GUI thread (icons and charts are GUI objects); returns values.

#include "analytics/slo.h"
#include "snapshot/fleetsnapshot.h"

#include <QColor>
#include <QIcon>
#include <QPalette>
#include <QString>

QT_BEGIN_NAMESPACE
class QChart;
class QChartView;
class QValueAxis;
QT_END_NAMESPACE

namespace fleetscope::widgets::panelstyle {

bool isDark(const QPalette &palette);

QColor sloColour(analytics::SloStatus status, const QPalette &palette);
QString sloWord(analytics::SloStatus status); // "OK", "Warning", "Breach", "No data"
QString sloSymbol(analytics::SloStatus status); // a shape that differs without colour

QColor healthColour(snapshot::Health health, const QPalette &palette);
QString healthWord(snapshot::Health health); // "Up", "Idle", "Down", "Stale", "Unknown"
// A small icon whose shape tells the state apart without colour: filled disc (up), hollow ring
// (idle), cross (down), triangle (stale), question mark (unknown).
QIcon healthIcon(snapshot::Health health, const QPalette &palette);

// The i-th series colour of a colour-blind-safe qualitative set (Okabe-Ito), lightened on dark.
QColor seriesColour(int index, const QPalette &palette);

// What every chart view of the dashboard shares: antialiased, no animation, tight margins, a bold
// title, the legend below. It repaints its whole viewport when anything changes: a new snapshot
// changes every series, and QGraphicsView's default (the union of dirty item rectangles) clips
// each line and grid line to a many-rectangle region, several times the cost of one full paint.
void setUpChartView(QChartView *view);

// Lays a chart out and hands its scene's pending changes to its view now, so that the window's
// next paint draws the chart once. Left to the event loop, each chart scene's deferred update
// (a queued call) comes after the window's update request and paints that chart a second time.
// ChartSettler does it when the scope that changed the chart ends (early returns included).
void settleChart(QChartView *view);

class ChartSettler
{
public:
    explicit ChartSettler(QChartView *view)
        : m_view(view)
    { }
    ~ChartSettler() { settleChart(m_view); }
    ChartSettler(const ChartSettler &) = delete;
    ChartSettler &operator=(const ChartSettler &) = delete;

private:
    QChartView *m_view;
};

// Chart background, text and grid from the palette (no Qt chart theme's own colours).
void applyPalette(QChart *chart, const QPalette &palette);

// Sets a value axis's range, tick count and label format, touching only what differs: every
// change makes QtCharts lay out the axis and each series again.
void setAxisRange(QValueAxis *axis, double min, double max, int ticks, const QString &format);

// Plain text for a tooltip that Qt would otherwise guess to be rich text (label values may hold
// markup that must show literally).
QString plainToolTip(const QString &text);

} // namespace fleetscope::widgets::panelstyle
