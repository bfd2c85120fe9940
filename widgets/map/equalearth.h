#pragma once

// The Equal Earth projection (Šavrič, Patterson and Jenny, 2018): equal-area, so regions are not
// inflated towards the poles, and it still looks like a world map. Pure functions; any thread.
// Output is in "map units" for a unit sphere with y pointing south, ready for a screen transform
// that only scales and translates.

#include <QPointF>
#include <QRectF>

namespace fleetscope::widgets {

// lon, lat in degrees; x in [-2.7066, 2.7066], y in [-1.3174, 1.3174] (south positive).
QPointF equalEarth(double lonDeg, double latDeg);

// The projected world: the rectangle around the outline of the sphere.
QRectF equalEarthBounds();

} // namespace fleetscope::widgets
