#pragma once

// The speed-of-light floor from a user location to a region: great-circle distance (haversine)
// at the speed of light in fibre, times a path stretch. Figures from data/physics.md.
// Pure functions; any thread.

namespace fleetscope::analytics {

struct GeoPoint
{
    double lat = 0; // decimal degrees
    double lon = 0;
};

// Mean Earth radius (IUGG R1 = 6371.0088 km, to the kilometre as commonly used and as fleetsim's
// catalogue uses it).
inline constexpr double earthMeanRadiusKm = 6371.0;
// physics.md section 1: c = 299 792 458 m/s exactly (BIPM).
inline constexpr double vacuumKmPerMs = 299.792458;
// physics.md section 1: light in fibre covers roughly 200 000 km/s (index ~1.47-1.5), so
// "one-way delay (ms) ~ fibre length (km) / 200".
inline constexpr double fibreKmPerMs = 200.0;
// physics.md section 2/3: Bozkurt et al. (arXiv:1811.10737): multiply the line-of-sight
// distance by 2.1 for Internet paths; 1.3 is the best-case US conduit median.
inline constexpr double typicalPathStretch = 2.1;
inline constexpr double wellRoutedPathStretch = 1.3;
inline constexpr double straightCableStretch = 1.0;
inline constexpr double defaultPathStretch = typicalPathStretch;

// Great-circle distance by the haversine formula on a sphere of earthMeanRadiusKm.
double greatCircleKm(const GeoPoint &a, const GeoPoint &b);

struct LightFloor
{
    double distanceKm = 0; // great circle
    double pathStretch = defaultPathStretch;
    double oneWayMs = 0; // distance x stretch / fibre speed
    double roundTripMs = 0; // twice that
    double straightFibreRoundTripMs = 0; // stretch 1: the floor no cable can beat
    double vacuumRoundTripMs = 0; // c-latency: the hard physical bound
};

// NaN coordinates give NaN figures; a stretch below 1 is raised to 1 (no path is shorter than
// the great circle).
LightFloor lightFloor(const GeoPoint &vantage, const GeoPoint &region,
                      double pathStretch = defaultPathStretch);

} // namespace fleetscope::analytics
