#pragma once

// What usage costs under a pricing profile: per window, per invocation and per month (window
// scaled to 30 days, then included amounts, tiers and the base fee), and the always-on
// provisioned alternative. Pure functions over values; any thread. "Not priced" is nullopt,
// never 0.

#include "pricing.h"
#include "usage.h"

#include <QString>
#include <QStringList>

#include <optional>
#include <span>
#include <vector>

namespace fleetscope::analytics {

inline constexpr double secondsPerBillingMonth = 30.0 * 86400.0;
inline constexpr double hoursPerAlwaysOnMonth = 730.0; // data/README.md: hourly x 730 h

enum class LineStatus {
    Priced, // a confirmed USD rate
    Unconfirmed, // the profile's rate is null (not confirmed)
    OtherCurrency, // priced in another unit (Netlify credits), not USD
    NotMeasured, // FleetScope has no usage for this meter (storage, instance hours, ...)
};

// One meter of the profile.
struct CostLine
{
    QString meter;
    QString unit;
    LineStatus status = LineStatus::NotMeasured;
    double quantity = noData; // in the window, meter units
    double monthlyQuantity = noData; // scaled to 30 days
    double billableMonthly = noData; // after the included amount
    std::optional<double> windowUsd; // quantity / per x price
    std::optional<double> monthlyUsd; // billable through tiers or per x price; 0 when none
};

struct CostEstimate
{
    QString profileId;
    double windowSeconds = noData;
    std::vector<CostLine> lines; // one per meter of the profile, in its order
    // Sum of the lines; nullopt when no meter is measured or a used meter has no USD price.
    std::optional<double> windowUsd;
    std::optional<double> perInvocationUsd; // windowUsd / invocations (needs invocations > 0)
    std::optional<double> perMillionInvocationsUsd;
    // Base fee + monthly lines; nullopt when no meter is measured, the window is unknown, or a
    // meter billable beyond its included amount has no USD price.
    std::optional<double> monthlyUsd;
    std::optional<double> baseFeeUsd;
    QStringList notPriced; // the meters that made a figure above "not priced"
    bool complete() const { return notPriced.isEmpty() && windowUsd.has_value(); }
};

// `region` selects the profile's regional price overrides when it has some for that code.
CostEstimate estimateCost(const PricingProfile &profile, const Usage &usage,
                          QStringView region = {});

// estimateCost(profile, usage, region).windowUsd alone, without building the per-meter lines.
std::optional<double> windowCostUsd(const PricingProfile &profile, const Usage &usage,
                                    QStringView region = {});

// windowCostUsd for many windows of one region (a chart's steps): meter names, regional
// overrides and prices resolved once. Holds no reference to the profile.
class WindowPricer
{
public:
    explicit WindowPricer(const PricingProfile &profile, QStringView region = {});
    std::optional<double> operator()(const Usage &usage) const;

private:
    struct Line
    {
        MeterKind kind;
        bool priced; // a USD price per `per` units
        double per;
        double price;
    };
    std::vector<Line> m_lines;
};

// The cost of `units` (after included amounts) through volume tiers given in unit prices.
double tieredCost(double units, std::span<const PriceTier> tiers);

// Always-on instances for a comparison: every region keeps at least one, and enough for its peak
// (ceil). NaN peaks count as one.
int alwaysOnInstances(std::span<const double> peakInstancesPerRegion);

struct ProvisionedEstimate
{
    QString profileId;
    double hourlyUsd = 0;
    double hoursPerMonth = hoursPerAlwaysOnMonth;
    int instances = 0;
    double monthlyUsd = 0; // hourly x hours x instances
};

// From a provisioned-baseline profile's instance_hours meter; nullopt when it has no priced one.
std::optional<ProvisionedEstimate> provisionedAlternative(const PricingProfile &baseline,
                                                          int instances);

struct ScaleToZeroComparison
{
    std::optional<double> serverlessMonthlyUsd;
    double provisionedMonthlyUsd = 0;
    // provisioned - serverless: what running serverless (scaling to zero) saves each month;
    // negative when always-on would be cheaper; nullopt when serverless is not priced.
    std::optional<double> savingsUsd;
};

ScaleToZeroComparison compareWithProvisioned(const CostEstimate &serverless,
                                             const ProvisionedEstimate &provisioned);

} // namespace fleetscope::analytics
