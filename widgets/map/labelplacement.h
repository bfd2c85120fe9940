#pragma once

// Greedy label placement for map markers: each label tries several positions around its marker,
// in priority order (bigger and selected markers first), and takes the first that overlaps no
// marker, no label already placed, no reserved area and stays inside the bounds; labels that
// cannot be placed are hidden. Pure function; any thread.

#include <QHash>
#include <QList>
#include <QRectF>
#include <QString>

#include <vector>

namespace fleetscope::widgets {

struct LabelRequest
{
    QString key;
    QPointF anchor; // the marker centre
    double radius = 0; // the marker radius; labels keep clear of it
    QSizeF size; // the label box
    double priority = 0; // higher is placed first
};

struct MarkerDisc
{
    QPointF centre;
    double radius = 0;
};

// Returns the placed labels' rectangles by key; none of them overlap each other, a marker disc or
// a reserved rectangle.
QHash<QString, QRectF> placeLabels(const std::vector<LabelRequest> &labels,
                                   const std::vector<MarkerDisc> &markers,
                                   const QList<QRectF> &reserved, const QRectF &bounds);

bool rectIntersectsDisc(const QRectF &rect, const QPointF &centre, double radius);

} // namespace fleetscope::widgets
