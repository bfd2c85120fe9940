#pragma once

// The simulator's logging category, "fleetscope.sim".

#include <QLoggingCategory>

namespace fleetscope::sim {
Q_DECLARE_LOGGING_CATEGORY(lcSim)
} // namespace fleetscope::sim
