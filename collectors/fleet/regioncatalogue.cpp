#include "regioncatalogue.h"

#include "logging.h"
#include "suggest.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace fleetscope::fleet {

Q_LOGGING_CATEGORY(lcFleet, "fleetscope.fleet")

namespace {

qsizetype preferenceRank(const QString &provider)
{
    const QStringList order = RegionCatalogue::providerPreference();
    const qsizetype i = order.indexOf(provider);
    return i < 0 ? order.size() : i;
}

} // namespace

QStringList RegionCatalogue::providerPreference()
{
    return { QStringLiteral("fly"), QStringLiteral("vercel"), QStringLiteral("aws"),
             QStringLiteral("gcp"), QStringLiteral("azure"),  QStringLiteral("cloudflare") };
}

const RegionCatalogue &RegionCatalogue::embedded()
{
    static const RegionCatalogue catalogue = [] {
        QFile file(QStringLiteral(":/fleetscope/data/regions.json"));
        if (!file.open(QIODevice::ReadOnly)) {
            qCWarning(lcFleet) << "region catalogue resource missing:" << file.fileName();
            return RegionCatalogue();
        }
        QString error;
        RegionCatalogue result = fromJson(file.readAll(), &error);
        if (!error.isEmpty())
            qCWarning(lcFleet) << "region catalogue:" << error;
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
        r.locationPrecision = o.value(QLatin1String("location_precision")).toString();
        const QJsonValue lat = o.value(QLatin1String("lat"));
        const QJsonValue lon = o.value(QLatin1String("lon"));
        if (r.provider.isEmpty() || r.code.isEmpty() || !lat.isDouble() || !lon.isDouble())
            continue;
        r.lat = lat.toDouble();
        r.lon = lon.toDouble();
        result.m_regions.append(r);
    }
    std::stable_sort(result.m_regions.begin(), result.m_regions.end(),
                     [](const Region &a, const Region &b) {
                         return preferenceRank(a.provider) < preferenceRank(b.provider);
                     });
    for (qsizetype i = 0; i < result.m_regions.size(); ++i)
        result.m_byCode[result.m_regions[i].code.toCaseFolded()].append(i);
    return result;
}

QString RegionCatalogue::canonicalProvider(const QString &provider) const
{
    QString p = provider.trimmed().toCaseFolded();
    static const QHash<QString, QString> aliases {
        { QStringLiteral("fly.io"), QStringLiteral("fly") },
        { QStringLiteral("flyio"), QStringLiteral("fly") },
        { QStringLiteral("amazon"), QStringLiteral("aws") },
        { QStringLiteral("google"), QStringLiteral("gcp") },
        { QStringLiteral("gce"), QStringLiteral("gcp") },
        { QStringLiteral("google-cloud"), QStringLiteral("gcp") },
        { QStringLiteral("microsoft"), QStringLiteral("azure") },
        { QStringLiteral("cf"), QStringLiteral("cloudflare") },
    };
    p = aliases.value(p, p);
    for (const Region &r : m_regions) {
        if (r.provider.compare(p, Qt::CaseInsensitive) == 0)
            return r.provider;
    }
    return {};
}

QList<Region> RegionCatalogue::candidates(const QString &code) const
{
    QList<Region> out;
    for (qsizetype i : m_byCode.value(code.trimmed().toCaseFolded()))
        out.append(m_regions[i]);
    return out;
}

std::optional<Region> RegionCatalogue::find(const QString &code, const QString &provider) const
{
    const QList<qsizetype> indices = m_byCode.value(code.trimmed().toCaseFolded());
    if (indices.isEmpty())
        return std::nullopt;
    const QString known = provider.isEmpty() ? QString() : canonicalProvider(provider);
    if (!known.isEmpty()) {
        for (qsizetype i : indices) {
            if (m_regions[i].provider == known)
                return m_regions[i];
        }
        return std::nullopt;
    }
    return m_regions[indices.first()]; // indices follow providerPreference()
}

QString RegionCatalogue::suggest(const QString &code, const QString &provider) const
{
    const QString known = provider.isEmpty() ? QString() : canonicalProvider(provider);
    QStringList codes;
    for (const Region &r : m_regions) {
        if (known.isEmpty() || r.provider == known)
            codes.append(r.code);
    }
    return closestMatch(code, codes);
}

QList<Region> RegionCatalogue::regionsOf(const QString &provider) const
{
    const QString known = canonicalProvider(provider);
    QList<Region> out;
    for (const Region &r : m_regions) {
        if (r.provider == known)
            out.append(r);
    }
    return out;
}

QStringList RegionCatalogue::providers() const
{
    QStringList out;
    for (const Region &r : m_regions) {
        if (!out.contains(r.provider))
            out.append(r.provider);
    }
    return out;
}

} // namespace fleetscope::fleet
