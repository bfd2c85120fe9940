#pragma once

// RegionCatalogue: the provider regions compiled into FleetScope::Resources
// (":/fleetscope/data/regions.json"), looked up by code, plus the great-circle and fibre
// arithmetic of data/physics.md. Immutable after load; any thread may read it. Returns values.

#include <QList>
#include <QString>

#include <optional>

namespace fleetscope::sim {

struct Region
{
    QString provider; // "fly"
    QString code; // "nrt"
    QString name; // "Tokyo, Japan"
    QString city;
    QString country; // ISO 3166-1 alpha-2
    double lat = 0;
    double lon = 0;

    // Mean solar time offset from UTC in hours (longitude / 15): the simulator has no time-zone
    // database, and traffic follows the sun well enough.
    double solarUtcOffsetHours() const { return lon / 15.0; }
};

class RegionCatalogue
{
public:
    // The provider whose codes fleetsim uses by default (Fly.io: nrt, iad, fra, ...).
    static QString defaultProvider() { return QStringLiteral("fly"); }

    // Loads the embedded catalogue. Never fails for the compiled-in resource; an empty catalogue
    // (resource missing) makes every lookup fail with a clear error upstream.
    static const RegionCatalogue &embedded();

    static RegionCatalogue fromJson(const QByteArray &json, QString *error = nullptr);

    // "nrt" looks in the default provider; "aws:us-east-1" names the provider explicitly.
    std::optional<Region> find(const QString &spec) const;
    QList<Region> regionsOf(const QString &provider) const;
    qsizetype size() const { return m_regions.size(); }

private:
    QList<Region> m_regions;
};

namespace geo {
// Great-circle distance (haversine, mean Earth radius 6371 km).
double distanceKm(double lat1, double lon1, double lat2, double lon2);
inline double distanceKm(const Region &a, const Region &b)
{
    return distanceKm(a.lat, a.lon, b.lat, b.lon);
}
// Light in fibre covers about 200 km per ms (physics.md section 1).
constexpr double fibreKmPerSecond = 200000.0;
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
