#include "map/equalearth.h"

#include <cmath>
#include <numbers>

namespace fleetscope::widgets {

namespace {

constexpr double kA1 = 1.340264;
constexpr double kA2 = -0.081106;
constexpr double kA3 = 0.000893;
constexpr double kA4 = 0.003796;

} // namespace

QPointF equalEarth(double lonDeg, double latDeg)
{
    constexpr double deg = std::numbers::pi / 180.0;
    const double lambda = lonDeg * deg;
    const double phi = latDeg * deg;
    const double theta = std::asin(std::numbers::sqrt3 / 2.0 * std::sin(phi));
    const double t2 = theta * theta;
    const double t6 = t2 * t2 * t2;
    const double x = 2.0 * std::numbers::sqrt3 * lambda * std::cos(theta)
        / (3.0 * (9.0 * kA4 * t6 * t2 + 7.0 * kA3 * t6 + 3.0 * kA2 * t2 + kA1));
    const double y = theta * (kA1 + kA2 * t2 + t6 * (kA3 + kA4 * t2));
    return { x, -y };
}

QRectF equalEarthBounds()
{
    const double w = equalEarth(180, 0).x();
    const double h = -equalEarth(0, 90).y();
    return { -w, -h, 2 * w, 2 * h };
}

} // namespace fleetscope::widgets
