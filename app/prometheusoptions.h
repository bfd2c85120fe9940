#pragma once

// The --prometheus command-line options shared by the GUI and `fleetscope report`: the server's
// URL, a label selector, credentials read from files and a timeout, turned into the options of
// the Prometheus source (collectors/promql).

#include "fleet/fleet.h"
#include "promql/promsource.h"

#include <QString>

#include <functional>
#include <optional>

namespace fleetscope::app {

struct PrometheusArguments
{
    QString url; // --prometheus URL; empty: not asked for
    QString selector; // --prometheus-selector 'job="edge"'
    QString bearerTokenFile; // --prometheus-bearer-token-file F
    QString user; // --prometheus-user U (or the URL's user)
    QString passwordFile; // --prometheus-password-file F
    int timeoutMs = 30000; // --prometheus-timeout D
    double stepSeconds = 0; // --prometheus-step D; 0: the fleet file's scrape interval, or 15 s

    // When `arg` is one of the options above, takes its value with `value` and returns true;
    // `error` is set when the value is missing or malformed.
    bool take(const QString &arg, const std::function<bool(QString *)> &value, QString *error);
};

// The source options for the arguments, with the fleet file's metric names, pricing, vantage
// and regions when one is given; nullopt and `error` for a URL or selector that cannot work.
std::optional<promql::SourceOptions> prometheusSource(const PrometheusArguments &args,
                                                      std::optional<fleet::Fleet> fleet,
                                                      QString *error);

// The options' lines for --help texts.
extern const char *const kPrometheusOptionsHelp;

} // namespace fleetscope::app
