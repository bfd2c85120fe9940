#pragma once

// Number grammars of the two text formats, checked before std::from_chars converts: never
// strtod or QString::toDouble (locale, hex floats). Pure functions; any thread.

#include <cstdint>
#include <string_view>

namespace fleetscope::exposition::detail {

enum class NumberResult : std::uint8_t { Ok, Invalid, OutOfRange };

// A sample value: [sign] decimal [exponent], [sign] Inf/Infinity, NaN (case-insensitive), as Go's
// strconv.ParseFloat reads them for Prometheus (no hex, no '_'), and as OpenMetrics' `number`.
// A finite number too large for a double is OutOfRange; one too small reads as (signed) zero.
NumberResult parseNumber(std::string_view text, double &out);

// OpenMetrics `realnumber` (timestamps): a decimal number, no Inf or NaN.
NumberResult parseRealNumber(std::string_view text, double &out);

// 0.0.4 timestamp: one or more decimal digits fitting a signed 64-bit integer (milliseconds).
NumberResult parseMillis(std::string_view text, std::int64_t &out);

} // namespace fleetscope::exposition::detail
