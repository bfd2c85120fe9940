#pragma once

// The fleet a fleet file describes: targets with their labels and placement, scrape settings,
// pricing profile id, vantage point, SLO thresholds and metric names. Plain copyable values that
// may cross threads; they never hold a secret, only the paths of files that do.

#include "metricroles.h"
#include "regioncatalogue.h"

#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>
#include <QUrl>

#include <chrono>
#include <optional>

class QDebug;

namespace fleetscope::fleet {

// One error or warning about a fleet file. line and column are 1-based; 0 when not known.
struct Diagnostic
{
    QString file;
    int line = 0;
    int column = 0;
    QString message; // says what was expected; quoted input is escaped and cut short

    QString toString() const; // "FILE:LINE:COL: message" (parts that are unknown left out)
    friend bool operator==(const Diagnostic &, const Diagnostic &) = default;
};

struct TlsSettings
{
    QString caFile; // absolute path; empty: the system's trust store
    bool insecureSkipVerify = false;
    friend bool operator==(const TlsSettings &, const TlsSettings &) = default;
};

struct ScrapeSettings
{
    std::chrono::milliseconds interval { 15000 };
    std::chrono::milliseconds timeout { 10000 }; // never above interval
    QString scheme = QStringLiteral("http"); // "http" or "https"
    QString metricsPath = QStringLiteral("/metrics");
    // Absolute path of the file holding the bearer token; read it with readBearerToken() at
    // scrape time. Empty: no Authorization header.
    QString bearerTokenFile;
    TlsSettings tls;
    bool followRedirects = false;
    // Unset: the scraper's defaults. 0 means no limit, as in Prometheus.
    std::optional<qint64> bodySizeLimit; // bytes, counted after decompression
    std::optional<qint64> sampleLimit;
    std::optional<int> concurrency; // scrapes in flight at once
    friend bool operator==(const ScrapeSettings &, const ScrapeSettings &) = default;
};

enum class Placement {
    Region, // the region label matched the catalogue
    Coordinates, // lat/lon labels (they win over the catalogue's coordinates)
    Unplaced, // no known region and no lat/lon: listed, never drawn on the map, never dropped
};

struct Target
{
    QString id; // stable: derived from the URL, unchanged by reordering or relabelling
    QString address; // "host:port" as scraped (host lower-cased)
    QString host;
    quint16 port = 0;
    QString scheme; // from scrape.scheme or the group's __scheme__ label
    QString metricsPath; // from scrape.metrics_path or __metrics_path__
    QUrl url; // scheme://address/path?params (__param_<name> labels)
    std::chrono::milliseconds interval { 15000 }; // scrape.interval or __scrape_interval__
    std::chrono::milliseconds timeout { 10000 }; // scrape.timeout or __scrape_timeout__
    // The group's labels without the reserved __*__ ones: region, node, provider, lat, lon and
    // any others. They win over sample labels (mergeTargetLabels).
    QMap<QString, QString> labels;

    Placement placement = Placement::Unplaced;
    std::optional<Region> region; // the catalogue entry, when the region label matched one
    double lat = 0; // meaningful unless Unplaced
    double lon = 0;

    int group = 0; // 0-based index of its target group in the file
    int line = 0; // where the target is listed (1-based)
    int column = 0;

    QString label(const QString &name) const { return labels.value(name); }
    QString regionCode() const { return labels.value(QStringLiteral("region")); }
    // Prometheus' instance label: the label when set, else the address.
    QString instance() const;
    bool isPlaced() const { return placement != Placement::Unplaced; }
    friend bool operator==(const Target &, const Target &) = default;
};

struct Vantage
{
    QString name; // the population centre's name, or the fleet file's label for a point
    double lat = 0;
    double lon = 0;
    bool fromCatalogue = false; // a population centre rather than explicit coordinates
    friend bool operator==(const Vantage &, const Vantage &) = default;
};

// Thresholds for SLO status; unset ones are not judged.
struct SloThresholds
{
    std::optional<double> p95LatencyMs;
    std::optional<double> hitRatio; // 0..1, the least acceptable
    std::optional<double> replicaLagSeconds; // the most acceptable
    std::optional<double> costPerMillionInvocations; // USD, the most acceptable
    friend bool operator==(const SloThresholds &, const SloThresholds &) = default;
};

struct Fleet
{
    QString name; // `name:`, else the file's base name
    QString sourceFile; // absolute path, empty when parsed from memory
    ScrapeSettings scrape;
    QString pricingProfile; // a pricing-profiles.json id; empty: analytics' default
    std::optional<Vantage> vantage;
    SloThresholds slo;
    MetricNames metrics;
    QList<Target> targets; // in file order

    QList<Target> unplacedTargets() const;
    const Target *findTarget(const QString &id) const;
    friend bool operator==(const Fleet &, const Fleet &) = default;
};

// Prometheus' rule (honor_labels: false): target labels win; a sample label that clashes with one
// is kept as exported_<name>.
QMap<QString, QString> mergeTargetLabels(const QMap<QString, QString> &targetLabels,
                                         const QMap<QString, QString> &sampleLabels);

// Serialisable descriptions (for snapshots, reports and logs). Paths of secret files appear,
// their contents never.
QJsonObject toJson(const Fleet &fleet);
QJsonObject toJson(const ScrapeSettings &scrape);
QJsonObject toJson(const Target &target);

QString placementName(Placement placement); // "region", "coordinates", "unplaced"

QDebug operator<<(QDebug debug, const Diagnostic &d);
QDebug operator<<(QDebug debug, const Target &t);
QDebug operator<<(QDebug debug, const ScrapeSettings &s);
QDebug operator<<(QDebug debug, const Fleet &f);

} // namespace fleetscope::fleet
