#include "prometheusoptions.h"

#include "fleet/duration.h"

#include <QUrl>

#include <algorithm>

namespace fleetscope::app {

const char *const kPrometheusOptionsHelp =
    R"(  --prometheus URL      a Prometheus-compatible server (Prometheus, Thanos, Mimir,
                        VictoriaMetrics) that already scrapes the fleet, e.g.
                        http://prometheus:9090; FleetScope asks it PromQL per region instead
                        of scraping every node. With --fleet, the fleet file gives metric-name
                        overrides, pricing, vantage and SLO (its targets are not scraped).
  --prometheus-selector S
                        label matchers added to every query, e.g. 'job="edge",env="prod"'
  --prometheus-bearer-token-file F
                        send "Authorization: Bearer" with the token in F
  --prometheus-user U   HTTP basic auth user (the password from --prometheus-password-file)
  --prometheus-password-file F
  --prometheus-timeout D
                        per-query timeout, e.g. 30s (default), also sent to the server
  --prometheus-step D   the shortest step of the windows asked for: the server's scrape
                        interval (default: the fleet file's scrape interval, else 15s)
)";

bool PrometheusArguments::take(const QString &arg, const std::function<bool(QString *)> &value,
                               QString *error)
{
    auto need = [&](QString *into, const char *what) {
        if (!value(into) || into->isEmpty())
            *error = QStringLiteral("%1 needs %2").arg(arg, QLatin1String(what));
        return true;
    };
    if (arg == QLatin1String("--prometheus"))
        return need(&url, "the server's URL, e.g. http://prometheus:9090");
    if (arg == QLatin1String("--prometheus-selector"))
        return need(&selector, "label matchers such as 'job=\"edge\"'");
    if (arg == QLatin1String("--prometheus-bearer-token-file"))
        return need(&bearerTokenFile, "a file holding the token");
    if (arg == QLatin1String("--prometheus-user"))
        return need(&user, "a user name");
    if (arg == QLatin1String("--prometheus-password-file"))
        return need(&passwordFile, "a file holding the password");
    if (arg == QLatin1String("--prometheus-step")) {
        QString text;
        need(&text, "a duration such as 15s");
        if (error->isEmpty()) {
            const auto d = fleet::parseDuration(text);
            if (!d || d->count() < 1000 || d->count() > 24 * 3600 * 1000)
                *error = QStringLiteral("--prometheus-step needs a duration from 1s to 24h, such "
                                        "as 15s");
            else
                stepSeconds = double(d->count()) / 1000.0;
        }
        return true;
    }
    if (arg == QLatin1String("--prometheus-timeout")) {
        QString text;
        need(&text, "a duration such as 30s");
        if (error->isEmpty()) {
            const auto d = fleet::parseDuration(text);
            if (!d || d->count() <= 0 || d->count() > 3600 * 1000)
                *error = QStringLiteral("--prometheus-timeout needs a duration such as 30s "
                                        "(at most 1h)");
            else
                timeoutMs = int(d->count());
        }
        return true;
    }
    return false;
}

std::optional<promql::SourceOptions>
prometheusSource(const PrometheusArguments &args, std::optional<fleet::Fleet> fleet, QString *error)
{
    const QUrl url(args.url, QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty()
        || (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https"))) {
        *error = QStringLiteral("--prometheus needs an http:// or https:// URL with a host, such "
                                "as http://prometheus:9090, not '%1'")
                     .arg(args.url.left(200));
        return std::nullopt;
    }
    if (!url.password().isEmpty()) {
        *error = QStringLiteral("--prometheus: put the password in a file and give it with "
                                "--prometheus-password-file, not in the URL");
        return std::nullopt;
    }
    if (const QString why = promql::checkSelector(args.selector); !why.isEmpty()) {
        *error = QStringLiteral("--prometheus-selector: ") + why;
        return std::nullopt;
    }
    if (!args.bearerTokenFile.isEmpty() && (!args.user.isEmpty() || !url.userName().isEmpty())) {
        *error = QStringLiteral("give either a bearer token or basic auth for --prometheus, not "
                                "both");
        return std::nullopt;
    }
    promql::SourceOptions o;
    o.client.baseUrl =
        url.adjusted(QUrl::RemoveUserInfo | QUrl::RemoveQuery | QUrl::RemoveFragment);
    o.client.timeoutMs = args.timeoutMs;
    o.client.auth.bearerTokenFile = args.bearerTokenFile;
    o.client.auth.basicUser = args.user.isEmpty() ? url.userName() : args.user;
    o.client.auth.basicPasswordFile = args.passwordFile;
    o.selector = args.selector;
    if (args.stepSeconds > 0) {
        o.minStepSeconds = args.stepSeconds;
    } else if (fleet && !fleet->targets.isEmpty()) {
        std::chrono::milliseconds shortest = fleet->targets.first().interval;
        for (const fleet::Target &t : fleet->targets)
            shortest = std::min(shortest, t.interval);
        o.minStepSeconds = std::max(1.0, double(shortest.count()) / 1000.0);
    }
    o.fleet = std::move(fleet);
    return o;
}

} // namespace fleetscope::app
