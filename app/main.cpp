// fleetscope: entry point. Dispatches to the command-line tools; the dashboard GUI arrives with
// the dashboard issue.

#include "checkmetrics.h"

#include <cstdio>
#include <cstring>

namespace {

constexpr const char *kHelp = R"(usage: fleetscope COMMAND [ARGS...]

Commands:
  check-metrics [FILE...]  validate Prometheus 0.0.4 / OpenMetrics 1.0 exposition text
                           (see 'fleetscope check-metrics --help')

Options:
  --version                print the version
  -h, --help               show this help

The dashboard (fleetscope, --demo, --fleet, --open, --prometheus) and headless reports
(fleetscope report) are not built yet in this version.
)";

} // namespace

int main(int argc, char **argv)
{
    if (argc >= 2 && std::strcmp(argv[1], "check-metrics") == 0)
        return fleetscope::app::runCheckMetrics(argc - 2, argv + 2);
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
