#pragma once

// What the region map widget suites (tst_regionmap, tst_regionmapdrawing) share: a map shown at
// 1280x800 over a snapshot, and crops and pixel comparisons of what it drew. Test code only; GUI
// thread. Apart from mapfixture.h because the benchmark includes that one without Qt Test.

#include "map/regionmapwidget.h"
#include "snapshot/fleetsnapshot.h"

#include <QImage>
#include <QRect>
#include <QTest>

#include <algorithm>
#include <memory>

namespace fleetscope::testing {

// The map, shown and exposed; null when the window never was.
inline std::unique_ptr<widgets::RegionMapWidget>
shownMap(std::shared_ptr<const snapshot::FleetSnapshot> s)
{
    auto map = std::make_unique<widgets::RegionMapWidget>();
    map->resize(1280, 800);
    map->setSnapshot(std::move(s));
    map->show();
    if (!QTest::qWaitForWindowExposed(map.get()))
        return nullptr;
    return map;
}

// A square crop around a marker, in logical pixels (grab() is at the device pixel ratio).
inline QImage patch(const QImage &image, QPointF centre, double half)
{
    const double dpr = image.devicePixelRatio();
    const QRect r(int((centre.x() - half) * dpr), int((centre.y() - half) * dpr),
                  int(2 * half * dpr), int(2 * half * dpr));
    return image.copy(r).convertToFormat(QImage::Format_RGB32);
}

inline int differingPixels(const QImage &a, const QImage &b)
{
    int n = 0;
    for (int y = 0; y < std::min(a.height(), b.height()); ++y)
        for (int x = 0; x < std::min(a.width(), b.width()); ++x)
            n += a.pixel(x, y) != b.pixel(x, y) ? 1 : 0;
    return n;
}

} // namespace fleetscope::testing
