#pragma once

// The fleetscope.fleet logging category (fleet files and the reference catalogues).

#include <QLoggingCategory>

namespace fleetscope::fleet {
Q_DECLARE_LOGGING_CATEGORY(lcFleet)
} // namespace fleetscope::fleet
