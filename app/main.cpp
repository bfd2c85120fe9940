// fleetscope: entry point. Dispatches to the command-line tools; the dashboard GUI arrives with
// the dashboard issue.

#include "checkmetrics.h"
#include "common/palettes.h"
#include "demofleet.h"
#include "guiapp.h"
#include "prometheusoptions.h"
#include "reportcommand.h"
#include "window/dashboardwindow.h"

#include <QApplication>
#include <QTimer>

#include <QCoreApplication>
#include <QLoggingCategory>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string_view>

namespace {

constexpr const char *kHelp = R"(usage: fleetscope COMMAND [ARGS...]

  fleetscope [--demo | --fleet FILE | --prometheus URL [--fleet FILE] | --open SNAPSHOT]
                           the dashboard: the start page, the demo fleet, a fleet file,
                           a Prometheus-compatible server or a saved snapshot (with a
                           time slider that replays its stored window)
  fleetscope --compare BEFORE AFTER
                           compare two saved snapshots (before and after a deploy):
                           per-region latency quantiles, cache hit ratio, replica lag
                           and cost per invocation, with deltas and percent changes

Commands:
  check-metrics [FILE...]  validate Prometheus 0.0.4 / OpenMetrics 1.0 exposition text
                           (see 'fleetscope check-metrics --help')
  report --demo|--fleet F|--prometheus U|--open S --out FILE
                           collect from a fleet without a display and write a report:
                           .pdf .png .csv .html or .json (see 'fleetscope report --help')
  report --compare BEFORE AFTER --out FILE
                           write the comparison of two snapshots: .csv .html or .pdf

Options:
  --version                print the version
  -h, --help               show this help

Prometheus source options (GUI and report):
)";

fleetscope::app::DemoFleetFactory demoFleet()
{
    return &fleetscope::app::startDemoFleet;
}

// The desktop application: the start page, or what --demo, --fleet or --open name.
int runGui(int argc, char **argv)
{
    QString fleet, open, screenshot, compareBefore, compareAfter;
    double screenshotDelay = 20;
    QSize screenshotSize(1280, 800);
    bool dark = false;
    bool demo = false;
    fleetscope::app::PrometheusArguments prometheus;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "--demo") {
            demo = true;
        } else if (arg == "--fleet" && i + 1 < argc) {
            fleet = QString::fromLocal8Bit(argv[++i]);
        } else if (arg == "--open" && i + 1 < argc) {
            open = QString::fromLocal8Bit(argv[++i]);
        } else if (arg == "--compare" && i + 2 < argc) {
            compareBefore = QString::fromLocal8Bit(argv[++i]);
            compareAfter = QString::fromLocal8Bit(argv[++i]);
        } else if (arg == "--compare") {
            std::fputs("fleetscope: --compare needs two snapshot files: BEFORE AFTER\n", stderr);
            return 2;
        } else if (arg == "--screenshot" && i + 1 < argc) {
            // For documentation and reviews: grab the window after a delay, save a PNG, quit.
            screenshot = QString::fromLocal8Bit(argv[++i]);
        } else if (arg == "--screenshot-delay" && i + 1 < argc) {
            screenshotDelay = std::atof(argv[++i]);
        } else if (arg == "--screenshot-size" && i + 1 < argc) {
            int w = 0, h = 0;
            if (std::sscanf(argv[++i], "%dx%d", &w, &h) == 2 && w > 200 && h > 200)
                screenshotSize = QSize(w, h);
        } else if (arg == "--dark") {
            dark = true;
        } else if (QString error; prometheus.take(
                       QString::fromLocal8Bit(argv[i]),
                       [&](QString *into) {
                           if (i + 1 >= argc)
                               return false;
                           *into = QString::fromLocal8Bit(argv[++i]);
                           return true;
                       },
                       &error)) {
            if (!error.isEmpty()) {
                std::fprintf(stderr, "fleetscope: %s\n", qPrintable(error));
                return 2;
            }
        } else {
            std::fprintf(stderr,
                         "fleetscope: unknown command or option '%s'\nTry 'fleetscope --help'.\n",
                         argv[i]);
            return 2;
        }
    }
    const bool fromPrometheus = !prometheus.url.isEmpty();
    if (int(demo) + int(!fleet.isEmpty() && !fromPrometheus) + int(fromPrometheus)
            + int(!open.isEmpty()) + int(!compareBefore.isEmpty())
        > 1) {
        std::fputs("fleetscope: give at most one of --demo, --fleet FILE, --prometheus URL "
                   "[--fleet FILE], --open SNAPSHOT and --compare BEFORE AFTER\n",
                   stderr);
        return 2;
    }
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("FleetScope"));
    QApplication::setOrganizationName(QStringLiteral("FleetScope"));
    QApplication::setApplicationVersion(QStringLiteral(FLEETSCOPE_VERSION));
    if (qEnvironmentVariableIsEmpty("FLEETSCOPE_DEBUG"))
        QLoggingCategory::setFilterRules(
            QStringLiteral("fleetscope.*.debug=false\nfleetscope.*.info=false"));
    if (dark) {
        // A dark palette for screenshots on systems without a dark theme.
        QApplication::setStyle(QStringLiteral("Fusion"));
        QApplication::setPalette(fleetscope::widgets::darkPalette());
    }
    fleetscope::app::GuiApp gui;
    gui.window()->resize(screenshot.isEmpty() ? QSize(1280, 800) : screenshotSize);
    if (!compareBefore.isEmpty()) {
        // The comparison on its own; the dashboard only if the files cannot be read.
        if (gui.openComparison(compareBefore, compareAfter))
            return QApplication::exec();
        gui.window()->show();
        gui.window()->showStartPage();
        return QApplication::exec();
    }
    gui.window()->show();
    if (!screenshot.isEmpty()) {
        QTimer::singleShot(int(screenshotDelay * 1000), gui.window(), [&gui, screenshot] {
            const bool saved = gui.window()->grab().save(screenshot);
            std::fprintf(stderr, "fleetscope: %s %s\n", saved ? "saved" : "could not save",
                         qPrintable(screenshot));
            QApplication::exit(saved ? 0 : 1);
        });
    }
    bool ok = true;
    if (demo)
        ok = gui.startDemo();
    else if (fromPrometheus)
        ok = gui.openPrometheus(prometheus, fleet);
    else if (!fleet.isEmpty())
        ok = gui.openFleet(fleet);
    else if (!open.isEmpty())
        ok = gui.openSnapshot(open);
    if (!ok)
        gui.window()->showStartPage();
    return QApplication::exec();
}

} // namespace

int main(int argc, char **argv)
{
    if (argc >= 2 && std::strcmp(argv[1], "check-metrics") == 0)
        return fleetscope::app::runCheckMetrics(argc - 2, argv + 2);
    if (argc >= 2 && std::strcmp(argv[1], "report") == 0) {
        // PDF, PNG and HTML reports draw the dashboard's widgets: they need a QApplication, and
        // on a machine without a display the offscreen platform.
        std::unique_ptr<QCoreApplication> app;
        if (fleetscope::app::reportNeedsGui(argc - 2, argv + 2)) {
            fleetscope::app::useOffscreenWithoutDisplay();
            app = std::make_unique<QApplication>(argc, argv);
        } else {
            app = std::make_unique<QCoreApplication>(argc, argv);
        }
        // Progress goes to stderr; the collectors' debug chatter does not.
        QLoggingCategory::setFilterRules(
            QStringLiteral("fleetscope.*.debug=false\nfleetscope.*.info=false"));
        QCoreApplication::setApplicationName(QStringLiteral("fleetscope"));
        QCoreApplication::setApplicationVersion(QStringLiteral(FLEETSCOPE_VERSION));
        return fleetscope::app::runReport(argc - 2, argv + 2, demoFleet());
    }
    if (argc >= 2 && std::strcmp(argv[1], "--version") == 0) {
        std::printf("fleetscope %s\n", FLEETSCOPE_VERSION);
        return 0;
    }
    if (argc >= 2 && (std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0)) {
        std::fputs(kHelp, stdout);
        std::fputs(fleetscope::app::kPrometheusOptionsHelp, stdout);
        return 0;
    }
    return runGui(argc, argv);
}
