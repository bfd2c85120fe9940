#pragma once

// SLO status: each headline figure against a warning and a breach level, classified ok /
// warning / breach (or no data). Plain values with defaults a fleet file may override; pure
// functions; any thread.

#include "series.h"

namespace fleetscope::analytics {

enum class SloStatus { NoData, Ok, Warning, Breach };

// Upper limits are breached above, lower limits below; a value exactly at a level is on the
// better side of it. A NaN breach level turns the check off (NoData), for thresholds a fleet
// file leaves unset.
struct SloLimit
{
    enum class Kind { Upper, Lower };
    Kind kind = Kind::Upper;
    double warning = 0;
    double breach = 0;
};

// An upper limit warning from `warningFraction` of the breach level (0.8: 400 of 500 ms).
SloLimit upperLimit(double breach, double warningFraction = 0.8);
SloLimit lowerLimit(double breach, double warning);

// A lower limit on a ratio, warning halfway between the breach level and 1 (0.9: from 0.95).
SloLimit lowerRatioLimit(double breach);

// Defaults: the breach levels of FleetSnapshot's Slo defaults; warnings 80% of the way there
// for upper limits, halfway to 1 for the hit ratio.
struct SloThresholds
{
    SloLimit p95LatencyMs = upperLimit(250); // warning above 200 ms
    SloLimit hitRatio = lowerRatioLimit(0.9); // warning below 0.95
    SloLimit replicaLagSeconds = upperLimit(5); // warning above 4 s
    SloLimit costPerMillionInvocationsUsd = upperLimit(2); // warning above 1.60 USD
};

SloStatus classify(double value, const SloLimit &limit);

// NaN means no data for that figure.
struct SloInputs
{
    double p95LatencyMs = noData;
    double hitRatio = noData;
    double replicaLagSeconds = noData;
    double costPerMillionInvocationsUsd = noData;
};

struct SloReport
{
    SloStatus p95Latency = SloStatus::NoData;
    SloStatus hitRatio = SloStatus::NoData;
    SloStatus replicaLag = SloStatus::NoData;
    SloStatus cost = SloStatus::NoData;
    SloStatus overall = SloStatus::NoData; // the worst of the four; NoData only if all are
};

SloReport evaluateSlo(const SloInputs &inputs, const SloThresholds &thresholds = {});

} // namespace fleetscope::analytics
