#pragma once

// Canonical text forms of parsed samples, for `check-metrics --dump`, tests and diffs against
// other parsers. Pure functions; any thread.

#include "exposition/exposition.h"

#include <string>
#include <string_view>

namespace fleetscope::exposition {

// Shortest text that reads back to the same double; "NaN", "+Inf", "-Inf"; never locale-bound.
std::string formatValue(double value);
void appendValue(std::string &out, double value);

// `name{a="x",b="y"} value[ timestampMs]`: labels sorted by name, values escaped as in the
// text format (\\, \", \n), numbers as formatValue, no trailing newline.
void appendCanonicalSample(std::string &out, const Exposition &exposition, const Sample &sample);

// Every kept sample of `exposition`, one canonical line each, in the order written.
std::string canonicalDump(const Exposition &exposition);

// For error messages: at most `maxBytes` of untrusted bytes between double quotes, with
// quotes, backslashes, control and non-ASCII bytes escaped (\xNN), and "..." when cut short.
std::string quoteUntrusted(std::string_view bytes, std::size_t maxBytes = 40);

} // namespace fleetscope::exposition
