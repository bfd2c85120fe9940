#include "populationcentres.h"

#include "logging.h"
#include "suggest.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace fleetscope::fleet {

const PopulationCentres &PopulationCentres::embedded()
{
    static const PopulationCentres centres = [] {
        QFile file(QStringLiteral(":/fleetscope/data/population-centres.json"));
        if (!file.open(QIODevice::ReadOnly)) {
            qCWarning(lcFleet) << "population centres resource missing:" << file.fileName();
            return PopulationCentres();
        }
        QString error;
        PopulationCentres result = fromJson(file.readAll(), &error);
        if (!error.isEmpty())
            qCWarning(lcFleet) << "population centres:" << error;
        return result;
    }();
    return centres;
}

PopulationCentres PopulationCentres::fromJson(const QByteArray &json, QString *error)
{
    PopulationCentres result;
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (!doc.isArray()) {
        if (error)
            *error = parseError.error != QJsonParseError::NoError
                ? parseError.errorString()
                : QStringLiteral("expected a JSON array of population centres");
        return result;
    }
    for (const QJsonValue &value : doc.array()) {
        const QJsonObject o = value.toObject();
        PopulationCentre c;
        c.rank = o.value(QLatin1String("rank")).toInt();
        c.name = o.value(QLatin1String("name")).toString();
        c.city = o.value(QLatin1String("city")).toString();
        c.country = o.value(QLatin1String("country")).toString();
        c.population = qint64(o.value(QLatin1String("population")).toDouble());
        const QJsonValue lat = o.value(QLatin1String("lat"));
        const QJsonValue lon = o.value(QLatin1String("lon"));
        if (c.name.isEmpty() || !lat.isDouble() || !lon.isDouble())
            continue;
        c.lat = lat.toDouble();
        c.lon = lon.toDouble();
        result.m_centres.append(c);
    }
    std::stable_sort(
        result.m_centres.begin(), result.m_centres.end(),
        [](const PopulationCentre &a, const PopulationCentre &b) { return a.rank < b.rank; });
    return result;
}

std::optional<PopulationCentre> PopulationCentres::find(const QString &name) const
{
    const QString wanted = foldForMatch(name);
    if (wanted.isEmpty())
        return std::nullopt;
    for (const PopulationCentre &c : m_centres) {
        if (foldForMatch(c.name) == wanted)
            return c;
    }
    for (const PopulationCentre &c : m_centres) {
        if (foldForMatch(c.city) == wanted)
            return c;
    }
    return std::nullopt;
}

QString PopulationCentres::suggest(const QString &name) const
{
    QStringList candidates;
    for (const PopulationCentre &c : m_centres)
        candidates << c.name << c.city;
    return closestMatch(foldForMatch(name), candidates);
}

QStringList PopulationCentres::names() const
{
    QStringList out;
    for (const PopulationCentre &c : m_centres)
        out.append(c.name);
    return out;
}

} // namespace fleetscope::fleet
