#include "logging.h"

namespace fleetscope::sim {
Q_LOGGING_CATEGORY(lcSim, "fleetscope.sim", QtInfoMsg)
} // namespace fleetscope::sim
