#pragma once

// RegionMapWidget: the region latency map. Draws the snapshot it is given on an Equal Earth world
// map: one marker per placed region (colour = latency at the snapshot's quantile, area = request
// rate, distinct shapes for no data / scaled to zero / down), replication edges to the primary
// coloured by replica lag, a legend, non-colliding labels and a plain-text hover card. Click,
// keyboard and wheel select, zoom and pan. Never talks to the network.
// GUI thread only. Shares ownership of the snapshot it draws; returns values, never pointers into
// its state.

#include <QHash>
#include <QImage>
#include <QPainterPath>
#include <QPixmap>
#include <QWidget>

#include <memory>
#include <vector>

#include "map/spritecache.h"
#include "snapshot/fleetsnapshot.h"

namespace fleetscope::widgets {

class RegionMapWidget : public QWidget
{
    Q_OBJECT

public:
    // How a region's marker reads, besides its colour.
    enum class MarkerStyle {
        None, // not on the map (unknown code or unplaced)
        Latency, // filled disc coloured by latency, sized by request rate
        NoData, // hollow ring: no latency figure
        ScaledToZero, // grey dashed ring with a moon: only idle nodes
        Down, // red ring with a cross: nodes down and none up
    };
    Q_ENUM(MarkerStyle)

    explicit RegionMapWidget(QWidget *parent = nullptr);
    ~RegionMapWidget() override;

    void setSnapshot(std::shared_ptr<const snapshot::FleetSnapshot> snapshot);
    std::shared_ptr<const snapshot::FleetSnapshot> snapshot() const { return m_snapshot; }

    QString selectedRegion() const { return m_selected; }
    QString hoveredRegion() const { return m_hovered; }
    QString keyboardRegion() const { return m_keyboard; } // the Tab cursor, "" when none
    double zoom() const { return m_zoom; }

    // For tests and tools: where a region's marker is drawn (widget coordinates), its radius and
    // style; a null QPointF / 0 / None when the region is not on the map.
    QPointF markerPosition(const QString &code) const;
    double markerRadius(const QString &code) const;
    MarkerStyle markerStyle(const QString &code) const;
    static MarkerStyle styleFor(const snapshot::RegionData &region);
    // Where a longitude/latitude (degrees) is in the current view, in widget coordinates.
    QPointF widgetPosition(double lonDeg, double latDeg) const;
    // The replication edges drawn: (region, primary) pairs.
    QList<QPair<QString, QString>> replicationEdges() const;
    // The drawn edge from `region` to its primary, in widget coordinates (empty when none).
    QPainterPath replicationEdgePath(const QString &region) const;

    // The hover card of a region as plain text, one "label: value" per line ("" when unknown).
    QString cardText(const QString &code) const;
    // The visible labels' rectangles by region code (hidden labels are absent).
    QHash<QString, QRectF> labelRects() const;
    // The regions without coordinates, and the corner note that lists them ("" when none).
    QStringList unplacedRegions() const;
    QString unplacedNote() const;
    // Where the legend box is: the corner that hides the least (nodes down weigh most).
    QRectF legendRect() const;
    // Paint events handled so far; lets tests check that nothing repaints without a change.
    int paintCount() const { return m_paintCount; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

public Q_SLOTS:
    // Highlights a region (or none for ""); does not emit regionSelected.
    void setSelectedRegion(const QString &code);
    void zoomIn();
    void zoomOut();
    void resetView();

Q_SIGNALS:
    // The user selected a region by click or Enter; "" when they cleared the selection.
    void regionSelected(const QString &code);

protected:
    bool event(QEvent *event) override;
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void changeEvent(QEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void leaveEvent(QEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void focusOutEvent(QFocusEvent *event) override;

private:
    struct Marker
    {
        QString code;
        QPointF map; // map units
        QPointF screen; // widget coordinates, valid after ensureLayout()
        double radius = 0;
        MarkerStyle style = MarkerStyle::None;
        QColor fill;
        bool partlyDown = false;
        bool primary = false;
        size_t region = 0; // index into the snapshot's regions
    };
    struct Edge
    {
        QString from, to;
        int lagClass = 0; // 0 no data, 1 within half the SLO, 2 within the SLO, 3 over it
        QPainterPath path; // map units
    };
    struct Colors; // derived from the palette

    void rebuildMarkers();
    void invalidateLayout();
    void ensureLayout() const;
    QTransform viewTransform() const;
    double baseScale() const;
    void zoomAround(const QPointF &widgetPos, double factor);
    void panBy(const QPointF &pixels);
    void clampCentre();
    const Marker *markerAt(const QPointF &widgetPos) const;
    const Marker *findMarker(const QString &code) const;
    void setHovered(const QString &code);
    void selectFromUser(const QString &code);
    bool cycleKeyboardRegion(bool forward);
    void updateAccessibleDescription();
    QRectF noteRect() const;
    QPainterPath edgePath(const QPointF &fromLonLat, const QPointF &toLonLat);

    void drawBasemap(QPainter &painter, const Colors &colors);
    void drawEdges(QPainter &painter, const Colors &colors) const;
    void drawMarker(QPainter &painter, const Marker &marker, const Colors &colors) const;
    // The marker centred on (0, 0) (drawMarker places it, through the sprite cache).
    void drawMarkerShape(QPainter &painter, const Marker &marker, const Colors &colors,
                         bool selected, bool keyboard) const;
    void drawLabels(QPainter &painter, const Colors &colors) const;
    void drawLegend(QPainter &painter, const Colors &colors) const;
    void drawLegendContents(QPainter &painter, const QRectF &box, const Colors &colors) const;
    void drawNote(QPainter &painter, const Colors &colors) const;
    void drawCard(QPainter &painter, const Colors &colors) const;

    std::shared_ptr<const snapshot::FleetSnapshot> m_snapshot;
    std::vector<Marker> m_markers; // in drawing order: big first, so small ones stay visible
    QHash<QString, size_t> m_markerIndex;
    std::vector<Edge> m_edges;
    QStringList m_unplaced;
    QHash<QString, QPointF> m_projected; // map units by code, kept across snapshots
    QHash<QString, QPointF> m_projectedLonLat; // the coordinates m_projected was computed from
    QHash<QString, QPainterPath> m_edgeCache; // "from\nto" -> great-circle path in map units

    QString m_selected, m_hovered, m_keyboard;
    double m_zoom = 1;
    QPointF m_centre; // map units at the widget centre

    // Layout derived from the markers and the view, recomputed lazily.
    mutable bool m_layoutDirty = true;
    mutable QHash<QString, QRectF> m_labels;

    QPixmap m_basemapCache;
    mutable SpriteCache m_sprites; // markers, by look
    mutable QImage m_legendImage; // the legend as last drawn, and what it was drawn from
    mutable QString m_legendKey;
    QString m_basemapKey;

    bool m_pressed = false;
    bool m_dragging = false;
    QPointF m_pressPos, m_lastDragPos;
    int m_paintCount = 0;
};

} // namespace fleetscope::widgets
