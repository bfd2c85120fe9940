#include "simregions.h"

namespace fleetscope::sim {

std::optional<Region> findRegion(const QString &spec)
{
    const fleet::RegionCatalogue &catalogue = fleet::RegionCatalogue::embedded();
    QString provider = defaultProvider();
    QString code = spec.trimmed();
    if (const qsizetype colon = code.indexOf(QLatin1Char(':')); colon >= 0) {
        // The catalogue falls back to any provider for one it does not know; fleetsim refuses.
        provider = catalogue.canonicalProvider(code.left(colon));
        if (provider.isEmpty())
            return std::nullopt;
        code = code.mid(colon + 1).trimmed();
    }
    if (code.isEmpty())
        return std::nullopt;
    return catalogue.find(code, provider);
}

QList<Region> defaultProviderRegions()
{
    return fleet::RegionCatalogue::embedded().regionsOf(defaultProvider());
}

} // namespace fleetscope::sim
