#include "pricing.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

namespace fleetscope::analytics {

namespace {

struct Failure
{
    QString message;
};

// A number, or nullopt for null or a missing key; anything else is an error.
std::optional<double> optionalNumber(const QJsonObject &o, QLatin1String key, const QString &where)
{
    const QJsonValue v = o.value(key);
    if (v.isUndefined() || v.isNull())
        return std::nullopt;
    if (!v.isDouble())
        throw Failure { QStringLiteral("%1: \"%2\" must be a number or null").arg(where, key) };
    return v.toDouble();
}

QString optionalString(const QJsonObject &o, QLatin1String key, const QString &where)
{
    const QJsonValue v = o.value(key);
    if (v.isUndefined() || v.isNull())
        return {};
    if (!v.isString())
        throw Failure { QStringLiteral("%1: \"%2\" must be a string").arg(where, key) };
    return v.toString();
}

// Tier objects name their fields after the unit (from_gb_s, to_gb_s, price_usd_per_gb_s).
PriceTier parseTier(const QJsonObject &o, const QString &where)
{
    PriceTier tier;
    bool haveFrom = false;
    bool havePrice = false;
    for (auto it = o.begin(); it != o.end(); ++it) {
        const QString key = it.key();
        const QJsonValue v = it.value();
        const auto number = [&]() {
            if (!v.isDouble())
                throw Failure { QStringLiteral("%1: \"%2\" must be a number").arg(where, key) };
            return v.toDouble();
        };
        if (key.startsWith(u"from_")) {
            tier.from = number();
            haveFrom = true;
        } else if (key.startsWith(u"to_")) {
            if (!v.isNull())
                tier.to = number();
        } else if (key.startsWith(u"price_usd_per_")) {
            tier.unitPrice = number();
            havePrice = true;
        }
    }
    if (!haveFrom || !havePrice)
        throw Failure { QStringLiteral("%1: a tier needs from_* and price_usd_per_*").arg(where) };
    return tier;
}

Meter parseMeter(const QJsonObject &o, const QString &profileCurrency, const QString &where)
{
    Meter m;
    m.name = optionalString(o, QLatin1String("meter"), where);
    if (m.name.isEmpty())
        throw Failure { QStringLiteral("%1: \"meter\" is missing").arg(where) };
    const QString at = QStringLiteral("%1 (%2)").arg(where, m.name);
    m.price = optionalNumber(o, QLatin1String("price_usd"), at);
    m.per = optionalNumber(o, QLatin1String("per"), at);
    m.unit = optionalString(o, QLatin1String("unit"), at);
    m.currency = optionalString(o, QLatin1String("unit_currency"), at);
    if (m.currency.isEmpty())
        m.currency = profileCurrency;
    m.included = optionalNumber(o, QLatin1String("included"), at);
    m.includedPeriod = optionalString(o, QLatin1String("included_period"), at);
    m.note = optionalString(o, QLatin1String("note"), at);
    const QJsonValue tiers = o.value(QLatin1String("tiers"));
    if (!tiers.isUndefined() && !tiers.isNull()) {
        if (!tiers.isArray())
            throw Failure { QStringLiteral("%1: \"tiers\" must be an array").arg(at) };
        const QJsonArray list = tiers.toArray();
        for (qsizetype i = 0; i < list.size(); ++i) {
            const QString tierWhere = QStringLiteral("%1 tier %2").arg(at).arg(i + 1);
            if (!list.at(i).isObject())
                throw Failure { QStringLiteral("%1: must be an object").arg(tierWhere) };
            m.tiers.push_back(parseTier(list.at(i).toObject(), tierWhere));
        }
    }
    return m;
}

PricingProfile parseProfile(const QJsonObject &o, const QString &where0)
{
    PricingProfile p;
    p.id = optionalString(o, QLatin1String("id"), where0);
    if (p.id.isEmpty())
        throw Failure { QStringLiteral("%1: \"id\" is missing").arg(where0) };
    const QString where = QStringLiteral("%1 (%2)").arg(where0, p.id);
    p.name = optionalString(o, QLatin1String("name"), where);
    p.vendor = optionalString(o, QLatin1String("vendor"), where);
    p.category = optionalString(o, QLatin1String("category"), where);
    p.currency = optionalString(o, QLatin1String("currency"), where);
    p.region = optionalString(o, QLatin1String("region"), where);
    p.sourceUrl = optionalString(o, QLatin1String("source_url"), where);
    p.asOf = optionalString(o, QLatin1String("as_of"), where);
    p.sourceQuality = optionalString(o, QLatin1String("source_quality"), where);
    p.deprecated = o.value(QLatin1String("deprecated")).toBool(false);
    p.monthlyHoursAssumed = optionalNumber(o, QLatin1String("monthly_hours_assumed"), where);

    const QJsonValue fee = o.value(QLatin1String("base_fee"));
    if (fee.isObject()) {
        const QString feeWhere = where + QStringLiteral(" base_fee");
        p.baseFeeUsd = optionalNumber(fee.toObject(), QLatin1String("price_usd"), feeWhere);
        p.baseFeeUnit = optionalString(fee.toObject(), QLatin1String("unit"), feeWhere);
    } else if (!fee.isUndefined() && !fee.isNull()) {
        throw Failure { QStringLiteral("%1: \"base_fee\" must be an object").arg(where) };
    }

    const QJsonValue meters = o.value(QLatin1String("meters"));
    if (!meters.isArray())
        throw Failure { QStringLiteral("%1: \"meters\" must be an array").arg(where) };
    const QJsonArray list = meters.toArray();
    for (qsizetype i = 0; i < list.size(); ++i) {
        const QString meterWhere = QStringLiteral("%1 meter %2").arg(where).arg(i + 1);
        if (!list.at(i).isObject())
            throw Failure { QStringLiteral("%1: must be an object").arg(meterWhere) };
        p.meters.push_back(parseMeter(list.at(i).toObject(), p.currency, meterWhere));
    }

    const QJsonValue overrides = o.value(QLatin1String("regional_overrides"));
    if (overrides.isObject()) {
        const QJsonObject regions = overrides.toObject();
        for (auto r = regions.begin(); r != regions.end(); ++r) {
            const QJsonObject prices = r.value().toObject();
            for (auto m = prices.begin(); m != prices.end(); ++m) {
                if (!m.value().isDouble())
                    throw Failure { QStringLiteral("%1: regional override %2/%3 must be a number")
                                        .arg(where, r.key(), m.key()) };
                p.regionalOverrides[r.key()][m.key()] = m.value().toDouble();
            }
        }
    }
    return p;
}

} // namespace

const Meter *PricingProfile::meter(QAnyStringView meterName) const
{
    for (const Meter &m : meters) {
        if (QAnyStringView::equal(m.name, meterName))
            return &m;
    }
    return nullptr;
}

PricingParseResult parsePricingProfiles(const QByteArray &json)
{
    PricingParseResult result;
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        result.error = QStringLiteral("pricing profiles: %1 at offset %2")
                           .arg(parseError.errorString())
                           .arg(parseError.offset);
        return result;
    }
    if (!doc.isArray()) {
        result.error = QStringLiteral("pricing profiles: the document must be an array");
        return result;
    }
    try {
        const QJsonArray list = doc.array();
        for (qsizetype i = 0; i < list.size(); ++i) {
            const QString where = QStringLiteral("pricing profile %1").arg(i + 1);
            if (!list.at(i).isObject())
                throw Failure { QStringLiteral("%1: must be an object").arg(where) };
            result.profiles.push_back(parseProfile(list.at(i).toObject(), where));
        }
    } catch (const Failure &failure) {
        result.profiles.clear();
        result.error = failure.message;
    }
    return result;
}

const PricingProfile *findProfile(std::span<const PricingProfile> profiles, QAnyStringView id)
{
    for (const PricingProfile &p : profiles) {
        if (QAnyStringView::equal(p.id, id))
            return &p;
    }
    return nullptr;
}

} // namespace fleetscope::analytics
