#pragma once

// The points the panel charts draw, computed per step from a region's raw windows (latency
// quantiles from consecutive bucket rows, ratios and cost from consecutive counter values,
// gauges as they are), and the decimation that fits them to a chart's pixel width. Pure
// functions over a FleetSnapshot; any thread; results are returned by value.

#include "analytics/pricing.h"
#include "snapshot/fleetsnapshot.h"

#include <QList>
#include <QPointF>
#include <QString>

#include <vector>

namespace fleetscope::widgets::chartdata {

// The time span the snapshot's settings ask for: [max(windowStart, time - windowSeconds), time].
struct TimeWindow
{
    double from = 0;
    double to = 0;
};
TimeWindow windowOf(const snapshot::FleetSnapshot &snapshot);

// x is milliseconds since the epoch (what QDateTimeAxis expects); steps without data are left
// out rather than drawn as zero.
QList<QPointF> latencyQuantileMs(const snapshot::RegionData &region, double q, TimeWindow w);
QList<QPointF> hitRatioPercent(const snapshot::RegionData &region, TimeWindow w);
QList<QPointF> gaugeValues(const snapshot::RegionData &region, const QString &key, TimeWindow w);
// Serverless cost per hour at each step's usage under `profile`; empty when it is null or a
// used meter is not priced in USD.
QList<QPointF> costUsdPerHour(const snapshot::RegionData &region,
                              const analytics::PricingProfile *profile, TimeWindow w);

// The profile the snapshot was priced with, from the compiled-in catalogue (or null).
const analytics::PricingProfile *pricingProfileOf(const snapshot::FleetSnapshot &snapshot);

// Largest-triangle-three-buckets: at most maxPoints points (first and last kept), preserving the
// visual shape of peaks and dips. Returns the input when it is already small enough.
QList<QPointF> decimate(const QList<QPointF> &points, int maxPoints);

// Round value-axis bounds around [lo, hi], ticks 1, 2 or 5 times a power of ten apart, about
// `ticks` of them (the loose labelling QValueAxis::applyNiceNumbers does, computed without laying
// the chart out for each intermediate range). Degenerate input gives 0..1.
struct NiceRange
{
    double min = 0;
    double max = 1;
    double step = 0.25;
    int ticks = 5;
};
NiceRange niceRange(double lo, double hi, int ticks);

// Regions to chart when none is selected: the worst `count` by the latency quantile at the
// snapshot's setting (no data last), ties by request rate. Codes, worst first.
QStringList topRegions(const snapshot::FleetSnapshot &snapshot, int count);

} // namespace fleetscope::widgets::chartdata
