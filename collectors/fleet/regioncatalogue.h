#pragma once

// RegionCatalogue: the provider regions and colos of resources/data/regions.json (compiled into
// FleetScope::Resources), looked up by code and provider. Immutable after construction: any
// thread may read it; embedded() lives for the whole program. Lookups return values.

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace fleetscope::fleet {

struct Region
{
    QString provider; // "fly", "aws", "gcp", "azure", "vercel", "cloudflare"
    QString code; // as the provider writes it: "nrt", "us-east-1", "NRT"
    QString name; // the provider's description: "Tokyo, Japan", "US East (N. Virginia)"
    QString city;
    QString country; // ISO 3166-1 alpha-2
    double lat = 0; // decimal degrees
    double lon = 0;
    QString locationPrecision; // city, state, country, nearby-town, airport/colo

    friend bool operator==(const Region &, const Region &) = default;
};

class RegionCatalogue
{
public:
    // The order in which providers are tried when a target has no provider label and its code
    // exists for several providers (only Fly.io and Cloudflare share codes: "nrt" / "NRT").
    // Compute platforms come before Cloudflare's colos, Fly.io first because its codes are what
    // fleetsim and most self-hosted edge fleets use.
    static QStringList providerPreference();

    // The catalogue compiled into FleetScope::Resources. Empty (and a warning logged) only if the
    // resource is missing from the build.
    static const RegionCatalogue &embedded();

    // Parses a regions.json array; entries without provider, code or numeric lat/lon are skipped.
    static RegionCatalogue fromJson(const QByteArray &json, QString *error = nullptr);

    // The region `code` (case-insensitive). With a provider the catalogue knows ("aws", also
    // "fly.io", "google", "microsoft"...), only that provider's regions match. Without one, or
    // with one it does not know, the first match in providerPreference() order.
    std::optional<Region> find(const QString &code, const QString &provider = {}) const;

    // Every region with that code, in providerPreference() order.
    QList<Region> candidates(const QString &code) const;

    // The catalogue's spelling of a provider name or alias; empty when unknown.
    QString canonicalProvider(const QString &provider) const;

    // The code nearest to `code` for "did you mean", within `provider` when it is known.
    QString suggest(const QString &code, const QString &provider = {}) const;

    QList<Region> regionsOf(const QString &provider) const;
    QStringList providers() const;
    const QList<Region> &all() const { return m_regions; }
    qsizetype size() const { return m_regions.size(); }

private:
    QList<Region> m_regions; // sorted by provider preference, then file order
    QHash<QString, QList<qsizetype>> m_byCode; // case-folded code -> indices into m_regions
};

} // namespace fleetscope::fleet
