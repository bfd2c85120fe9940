#include "simoptions.h"

#include "simregions.h"

#include <QCommandLineParser>
#include <QDateTime>

#include <cmath>

namespace fleetscope::sim {

namespace {

struct Parser
{
    QCommandLineParser parser;
    QCommandLineOption nodes { QStringLiteral("nodes"),
                               QStringLiteral("Number of simulated nodes (default 24, at most "
                                              "20000)."),
                               QStringLiteral("N") };
    QCommandLineOption regions { QStringLiteral("regions"),
                                 QStringLiteral("Comma-separated region codes; nodes are spread "
                                                "over them in turn. Fly.io codes (iad, nrt, fra, "
                                                "...); another provider's as PROVIDER:CODE "
                                                "(aws:eu-west-1)."),
                                 QStringLiteral("list") };
    QCommandLineOption primary { QStringLiteral("primary"),
                                 QStringLiteral("Region of the primary database that writes go "
                                                "to (default iad, US East)."),
                                 QStringLiteral("region") };
    QCommandLineOption listen { QStringLiteral("listen"),
                                QStringLiteral("IP address to serve on (default 127.0.0.1)."),
                                QStringLiteral("address") };
    QCommandLineOption port { QStringLiteral("port"),
                              QStringLiteral("First port; node i gets PORT+i (default: ports "
                                             "the OS chooses)."),
                              QStringLiteral("port") };
    QCommandLineOption portFile { QStringLiteral("port-file"),
                                  QStringLiteral("Write a Prometheus file_sd JSON fleet file "
                                                 "(labels region, node) for the nodes started."),
                                  QStringLiteral("file") };
    QCommandLineOption seed { QStringLiteral("seed"),
                              QStringLiteral("Random seed; the same seed, time scale and start "
                                             "time give the same fleet (default 1)."),
                              QStringLiteral("S") };
    QCommandLineOption timeScale { QStringLiteral("time-scale"),
                                   QStringLiteral("Simulated seconds per real second (default 1; "
                                                  "1440 runs a day in a minute)."),
                                   QStringLiteral("K") };
    QCommandLineOption startTime { QStringLiteral("start-time"),
                                   QStringLiteral("Simulated start, ISO 8601 UTC "
                                                  "(2026-01-15T06:00:00Z) or Unix seconds "
                                                  "(default: now)."),
                                   QStringLiteral("time") };
    QCommandLineOption fault { QStringLiteral("fault"),
                               QStringLiteral("Give node NODE a fault (repeatable); see FAULTS."),
                               QStringLiteral("NODE=KIND[:ARG]") };
    QCommandLineOption controlPort { QStringLiteral("control-port"),
                                     QStringLiteral("Port of the control endpoint (default: one "
                                                    "the OS chooses, printed at start)."),
                                     QStringLiteral("port") };
    QCommandLineOption noControl { QStringLiteral("no-control"),
                                   QStringLiteral("Do not start the control endpoint.") };
    QCommandLineOption help { QStringList { QStringLiteral("h"), QStringLiteral("help") },
                              QStringLiteral("Show this help and exit.") };
    QCommandLineOption version { QStringLiteral("version"),
                                 QStringLiteral("Show the version and exit.") };

    Parser()
    {
        parser.setApplicationDescription(
            QStringLiteral("fleetsim: simulated edge nodes serving the FleetScope metric "
                           "contract (METRICS.md) on /metrics, one port per node."));
        parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
        parser.addOptions({ nodes, regions, primary, listen, port, portFile, seed, timeScale,
                            startTime, fault, controlPort, noControl, help, version });
    }
};

std::optional<quint16> parsePort(const QString &text, bool allowZero)
{
    bool ok = false;
    const uint value = text.toUInt(&ok);
    if (!ok || value > 65535 || (!allowZero && value == 0))
        return std::nullopt;
    return quint16(value);
}

} // namespace

QStringList SimOptions::defaultRegions()
{
    // Ordered by weight: with 24 nodes the first eleven get two nodes each.
    return { QStringLiteral("iad"), QStringLiteral("fra"), QStringLiteral("nrt"),
             QStringLiteral("lhr"), QStringLiteral("sin"), QStringLiteral("sjc"),
             QStringLiteral("gru"), QStringLiteral("syd"), QStringLiteral("bom"),
             QStringLiteral("jnb"), QStringLiteral("ord"), QStringLiteral("arn"),
             QStringLiteral("yyz") };
}

QString SimOptions::versionText()
{
    return QStringLiteral("fleetsim %1").arg(QLatin1String(FLEETSCOPE_VERSION));
}

QString SimOptions::helpText()
{
    Parser p;
    const QString generated = p.parser.helpText();
    // Our own usage line: QCommandLineParser's names whatever binary runs the parser.
    QString text = QStringLiteral("Usage: fleetsim [--nodes N] [--regions nrt,iad,...] "
                                  "[--listen 127.0.0.1] [--port-file F] [--seed S] [options]\n");
    const qsizetype options = generated.indexOf(QLatin1String("Options:"));
    const qsizetype description = generated.indexOf(QLatin1Char('\n'));
    text += generated.mid(description + 1, options < 0 ? -1 : options - description - 1);
    if (options >= 0)
        text += generated.mid(options);
    text += QStringLiteral(
        "\nREGIONS\n"
        "  Codes are Fly.io's (from the embedded region catalogue): %1.\n"
        "  Default: %2 (every inhabited continent).\n"
        "\nFAULTS (--fault NODE=KIND[:ARG], NODE as in the port file, e.g. nrt-1)\n"
        "  %3\n"
        "  down: connection refused; slow: answers after SECONDS; hung: accepts and never\n"
        "  answers; flapping: up and down every SECONDS; malformed: invalid exposition text;\n"
        "  truncated: half the promised body, then close; oversized: a valid body of MIB;\n"
        "  reset: the node restarts, its counters start from zero.\n"
        "\nCONTROL ENDPOINT (http://LISTEN:CONTROL-PORT/, printed at start)\n"
        "  GET    /nodes                  all nodes as JSON (node, region, port, fault)\n"
        "  GET    /nodes/NODE             one node\n"
        "  PUT    /nodes/NODE/fault       body KIND[:ARG] sets the fault (POST works too)\n"
        "  DELETE /nodes/NODE/fault       back to healthy\n"
        "  POST   /nodes/NODE/reset       restart the node (counter reset)\n"
        "  e.g. curl -X PUT --data slow:5 http://127.0.0.1:PORT/nodes/nrt-1/fault\n"
        "\nExit status: 0 after a clean stop (SIGINT/SIGTERM), 2 on a usage or I/O error.\n");
    QStringList fly;
    for (const Region &r : defaultProviderRegions())
        fly.append(r.code);
    return text.arg(fly.join(QLatin1Char(' ')), defaultRegions().join(QLatin1Char(',')),
                    Fault::syntaxHelp());
}

std::optional<SimOptions> SimOptions::parse(const QStringList &arguments, QString *error)
{
    auto fail = [&](const QString &message) -> std::optional<SimOptions> {
        if (error)
            *error = message;
        return std::nullopt;
    };
    Parser p;
    if (!p.parser.parse(arguments))
        return fail(p.parser.errorText());
    if (!p.parser.positionalArguments().isEmpty())
        return fail(QStringLiteral("unexpected argument \"%1\"")
                        .arg(p.parser.positionalArguments().constFirst().left(80)));

    SimOptions o;
    if (p.parser.isSet(p.help)) {
        o.action = Action::Help;
        return o;
    }
    if (p.parser.isSet(p.version)) {
        o.action = Action::Version;
        return o;
    }
    if (p.parser.isSet(p.nodes)) {
        bool ok = false;
        o.nodes = p.parser.value(p.nodes).toInt(&ok);
        if (!ok || o.nodes < 1 || o.nodes > maxNodes)
            return fail(QStringLiteral("--nodes: expected a whole number from 1 to %1, got \"%2\"")
                            .arg(maxNodes)
                            .arg(p.parser.value(p.nodes).left(40)));
    }
    if (p.parser.isSet(p.regions)) {
        const QStringList codes =
            p.parser.value(p.regions).split(QLatin1Char(','), Qt::SkipEmptyParts);
        if (codes.isEmpty())
            return fail(QStringLiteral("--regions: expected a comma-separated list of codes"));
        for (const QString &code : codes) {
            if (!findRegion(code))
                return fail(QStringLiteral("--regions: unknown region \"%1\" (Fly.io codes such "
                                           "as iad, nrt, fra; or PROVIDER:CODE)")
                                .arg(code.trimmed().left(40)));
            o.regions.append(code.trimmed());
        }
    }
    if (p.parser.isSet(p.primary)) {
        o.primary = p.parser.value(p.primary).trimmed();
        if (!findRegion(o.primary))
            return fail(QStringLiteral("--primary: unknown region \"%1\"").arg(o.primary.left(40)));
    }
    if (p.parser.isSet(p.listen)) {
        const QString text = p.parser.value(p.listen).trimmed();
        if (!o.listen.setAddress(text))
            return fail(QStringLiteral("--listen: \"%1\" is not an IP address").arg(text.left(60)));
    }
    if (p.parser.isSet(p.port)) {
        const auto port = parsePort(p.parser.value(p.port), false);
        if (!port)
            return fail(QStringLiteral("--port: expected 1 to 65535"));
        o.basePort = *port;
    }
    if (o.basePort != 0 && int(o.basePort) + o.nodes - 1 > 65535)
        return fail(QStringLiteral("--port: %1 nodes from port %2 run past 65535")
                        .arg(o.nodes)
                        .arg(o.basePort));
    o.portFile = p.parser.value(p.portFile);
    if (p.parser.isSet(p.seed)) {
        bool ok = false;
        o.seed = p.parser.value(p.seed).toULongLong(&ok);
        if (!ok)
            return fail(QStringLiteral("--seed: expected a non-negative whole number"));
    }
    if (p.parser.isSet(p.timeScale)) {
        bool ok = false;
        o.timeScale = p.parser.value(p.timeScale).toDouble(&ok);
        if (!ok || !std::isfinite(o.timeScale) || o.timeScale < 0.01 || o.timeScale > 100000)
            return fail(QStringLiteral("--time-scale: expected a number from 0.01 to 100000"));
    }
    if (p.parser.isSet(p.startTime)) {
        const QString text = p.parser.value(p.startTime).trimmed();
        bool ok = false;
        const double seconds = text.toDouble(&ok);
        if (ok && std::isfinite(seconds) && seconds >= 0 && seconds < 4102444800.0) {
            o.startTime = seconds;
        } else {
            const QDateTime dt = QDateTime::fromString(text, Qt::ISODate);
            if (!dt.isValid())
                return fail(QStringLiteral("--start-time: expected ISO 8601 "
                                           "(2026-01-15T06:00:00Z) or Unix seconds"));
            o.startTime = double(dt.toMSecsSinceEpoch()) / 1000.0;
        }
    }
    const QStringList faults = p.parser.values(p.fault);
    for (const QString &spec : faults) {
        const qsizetype eq = spec.indexOf(QLatin1Char('='));
        if (eq <= 0)
            return fail(
                QStringLiteral("--fault: expected NODE=KIND[:ARG], got \"%1\"").arg(spec.left(60)));
        QString why;
        const auto fault = Fault::parse(spec.mid(eq + 1), &why);
        if (!fault)
            return fail(QStringLiteral("--fault %1: %2").arg(spec.left(eq).left(40), why));
        o.faults.append({ spec.left(eq).trimmed(), *fault });
    }
    o.control = !p.parser.isSet(p.noControl);
    if (p.parser.isSet(p.controlPort)) {
        const auto port = parsePort(p.parser.value(p.controlPort), true);
        if (!port)
            return fail(QStringLiteral("--control-port: expected 0 to 65535"));
        o.controlPort = *port;
    }
    return o;
}

} // namespace fleetscope::sim
