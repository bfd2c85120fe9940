#include "snapshot/snapshotfile.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

#include <cmath>

namespace fleetscope::snapshot {
namespace {

// --- writing ---------------------------------------------------------------------------------

// JSON has no NaN or infinity: NaN is null, infinities are the strings "+Inf" and "-Inf".
QJsonValue num(double v)
{
    if (std::isnan(v))
        return QJsonValue(QJsonValue::Null);
    if (std::isinf(v))
        return QJsonValue(v > 0 ? QStringLiteral("+Inf") : QStringLiteral("-Inf"));
    return QJsonValue(v);
}

QJsonArray numbers(const std::vector<double> &values)
{
    QJsonArray a;
    for (const double v : values)
        a.append(num(v));
    return a;
}

QJsonObject series(const Series &s)
{
    QJsonArray t, v;
    for (const Point &p : s) {
        t.append(num(p.t));
        v.append(num(p.v));
    }
    return QJsonObject { { QStringLiteral("t"), t }, { QStringLiteral("v"), v } };
}

QJsonObject figures(const RegionFigures &f)
{
    QJsonObject o;
    auto put = [&](const char *key, double v) {
        o.insert(QLatin1String(key), num(v));
    };
    put("latencyP50Ms", f.latencyP50Ms);
    put("latencyP90Ms", f.latencyP90Ms);
    put("latencyP95Ms", f.latencyP95Ms);
    put("latencyP99Ms", f.latencyP99Ms);
    put("latencyQuantileMs", f.latencyQuantileMs);
    put("requestRate", f.requestRate);
    put("errorRatio", f.errorRatio);
    put("hitRatio", f.hitRatio);
    put("missRatio", f.missRatio);
    put("staleRatio", f.staleRatio);
    put("kvP99Ms", f.kvP99Ms);
    put("readP95Ms", f.readP95Ms);
    put("writeP95Ms", f.writeP95Ms);
    put("replicaLagS", f.replicaLagS);
    put("queueDepth", f.queueDepth);
    put("queueOldestAgeS", f.queueOldestAgeS);
    put("sinceLastSyncS", f.sinceLastSyncS);
    put("syncFailures", f.syncFailures);
    put("coldStarts", f.coldStarts);
    put("dbConnectionsActive", f.dbConnectionsActive);
    put("dbConnectionsWaiting", f.dbConnectionsWaiting);
    put("invocationRate", f.invocationRate);
    put("costPerInvocationUsd", f.costPerInvocationUsd);
    put("costPerMillionUsd", f.costPerMillionUsd);
    put("costPerMonthUsd", f.costPerMonthUsd);
    put("alwaysOnPerMonthUsd", f.alwaysOnPerMonthUsd);
    put("lightFloorRttMs", f.lightFloorRttMs);
    put("distanceKm", f.distanceKm);
    o.insert(QStringLiteral("scaledToZero"), f.scaledToZero);
    QJsonObject phases;
    for (const auto &[phase, ms] : f.phaseMeanMs)
        phases.insert(phase, num(ms));
    o.insert(QStringLiteral("phaseMeanMs"), phases);
    return o;
}

QJsonObject region(const RegionData &r)
{
    QJsonObject o {
        { QStringLiteral("code"), r.code },
        { QStringLiteral("name"), r.name },
        { QStringLiteral("city"), r.city },
        { QStringLiteral("country"), r.country },
        { QStringLiteral("provider"), r.provider },
        { QStringLiteral("lat"), num(r.lat) },
        { QStringLiteral("lon"), num(r.lon) },
        { QStringLiteral("placed"), r.placed },
        { QStringLiteral("primary"), r.primary },
        { QStringLiteral("nodesUp"), r.nodesUp },
        { QStringLiteral("nodesIdle"), r.nodesIdle },
        { QStringLiteral("nodesDown"), r.nodesDown },
        { QStringLiteral("nodesStale"), r.nodesStale },
    };
    QJsonObject histograms;
    for (const auto &[key, h] : r.histograms) {
        QJsonArray counts;
        for (const auto &row : h.counts)
            counts.append(numbers(row));
        histograms.insert(key,
                          QJsonObject { { QStringLiteral("bounds"), numbers(h.bounds) },
                                        { QStringLiteral("times"), numbers(h.times) },
                                        { QStringLiteral("counts"), counts },
                                        { QStringLiteral("sum"), series(h.sum) } });
    }
    o.insert(QStringLiteral("histograms"), histograms);
    QJsonObject counters;
    for (const auto &[key, s] : r.counters)
        counters.insert(key, series(s));
    o.insert(QStringLiteral("counters"), counters);
    QJsonObject gauges;
    for (const auto &[key, s] : r.gauges)
        gauges.insert(key, series(s));
    o.insert(QStringLiteral("gauges"), gauges);
    o.insert(QStringLiteral("figures"), figures(r.figures));
    return o;
}

QJsonObject target(const TargetRow &t)
{
    return QJsonObject {
        { QStringLiteral("id"), t.id },
        { QStringLiteral("url"), t.url },
        { QStringLiteral("region"), t.region },
        { QStringLiteral("node"), t.node },
        { QStringLiteral("provider"), t.provider },
        { QStringLiteral("health"), QLatin1String(healthName(t.health)) },
        { QStringLiteral("cause"), t.cause },
        { QStringLiteral("lastScrapeTime"), num(t.lastScrapeTime) },
        { QStringLiteral("lastScrapeDurationMs"), num(t.lastScrapeDurationMs) },
        { QStringLiteral("httpStatus"), t.httpStatus },
        { QStringLiteral("samples"), num(t.samples) },
        { QStringLiteral("format"), t.format },
    };
}

// --- reading ---------------------------------------------------------------------------------

// Reads a JSON tree with the path of the value being read, so every error names its place.
class Reader
{
public:
    QString error;

    bool failed() const { return !error.isEmpty(); }

    bool fail(const QString &path, const QString &what)
    {
        if (error.isEmpty())
            error = path + QStringLiteral(": ") + what;
        return false;
    }

    QJsonObject object(const QJsonValue &v, const QString &path, bool required = true)
    {
        if (v.isObject())
            return v.toObject();
        if (required || !v.isUndefined())
            fail(path, QStringLiteral("expected an object"));
        return {};
    }

    QJsonArray array(const QJsonValue &v, const QString &path)
    {
        if (v.isArray())
            return v.toArray();
        fail(path, QStringLiteral("expected an array"));
        return {};
    }

    double number(const QJsonValue &v, const QString &path)
    {
        if (v.isDouble())
            return v.toDouble();
        if (v.isNull())
            return kNaN;
        if (v.isString()) {
            const QString s = v.toString();
            if (s == QLatin1String("+Inf"))
                return std::numeric_limits<double>::infinity();
            if (s == QLatin1String("-Inf"))
                return -std::numeric_limits<double>::infinity();
        }
        fail(path, QStringLiteral("expected a number, null, \"+Inf\" or \"-Inf\""));
        return kNaN;
    }

    double optionalNumber(const QJsonObject &o, const QString &key, const QString &path)
    {
        const QJsonValue v = o.value(key);
        return v.isUndefined() ? kNaN : number(v, path + u'.' + key);
    }

    QString string(const QJsonObject &o, const QString &key, const QString &path)
    {
        const QJsonValue v = o.value(key);
        if (v.isUndefined())
            return {};
        if (!v.isString())
            fail(path + u'.' + key, QStringLiteral("expected a string"));
        return v.toString();
    }

    int integer(const QJsonObject &o, const QString &key, const QString &path)
    {
        const QJsonValue v = o.value(key);
        if (v.isUndefined())
            return 0;
        const double d = v.toDouble(kNaN);
        if (!v.isDouble() || d != std::floor(d) || d < 0 || d > 1e9) {
            fail(path + u'.' + key, QStringLiteral("expected a whole number from 0 to 10^9"));
            return 0;
        }
        return int(d);
    }

    bool boolean(const QJsonObject &o, const QString &key, const QString &path)
    {
        const QJsonValue v = o.value(key);
        if (v.isUndefined())
            return false;
        if (!v.isBool())
            fail(path + u'.' + key, QStringLiteral("expected true or false"));
        return v.toBool();
    }

    std::vector<double> numbers(const QJsonValue &v, const QString &path)
    {
        std::vector<double> out;
        const QJsonArray a = array(v, path);
        out.reserve(std::size_t(a.size()));
        for (qsizetype i = 0; i < a.size() && !failed(); ++i)
            out.push_back(number(a.at(i), path + u'[' + QString::number(i) + u']'));
        return out;
    }

    Series series(const QJsonValue &v, const QString &path)
    {
        const QJsonObject o = object(v, path);
        const std::vector<double> t =
            numbers(o.value(QStringLiteral("t")), path + QStringLiteral(".t"));
        const std::vector<double> values =
            numbers(o.value(QStringLiteral("v")), path + QStringLiteral(".v"));
        Series s;
        if (failed())
            return s;
        if (t.size() != values.size()) {
            fail(path,
                 QStringLiteral("\"t\" has %1 entries but \"v\" has %2")
                     .arg(t.size())
                     .arg(values.size()));
            return s;
        }
        s.reserve(t.size());
        for (std::size_t i = 0; i < t.size(); ++i) {
            if (!std::isfinite(t[i]) || (i > 0 && t[i] < t[i - 1])) {
                fail(path + QStringLiteral(".t[%1]").arg(i),
                     QStringLiteral("times must be finite and ascending"));
                return {};
            }
            s.push_back({ t[i], values[i] });
        }
        return s;
    }

    RegionFigures figures(const QJsonValue &v, const QString &path)
    {
        RegionFigures f;
        const QJsonObject o = object(v, path, false);
        auto get = [&](const char *key, double &into) {
            into = optionalNumber(o, QLatin1String(key), path);
        };
        get("latencyP50Ms", f.latencyP50Ms);
        get("latencyP90Ms", f.latencyP90Ms);
        get("latencyP95Ms", f.latencyP95Ms);
        get("latencyP99Ms", f.latencyP99Ms);
        get("latencyQuantileMs", f.latencyQuantileMs);
        get("requestRate", f.requestRate);
        get("errorRatio", f.errorRatio);
        get("hitRatio", f.hitRatio);
        get("missRatio", f.missRatio);
        get("staleRatio", f.staleRatio);
        get("kvP99Ms", f.kvP99Ms);
        get("readP95Ms", f.readP95Ms);
        get("writeP95Ms", f.writeP95Ms);
        get("replicaLagS", f.replicaLagS);
        get("queueDepth", f.queueDepth);
        get("queueOldestAgeS", f.queueOldestAgeS);
        get("sinceLastSyncS", f.sinceLastSyncS);
        get("syncFailures", f.syncFailures);
        get("coldStarts", f.coldStarts);
        get("dbConnectionsActive", f.dbConnectionsActive);
        get("dbConnectionsWaiting", f.dbConnectionsWaiting);
        get("invocationRate", f.invocationRate);
        get("costPerInvocationUsd", f.costPerInvocationUsd);
        get("costPerMillionUsd", f.costPerMillionUsd);
        get("costPerMonthUsd", f.costPerMonthUsd);
        get("alwaysOnPerMonthUsd", f.alwaysOnPerMonthUsd);
        get("lightFloorRttMs", f.lightFloorRttMs);
        get("distanceKm", f.distanceKm);
        f.scaledToZero = boolean(o, QStringLiteral("scaledToZero"), path);
        const QJsonObject phases = object(o.value(QStringLiteral("phaseMeanMs")),
                                          path + QStringLiteral(".phaseMeanMs"), false);
        for (auto it = phases.begin(); it != phases.end(); ++it)
            f.phaseMeanMs[it.key()] =
                number(it.value(), path + QStringLiteral(".phaseMeanMs.") + it.key());
        return f;
    }

    RegionData region(const QJsonValue &v, const QString &path)
    {
        RegionData r;
        const QJsonObject o = object(v, path);
        r.code = string(o, QStringLiteral("code"), path);
        if (r.code.isEmpty())
            fail(path + QStringLiteral(".code"), QStringLiteral("expected a region code"));
        r.name = string(o, QStringLiteral("name"), path);
        r.city = string(o, QStringLiteral("city"), path);
        r.country = string(o, QStringLiteral("country"), path);
        r.provider = string(o, QStringLiteral("provider"), path);
        r.lat = optionalNumber(o, QStringLiteral("lat"), path);
        r.lon = optionalNumber(o, QStringLiteral("lon"), path);
        if ((!std::isnan(r.lat) && std::fabs(r.lat) > 90)
            || (!std::isnan(r.lon) && std::fabs(r.lon) > 180))
            fail(path, QStringLiteral("coordinates out of range"));
        r.placed = boolean(o, QStringLiteral("placed"), path);
        r.primary = string(o, QStringLiteral("primary"), path);
        r.nodesUp = integer(o, QStringLiteral("nodesUp"), path);
        r.nodesIdle = integer(o, QStringLiteral("nodesIdle"), path);
        r.nodesDown = integer(o, QStringLiteral("nodesDown"), path);
        r.nodesStale = integer(o, QStringLiteral("nodesStale"), path);

        const QString hp = path + QStringLiteral(".histograms");
        const QJsonObject histograms = object(o.value(QStringLiteral("histograms")), hp, false);
        for (auto it = histograms.begin(); it != histograms.end() && !failed(); ++it) {
            const QString p = hp + u'.' + it.key();
            const QJsonObject ho = object(it.value(), p);
            HistogramWindow h;
            h.bounds = numbers(ho.value(QStringLiteral("bounds")), p + QStringLiteral(".bounds"));
            h.times = numbers(ho.value(QStringLiteral("times")), p + QStringLiteral(".times"));
            const QJsonArray counts =
                array(ho.value(QStringLiteral("counts")), p + QStringLiteral(".counts"));
            for (qsizetype i = 0; i < counts.size() && !failed(); ++i) {
                h.counts.push_back(numbers(counts.at(i), p + QStringLiteral(".counts[%1]").arg(i)));
                if (!failed() && h.counts.back().size() != h.bounds.size())
                    fail(p + QStringLiteral(".counts[%1]").arg(i),
                         QStringLiteral("has %1 counts for %2 bounds")
                             .arg(h.counts.back().size())
                             .arg(h.bounds.size()));
            }
            if (!failed() && h.counts.size() != h.times.size())
                fail(p,
                     QStringLiteral("has %1 rows of counts for %2 times")
                         .arg(h.counts.size())
                         .arg(h.times.size()));
            for (std::size_t i = 1; i < h.bounds.size() && !failed(); ++i) {
                if (!(h.bounds[i] > h.bounds[i - 1]))
                    fail(p + QStringLiteral(".bounds"), QStringLiteral("bounds must be ascending"));
            }
            h.sum = series(ho.value(QStringLiteral("sum")), p + QStringLiteral(".sum"));
            r.histograms.emplace(it.key(), std::move(h));
        }
        const QString cp = path + QStringLiteral(".counters");
        const QJsonObject counters = object(o.value(QStringLiteral("counters")), cp, false);
        for (auto it = counters.begin(); it != counters.end() && !failed(); ++it)
            r.counters.emplace(it.key(), series(it.value(), cp + u'.' + it.key()));
        const QString gp = path + QStringLiteral(".gauges");
        const QJsonObject gauges = object(o.value(QStringLiteral("gauges")), gp, false);
        for (auto it = gauges.begin(); it != gauges.end() && !failed(); ++it)
            r.gauges.emplace(it.key(), series(it.value(), gp + u'.' + it.key()));
        r.figures = figures(o.value(QStringLiteral("figures")), path + QStringLiteral(".figures"));
        return r;
    }

    TargetRow target(const QJsonValue &v, const QString &path)
    {
        TargetRow t;
        const QJsonObject o = object(v, path);
        t.id = string(o, QStringLiteral("id"), path);
        if (t.id.isEmpty())
            fail(path + QStringLiteral(".id"), QStringLiteral("expected a target id"));
        t.url = string(o, QStringLiteral("url"), path);
        t.region = string(o, QStringLiteral("region"), path);
        t.node = string(o, QStringLiteral("node"), path);
        t.provider = string(o, QStringLiteral("provider"), path);
        const QString health = string(o, QStringLiteral("health"), path);
        t.health = healthFromName(health);
        if (t.health == Health::Unknown && !health.isEmpty() && health != QLatin1String("unknown"))
            fail(path + QStringLiteral(".health"),
                 QStringLiteral("expected up, idle, down, stale or unknown"));
        t.cause = string(o, QStringLiteral("cause"), path);
        t.lastScrapeTime = optionalNumber(o, QStringLiteral("lastScrapeTime"), path);
        t.lastScrapeDurationMs = optionalNumber(o, QStringLiteral("lastScrapeDurationMs"), path);
        t.httpStatus = integer(o, QStringLiteral("httpStatus"), path);
        t.samples = optionalNumber(o, QStringLiteral("samples"), path);
        if (std::isnan(t.samples))
            t.samples = 0;
        t.format = string(o, QStringLiteral("format"), path);
        return t;
    }
};

// "line L, column C" of a byte offset, for JSON syntax errors.
QString where(const QByteArray &json, qsizetype offset)
{
    int line = 1;
    qsizetype lineStart = 0;
    for (qsizetype i = 0; i < offset && i < json.size(); ++i) {
        if (json.at(i) == '\n') {
            ++line;
            lineStart = i + 1;
        }
    }
    return QStringLiteral("line %1, column %2").arg(line).arg(offset - lineStart + 1);
}

} // namespace

QByteArray toJson(const FleetSnapshot &s, bool indented)
{
    QJsonObject settings {
        { QStringLiteral("quantile"), num(s.settings.quantile) },
        { QStringLiteral("windowSeconds"), num(s.settings.windowSeconds) },
        { QStringLiteral("pricingProfile"), s.settings.pricingProfile },
        { QStringLiteral("vantage"), s.settings.vantage },
        { QStringLiteral("vantageLat"), num(s.settings.vantageLat) },
        { QStringLiteral("vantageLon"), num(s.settings.vantageLon) },
        { QStringLiteral("slo"),
          QJsonObject { { QStringLiteral("p95LatencyMs"), num(s.settings.slo.p95LatencyMs) },
                        { QStringLiteral("minHitRatio"), num(s.settings.slo.minHitRatio) },
                        { QStringLiteral("maxReplicaLagS"), num(s.settings.slo.maxReplicaLagS) },
                        { QStringLiteral("maxCostPerMillionUsd"),
                          num(s.settings.slo.maxCostPerMillionUsd) } } },
    };
    QJsonArray regions;
    for (const RegionData &r : s.regions)
        regions.append(region(r));
    QJsonArray targets;
    for (const TargetRow &t : s.targets)
        targets.append(target(t));
    const QJsonObject root {
        { QStringLiteral("format"), QLatin1String(kSnapshotFormat) },
        { QStringLiteral("version"), kSnapshotVersion },
        { QStringLiteral("fleetName"), s.fleetName },
        { QStringLiteral("sourceKind"), s.sourceKind },
        { QStringLiteral("source"), s.source },
        { QStringLiteral("time"), num(s.time) },
        { QStringLiteral("windowStart"), num(s.windowStart) },
        { QStringLiteral("settings"), settings },
        { QStringLiteral("pricing"),
          QJsonObject { { QStringLiteral("id"), s.pricing.id },
                        { QStringLiteral("name"), s.pricing.name },
                        { QStringLiteral("vendor"), s.pricing.vendor },
                        { QStringLiteral("asOf"), s.pricing.asOf },
                        { QStringLiteral("sourceUrl"), s.pricing.sourceUrl } } },
        { QStringLiteral("primaryRegion"), s.primaryRegion },
        { QStringLiteral("regions"), regions },
        { QStringLiteral("targets"), targets },
    };
    return QJsonDocument(root).toJson(indented ? QJsonDocument::Indented : QJsonDocument::Compact);
}

LoadResult fromJson(const QByteArray &json)
{
    LoadResult result;
    if (json.size() > kMaxSnapshotBytes) {
        result.error = QStringLiteral("the file is %1 bytes, over the limit of %2 bytes")
                           .arg(json.size())
                           .arg(kMaxSnapshotBytes);
        return result;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        result.error = QStringLiteral("not valid JSON at %1: %2")
                           .arg(where(json, parseError.offset), parseError.errorString());
        return result;
    }
    if (!doc.isObject()) {
        result.error = QStringLiteral("expected a JSON object at the top level");
        return result;
    }
    const QJsonObject root = doc.object();
    if (root.value(QStringLiteral("format")).toString() != QLatin1String(kSnapshotFormat)) {
        result.error = QStringLiteral("not a FleetScope snapshot (\"format\" is not \"%1\")")
                           .arg(QLatin1String(kSnapshotFormat));
        return result;
    }
    const QJsonValue versionValue = root.value(QStringLiteral("version"));
    const double version = versionValue.toDouble(kNaN);
    if (!versionValue.isDouble() || version != std::floor(version) || version < 1) {
        result.error = QStringLiteral("version: expected a whole number");
        return result;
    }
    if (version > kSnapshotVersion) {
        result.error =
            QStringLiteral("the snapshot is format version %1, newer than this FleetScope "
                           "reads (version %2): update FleetScope to open it")
                .arg(version)
                .arg(kSnapshotVersion);
        return result;
    }

    Reader r;
    FleetSnapshot s;
    s.fleetName = r.string(root, QStringLiteral("fleetName"), QStringLiteral("$"));
    s.sourceKind = r.string(root, QStringLiteral("sourceKind"), QStringLiteral("$"));
    s.source = r.string(root, QStringLiteral("source"), QStringLiteral("$"));
    s.time = r.number(root.value(QStringLiteral("time")), QStringLiteral("$.time"));
    s.windowStart = r.optionalNumber(root, QStringLiteral("windowStart"), QStringLiteral("$"));
    if (!r.failed() && !std::isfinite(s.time))
        r.fail(QStringLiteral("$.time"), QStringLiteral("expected the snapshot's time in seconds"));

    const QJsonObject so =
        r.object(root.value(QStringLiteral("settings")), QStringLiteral("$.settings"));
    const QString sp = QStringLiteral("$.settings");
    s.settings.quantile =
        r.number(so.value(QStringLiteral("quantile")), sp + QStringLiteral(".quantile"));
    if (!r.failed() && !(s.settings.quantile > 0 && s.settings.quantile < 1))
        r.fail(sp + QStringLiteral(".quantile"),
               QStringLiteral("expected a quantile between 0 and 1"));
    s.settings.windowSeconds =
        r.number(so.value(QStringLiteral("windowSeconds")), sp + QStringLiteral(".windowSeconds"));
    if (!r.failed() && !(s.settings.windowSeconds > 0))
        r.fail(sp + QStringLiteral(".windowSeconds"),
               QStringLiteral("expected a positive number of seconds"));
    s.settings.pricingProfile = r.string(so, QStringLiteral("pricingProfile"), sp);
    s.settings.vantage = r.string(so, QStringLiteral("vantage"), sp);
    s.settings.vantageLat = r.optionalNumber(so, QStringLiteral("vantageLat"), sp);
    s.settings.vantageLon = r.optionalNumber(so, QStringLiteral("vantageLon"), sp);
    const QJsonObject slo =
        r.object(so.value(QStringLiteral("slo")), sp + QStringLiteral(".slo"), false);
    const QString slp = sp + QStringLiteral(".slo");
    auto sloValue = [&](const char *key, double fallback) {
        const double v = r.optionalNumber(slo, QLatin1String(key), slp);
        return std::isnan(v) ? fallback : v;
    };
    s.settings.slo.p95LatencyMs = sloValue("p95LatencyMs", s.settings.slo.p95LatencyMs);
    s.settings.slo.minHitRatio = sloValue("minHitRatio", s.settings.slo.minHitRatio);
    s.settings.slo.maxReplicaLagS = sloValue("maxReplicaLagS", s.settings.slo.maxReplicaLagS);
    s.settings.slo.maxCostPerMillionUsd =
        sloValue("maxCostPerMillionUsd", s.settings.slo.maxCostPerMillionUsd);

    const QJsonObject po =
        r.object(root.value(QStringLiteral("pricing")), QStringLiteral("$.pricing"), false);
    s.pricing.id = r.string(po, QStringLiteral("id"), QStringLiteral("$.pricing"));
    s.pricing.name = r.string(po, QStringLiteral("name"), QStringLiteral("$.pricing"));
    s.pricing.vendor = r.string(po, QStringLiteral("vendor"), QStringLiteral("$.pricing"));
    s.pricing.asOf = r.string(po, QStringLiteral("asOf"), QStringLiteral("$.pricing"));
    s.pricing.sourceUrl = r.string(po, QStringLiteral("sourceUrl"), QStringLiteral("$.pricing"));
    s.primaryRegion = r.string(root, QStringLiteral("primaryRegion"), QStringLiteral("$"));

    const QJsonArray regions =
        r.array(root.value(QStringLiteral("regions")), QStringLiteral("$.regions"));
    for (qsizetype i = 0; i < regions.size() && !r.failed(); ++i)
        s.regions.push_back(r.region(regions.at(i), QStringLiteral("$.regions[%1]").arg(i)));
    const QJsonArray targets =
        r.array(root.value(QStringLiteral("targets")), QStringLiteral("$.targets"));
    for (qsizetype i = 0; i < targets.size() && !r.failed(); ++i)
        s.targets.push_back(r.target(targets.at(i), QStringLiteral("$.targets[%1]").arg(i)));

    if (r.failed()) {
        result.error = r.error;
        return result;
    }
    result.snapshot = std::move(s);
    return result;
}

bool saveSnapshot(const FleetSnapshot &snapshot, const QString &path, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        if (error)
            *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    const QByteArray json = toJson(snapshot, true);
    if (file.write(json) != json.size() || !file.commit()) {
        if (error)
            *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

LoadResult loadSnapshot(const QString &path)
{
    LoadResult result;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        result.error = QStringLiteral("cannot open %1: %2").arg(path, file.errorString());
        return result;
    }
    if (file.size() > kMaxSnapshotBytes) {
        result.error = QStringLiteral("%1: the file is %2 bytes, over the limit of %3 bytes")
                           .arg(path)
                           .arg(file.size())
                           .arg(kMaxSnapshotBytes);
        return result;
    }
    result = fromJson(file.readAll());
    if (!result.snapshot)
        result.error = path + QStringLiteral(": ") + result.error;
    return result;
}

} // namespace fleetscope::snapshot
