#include "lightfloor.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace fleetscope::analytics {

double greatCircleKm(const GeoPoint &a, const GeoPoint &b)
{
    constexpr double radians = std::numbers::pi / 180.0;
    const double phi1 = a.lat * radians;
    const double phi2 = b.lat * radians;
    const double dPhi = (b.lat - a.lat) * radians;
    const double dLambda = (b.lon - a.lon) * radians;
    const double h = std::sin(dPhi / 2) * std::sin(dPhi / 2)
        + std::cos(phi1) * std::cos(phi2) * std::sin(dLambda / 2) * std::sin(dLambda / 2);
    // Clamped: rounding can push h a hair above 1 for antipodal points.
    return 2 * earthMeanRadiusKm * std::asin(std::sqrt(std::clamp(h, 0.0, 1.0)));
}

LightFloor lightFloor(const GeoPoint &vantage, const GeoPoint &region, double pathStretch)
{
    LightFloor f;
    f.distanceKm = greatCircleKm(vantage, region);
    f.pathStretch = std::isnan(pathStretch) ? defaultPathStretch : std::max(1.0, pathStretch);
    f.oneWayMs = f.distanceKm * f.pathStretch / fibreKmPerMs;
    f.roundTripMs = 2 * f.oneWayMs;
    f.straightFibreRoundTripMs = 2 * f.distanceKm / fibreKmPerMs;
    f.vacuumRoundTripMs = 2 * f.distanceKm / vacuumKmPerMs;
    return f;
}

} // namespace fleetscope::analytics
