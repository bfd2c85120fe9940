#pragma once

// Replay: the fleet as it was at an instant inside a snapshot's stored window. The snapshot keeps
// its raw windows, so the state at t is the same snapshot with every series cut at t and analysed
// again. Pure functions; any thread.

#include "analytics/pricing.h"
#include "snapshot/analysis.h"
#include "snapshot/fleetsnapshot.h"

#include <span>

namespace fleetscope::snapshot {

// The earliest and latest instants a replay can show: [windowStart, time] (windowStart is taken
// as time when it is missing, later than time or not finite).
double replayStart(const FleetSnapshot &snapshot);

// `snapshot` as it was at `t`: every histogram window, counter and gauge cut to its points at or
// before t, time = t, figures recomputed with the snapshot's own settings. t is clamped to
// [replayStart, time] (NaN reads as the end); at the end nothing is cut, so the figures are the
// snapshot's own. Node counts and
// target rows are what the snapshot recorded (the file keeps no history of them).
FleetSnapshot snapshotAt(const FleetSnapshot &snapshot, double t,
                         std::span<const analytics::PricingProfile> profiles = pricingCatalogue());

} // namespace fleetscope::snapshot
