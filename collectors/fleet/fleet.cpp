#include "fleet.h"

#include "duration.h"

#include <QDebug>
#include <QJsonArray>

namespace fleetscope::fleet {

QString Diagnostic::toString() const
{
    QString out = file.isEmpty() ? QStringLiteral("<fleet>") : file;
    if (line > 0) {
        out += QLatin1Char(':') + QString::number(line);
        if (column > 0)
            out += QLatin1Char(':') + QString::number(column);
    }
    return out + QStringLiteral(": ") + message;
}

QString Target::instance() const
{
    const QString value = labels.value(QStringLiteral("instance"));
    return value.isEmpty() ? address : value;
}

QList<Target> Fleet::unplacedTargets() const
{
    QList<Target> out;
    for (const Target &t : targets) {
        if (!t.isPlaced())
            out.append(t);
    }
    return out;
}

const Target *Fleet::findTarget(const QString &id) const
{
    for (const Target &t : targets) {
        if (t.id == id)
            return &t;
    }
    return nullptr;
}

QMap<QString, QString> mergeTargetLabels(const QMap<QString, QString> &targetLabels,
                                         const QMap<QString, QString> &sampleLabels)
{
    QMap<QString, QString> out = targetLabels;
    for (auto it = sampleLabels.cbegin(); it != sampleLabels.cend(); ++it) {
        if (!targetLabels.contains(it.key())) {
            out.insert(it.key(), it.value());
            continue;
        }
        // Prometheus prefixes again until the name is free: exported_exported_x, ...
        QString name = QStringLiteral("exported_") + it.key();
        while (out.contains(name) || sampleLabels.contains(name))
            name.prepend(QStringLiteral("exported_"));
        out.insert(name, it.value());
    }
    return out;
}

QString placementName(Placement placement)
{
    switch (placement) {
    case Placement::Region:
        return QStringLiteral("region");
    case Placement::Coordinates:
        return QStringLiteral("coordinates");
    case Placement::Unplaced:
        break;
    }
    return QStringLiteral("unplaced");
}

QJsonObject toJson(const ScrapeSettings &s)
{
    QJsonObject o;
    o.insert(QStringLiteral("interval"), formatDuration(s.interval));
    o.insert(QStringLiteral("timeout"), formatDuration(s.timeout));
    o.insert(QStringLiteral("scheme"), s.scheme);
    o.insert(QStringLiteral("metrics_path"), s.metricsPath);
    if (!s.bearerTokenFile.isEmpty())
        o.insert(QStringLiteral("bearer_token_file"), s.bearerTokenFile);
    QJsonObject tls;
    if (!s.tls.caFile.isEmpty())
        tls.insert(QStringLiteral("ca_file"), s.tls.caFile);
    tls.insert(QStringLiteral("insecure_skip_verify"), s.tls.insecureSkipVerify);
    o.insert(QStringLiteral("tls"), tls);
    o.insert(QStringLiteral("follow_redirects"), s.followRedirects);
    if (s.bodySizeLimit)
        o.insert(QStringLiteral("body_size_limit"), double(*s.bodySizeLimit));
    if (s.sampleLimit)
        o.insert(QStringLiteral("sample_limit"), double(*s.sampleLimit));
    if (s.concurrency)
        o.insert(QStringLiteral("concurrency"), *s.concurrency);
    return o;
}

QJsonObject toJson(const Target &t)
{
    QJsonObject o;
    o.insert(QStringLiteral("id"), t.id);
    o.insert(QStringLiteral("address"), t.address);
    o.insert(QStringLiteral("url"), t.url.toString(QUrl::FullyEncoded));
    o.insert(QStringLiteral("interval"), formatDuration(t.interval));
    o.insert(QStringLiteral("timeout"), formatDuration(t.timeout));
    QJsonObject labels;
    for (auto it = t.labels.cbegin(); it != t.labels.cend(); ++it)
        labels.insert(it.key(), it.value());
    o.insert(QStringLiteral("labels"), labels);
    o.insert(QStringLiteral("placement"), placementName(t.placement));
    if (t.region) {
        o.insert(QStringLiteral("region_provider"), t.region->provider);
        o.insert(QStringLiteral("region_code"), t.region->code);
    }
    if (t.isPlaced()) {
        o.insert(QStringLiteral("lat"), t.lat);
        o.insert(QStringLiteral("lon"), t.lon);
    }
    return o;
}

QJsonObject toJson(const Fleet &f)
{
    QJsonObject o;
    o.insert(QStringLiteral("name"), f.name);
    if (!f.sourceFile.isEmpty())
        o.insert(QStringLiteral("source_file"), f.sourceFile);
    o.insert(QStringLiteral("scrape"), toJson(f.scrape));
    if (!f.pricingProfile.isEmpty())
        o.insert(QStringLiteral("pricing"), f.pricingProfile);
    if (f.vantage) {
        QJsonObject v;
        v.insert(QStringLiteral("name"), f.vantage->name);
        v.insert(QStringLiteral("lat"), f.vantage->lat);
        v.insert(QStringLiteral("lon"), f.vantage->lon);
        v.insert(QStringLiteral("from_catalogue"), f.vantage->fromCatalogue);
        o.insert(QStringLiteral("vantage"), v);
    }
    QJsonObject slo;
    if (f.slo.p95LatencyMs)
        slo.insert(QStringLiteral("p95_latency_ms"), *f.slo.p95LatencyMs);
    if (f.slo.hitRatio)
        slo.insert(QStringLiteral("hit_ratio"), *f.slo.hitRatio);
    if (f.slo.replicaLagSeconds)
        slo.insert(QStringLiteral("replica_lag_seconds"), *f.slo.replicaLagSeconds);
    if (f.slo.costPerMillionInvocations)
        slo.insert(QStringLiteral("cost_per_million_invocations"),
                   *f.slo.costPerMillionInvocations);
    if (!slo.isEmpty())
        o.insert(QStringLiteral("slo"), slo);
    QJsonObject metrics;
    for (const MetricRoleInfo &info : metricRoles()) {
        if (f.metrics.isOverridden(info.role))
            metrics.insert(QLatin1String(info.key), f.metrics.name(info.role));
    }
    if (!metrics.isEmpty())
        o.insert(QStringLiteral("metrics"), metrics);
    QJsonArray targets;
    for (const Target &t : f.targets)
        targets.append(toJson(t));
    o.insert(QStringLiteral("targets"), targets);
    return o;
}

QDebug operator<<(QDebug debug, const Diagnostic &d)
{
    QDebugStateSaver saver(debug);
    debug.noquote() << d.toString();
    return debug;
}

QDebug operator<<(QDebug debug, const Target &t)
{
    QDebugStateSaver saver(debug);
    debug.nospace().noquote() << "Target(" << t.id << ' ' << t.url.toString() << ' '
                              << placementName(t.placement) << ' ' << t.labels << ')';
    return debug;
}

QDebug operator<<(QDebug debug, const ScrapeSettings &s)
{
    QDebugStateSaver saver(debug);
    debug.nospace().noquote() << "ScrapeSettings(" << formatDuration(s.interval) << '/'
                              << formatDuration(s.timeout) << ' ' << s.scheme << ' '
                              << s.metricsPath << " token file: " << s.bearerTokenFile
                              << " ca file: " << s.tls.caFile << ')';
    return debug;
}

QDebug operator<<(QDebug debug, const Fleet &f)
{
    QDebugStateSaver saver(debug);
    debug.nospace().noquote() << "Fleet(" << f.name << ", " << f.targets.size() << " targets, "
                              << f.scrape << ", pricing " << f.pricingProfile << ')';
    return debug;
}

} // namespace fleetscope::fleet
