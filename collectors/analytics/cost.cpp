#include "cost.h"

#include <algorithm>
#include <cmath>

namespace fleetscope::analytics {

namespace {

// The free amount per 30-day month, when the profile gives one in a period we can convert.
double includedPerMonth(const Meter &m)
{
    if (!m.included)
        return 0;
    if (m.includedPeriod.isEmpty() || m.includedPeriod == u"month")
        return *m.included;
    if (m.includedPeriod == u"day")
        return *m.included * 30;
    return 0; // an unknown period grants nothing rather than guessing
}

using Overrides = QHash<QString, QHash<QString, double>>::const_iterator;

// The meter's list price, or the profile's regional override of it.
std::optional<double> priceOf(const PricingProfile &profile, Overrides overrides, const Meter &m)
{
    if (overrides != profile.regionalOverrides.constEnd()) {
        const auto o = overrides->constFind(m.name);
        if (o != overrides->constEnd())
            return *o;
    }
    return m.price;
}

bool pricedInUsd(const Meter &m, const std::optional<double> &price)
{
    return price && m.per && *m.per > 0 && m.currency == u"USD";
}

} // namespace

double tieredCost(double units, std::span<const PriceTier> tiers)
{
    double cost = 0;
    for (const PriceTier &t : tiers) {
        const double upper = t.to ? std::min(units, *t.to) : units;
        if (upper > t.from)
            cost += (upper - t.from) * t.unitPrice;
    }
    return cost;
}

CostEstimate estimateCost(const PricingProfile &profile, const Usage &usage, QStringView region)
{
    CostEstimate e;
    e.profileId = profile.id;
    e.windowSeconds = usage.windowSeconds;
    e.baseFeeUsd = profile.baseFeeUsd;
    const bool haveWindow = usage.windowSeconds > 0;
    const double toMonth = haveWindow ? secondsPerBillingMonth / usage.windowSeconds : noData;
    const auto overrides = profile.regionalOverrides.constFind(region.toString());

    double windowSum = 0;
    double monthlySum = 0;
    bool anyMeasured = false;
    bool windowBlocked = false; // a used meter has no USD price
    bool monthlyBlocked = false; // a meter billable beyond its included amount has none
    for (const Meter &m : profile.meters) {
        CostLine line;
        line.meter = m.name;
        line.unit = m.unit;
        const std::optional<double> price = priceOf(profile, overrides, m);
        const std::optional<double> quantity = meterQuantity(usage, m.name);
        if (!quantity) {
            e.lines.push_back(line);
            continue;
        }
        anyMeasured = true;
        line.quantity = *quantity;
        if (haveWindow) {
            line.monthlyQuantity = *quantity * toMonth;
            line.billableMonthly = std::max(0.0, line.monthlyQuantity - includedPerMonth(m));
        }
        if (pricedInUsd(m, price))
            line.status = LineStatus::Priced;
        else if (!(price && m.per && *m.per > 0))
            line.status = LineStatus::Unconfirmed;
        else
            line.status = LineStatus::OtherCurrency;

        if (line.status == LineStatus::Priced) {
            line.windowUsd = *quantity / *m.per * *price;
            if (haveWindow) {
                // Tiers replace the flat rate, except where a regional override set the price.
                const bool useTiers = !m.tiers.empty() && price == m.price;
                line.monthlyUsd = useTiers ? tieredCost(line.billableMonthly, m.tiers)
                                           : line.billableMonthly / *m.per * *price;
            }
        } else {
            // Nothing used (or nothing beyond the included amount) costs nothing at any rate.
            if (*quantity == 0)
                line.windowUsd = 0;
            if (haveWindow && line.billableMonthly == 0)
                line.monthlyUsd = 0;
        }
        const bool windowMissing = !line.windowUsd;
        const bool monthlyMissing = haveWindow && !line.monthlyUsd;
        if (windowMissing || monthlyMissing)
            e.notPriced.push_back(m.name);
        windowBlocked = windowBlocked || windowMissing;
        monthlyBlocked = monthlyBlocked || monthlyMissing;
        windowSum += line.windowUsd.value_or(0);
        monthlySum += line.monthlyUsd.value_or(0);
        e.lines.push_back(line);
    }

    if (anyMeasured && !windowBlocked) {
        e.windowUsd = windowSum;
        if (usage.invocations > 0) {
            e.perInvocationUsd = windowSum / usage.invocations;
            e.perMillionInvocationsUsd = *e.perInvocationUsd * 1e6;
        }
    }
    // The base fee alone is no estimate of the usage: a month needs a measured meter.
    if (anyMeasured && haveWindow && !monthlyBlocked)
        e.monthlyUsd = monthlySum + profile.baseFeeUsd.value_or(0);
    return e;
}

int alwaysOnInstances(std::span<const double> peakInstancesPerRegion)
{
    int total = 0;
    for (double peak : peakInstancesPerRegion)
        total += std::isnan(peak) ? 1 : std::max(1, int(std::ceil(peak)));
    return total;
}

std::optional<ProvisionedEstimate> provisionedAlternative(const PricingProfile &baseline,
                                                          int instances)
{
    const Meter *m = baseline.meter(u"instance_hours");
    if (!m || !m->pricedInUsd())
        return std::nullopt;
    ProvisionedEstimate p;
    p.profileId = baseline.id;
    p.hourlyUsd = *m->price / *m->per;
    p.hoursPerMonth = baseline.monthlyHoursAssumed.value_or(hoursPerAlwaysOnMonth);
    p.instances = instances;
    p.monthlyUsd = p.hourlyUsd * p.hoursPerMonth * instances;
    return p;
}

ScaleToZeroComparison compareWithProvisioned(const CostEstimate &serverless,
                                             const ProvisionedEstimate &provisioned)
{
    ScaleToZeroComparison c;
    c.serverlessMonthlyUsd = serverless.monthlyUsd;
    c.provisionedMonthlyUsd = provisioned.monthlyUsd;
    if (serverless.monthlyUsd)
        c.savingsUsd = provisioned.monthlyUsd - *serverless.monthlyUsd;
    return c;
}

WindowPricer::WindowPricer(const PricingProfile &profile, QStringView region)
{
    const auto overrides = profile.regionalOverrides.constFind(region.toString());
    m_lines.reserve(profile.meters.size());
    for (const Meter &m : profile.meters) {
        const std::optional<double> price = priceOf(profile, overrides, m);
        const bool priced = pricedInUsd(m, price);
        m_lines.push_back({ meterKind(m.name), priced, priced ? *m.per : 0, priced ? *price : 0 });
    }
}

std::optional<double> WindowPricer::operator()(const Usage &usage) const
{
    double sum = 0;
    bool anyMeasured = false;
    for (const Line &line : m_lines) {
        const std::optional<double> quantity = meterQuantity(usage, line.kind);
        if (!quantity)
            continue;
        anyMeasured = true;
        if (line.priced)
            sum += *quantity / line.per * line.price;
        else if (*quantity != 0)
            return std::nullopt; // used, and no USD price for it
    }
    if (!anyMeasured)
        return std::nullopt;
    return sum;
}

std::optional<double> windowCostUsd(const PricingProfile &profile, const Usage &usage,
                                    QStringView region)
{
    return WindowPricer(profile, region)(usage);
}

} // namespace fleetscope::analytics
