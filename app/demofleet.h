#pragma once

// The embedded demo fleet for `fleetscope --demo` and `report --demo`: fleetsim's demo defaults
// (24 nodes in 13 regions on every inhabited continent) served in this process on 127.0.0.1,
// with simulated time sped up so day and night, scale-to-zero and bursts show within minutes.
// The simulator runs on its own thread; the returned keepAlive object stops it when destroyed.

#include "reportcommand.h"

namespace fleetscope::app {

inline constexpr double kDemoTimeScale = 120; // two simulated hours a real minute

std::optional<DemoFleet> startDemoFleet(QString *error);

} // namespace fleetscope::app
