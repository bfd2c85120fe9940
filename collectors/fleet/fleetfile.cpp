// Fleet files: the parser's driver and the object form's settings sections (scrape, tls,
// pricing, vantage, slo, metrics), then the public entry points. Target groups are in
// fleetgroups.cpp.

#include "fleetparser.h"

namespace fleetscope::fleet {

namespace parsing {

void FleetParser::run(const QByteArray &input)
{
    const YAML::Mark nowhere = YAML::Mark::null_mark();
    QByteArray text = input;
    if (text.size() > m_limits.maxFileBytes)
        fatal(nowhere,
              QStringLiteral("the file is %1 bytes; fleet files are limited to %2 bytes")
                  .arg(text.size())
                  .arg(m_limits.maxFileBytes));
    if (text.startsWith("\xEF\xBB\xBF"))
        text.remove(0, 3);
    if (text.startsWith("\xFF\xFE") || text.startsWith("\xFE\xFF"))
        fatal(nowhere, QStringLiteral("the file is UTF-16 encoded; expected UTF-8"));
    if (const qsizetype nul = text.indexOf('\0'); nul >= 0) {
        const Position p = positionOf(text, nul);
        m_result.errors.append({ m_file, p.line, p.column,
                                 QStringLiteral("unexpected NUL byte; expected UTF-8 text "
                                                "(JSON or YAML)") });
        throw Abort();
    }
    if (const qsizetype bad = invalidUtf8At(text); bad >= 0) {
        const Position p = positionOf(text, bad);
        m_result.errors.append(
            { m_file, p.line, p.column, QStringLiteral("malformed UTF-8; expected UTF-8 text") });
        throw Abort();
    }
    if (const qsizetype deep = nestingTooDeepAt(text, m_limits.maxNesting); deep >= 0) {
        const Position p = positionOf(text, deep);
        m_result.errors.append({ m_file, p.line, p.column,
                                 QStringLiteral("nested more than %1 levels deep; a fleet file "
                                                "needs a handful")
                                     .arg(m_limits.maxNesting) });
        throw Abort();
    }

    // yaml-cpp 0.7's LoadAll() loops for ever, allocating, on a stray token such as a leading
    // "," (jbeder/yaml-cpp#1040, fixed in 0.8 by #1319): the parser hands out null documents
    // without moving on. So documents are counted here with a bound, a document that starts where
    // the previous one did is that bug, and only the first document is loaded.
    const std::string source(text.constData(), std::size_t(text.size()));
    DocumentCounter counter;
    try {
        std::istringstream stream(source);
        YAML::Parser parser(stream);
        while (counter.starts.size() < 2 && parser.HandleNextDocument(counter)) { }
    } catch (const YAML::Exception &e) {
        fatal(e.mark,
              QStringLiteral("not valid YAML or JSON: %1")
                  .arg(QString::fromUtf8(e.msg.data(), qsizetype(e.msg.size()))));
    }
    if (counter.starts.size() == 2 && counter.starts[0].pos == counter.starts[1].pos) {
        const YAML::Mark at = counter.firstEvent;
        const QString token = at.pos >= 0 && at.pos < text.size()
            ? quoted(QString::fromUtf8(text.mid(at.pos, 1)))
            : QStringLiteral("input");
        fatal(at, QStringLiteral("not valid YAML or JSON: unexpected %1").arg(token));
    }
    YAML::Node loaded;
    try {
        loaded = YAML::Load(source);
    } catch (const YAML::Exception &e) {
        fatal(e.mark,
              QStringLiteral("not valid YAML or JSON: %1")
                  .arg(QString::fromUtf8(e.msg.data(), qsizetype(e.msg.size()))));
    }
    if (counter.starts.empty() || loaded.IsNull())
        fatal(counter.starts.empty() ? nowhere : loaded.Mark(),
              QStringLiteral("the file holds no fleet; expected a list of target groups "
                             "[{targets: [host:port, ...], labels: {...}}] or an object with "
                             "targets:"));
    if (counter.starts.size() > 1)
        error(counter.starts[1],
              QStringLiteral("a second YAML document begins here; expected one fleet per file"));

    const YAML::Node &root = loaded;
    if (root.IsSequence()) {
        parseGroups(root, root.Mark());
    } else if (root.IsMap()) {
        parseObject(root);
    } else {
        fatal(root.Mark(),
              QStringLiteral("expected a list of target groups [{targets: [host:port, ...], "
                             "labels: {...}}] or an object with targets:, got %1")
                  .arg(describe(root)));
    }
    if (fleet().targets.isEmpty() && m_result.errors.isEmpty())
        warning(root.Mark(), QStringLiteral("the fleet has no targets"));
}

void FleetParser::parseObject(const YAML::Node &root)
{
    static const QStringList known { QStringLiteral("name"),    QStringLiteral("targets"),
                                     QStringLiteral("scrape"),  QStringLiteral("pricing"),
                                     QStringLiteral("vantage"), QStringLiteral("slo"),
                                     QStringLiteral("metrics") };
    const QString context = QStringLiteral("fleet");
    const std::vector<Entry> all = entries(root, context);
    const Entry *targets = nullptr;
    // Scrape settings first: targets take their defaults from them.
    for (const Entry &e : all) {
        if (e.key == u"scrape")
            parseScrape(e.value, e.mark);
    }
    for (const Entry &e : all) {
        if (e.key == u"name") {
            if (const std::optional<QString> v =
                    nonEmptyText(e.value, e.mark, QStringLiteral("name")))
                fleet().name = *v;
        } else if (e.key == u"targets") {
            targets = &e;
        } else if (e.key == u"scrape") {
            continue;
        } else if (e.key == u"pricing") {
            parsePricing(e.value, e.mark);
        } else if (e.key == u"vantage") {
            parseVantage(e.value, e.mark);
        } else if (e.key == u"slo") {
            parseSlo(e.value, e.mark);
        } else if (e.key == u"metrics") {
            parseMetrics(e.value, e.mark);
        } else {
            unknownKey(e, context, known);
        }
    }
    if (!targets) {
        error(root.Mark(),
              QStringLiteral("fleet: missing \"targets\"; expected targets: [{targets: "
                             "[host:port, ...], labels: {...}}]"));
        return;
    }
    parseGroups(targets->value, targets->mark);
}

void FleetParser::parseScrape(const YAML::Node &n, const YAML::Mark &mark)
{
    if (n.IsNull())
        return;
    if (!expectMap(n, mark, QStringLiteral("scrape"),
                   QStringLiteral("{interval: 15s, timeout: 10s}")))
        return;
    static const QStringList known {
        QStringLiteral("interval"),
        QStringLiteral("timeout"),
        QStringLiteral("scheme"),
        QStringLiteral("metrics_path"),
        QStringLiteral("bearer_token_file"),
        QStringLiteral("tls"),
        QStringLiteral("follow_redirects"),
        QStringLiteral("body_size_limit"),
        QStringLiteral("sample_limit"),
        QStringLiteral("concurrency"),
    };
    // Prometheus' spellings of the same settings.
    static const QHash<QString, QString> synonyms {
        { QStringLiteral("scrape_interval"), QStringLiteral("interval") },
        { QStringLiteral("scrape_timeout"), QStringLiteral("timeout") },
        { QStringLiteral("tls_config"), QStringLiteral("tls") },
    };
    ScrapeSettings &s = fleet().scrape;
    std::optional<milliseconds> timeout;
    QSet<QString> given;
    for (const Entry &e : entries(n, QStringLiteral("scrape"))) {
        const QString key = synonyms.value(e.key, e.key);
        const QString what = QStringLiteral("scrape.") + e.key;
        if (known.contains(key) && given.contains(key)) {
            error(e.mark,
                  QStringLiteral("scrape: %1 sets %2 a second time").arg(quoted(e.key), key));
            continue;
        }
        given.insert(key);
        if (key == u"interval") {
            if (const auto d = duration(e.value, e.mark, what))
                s.interval = *d;
        } else if (key == u"timeout") {
            timeout = duration(e.value, e.mark, what);
            m_timeoutMark = e.mark;
        } else if (key == u"scheme") {
            if (const auto v = text(e.value, e.mark, what)) {
                if (*v == u"http" || *v == u"https")
                    s.scheme = *v;
                else
                    error(markOf(e.value, e.mark),
                          QStringLiteral("%1: expected \"http\" or \"https\", got %2")
                              .arg(what, quoted(*v)));
            }
        } else if (key == u"metrics_path") {
            if (const auto v = text(e.value, e.mark, what)) {
                if (!v->startsWith(QLatin1Char('/')) || v->contains(QLatin1Char('?'))
                    || v->contains(QLatin1Char('#')) || v->contains(QLatin1Char(' '))
                    || !QUrl(*v, QUrl::StrictMode).isValid())
                    error(markOf(e.value, e.mark),
                          QStringLiteral("%1: expected a URL path starting with \"/\" (no query, "
                                         "fragment or spaces), got %2")
                              .arg(what, quoted(*v)));
                else
                    s.metricsPath = *v;
            }
        } else if (key == u"bearer_token_file") {
            if (const auto v = existingFile(e.value, e.mark, what, kMaxTokenBytes))
                s.bearerTokenFile = *v;
        } else if (key == u"tls") {
            parseTls(e.value, e.mark);
        } else if (key == u"follow_redirects") {
            if (const auto v = boolean(e.value, e.mark, what))
                s.followRedirects = *v;
        } else if (key == u"body_size_limit") {
            if (const auto v = byteSize(e.value, e.mark, what))
                s.bodySizeLimit = *v;
        } else if (key == u"sample_limit") {
            if (const auto v =
                    integer(e.value, e.mark, what, 0, std::numeric_limits<qint64>::max()))
                s.sampleLimit = *v;
        } else if (key == u"concurrency") {
            if (const auto v = integer(e.value, e.mark, what, 1, 4096))
                s.concurrency = int(*v);
        } else if (key == u"bearer_token" || key == u"password" || key == u"credentials") {
            error(e.mark,
                  QStringLiteral("%1: secrets are never written in a fleet file; put the token in "
                                 "a file and name it with bearer_token_file")
                      .arg(what));
        } else {
            unknownKey(e, QStringLiteral("scrape"), known);
        }
    }
    if (timeout) {
        m_timeoutSet = true;
        s.timeout = *timeout;
    }
}

void FleetParser::parseTls(const YAML::Node &n, const YAML::Mark &mark)
{
    if (n.IsNull())
        return;
    if (!expectMap(n, mark, QStringLiteral("scrape.tls"),
                   QStringLiteral("{ca_file: ca.pem, insecure_skip_verify: false}")))
        return;
    static const QStringList known { QStringLiteral("ca_file"),
                                     QStringLiteral("insecure_skip_verify") };
    for (const Entry &e : entries(n, QStringLiteral("scrape.tls"))) {
        const QString what = QStringLiteral("scrape.tls.") + e.key;
        if (e.key == u"ca_file") {
            if (const auto v = existingFile(e.value, e.mark, what, 0))
                fleet().scrape.tls.caFile = *v;
        } else if (e.key == u"insecure_skip_verify") {
            if (const auto v = boolean(e.value, e.mark, what)) {
                fleet().scrape.tls.insecureSkipVerify = *v;
                if (*v)
                    warning(e.mark,
                            QStringLiteral("%1: TLS certificates will not be verified for any "
                                           "target; prefer ca_file")
                                .arg(what));
            }
        } else {
            unknownKey(e, QStringLiteral("scrape.tls"), known);
        }
    }
}

void FleetParser::parsePricing(const YAML::Node &n, const YAML::Mark &mark)
{
    const std::optional<QString> id = nonEmptyText(n, mark, QStringLiteral("pricing"));
    if (!id)
        return;
    const QStringList ids =
        m_options.pricingProfileIds ? *m_options.pricingProfileIds : embeddedPricingProfileIds();
    if (!ids.isEmpty() && !ids.contains(*id)) {
        const QString suggestion = closestMatch(*id, ids);
        error(markOf(n, mark),
              QStringLiteral("pricing: unknown pricing profile %1%2; expected an id from "
                             "pricing-profiles.json such as \"%3\"")
                  .arg(quoted(*id),
                       suggestion.isEmpty()
                           ? QString()
                           : QStringLiteral(" (did you mean \"%1\"?)").arg(suggestion),
                       ids.first()));
        return;
    }
    fleet().pricingProfile = *id;
}

std::optional<double> FleetParser::coordinate(const Entry &e, const QString &value, double limit)
{
    const std::optional<double> v = parseDouble(value.toStdString());
    if (!v || std::fabs(*v) > limit) {
        error(markOf(e.value, e.mark),
              QStringLiteral("%1: expected decimal degrees from %2 to %3, got %4")
                  .arg(e.key)
                  .arg(-limit)
                  .arg(limit)
                  .arg(quoted(value)));
        return std::nullopt;
    }
    return v;
}

void FleetParser::parseVantage(const YAML::Node &n, const YAML::Mark &mark)
{
    const QString hint = QStringLiteral("a population centre such as \"Tokyo\" or {name: Office, "
                                        "lat: 35.68, lon: 139.69}");
    QString name;
    std::optional<double> lat, lon;
    YAML::Mark at = markOf(n, mark);
    bool coordinatesGiven = false;
    if (n.IsScalar()) {
        const std::optional<QString> v = nonEmptyText(n, mark, QStringLiteral("vantage"));
        if (!v)
            return;
        name = *v;
    } else if (n.IsMap()) {
        static const QStringList known { QStringLiteral("name"), QStringLiteral("lat"),
                                         QStringLiteral("lon") };
        for (const Entry &e : entries(n, QStringLiteral("vantage"))) {
            if (e.key == u"name") {
                if (const auto v = nonEmptyText(e.value, e.mark, QStringLiteral("vantage.name")))
                    name = *v;
            } else if (e.key == u"lat" || e.key == u"lon") {
                coordinatesGiven = true;
                const auto v = number(e.value, e.mark, QStringLiteral("vantage.") + e.key);
                const double limit = e.key == u"lat" ? 90 : 180;
                if (v && std::fabs(*v) > limit) {
                    error(
                        e.value.Mark(),
                        QStringLiteral("vantage.%1: expected decimal degrees from %2 to %3, got %4")
                            .arg(e.key)
                            .arg(-limit)
                            .arg(limit)
                            .arg(*v));
                } else if (v) {
                    (e.key == u"lat" ? lat : lon) = v;
                }
            } else {
                unknownKey(e, QStringLiteral("vantage"), known);
            }
        }
        if (coordinatesGiven && (!lat || !lon)) {
            if (bool(lat) != bool(lon) && m_result.errors.isEmpty())
                error(at, QStringLiteral("vantage: expected both lat and lon"));
            return;
        }
    } else {
        error(at, QStringLiteral("vantage: expected %1, got %2").arg(hint, describe(n)));
        return;
    }
    Vantage v;
    if (lat && lon) {
        v.name = name.isEmpty() ? QStringLiteral("%1, %2").arg(*lat).arg(*lon) : name;
        v.lat = *lat;
        v.lon = *lon;
    } else if (!name.isEmpty()) {
        const std::optional<PopulationCentre> c = m_centres.find(name);
        if (!c) {
            const QString suggestion = m_centres.suggest(name);
            error(at,
                  QStringLiteral("vantage: unknown population centre %1%2; expected %3 (the "
                                 "centres are the 20 largest agglomerations: %4)")
                      .arg(quoted(name),
                           suggestion.isEmpty()
                               ? QString()
                               : QStringLiteral(" (did you mean \"%1\"?)").arg(suggestion),
                           hint, m_centres.names().join(QStringLiteral(", "))));
            return;
        }
        v.name = c->name;
        v.lat = c->lat;
        v.lon = c->lon;
        v.fromCatalogue = true;
    } else {
        error(at, QStringLiteral("vantage: expected %1").arg(hint));
        return;
    }
    fleet().vantage = v;
}

void FleetParser::parseSlo(const YAML::Node &n, const YAML::Mark &mark)
{
    if (n.IsNull())
        return;
    if (!expectMap(n, mark, QStringLiteral("slo"),
                   QStringLiteral("{p95_latency_ms: 200, hit_ratio: 0.9}")))
        return;
    static const QStringList known { QStringLiteral("p95_latency_ms"), QStringLiteral("hit_ratio"),
                                     QStringLiteral("replica_lag_seconds"),
                                     QStringLiteral("cost_per_million_invocations") };
    SloThresholds &slo = fleet().slo;
    QSet<QString> given;
    for (const Entry &e : entries(n, QStringLiteral("slo"))) {
        const QString key =
            e.key == u"replica_lag_s" ? QStringLiteral("replica_lag_seconds") : e.key;
        const QString what = QStringLiteral("slo.") + e.key;
        if (!known.contains(key)) {
            unknownKey(e, QStringLiteral("slo"), known);
            continue;
        }
        if (given.contains(key)) {
            error(e.mark, QStringLiteral("slo: %1 sets %2 a second time").arg(quoted(e.key), key));
            continue;
        }
        given.insert(key);
        const std::optional<double> v = number(e.value, e.mark, what);
        if (!v)
            continue;
        const YAML::Mark at = e.value.Mark();
        if (key == u"p95_latency_ms") {
            if (*v <= 0)
                error(
                    at,
                    QStringLiteral("%1: expected milliseconds above 0, got %2").arg(what).arg(*v));
            else
                slo.p95LatencyMs = v;
        } else if (key == u"hit_ratio") {
            if (*v < 0 || *v > 1)
                error(at,
                      QStringLiteral("%1: expected a fraction from 0 to 1 (0.95 for 95%), got %2")
                          .arg(what)
                          .arg(*v));
            else
                slo.hitRatio = v;
        } else if (key == u"replica_lag_seconds") {
            if (*v < 0)
                error(at,
                      QStringLiteral("%1: expected seconds, at least 0, got %2").arg(what).arg(*v));
            else
                slo.replicaLagSeconds = v;
        } else {
            if (*v < 0)
                error(at,
                      QStringLiteral("%1: expected US dollars, at least 0, got %2")
                          .arg(what)
                          .arg(*v));
            else
                slo.costPerMillionInvocations = v;
        }
    }
}

void FleetParser::parseMetrics(const YAML::Node &n, const YAML::Mark &mark)
{
    if (n.IsNull())
        return;
    if (!expectMap(n, mark, QStringLiteral("metrics"),
                   QStringLiteral("{request_duration: http_server_request_duration_seconds}")))
        return;
    QHash<int, YAML::Mark> roleSeen;
    QHash<QString, QString> nameSeen; // metric name -> key that claimed it
    for (const Entry &e : entries(n, QStringLiteral("metrics"))) {
        const std::optional<MetricRole> role = metricRoleFromKey(e.key);
        if (!role) {
            QStringList keys;
            for (const MetricRoleInfo &info : metricRoles())
                keys << QLatin1String(info.key);
            const QString suggestion = closestMatch(e.key, metricRoleKeys());
            error(
                e.mark,
                QStringLiteral("metrics: unknown metric role %1%2; expected a METRICS.md role: %3")
                    .arg(quoted(e.key),
                         suggestion.isEmpty()
                             ? QString()
                             : QStringLiteral(" (did you mean \"%1\"?)").arg(suggestion),
                         keys.join(QStringLiteral(", "))));
            continue;
        }
        if (const auto it = roleSeen.constFind(int(*role)); it != roleSeen.cend()) {
            error(e.mark,
                  QStringLiteral("metrics: %1 names the role %2 again (first at line %3)")
                      .arg(quoted(e.key), q(metricRoleInfo(*role).key))
                      .arg(it->line + 1));
            continue;
        }
        roleSeen.insert(int(*role), e.mark);
        const std::optional<QString> name =
            text(e.value, e.mark, QStringLiteral("metrics.") + e.key);
        if (!name)
            continue;
        if (!isValidMetricName(*name)) {
            error(markOf(e.value, e.mark),
                  QStringLiteral("metrics.%1: expected a Prometheus metric name "
                                 "([a-zA-Z_:][a-zA-Z0-9_:]*), got %2")
                      .arg(e.key, quoted(*name)));
            continue;
        }
        if (nameSeen.contains(*name)) {
            error(markOf(e.value, e.mark),
                  QStringLiteral("metrics.%1: %2 is already the name for %3; each role needs its "
                                 "own metric")
                      .arg(e.key, quoted(*name), quoted(nameSeen.value(*name))));
            continue;
        }
        nameSeen.insert(*name, e.key);
        fleet().metrics.setOverride(*role, *name);
    }
}

} // namespace parsing

using namespace parsing;

QString FleetLoadResult::errorString() const
{
    QStringList lines;
    for (const Diagnostic &d : errors)
        lines.append(d.toString());
    return lines.join(QLatin1Char('\n'));
}

FleetLoadResult parseFleetFile(const QByteArray &text, const QString &fileName,
                               const FleetFileOptions &options)
{
    FleetLoadResult result;
    FleetParser parser(fileName, options, result);
    try {
        parser.run(text);
    } catch (const Abort &) {
    } catch (const YAML::Exception &e) {
        // yaml-cpp's node API throws on misuse; a hostile document must not escape as one.
        result.errors.append(
            { fileName, e.mark.is_null() ? 0 : e.mark.line + 1,
              e.mark.is_null() ? 0 : e.mark.column + 1,
              QStringLiteral("cannot read the fleet: %1").arg(QString::fromStdString(e.msg)) });
    } catch (const std::bad_alloc &) {
        result.errors.append({ fileName, 0, 0, QStringLiteral("out of memory reading the fleet") });
    }
    if (result.fleet.name.isEmpty())
        result.fleet.name =
            fileName.isEmpty() ? QStringLiteral("fleet") : QFileInfo(fileName).completeBaseName();
    if (!result.ok())
        result.fleet.targets.clear();
    return result;
}

FleetLoadResult loadFleetFile(const QString &path, const FleetFileOptions &options)
{
    QFile file(path);
    const QFileInfo info(path);
    auto failed = [&](const QString &message) {
        FleetLoadResult result;
        result.errors.append({ path, 0, 0, message });
        return result;
    };
    if (!info.exists())
        return failed(QStringLiteral("no such file"));
    if (info.isDir())
        return failed(QStringLiteral("is a directory; expected a fleet file"));
    if (info.isFile() && info.size() > options.limits.maxFileBytes)
        return failed(QStringLiteral("the file is %1 bytes; fleet files are limited to %2 bytes")
                          .arg(info.size())
                          .arg(options.limits.maxFileBytes));
    if (!file.open(QIODevice::ReadOnly))
        return failed(QStringLiteral("cannot open: %1").arg(file.errorString()));
    // read() rather than readAll(): a pipe or device has no size to check beforehand.
    const QByteArray text = file.read(options.limits.maxFileBytes + 1);
    if (text.size() > options.limits.maxFileBytes)
        return failed(QStringLiteral("the file is larger than %1 bytes, the limit for fleet files")
                          .arg(options.limits.maxFileBytes));
    FleetFileOptions resolved = options;
    if (resolved.baseDirectory.isEmpty())
        resolved.baseDirectory = info.absolutePath();
    FleetLoadResult result = parseFleetFile(text, path, resolved);
    result.fleet.sourceFile = info.absoluteFilePath();
    return result;
}

QStringList embeddedPricingProfileIds()
{
    static const QStringList ids = [] {
        QStringList out;
        QFile file(QStringLiteral(":/fleetscope/data/pricing-profiles.json"));
        if (!file.open(QIODevice::ReadOnly))
            return out;
        const QJsonArray array = QJsonDocument::fromJson(file.readAll()).array();
        for (const QJsonValue &v : array) {
            const QString id = v.toObject().value(QLatin1String("id")).toString();
            if (!id.isEmpty())
                out.append(id);
        }
        return out;
    }();
    return ids;
}

std::optional<QByteArray> readBearerToken(const QString &path, QString *error)
{
    auto fail = [&](const QString &message) -> std::optional<QByteArray> {
        if (error)
            *error = QStringLiteral("bearer token file %1: %2").arg(path, message);
        return std::nullopt;
    };
    const QFileInfo info(path);
    if (!info.exists())
        return fail(QStringLiteral("does not exist"));
    if (!info.isFile())
        return fail(QStringLiteral("is not a regular file"));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(file.errorString());
    QByteArray token = file.read(kMaxTokenBytes + 1);
    if (token.size() > kMaxTokenBytes)
        return fail(QStringLiteral("is larger than %1 KiB").arg(kMaxTokenBytes / 1024));
    token = token.trimmed();
    if (token.isEmpty())
        return fail(QStringLiteral("is empty"));
    for (const char c : token) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7F)
            return fail(QStringLiteral("holds control characters or line breaks, which cannot "
                                       "go in an HTTP header"));
    }
    return token;
}

} // namespace fleetscope::fleet
