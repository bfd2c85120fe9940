#include "regioncatalogue.h"

#include "logging.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

namespace fleetscope::sim {

const RegionCatalogue &RegionCatalogue::embedded()
{
    static const RegionCatalogue catalogue = [] {
        QFile file(QStringLiteral(":/fleetscope/data/regions.json"));
        if (!file.open(QIODevice::ReadOnly)) {
            qCWarning(lcSim) << "region catalogue resource missing:" << file.fileName();
            return RegionCatalogue();
        }
        QString error;
        RegionCatalogue result = fromJson(file.readAll(), &error);
        if (!error.isEmpty())
            qCWarning(lcSim) << "region catalogue:" << error;
        return result;
    }();
    return catalogue;
}

RegionCatalogue RegionCatalogue::fromJson(const QByteArray &json, QString *error)
{
    RegionCatalogue result;
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (!doc.isArray()) {
        if (error)
            *error = parseError.error != QJsonParseError::NoError
                ? parseError.errorString()
                : QStringLiteral("expected a JSON array of regions");
        return result;
    }
    const QJsonArray array = doc.array();
    result.m_regions.reserve(array.size());
    for (const QJsonValue &value : array) {
        const QJsonObject o = value.toObject();
        Region r;
        r.provider = o.value(QLatin1String("provider")).toString();
        r.code = o.value(QLatin1String("code")).toString();
        r.name = o.value(QLatin1String("name")).toString();
        r.city = o.value(QLatin1String("city")).toString();
        r.country = o.value(QLatin1String("country")).toString();
        const QJsonValue lat = o.value(QLatin1String("lat"));
        const QJsonValue lon = o.value(QLatin1String("lon"));
        if (r.provider.isEmpty() || r.code.isEmpty() || !lat.isDouble() || !lon.isDouble())
            continue;
        r.lat = lat.toDouble();
        r.lon = lon.toDouble();
        result.m_regions.append(r);
    }
    return result;
}

std::optional<Region> RegionCatalogue::find(const QString &spec) const
{
    QString provider = defaultProvider();
    QString code = spec.trimmed();
    const qsizetype colon = code.indexOf(QLatin1Char(':'));
    if (colon >= 0) {
        provider = code.left(colon);
        code = code.mid(colon + 1);
    }
    for (const Region &r : m_regions) {
        if (r.provider.compare(provider, Qt::CaseInsensitive) == 0
            && r.code.compare(code, Qt::CaseInsensitive) == 0)
            return r;
    }
    return std::nullopt;
}

QList<Region> RegionCatalogue::regionsOf(const QString &provider) const
{
    QList<Region> result;
    for (const Region &r : m_regions) {
        if (r.provider == provider)
            result.append(r);
    }
    return result;
}

namespace geo {
double distanceKm(double lat1, double lon1, double lat2, double lon2)
{
    constexpr double earthRadiusKm = 6371.0;
    constexpr double rad = M_PI / 180.0;
    const double dLat = (lat2 - lat1) * rad;
    const double dLon = (lon2 - lon1) * rad;
    const double a = std::sin(dLat / 2) * std::sin(dLat / 2)
        + std::cos(lat1 * rad) * std::cos(lat2 * rad) * std::sin(dLon / 2) * std::sin(dLon / 2);
    return 2 * earthRadiusKm * std::asin(std::min(1.0, std::sqrt(a)));
}
} // namespace geo

} // namespace fleetscope::sim
