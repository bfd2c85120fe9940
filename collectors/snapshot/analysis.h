#pragma once

// Fills a FleetSnapshot's figures from its raw windows and settings: quantiles, rates, ratios,
// lag, cost and the speed-of-light floor. Runs again on a reopened snapshot when the user picks
// another quantile, window, pricing profile or vantage point. Pure functions; any thread.

#include "analytics/pricing.h"
#include "snapshot/fleetsnapshot.h"

#include <span>
#include <vector>

namespace fleetscope::snapshot {

// The pricing profiles compiled into FleetScope (resources/data/pricing-profiles.json), parsed
// once; empty if the resource is missing or damaged (then every cost reads "not priced").
const std::vector<analytics::PricingProfile> &pricingCatalogue();

inline constexpr const char *kDefaultPricingProfile = "cloudflare-workers-standard";
inline constexpr const char *kDefaultBaselineProfile = "aws-ec2-t3-large-us-east-1";

// Recomputes every region's figures for snapshot.settings. Windows shorter than the stored one
// use the newest points only.
void analyse(FleetSnapshot &snapshot,
             std::span<const analytics::PricingProfile> profiles = pricingCatalogue());

// The q-quantile (0..1) in milliseconds of one histogram window over [from, to].
double quantileMs(const HistogramWindow &h, double q, double from, double to);
// The same between two of the window's ticks, by index (first < last < h.times.size()); for
// callers stepping through the window, which would otherwise search it at every step.
double quantileMsBetween(const HistogramWindow &h, double q, std::size_t first, std::size_t last);

// Increase of a reset-corrected cumulative series over [from, to] (last minus first point),
// and the seconds between those points; NaN when fewer than two points fall inside.
struct Increase
{
    double value = kNaN;
    double seconds = kNaN;
};
Increase increaseOver(const Series &series, double from, double to);

} // namespace fleetscope::snapshot
