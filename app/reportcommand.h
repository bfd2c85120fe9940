#pragma once

// `fleetscope report`: collects from a fleet (or reopens a snapshot) without a display and
// writes the result. Runs an event loop on the calling (main) thread.

#include "fleet/fleet.h"

#include <QObject>
#include <QString>

#include <functional>
#include <memory>
#include <optional>

namespace fleetscope::app {

// The demo: a fleet description plus whatever must stay alive while it is scraped (the
// in-process simulator).
struct DemoFleet
{
    fleet::Fleet fleet;
    std::unique_ptr<QObject> keepAlive;
};
using DemoFleetFactory = std::function<std::optional<DemoFleet>(QString *error)>;

// argv holds the arguments after "report". Needs a QCoreApplication. Returns the exit code.
int runReport(int argc, char **argv, const DemoFleetFactory &demoFactory);

} // namespace fleetscope::app
