#include "slo.h"

#include <algorithm>
#include <cmath>

namespace fleetscope::analytics {

SloLimit upperLimit(double breach, double warningFraction)
{
    return { SloLimit::Kind::Upper, breach * warningFraction, breach };
}

SloLimit lowerLimit(double breach, double warning)
{
    return { SloLimit::Kind::Lower, warning, breach };
}

SloLimit lowerRatioLimit(double breach)
{
    return lowerLimit(breach, breach + (1 - breach) / 2);
}

SloStatus classify(double value, const SloLimit &limit)
{
    if (std::isnan(value) || std::isnan(limit.breach))
        return SloStatus::NoData;
    if (limit.kind == SloLimit::Kind::Upper) {
        if (value > limit.breach)
            return SloStatus::Breach;
        return value > limit.warning ? SloStatus::Warning : SloStatus::Ok;
    }
    if (value < limit.breach)
        return SloStatus::Breach;
    return value < limit.warning ? SloStatus::Warning : SloStatus::Ok;
}

SloReport evaluateSlo(const SloInputs &in, const SloThresholds &t)
{
    SloReport r;
    r.p95Latency = classify(in.p95LatencyMs, t.p95LatencyMs);
    r.hitRatio = classify(in.hitRatio, t.hitRatio);
    r.replicaLag = classify(in.replicaLagSeconds, t.replicaLagSeconds);
    r.cost = classify(in.costPerMillionInvocationsUsd, t.costPerMillionInvocationsUsd);
    // The enum is ordered from no data to breach, so the worst is the largest.
    r.overall = std::max({ r.p95Latency, r.hitRatio, r.replicaLag, r.cost });
    return r;
}

} // namespace fleetscope::analytics
