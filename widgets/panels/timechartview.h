#pragma once

// TimeChartView: one QtCharts time-series chart (a QDateTimeAxis and one or two value axes) that
// keeps each line's full-resolution points and feeds the series, in bulk with
// QXYSeries::replace, only as many points as the plot area is pixels wide — again whenever it is
// resized. Shows "no data" instead of an empty grid. GUI thread; owns its chart, axes and series.

#include <QChartView>
#include <QColor>
#include <QList>
#include <QPointF>

#include <vector>

QT_BEGIN_NAMESPACE
class QDateTimeAxis;
class QLineSeries;
class QValueAxis;
class QXYSeries;
QT_END_NAMESPACE

namespace fleetscope::widgets {

struct ChartLine
{
    QString name; // legend text and what series(name) finds
    QList<QPointF> points; // x: ms since the epoch, ascending
    QColor colour;
    Qt::PenStyle style = Qt::SolidLine;
    qreal width = 1; // one pixel is the cheap case for the raster engine (see setLines)
    bool secondaryAxis = false; // plotted against the right-hand axis
    bool inLegend = true; // false for lines the legend would only crowd (explained elsewhere)
    QString legendLabel {}; // the legend's text when shorter than the name; empty: the name
};

class TimeChartView : public QChartView
{
    Q_OBJECT
public:
    explicit TimeChartView(const QString &valueTitle, QWidget *parent = nullptr);

    // A second value axis on the right, for lines with secondaryAxis set.
    void setSecondaryAxisTitle(const QString &title);
    void setTitle(const QString &title);
    // Takes effect with the next setLines() (which lays the chart out once for both).
    void setTimeRange(double fromSeconds, double toSeconds);
    // Value axis bounds: a fixed ceiling (e.g. 100 for percentages), else the data's nice maximum.
    void setValueCeiling(double ceiling) { m_ceiling = ceiling; }
    void setLines(std::vector<ChartLine> lines);
    void setEmptyText(const QString &text);

    // The most points any series gets: one every two pixels of the plot area's width.
    int pointBudget() const;
    QXYSeries *series(const QString &name) const;
    QList<QXYSeries *> allSeries() const;
    QDateTimeAxis *timeAxis() const { return m_timeAxis; }
    QValueAxis *valueAxis() const { return m_valueAxis; }
    QValueAxis *secondaryValueAxis() const { return m_secondaryAxis; }

    // Re-reads the palette (theme change).
    void applyPalette();

protected:
    void drawForeground(QPainter *painter, const QRectF &rect) override;
    void changeEvent(QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void feed();
    void applyTimeRange();
    void updateValueAxis(QValueAxis *axis, bool secondary);
    // Shows a value axis' title only where the plot is tall enough to hold it whole (QtCharts
    // would elide it to "que...").
    void fitAxisTitles();
    // How many value-axis labels the plot's height holds legibly (2 to 5).
    int wantedTicks() const;

    QDateTimeAxis *m_timeAxis;
    QValueAxis *m_valueAxis;
    QValueAxis *m_secondaryAxis = nullptr;
    std::vector<QLineSeries *> m_series;
    std::vector<ChartLine> m_lines;
    double m_ceiling = 0;
    double m_span = 300;
    double m_pendingFrom = 0;
    double m_pendingTo = -1;
    int m_fedBudget = -1;
    int m_ticksFor = -1; // wantedTicks() when the value axes were last ranged
    QString m_emptyText;
};

} // namespace fleetscope::widgets
