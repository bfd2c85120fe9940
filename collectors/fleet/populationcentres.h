#pragma once

// PopulationCentres: the reference user locations of resources/data/population-centres.json
// (the 20 largest urban agglomerations), the vantage points a fleet file can name. Immutable after
// construction: any thread may read it; embedded() lives for the whole program.

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace fleetscope::fleet {

struct PopulationCentre
{
    int rank = 0;
    QString name; // "Guangzhou (Pearl River Delta)", "New York"
    QString city; // "Guangzhou"
    QString country; // ISO 3166-1 alpha-2
    double lat = 0;
    double lon = 0;
    qint64 population = 0;

    friend bool operator==(const PopulationCentre &, const PopulationCentre &) = default;
};

class PopulationCentres
{
public:
    static const PopulationCentres &embedded();
    static PopulationCentres fromJson(const QByteArray &json, QString *error = nullptr);

    // By name or city, ignoring case and diacritics: "Tokyo", "sao paulo", "Guangzhou".
    std::optional<PopulationCentre> find(const QString &name) const;
    // The nearest name for "did you mean"; empty when nothing is close.
    QString suggest(const QString &name) const;
    QStringList names() const;

    const QList<PopulationCentre> &all() const { return m_centres; }
    qsizetype size() const { return m_centres.size(); }

private:
    QList<PopulationCentre> m_centres; // by rank
};

} // namespace fleetscope::fleet
