#include "reportcommand.h"

#include "prometheusoptions.h"
#include "selfmetrics.h"

#include "compare/compareexport.h"
#include "fleet/duration.h"
#include "fleet/fleetfile.h"
#include "fleet/populationcentres.h"
#include "promql/promsource.h"
#include "report/comparison.h"
#include "report/exporter.h"
#include "snapshot/analysis.h"
#include "snapshot/fleetmonitor.h"
#include "snapshot/snapshotfile.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QGuiApplication>
#include <QTimer>

#include <cstdio>
#include <cstring>
#include <ctime>
#include <memory>

#include <unistd.h>

namespace fleetscope::app {
namespace {

constexpr const char *kUsage =
    R"(usage: fleetscope report (--fleet FILE | --prometheus URL [--fleet FILE] | --open SNAPSHOT |
                          --demo) [OPTIONS] --out FILE
       fleetscope report --compare BEFORE AFTER [OPTIONS] --out FILE

Collects from a fleet for a while (or reopens a saved snapshot), then writes FILE. The format
follows the extension:
  .pdf   a report: cover, headline figures, latency map, charts, per-region tables, footnotes
  .png   the dashboard (1440x900) drawn at twice its pixel density: 2880x1800 pixels
  .csv   every table of the dashboard, one section a table
  .html  the report as one self-contained web page (inline SVG charts, no external reference)
  .json  the snapshot itself (reopens in FleetScope and with report --open)
Needs no display (without one, Qt's offscreen platform draws); progress goes to stderr.

Options:
  --fleet FILE          a fleet file (Prometheus file_sd list or FleetScope's object form)
  --open SNAPSHOT       a saved .json snapshot, re-analysed with the options below
  --demo                the embedded simulated fleet (fleetsim), started in this process
  --compare BEFORE AFTER
                        compare two saved snapshots instead: per region, latency p50/p90/
                        p95/p99, cache hit ratio, replica lag and cost per invocation before
                        and after, delta and percent change; writes .csv (one row per
                        region), .html or .pdf
  --duration D          how long to collect: 15s, 2m, 1h (default 60s)
  --out FILE            where to write (.pdf .png .csv .html .json)
  --page-size SIZE      the PDF's paper: a4 (default) or letter
  --quantile Q          the latency quantile shown besides p50/p90/p95/p99 (default 0.95)
  --window D            the time window the figures cover (default: the fleet's, 5m)
  --pricing ID          a pricing profile id (see resources/data/pricing-profiles.json)
  --vantage PLACE       where the users are, for the speed-of-light floor: a population
                        centre such as Tokyo, Mumbai or "New York" (default: the fleet's)
  --metrics-listen A    serve FleetScope's own metrics (scrapes, durations, store size) on
                        ADDRESS:PORT, e.g. 127.0.0.1:9900, while collecting
  -h, --help            show this help

With --prometheus, the figures come from the server's stored data over --window at once (no
collection time; --duration is not used):
)" /* the --prometheus options follow */;

constexpr const char *kUsageEnd = R"(
Exit status: 0 written, 1 the collection or the input failed, 2 usage or I/O error.
)";

int usageError(const QString &message)
{
    std::fprintf(stderr, "fleetscope report: %s\nTry 'fleetscope report --help'.\n",
                 qPrintable(message));
    return 2;
}

int writeOutput(const snapshot::FleetSnapshot &s, const QString &out,
                const widgets::ExportOptions &options)
{
    QElapsedTimer clock;
    clock.start();
    const std::clock_t cpu = std::clock();
    QString error;
    if (!widgets::exportReport(s, out, options, &error)) {
        std::fprintf(stderr, "fleetscope report: %s\n", qPrintable(error));
        return 2;
    }
    std::fprintf(stderr,
                 "fleetscope report: wrote %s (%zu regions, %zu targets) in %.2f s (%.2f s CPU)\n",
                 qPrintable(out), s.regions.size(), s.targets.size(),
                 double(clock.nsecsElapsed()) / 1e9, double(std::clock() - cpu) / CLOCKS_PER_SEC);
    return 0;
}

// The fleet file, its warnings and errors printed on stderr; nullopt when it cannot be used.
std::optional<fleet::Fleet> loadFleet(const QString &path)
{
    const fleet::FleetLoadResult loaded = fleet::loadFleetFile(path);
    for (const fleet::Diagnostic &w : loaded.warnings)
        std::fprintf(stderr, "warning: %s\n", qPrintable(w.toString()));
    if (!loaded.ok()) {
        std::fprintf(stderr, "%s\n", qPrintable(loaded.errorString()));
        return std::nullopt;
    }
    return loaded.fleet;
}

// One refresh of the Prometheus source, evaluated now over the window; then writes `out`.
int reportFromPrometheus(const PrometheusArguments &args, const QString &fleetPath,
                         const std::function<void(snapshot::Settings &)> &applyOptions,
                         const QString &out, const widgets::ExportOptions &exportOptions)
{
    std::optional<fleet::Fleet> fleet;
    if (!fleetPath.isEmpty()) {
        std::optional<fleet::Fleet> loaded = loadFleet(fleetPath);
        if (!loaded)
            return 1;
        fleet = std::move(*loaded);
    }
    QString error;
    const auto options = prometheusSource(args, fleet, &error);
    if (!options)
        return usageError(error);
    promql::PrometheusMonitor source(*options);
    snapshot::Settings settings = source.settings();
    applyOptions(settings);
    source.setSettings(settings);
    std::fprintf(stderr, "fleetscope report: asking %s for %.0f s of data (%zu queries)\n",
                 qPrintable(source.displayUrl()), settings.windowSeconds,
                 source.plan(source.stepFor(settings.windowSeconds)).size());
    std::shared_ptr<const snapshot::FleetSnapshot> result;
    QString failure;
    QEventLoop loop;
    QObject::connect(&source, &promql::PrometheusMonitor::snapshotReady, &loop,
                     [&](std::shared_ptr<const snapshot::FleetSnapshot> s) {
                         result = std::move(s);
                         loop.quit();
                     });
    QObject::connect(&source, &promql::PrometheusMonitor::refreshFailed, &loop,
                     [&](const QString &message) {
                         failure = message;
                         loop.quit();
                     });
    source.refreshNow();
    loop.exec();
    if (!result) {
        std::fprintf(stderr, "fleetscope report: %s\n", qPrintable(failure));
        return 1;
    }
    if (result->targets.empty())
        std::fprintf(stderr,
                     "fleetscope report: warning: the server knows no target with a region "
                     "label%s\n",
                     args.selector.isEmpty() ? "" : " matching the selector");
    std::fprintf(stderr, "fleetscope report: answered in %.2f s\n", source.lastRefreshSeconds());
    return writeOutput(*result, out, exportOptions);
}

// `report --compare`: two saved snapshots, re-analysed when an option asks for it, compared.
int compareReport(const QString &beforePath, const QString &afterPath, const QString &out,
                  QPageSize::PageSizeId pageSize, double quantile, double window,
                  const QString &pricing, const std::optional<fleet::PopulationCentre> &vantage)
{
    if (out.isEmpty())
        return usageError(QStringLiteral("--out FILE is required"));
    if (!widgets::comparisonFormatSupported(out))
        return usageError(
            QStringLiteral("cannot write the comparison to '%1': the format follows the "
                           "extension: %2")
                .arg(out, widgets::comparisonExtensions()));
    if (widgets::comparisonFormatNeedsGui(out) && !qobject_cast<QGuiApplication *>(qApp))
        return usageError(
            QStringLiteral("'%1' needs drawing; this process has no QApplication").arg(out));
    std::optional<snapshot::FleetSnapshot> sides[2];
    const QString paths[2] = { beforePath, afterPath };
    for (int i = 0; i < 2; ++i) {
        snapshot::LoadResult loaded = snapshot::loadSnapshot(paths[i]);
        if (!loaded.snapshot) {
            std::fprintf(stderr, "fleetscope report: %s\n", qPrintable(loaded.error));
            return 1;
        }
        snapshot::FleetSnapshot &s = *loaded.snapshot;
        const bool reanalyse =
            !std::isnan(quantile) || !std::isnan(window) || !pricing.isEmpty() || vantage;
        if (!std::isnan(quantile))
            s.settings.quantile = quantile;
        if (!std::isnan(window))
            s.settings.windowSeconds = window;
        if (!pricing.isEmpty())
            s.settings.pricingProfile = pricing;
        if (vantage) {
            s.settings.vantage = vantage->name;
            s.settings.vantageLat = vantage->lat;
            s.settings.vantageLon = vantage->lon;
        }
        if (reanalyse)
            snapshot::analyse(s);
        sides[i] = std::move(loaded.snapshot);
    }
    const report::Comparison comparison = report::compareSnapshots(*sides[0], *sides[1]);
    QString error;
    if (!widgets::exportComparison(comparison, out, pageSize, &error)) {
        std::fprintf(stderr, "fleetscope report: %s\n", qPrintable(error));
        return 2;
    }
    int onlyBefore = 0, onlyAfter = 0;
    for (const report::CompareRow &r : comparison.rows) {
        onlyBefore += r.presence == report::Presence::BeforeOnly;
        onlyAfter += r.presence == report::Presence::AfterOnly;
    }
    std::fprintf(stderr,
                 "fleetscope report: wrote %s (%zu regions, %d only before, %d only after)\n",
                 qPrintable(out), comparison.rows.size(), onlyBefore, onlyAfter);
    return 0;
}

} // namespace

int runReport(int argc, char **argv, const DemoFleetFactory &demoFactory)
{
    QString fleetPath, openPath, out, pricing, metricsListen, compareBefore, compareAfter;
    std::optional<fleet::PopulationCentre> vantage;
    widgets::ExportOptions exportOptions;
    bool demo = false;
    PrometheusArguments prometheus;
    double duration = 60;
    double quantile = std::numeric_limits<double>::quiet_NaN();
    double window = std::numeric_limits<double>::quiet_NaN();
    for (int i = 0; i < argc; ++i) {
        const QString arg = QString::fromLocal8Bit(argv[i]);
        auto value = [&](QString *into) {
            if (i + 1 >= argc)
                return false;
            *into = QString::fromLocal8Bit(argv[++i]);
            return true;
        };
        auto durationValue = [&](double *into) {
            QString text;
            if (!value(&text))
                return false;
            const auto d = fleet::parseDuration(text);
            if (!d || d->count() <= 0)
                return false;
            *into = double(d->count()) / 1000.0;
            return true;
        };
        if (arg == QLatin1String("-h") || arg == QLatin1String("--help")) {
            std::fputs(kUsage, stdout);
            std::fputs(kPrometheusOptionsHelp, stdout);
            std::fputs(kUsageEnd, stdout);
            return 0;
        } else if (arg == QLatin1String("--fleet")) {
            if (!value(&fleetPath))
                return usageError(QStringLiteral("--fleet needs a file"));
        } else if (arg == QLatin1String("--open")) {
            if (!value(&openPath))
                return usageError(QStringLiteral("--open needs a snapshot file"));
        } else if (arg == QLatin1String("--demo")) {
            demo = true;
        } else if (arg == QLatin1String("--compare")) {
            if (!value(&compareBefore) || !value(&compareAfter))
                return usageError(
                    QStringLiteral("--compare needs two snapshot files: BEFORE AFTER"));
        } else if (arg == QLatin1String("--out")) {
            if (!value(&out))
                return usageError(QStringLiteral("--out needs a file"));
        } else if (arg == QLatin1String("--page-size")) {
            QString size;
            if (!value(&size))
                return usageError(QStringLiteral("--page-size needs a4 or letter"));
            if (size.compare(QLatin1String("a4"), Qt::CaseInsensitive) == 0)
                exportOptions.pageSize = QPageSize::A4;
            else if (size.compare(QLatin1String("letter"), Qt::CaseInsensitive) == 0)
                exportOptions.pageSize = QPageSize::Letter;
            else
                return usageError(
                    QStringLiteral("--page-size needs a4 or letter, not '%1'").arg(size));
        } else if (arg == QLatin1String("--vantage")) {
            QString place;
            if (!value(&place))
                return usageError(QStringLiteral("--vantage needs a place such as Tokyo"));
            const auto &centres = fleet::PopulationCentres::embedded();
            vantage = centres.find(place);
            if (!vantage) {
                const QString suggestion = centres.suggest(place);
                return usageError(
                    QStringLiteral("--vantage: '%1' is not a known population centre%2")
                        .arg(place,
                             suggestion.isEmpty()
                                 ? QString()
                                 : QStringLiteral(" (did you mean '%1'?)").arg(suggestion)));
            }
        } else if (arg == QLatin1String("--pricing")) {
            if (!value(&pricing))
                return usageError(QStringLiteral("--pricing needs a profile id"));
        } else if (arg == QLatin1String("--metrics-listen")) {
            if (!value(&metricsListen) || metricsListen.isEmpty())
                return usageError(
                    QStringLiteral("--metrics-listen needs ADDRESS:PORT, e.g. 127.0.0.1:9900"));
        } else if (arg == QLatin1String("--duration")) {
            if (!durationValue(&duration))
                return usageError(
                    QStringLiteral("--duration needs a duration such as 15s, 2m or 1h"));
        } else if (arg == QLatin1String("--window")) {
            if (!durationValue(&window))
                return usageError(QStringLiteral("--window needs a duration such as 5m or 1h"));
        } else if (arg == QLatin1String("--quantile")) {
            QString text;
            bool ok = false;
            if (value(&text))
                quantile = text.toDouble(&ok);
            if (!ok || !(quantile > 0 && quantile < 1))
                return usageError(
                    QStringLiteral("--quantile needs a number between 0 and 1, such as 0.99"));
        } else if (QString error; prometheus.take(arg, value, &error)) {
            if (!error.isEmpty())
                return usageError(error);
        } else {
            return usageError(QStringLiteral("unknown option '%1'").arg(arg));
        }
    }
    const bool fromPrometheus = !prometheus.url.isEmpty();
    if (!compareBefore.isEmpty()) {
        if (!fleetPath.isEmpty() || fromPrometheus || !openPath.isEmpty() || demo)
            return usageError(QStringLiteral(
                "--compare takes two snapshots; --fleet, --prometheus, --open and --demo do not "
                "apply"));
        return compareReport(compareBefore, compareAfter, out, exportOptions.pageSize, quantile,
                             window, pricing, vantage);
    }
    if (int(!fleetPath.isEmpty() && !fromPrometheus) + int(fromPrometheus)
            + int(!openPath.isEmpty()) + int(demo)
        != 1)
        return usageError(QStringLiteral(
            "give exactly one of --fleet FILE, --prometheus URL, --open SNAPSHOT or --demo"));
    if (out.isEmpty())
        return usageError(QStringLiteral("--out FILE is required"));
    const widgets::ReportFormat format = widgets::reportFormatFor(out);
    if (format == widgets::ReportFormat::Unknown)
        return usageError(QStringLiteral("cannot write '%1': the format follows the extension: %2")
                              .arg(out, widgets::reportExtensions()));
    if (widgets::reportFormatNeedsGui(format) && !qobject_cast<QGuiApplication *>(qApp))
        return usageError(
            QStringLiteral("'%1' needs drawing; this process has no QApplication").arg(out));

    auto applyOptions = [&](snapshot::Settings &s) {
        if (!std::isnan(quantile))
            s.quantile = quantile;
        if (!std::isnan(window))
            s.windowSeconds = window;
        if (!pricing.isEmpty())
            s.pricingProfile = pricing;
        if (vantage) {
            s.vantage = vantage->name;
            s.vantageLat = vantage->lat;
            s.vantageLon = vantage->lon;
        }
    };

    if (!openPath.isEmpty()) {
        const snapshot::LoadResult loaded = snapshot::loadSnapshot(openPath);
        if (!loaded.snapshot) {
            std::fprintf(stderr, "fleetscope report: %s\n", qPrintable(loaded.error));
            return 1;
        }
        snapshot::FleetSnapshot s = *loaded.snapshot;
        applyOptions(s.settings);
        if (!std::isnan(quantile) || !std::isnan(window) || !pricing.isEmpty() || vantage)
            snapshot::analyse(s); // another quantile, window or profile: from the raw windows
        return writeOutput(s, out, exportOptions);
    }
    if (fromPrometheus)
        return reportFromPrometheus(prometheus, fleetPath, applyOptions, out, exportOptions);

    std::unique_ptr<QObject> demoKeepAlive;
    fleet::Fleet fleet;
    if (demo) {
        if (!demoFactory) {
            std::fprintf(stderr,
                         "fleetscope report: the demo fleet is not available in this build\n");
            return 1;
        }
        QString error;
        auto made = demoFactory(&error);
        if (!made) {
            std::fprintf(stderr, "fleetscope report: cannot start the demo fleet: %s\n",
                         qPrintable(error));
            return 1;
        }
        fleet = made->fleet;
        demoKeepAlive = std::move(made->keepAlive);
    } else {
        std::optional<fleet::Fleet> loaded = loadFleet(fleetPath);
        if (!loaded)
            return 1;
        fleet = std::move(*loaded);
    }
    if (fleet.targets.isEmpty()) {
        std::fprintf(stderr, "fleetscope report: the fleet has no targets\n");
        return 1;
    }

    // Rates need at least two scrapes of a target inside the collection: a short collection
    // scrapes more often than the fleet's interval (and says so).
    const auto wanted =
        std::chrono::milliseconds(std::max<qint64>(1000, qint64(duration * 1000 / 4)));
    bool shortened = false;
    for (fleet::Target &t : fleet.targets) {
        if (t.interval > wanted) {
            t.interval = wanted;
            t.timeout = std::min(t.timeout, wanted);
            shortened = true;
        }
    }
    if (shortened)
        std::fprintf(
            stderr,
            "fleetscope report: scraping every %.1f s so that %.0f s hold several scrapes\n",
            double(wanted.count()) / 1000.0, duration);

    snapshot::FleetMonitor monitor(fleet);
    monitor.setSourceKind(demo ? QStringLiteral("demo") : QStringLiteral("fleet"));
    snapshot::Settings settings = monitor.settings();
    applyOptions(settings);
    monitor.setSettings(settings);

    std::unique_ptr<SelfMetrics> selfMetrics;
    if (!metricsListen.isEmpty()) {
        QString error;
        selfMetrics = SelfMetrics::serve(metricsListen, &monitor, &error);
        if (!selfMetrics) {
            std::fprintf(stderr, "fleetscope report: %s\n", qPrintable(error));
            return 2;
        }
    }

    QElapsedTimer clock;
    clock.start();
    int answered = 0, failed = 0;
    QObject::connect(&monitor, &snapshot::FleetMonitor::scrapeFinished, &monitor,
                     [&](const QString &, bool ok, int done, int) {
                         answered = done;
                         if (!ok)
                             ++failed;
                     });
    QTimer progress;
    progress.setInterval(1000);
    const bool terminal = isatty(fileno(stderr));
    int ticks = 0;
    QObject::connect(&progress, &QTimer::timeout, &monitor, [&] {
        // A terminal gets one line updated in place; a log gets a line every 5 s.
        if (!terminal && ++ticks % 5 != 0)
            return;
        std::fprintf(
            stderr,
            "%scollecting: %lld of %.0f s, %d of %lld targets answered, %d failed scrapes%s",
            terminal ? "\r" : "", clock.elapsed() / 1000, duration, answered,
            qlonglong(fleet.targets.size()), failed, terminal ? " " : "\n");
        std::fflush(stderr);
    });
    QTimer done;
    done.setSingleShot(true);
    done.setInterval(int(duration * 1000));
    QObject::connect(&done, &QTimer::timeout, &monitor, [] { QCoreApplication::exit(0); });
    monitor.start();
    progress.start();
    done.start();
    QCoreApplication::exec();
    if (terminal)
        std::fprintf(stderr, "\n");
    const auto s = monitor.snapshotNow();
    monitor.stop();
    if (answered == 0) {
        std::fprintf(stderr, "fleetscope report: no target answered in %.0f s\n", duration);
        writeOutput(*s, out, exportOptions);
        return 1;
    }
    return writeOutput(*s, out, exportOptions);
}

bool reportNeedsGui(int argc, char **argv)
{
    for (int i = 0; i + 1 < argc; ++i) {
        if (std::strcmp(argv[i], "--out") == 0)
            return widgets::reportFormatNeedsGui(
                widgets::reportFormatFor(QString::fromLocal8Bit(argv[i + 1])));
    }
    return false;
}

namespace {

QtMessageHandler previousHandler = nullptr;

// The offscreen platform says that it cannot propagate size hints whenever a widget is laid out
// for a report; nothing a user can act on.
void quietOffscreen(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (message.startsWith(QLatin1String("This plugin does not support")))
        return;
    if (previousHandler)
        previousHandler(type, context, message);
}

} // namespace

void useOffscreenWithoutDisplay()
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") && qEnvironmentVariableIsEmpty("DISPLAY")
        && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    previousHandler = qInstallMessageHandler(quietOffscreen);
}

} // namespace fleetscope::app
