#pragma once

// Pricing profiles (resources/data/pricing-profiles.json, see data/README.md) as plain values,
// parsed from a JSON byte buffer. No I/O; any thread; the caller owns the returned values.

#include <QAnyStringView>
#include <QByteArray>
#include <QHash>
#include <QString>

#include <optional>
#include <span>
#include <vector>

namespace fleetscope::analytics {

// A volume tier: units from `from` up to `to` (open when nullopt) cost `unitPrice` each.
struct PriceTier
{
    double from = 0;
    std::optional<double> to;
    double unitPrice = 0;
};

// One billable quantity. A null price (or per) in the file is an unconfirmed rate: nullopt.
struct Meter
{
    QString name; // shared meter name: requests, cpu_ms, wall_clock_gb_seconds, kv_reads, ...
    std::optional<double> price; // per `per` units, in `currency`
    std::optional<double> per;
    QString unit;
    QString currency; // the meter's unit_currency, else the profile's (e.g. USD, credits)
    std::optional<double> included; // free amount per includedPeriod
    QString includedPeriod; // "month" in the shipped data
    std::vector<PriceTier> tiers; // volume tiers in unit prices, when the file lists them
    QString note;

    bool hasConfirmedPrice() const { return price && per && *per > 0; }
    bool pricedInUsd() const { return hasConfirmedPrice() && currency == u"USD"; }
};

struct PricingProfile
{
    QString id;
    QString name;
    QString vendor;
    QString category; // edge-compute, edge-kv, ..., provisioned-baseline
    QString currency;
    QString region;
    std::optional<double> baseFeeUsd; // monthly; nullopt when the profile has none or null
    QString baseFeeUnit;
    std::vector<Meter> meters;
    // region code -> meter name -> price replacing Meter::price there (Vercel's overrides)
    QHash<QString, QHash<QString, double>> regionalOverrides;
    std::optional<double> monthlyHoursAssumed; // provisioned baselines: 730
    QString sourceUrl;
    QString asOf;
    QString sourceQuality;
    bool deprecated = false;

    const Meter *meter(QAnyStringView name) const;
    bool isProvisionedBaseline() const { return category == u"provisioned-baseline"; }
};

struct PricingParseResult
{
    std::vector<PricingProfile> profiles;
    QString error; // empty on success; names the profile and field otherwise
    bool ok() const { return error.isEmpty(); }
};

// The whole array or an error; unknown fields are ignored, wrong types are errors.
PricingParseResult parsePricingProfiles(const QByteArray &json);

const PricingProfile *findProfile(std::span<const PricingProfile> profiles, QAnyStringView id);

} // namespace fleetscope::analytics
