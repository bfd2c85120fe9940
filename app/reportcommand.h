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

// argv holds the arguments after "report". Needs a QCoreApplication, and a QApplication when the
// output is drawn (.pdf .png .html). Returns the exit code.
int runReport(int argc, char **argv, const DemoFleetFactory &demoFactory);

// Whether the arguments after "report" ask for a drawn format (then main creates a QApplication).
bool reportNeedsGui(int argc, char **argv);
// Before a QApplication exists: without a display and without QT_QPA_PLATFORM, draw offscreen.
void useOffscreenWithoutDisplay();

} // namespace fleetscope::app
