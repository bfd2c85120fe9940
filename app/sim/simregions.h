#pragma once

// The simulator's regions: FleetScope's region catalogue (fleet::RegionCatalogue, compiled from
// resources/data/regions.json) looked up the way fleetsim's command line writes a region ("nrt"
// in Fly.io's codes, "aws:us-east-1" naming the provider), and the fibre arithmetic of
// data/physics.md (analytics/lightfloor.h) the node model delays its writes with. Any thread;
// returns values.

#include "analytics/lightfloor.h"
#include "fleet/regioncatalogue.h"

#include <QList>
#include <QString>

#include <optional>

namespace fleetscope::sim {

using Region = fleet::Region;

// The provider whose codes fleetsim uses by default (Fly.io: nrt, iad, fra, ...).
inline QString defaultProvider()
{
    return QStringLiteral("fly");
}

// "nrt" in the default provider; "aws:us-east-1" in the named one, which the catalogue must know.
// Case-insensitive. nullopt for an unknown region or provider.
std::optional<Region> findRegion(const QString &spec);

// The default provider's regions, in the catalogue's order.
QList<Region> defaultProviderRegions();

// Mean solar time offset from UTC in hours (longitude / 15): the simulator has no time-zone
// database, and traffic follows the sun well enough.
inline double solarUtcOffsetHours(const Region &region)
{
    return region.lon / 15.0;
}

namespace geo {
inline double distanceKm(const Region &a, const Region &b)
{
    return analytics::greatCircleKm({ a.lat, a.lon }, { b.lat, b.lon });
}
// Light in fibre covers about 200 km per ms (physics.md section 1).
constexpr double fibreKmPerSecond = analytics::fibreKmPerMs * 1000.0;
// Round trip through straight fibre along the great circle: the floor a test may assert.
inline double fibreRttSeconds(double km)
{
    return 2.0 * km / fibreKmPerSecond;
}
// Cable paths are longer than the great circle: 1.3 is the best-case US conduit median, 2.1 the
// Internet rule of thumb (physics.md section 2); cloud backbones sit in between.
constexpr double defaultPathStretch = 1.5;
} // namespace geo

} // namespace fleetscope::sim
