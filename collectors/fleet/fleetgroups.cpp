// Fleet files: target groups (file_sd entries and the object form's groups) and their targets,
// with labels, per-group scrape settings and duplicate detection.

#include "fleetparser.h"

namespace fleetscope::fleet::parsing {

void FleetParser::parseGroups(const YAML::Node &list, const YAML::Mark &mark)
{
    // The timeout follows the interval: never above it (Prometheus refuses that; we clamp).
    ScrapeSettings &s = fleet().scrape;
    if (!m_timeoutSet) {
        s.timeout = std::min(s.timeout, s.interval);
    } else if (s.timeout > s.interval) {
        warning(m_timeoutMark,
                QStringLiteral("scrape.timeout %1 is longer than the interval %2; using %2")
                    .arg(formatDuration(s.timeout), formatDuration(s.interval)));
        s.timeout = s.interval;
    }

    if (list.IsNull())
        return;
    if (!list.IsSequence()) {
        error(markOf(list, mark),
              QStringLiteral("targets: expected a list of target groups [{targets: [host:port, "
                             "...], labels: {...}}], got %1")
                  .arg(describe(list)));
        return;
    }
    int index = 0;
    for (const YAML::Node &group : list) {
        visit(group.Mark());
        parseGroup(group, index++);
    }
}

void FleetParser::parseGroup(const YAML::Node &group, int index)
{
    const QString context = QStringLiteral("target group %1").arg(index + 1);
    if (!group.IsMap()) {
        error(group.Mark(),
              QStringLiteral("%1: expected a target group {targets: [host:port, ...], labels: "
                             "{...}}, got %2")
                  .arg(context, describe(group)));
        return;
    }
    static const QStringList known { QStringLiteral("targets"), QStringLiteral("labels") };
    const ScrapeSettings &scrape = fleet().scrape;
    GroupSettings settings {
        scrape.scheme, scrape.metricsPath, scrape.interval, scrape.timeout, {}
    };
    bool intervalSet = false, timeoutSet = false;
    YAML::Mark timeoutMark;
    QMap<QString, QString> labels;
    const Entry *targets = nullptr;
    const Entry *latEntry = nullptr;
    const Entry *lonEntry = nullptr;
    const Entry *regionEntry = nullptr;
    const std::vector<Entry> all = entries(group, context);
    std::vector<Entry> labelEntries; // the pointers above point into it
    for (const Entry &e : all) {
        if (e.key == u"targets") {
            targets = &e;
            continue;
        }
        if (e.key != u"labels") {
            unknownKey(e, context, known);
            continue;
        }
        if (e.value.IsNull())
            continue;
        if (!expectMap(e.value, e.mark, context + QStringLiteral(" labels"),
                       QStringLiteral("{region: nrt, node: edge-1}")))
            continue;
        labelEntries = entries(e.value, context + QStringLiteral(" labels"));
        if (qsizetype(labelEntries.size()) > m_limits.maxLabelsPerGroup) {
            error(e.value.Mark(),
                  QStringLiteral("%1: %2 labels; at most %3 are accepted")
                      .arg(context)
                      .arg(labelEntries.size())
                      .arg(m_limits.maxLabelsPerGroup));
            continue;
        }
        for (const Entry &l : labelEntries) {
            if (!isLabelName(l.key)) {
                error(l.mark,
                      QStringLiteral(
                          "%1: label name %2 is not valid; expected [a-zA-Z_][a-zA-Z0-9_]*")
                          .arg(context, quoted(l.key)));
                continue;
            }
            const std::optional<QString> value =
                text(l.value, l.mark, QStringLiteral("label ") + l.key);
            if (!value)
                continue;
            spend(l.mark, 64 + 2 * (l.key.size() + value->size()));
            const YAML::Mark at = markOf(l.value, l.mark);
            if (!l.key.startsWith(QStringLiteral("__"))) {
                labels.insert(l.key, *value);
                if (l.key == u"lat")
                    latEntry = &l;
                else if (l.key == u"lon")
                    lonEntry = &l;
                else if (l.key == u"region")
                    regionEntry = &l;
                continue;
            }
            // Prometheus' reserved labels that shape the scrape; the rest are dropped.
            if (l.key == u"__scheme__") {
                if (*value == u"http" || *value == u"https")
                    settings.scheme = *value;
                else
                    error(at,
                          QStringLiteral("label __scheme__: expected \"http\" or \"https\", got %1")
                              .arg(quoted(*value)));
            } else if (l.key == u"__metrics_path__") {
                if (!value->startsWith(QLatin1Char('/')) || value->contains(QLatin1Char('?'))
                    || value->contains(QLatin1Char('#')) || value->contains(QLatin1Char(' ')))
                    error(at,
                          QStringLiteral("label __metrics_path__: expected a URL path starting "
                                         "with \"/\", got %1")
                              .arg(quoted(*value)));
                else
                    settings.metricsPath = *value;
            } else if (l.key == u"__scrape_interval__") {
                if (const auto d =
                        duration(l.value, l.mark, QStringLiteral("label __scrape_interval__"))) {
                    settings.interval = *d;
                    intervalSet = true;
                }
            } else if (l.key == u"__scrape_timeout__") {
                if (const auto d =
                        duration(l.value, l.mark, QStringLiteral("label __scrape_timeout__"))) {
                    settings.timeout = *d;
                    timeoutSet = true;
                    timeoutMark = l.mark;
                }
            } else if (l.key.startsWith(QStringLiteral("__param_")) && l.key.size() > 8) {
                settings.params.append({ l.key.mid(8), *value });
            } else {
                warning(l.mark,
                        QStringLiteral("%1: reserved label %2 is ignored (only __scheme__, "
                                       "__metrics_path__, __scrape_interval__, "
                                       "__scrape_timeout__ and __param_<name> mean something)")
                            .arg(context, quoted(l.key)));
            }
        }
    }
    if (intervalSet && !timeoutSet)
        settings.timeout = std::min(fleet().scrape.timeout, settings.interval);
    if (settings.timeout > settings.interval) {
        if (timeoutSet)
            warning(timeoutMark,
                    QStringLiteral("%1: __scrape_timeout__ %2 is longer than the interval %3; "
                                   "using %3")
                        .arg(context, formatDuration(settings.timeout),
                             formatDuration(settings.interval)));
        settings.timeout = settings.interval;
    }

    // Placement, once for the group.
    Target placement;
    std::optional<double> lat, lon;
    if (latEntry)
        lat = coordinate(*latEntry, labels.value(QStringLiteral("lat")), 90);
    if (lonEntry)
        lon = coordinate(*lonEntry, labels.value(QStringLiteral("lon")), 180);
    if (bool(latEntry) != bool(lonEntry)) {
        const Entry *given = latEntry ? latEntry : lonEntry;
        error(given->mark,
              QStringLiteral("%1: label %2 needs %3 as well")
                  .arg(context, given->key,
                       latEntry ? QStringLiteral("lon") : QStringLiteral("lat")));
    }
    const QString regionCode = labels.value(QStringLiteral("region")).trimmed();
    const QString provider = labels.value(QStringLiteral("provider")).trimmed();
    if (!regionCode.isEmpty()) {
        placement.region = m_regions.find(regionCode, provider);
        if (!provider.isEmpty() && m_regions.canonicalProvider(provider).isEmpty()
            && m_regions.size() > 0)
            warning(regionEntry->mark,
                    QStringLiteral("%1: provider %2 is not in the region catalogue (%3); region "
                                   "%4 is looked up by its code alone")
                        .arg(context, quoted(provider),
                             m_regions.providers().join(QStringLiteral(", ")), quoted(regionCode)));
    }
    if (lat && lon) {
        placement.placement = Placement::Coordinates;
        placement.lat = *lat;
        placement.lon = *lon;
    } else if (placement.region) {
        placement.placement = Placement::Region;
        placement.lat = placement.region->lat;
        placement.lon = placement.region->lon;
    } else if (!regionCode.isEmpty() && !latEntry && !lonEntry) {
        const QString suggestion = m_regions.suggest(regionCode, provider);
        warning(regionEntry->mark,
                QStringLiteral("%1: region %2%3 is not in the region catalogue%4 and the group has "
                               "no lat/lon labels; its targets are listed as unplaced")
                    .arg(context, quoted(regionCode),
                         provider.isEmpty()
                             ? QString()
                             : QStringLiteral(" (provider %1)").arg(quoted(provider)),
                         suggestion.isEmpty()
                             ? QString()
                             : QStringLiteral(" (did you mean \"%1\"?)").arg(suggestion)));
    }

    if (!targets) {
        error(group.Mark(),
              QStringLiteral("%1: missing \"targets\"; expected targets: [host:port, ...]")
                  .arg(context));
        return;
    }
    if (targets->value.IsNull())
        return;
    if (!targets->value.IsSequence()) {
        error(markOf(targets->value, targets->mark),
              QStringLiteral("%1: targets: expected a list of \"host:port\" strings, got %2")
                  .arg(context, describe(targets->value)));
        return;
    }
    for (const YAML::Node &item : targets->value) {
        visit(item.Mark());
        addTarget(item, index, settings, labels, placement);
    }
}

void FleetParser::addTarget(const YAML::Node &item, int group, const GroupSettings &settings,
                            const QMap<QString, QString> &labels, const Target &placement)
{
    const QString what = QStringLiteral("target");
    const std::optional<QString> raw = text(item, item.Mark(), what);
    if (!raw)
        return;
    const QString address = raw->trimmed();
    auto bad = [&](const QString &why) {
        error(item.Mark(),
              QStringLiteral("target %1: %2; expected host:port such as \"10.0.0.7:9100\", "
                             "\"edge-1.example.net:9100\" or \"[2001:db8::1]:9100\"")
                  .arg(quoted(*raw), why));
    };
    if (address.isEmpty())
        return bad(QStringLiteral("empty"));
    if (address.contains(QStringLiteral("://")))
        return bad(QStringLiteral("a scheme does not belong in a target; set scrape.scheme or the "
                                  "__scheme__ label"));
    if (address.contains(QLatin1Char('/')) || address.contains(QLatin1Char('?')))
        return bad(QStringLiteral("a path does not belong in a target; set scrape.metrics_path or "
                                  "the __metrics_path__ label"));
    QString host, portText;
    bool ipv6 = false;
    if (address.startsWith(QLatin1Char('['))) {
        const qsizetype close = address.indexOf(QLatin1Char(']'));
        if (close < 0 || address.mid(close + 1, 1) != u":")
            return bad(QStringLiteral("an IPv6 address needs the form [address]:port"));
        host = address.mid(1, close - 1);
        portText = address.mid(close + 2);
        QHostAddress parsed;
        if (!parsed.setAddress(host) || parsed.protocol() != QAbstractSocket::IPv6Protocol)
            return bad(QStringLiteral("%1 is not an IPv6 address").arg(quoted(host)));
        host = parsed.toString().toLower();
        ipv6 = true;
    } else {
        const qsizetype colon = address.lastIndexOf(QLatin1Char(':'));
        if (colon < 0)
            return bad(QStringLiteral("the port is missing"));
        host = address.left(colon).toLower();
        portText = address.mid(colon + 1);
        if (host.contains(QLatin1Char(':')))
            return bad(QStringLiteral("an IPv6 address needs brackets: [address]:port"));
        if (host.isEmpty())
            return bad(QStringLiteral("the host is missing"));
        if (host.size() > 253)
            return bad(QStringLiteral("the host name is longer than 253 characters"));
        for (const QChar c : host) {
            if (c.unicode() > 127)
                return bad(QStringLiteral("host names must be ASCII (write the xn-- form of an "
                                          "international name)"));
            if (!isHostLabelChar(c) && c != QLatin1Char('.'))
                return bad(
                    QStringLiteral("%1 cannot appear in a host name").arg(quoted(QString(c))));
        }
        for (const QStringView part : QStringView(host).split(QLatin1Char('.'))) {
            if (part.isEmpty() || part.size() > 63 || part.startsWith(QLatin1Char('-'))
                || part.endsWith(QLatin1Char('-')))
                return bad(QStringLiteral("%1 is not a valid host name").arg(quoted(host)));
        }
    }
    bool digits = !portText.isEmpty() && portText.size() <= 5;
    for (const QChar c : portText)
        digits = digits && c >= QLatin1Char('0') && c <= QLatin1Char('9');
    const int port = digits ? portText.toInt() : 0;
    if (!digits || port < 1 || port > 65535)
        return bad(QStringLiteral("the port must be a number from 1 to 65535, got %1")
                       .arg(quoted(portText)));

    Target t = placement;
    t.host = host;
    t.port = quint16(port);
    t.address = (ipv6 ? QLatin1Char('[') + host + QLatin1Char(']') : host) + QLatin1Char(':')
        + QString::number(port);
    t.scheme = settings.scheme;
    t.metricsPath = settings.metricsPath;
    t.interval = settings.interval;
    t.timeout = settings.timeout;
    t.labels = labels;
    t.group = group;
    t.line = item.Mark().line + 1;
    t.column = item.Mark().column + 1;
    QUrl url;
    url.setScheme(t.scheme);
    url.setHost(host);
    url.setPort(port);
    url.setPath(t.metricsPath);
    if (!settings.params.isEmpty()) {
        QUrlQuery query;
        for (const auto &[name, value] : settings.params)
            query.addQueryItem(name, value);
        url.setQuery(query);
    }
    t.url = url;
    const QString key = url.toString(QUrl::FullyEncoded);
    if (const auto it = m_urls.constFind(key); it != m_urls.cend()) {
        error(item.Mark(),
              QStringLiteral("duplicate target %1 (%2 is already listed at line %3)")
                  .arg(quoted(t.address), key)
                  .arg(it->line + 1));
        return;
    }
    if (fleet().targets.size() >= m_limits.maxTargets)
        fatal(item.Mark(),
              QStringLiteral("more than %1 targets; for fleets this large point FleetScope at "
                             "the Prometheus that scrapes them (--prometheus)")
                  .arg(m_limits.maxTargets));
    spend(item.Mark(), 512 + 2 * key.size());
    m_urls.insert(key, item.Mark());
    t.id = QString::fromLatin1(
        QCryptographicHash::hash(key.toUtf8(), QCryptographicHash::Sha256).toHex().left(16));
    fleet().targets.append(t);
}

} // namespace fleetscope::fleet::parsing
