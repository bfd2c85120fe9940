#pragma once

// How figures read on screen and in reports: NaN is "no data" (never 0), milliseconds and
// seconds with sensible precision, ratios as percentages, money in USD with enough digits for a
// per-invocation price. Independent of the locale's decimal separator on purpose: figures are
// compared across machines and pasted into tickets. Pure functions; any thread.

#include <QString>

namespace fleetscope::widgets {

QString noData(); // "no data"
QString formatMs(double ms); // "0.42 ms", "87 ms", "1.25 s"
QString formatSeconds(double s); // "0.8 s", "42 s", "3 min 5 s", "2 h 10 min"
QString formatPercent(double ratio, int decimals = 1); // 0.934 -> "93.4%"
QString formatUsd(double usd); // "$0.00000035", "$0.35", "$1,204"
QString formatRate(double perSecond); // "1.2k/s", "35/s", "0.4/s"
QString formatCount(double n); // "12", "1.2k", "3.4M"

} // namespace fleetscope::widgets
