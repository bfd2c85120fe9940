#pragma once

// `fleetscope check-metrics`: validates exposition text from files or stdin, like
// `promtool check metrics`. Runs on the calling thread; needs no display.

namespace fleetscope::app {

// argv holds the arguments after "check-metrics". Returns the process exit code:
// 0 valid, 1 invalid ("[FILE:]LINE:COL: message" on stderr), 2 usage or I/O error.
int runCheckMetrics(int argc, char **argv);

} // namespace fleetscope::app
