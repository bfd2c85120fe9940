// fleetscope: entry point. Dispatches to the command-line tools; the dashboard GUI arrives with
// the dashboard issue.

#include "checkmetrics.h"
#include "demofleet.h"
#include "reportcommand.h"

#include <QCoreApplication>
#include <QLoggingCategory>

#include <cstdio>
#include <cstring>

namespace {

constexpr const char *kHelp = R"(usage: fleetscope COMMAND [ARGS...]

Commands:
  check-metrics [FILE...]  validate Prometheus 0.0.4 / OpenMetrics 1.0 exposition text
                           (see 'fleetscope check-metrics --help')
  report --fleet F|--open S --out FILE
                           collect from a fleet without a display and write a snapshot
                           (.json) or CSV (see 'fleetscope report --help')

Options:
  --version                print the version
  -h, --help               show this help

The dashboard (fleetscope, --demo, --fleet, --open, --prometheus) is not built yet in this
version.
)";

fleetscope::app::DemoFleetFactory demoFleet()
{
    return &fleetscope::app::startDemoFleet;
}

} // namespace

int main(int argc, char **argv)
{
    if (argc >= 2 && std::strcmp(argv[1], "check-metrics") == 0)
        return fleetscope::app::runCheckMetrics(argc - 2, argv + 2);
    if (argc >= 2 && std::strcmp(argv[1], "report") == 0) {
        QCoreApplication app(argc, argv);
        // Progress goes to stderr; the collectors' debug chatter does not.
        QLoggingCategory::setFilterRules(QStringLiteral("fleetscope.*.debug=false\nfleetscope.*.info=false"));
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
        return 0;
    }
    if (argc < 2) {
        std::fputs("fleetscope: the dashboard is not built yet; this version offers "
                   "'fleetscope check-metrics'.\n",
                   stderr);
        std::fputs(kHelp, stderr);
        return 2;
    }
    std::fprintf(stderr, "fleetscope: unknown command or option '%s'\n", argv[1]);
    std::fputs("Try 'fleetscope --help'.\n", stderr);
    return 2;
}
