#pragma once

// The dark palette FleetScope draws with when asked to (fleetscope --dark, for screenshots on a
// system without a dark theme), and the one the widget tests check the dark look with. Any thread
// may build one; it is a value.

#include <QPalette>

namespace fleetscope::widgets {

QPalette darkPalette();

} // namespace fleetscope::widgets
