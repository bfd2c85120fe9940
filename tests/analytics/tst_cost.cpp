// Pricing profiles parsed from the shipped pricing-profiles.json, and cost per window, per
// invocation and per month (data/README.md: max(0, usage - included) / per x price), the
// always-on alternative (hourly x 730 h) and what scaling to zero saves, by hand.

#include "analytics/cost.h"
#include "testhelpers.h"

#include <QFile>
#include <QTest>

using namespace fleetscope::analytics;
namespace analytics = fleetscope::analytics;

class TestCost : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void shippedProfiles();
    void parseErrors_data();
    void parseErrors();
    void meterQuantities();
    void workersStandard();
    void unmeasuredUsage();
    void lambdaTiers();
    void tieredCost_data();
    void tieredCost();
    void unconfirmedPrices();
    void otherCurrency();
    void regionalOverride();
    void provisioned();
    void usageSum();
    void windowCostMatchesEstimate();

private:
    std::vector<PricingProfile> m_profiles;
    const PricingProfile &profile(const char *id) const
    {
        const PricingProfile *p = findProfile(m_profiles, QString::fromLatin1(id));
        if (!p)
            qFatal("profile %s missing", id);
        return *p;
    }
};

void TestCost::initTestCase()
{
    QFile file(QStringLiteral(":/fleetscope/data/pricing-profiles.json"));
    QVERIFY2(file.open(QIODevice::ReadOnly), "the resource library is linked");
    const PricingParseResult parsed = parsePricingProfiles(file.readAll());
    QVERIFY2(parsed.ok(), qPrintable(parsed.error));
    m_profiles = parsed.profiles;
}

void TestCost::shippedProfiles()
{
    QCOMPARE(m_profiles.size(), std::size_t(21)); // data/README.md: 21 profiles
    const PricingProfile &w = profile("cloudflare-workers-standard");
    QCOMPARE(w.currency, QStringLiteral("USD"));
    COMPARE_NUM(w.baseFeeUsd.value(), 5.0);
    const Meter *requests = w.meter(u"requests");
    QVERIFY(requests);
    COMPARE_NUM(requests->price.value(), 0.3);
    COMPARE_NUM(requests->per.value(), 1e6);
    COMPARE_NUM(requests->included.value(), 1e7);
    QCOMPARE(requests->includedPeriod, QStringLiteral("month"));
    QVERIFY(requests->pricedInUsd());

    const Meter *gbs = profile("aws-lambda-x86-us-east-1").meter(u"wall_clock_gb_seconds");
    QVERIFY(gbs);
    QCOMPARE(gbs->tiers.size(), std::size_t(3));
    COMPARE_NUM(gbs->tiers[1].from, 6e9);
    COMPARE_NUM(gbs->tiers[1].to.value(), 1.5e10);
    COMPARE_NUM(gbs->tiers[1].unitPrice, 1.5e-5);
    QVERIFY(!gbs->tiers[2].to);

    const Meter *rows = profile("turso-developer").meter(u"db_rows_read");
    QVERIFY(rows && !rows->price && !rows->per && !rows->hasConfirmedPrice());
    COMPARE_NUM(rows->included.value(), 2.5e9);

    const Meter *credits = profile("netlify-credits-pro").meter(u"requests");
    QCOMPARE(credits->currency, QStringLiteral("credits"));
    QVERIFY(credits->hasConfirmedPrice() && !credits->pricedInUsd());

    const PricingProfile &vercel = profile("vercel-functions-fluid-pro-iad1");
    COMPARE_NUM(vercel.regionalOverrides.value(QStringLiteral("sfo1"))
                    .value(QStringLiteral("active_cpu_hours")),
                0.177);

    const PricingProfile &t3 = profile("aws-ec2-t3-large-us-east-1");
    QVERIFY(t3.isProvisionedBaseline());
    COMPARE_NUM(t3.monthlyHoursAssumed.value(), 730.0);
    QVERIFY(!t3.baseFeeUsd);
    QVERIFY(profile("vercel-edge-functions-legacy").deprecated);
}

void TestCost::parseErrors_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("message");
    QTest::addRow("not JSON") << QByteArray("[{") << QStringLiteral("pricing profiles:");
    QTest::addRow("not an array") << QByteArray("{}") << QStringLiteral("must be an array");
    QTest::addRow("entry not an object")
        << QByteArray("[1]") << QStringLiteral("pricing profile 1: must be an object");
    QTest::addRow("no id") << QByteArray(R"([{"meters": []}])")
                           << QStringLiteral("pricing profile 1: \"id\" is missing");
    QTest::addRow("no meters") << QByteArray(
        R"([{"id": "x"}])") << QStringLiteral("pricing profile 1 (x): \"meters\" must be an array");
    QTest::addRow("price as text")
        << QByteArray(R"([{"id": "x", "meters": [{"meter": "requests", "price_usd": "0.3"}]}])")
        << QStringLiteral(
               "pricing profile 1 (x) meter 1 (requests): \"price_usd\" must be a number or null");
    QTest::addRow("meter without name") << QByteArray(R"([{"id": "x", "meters": [{}]}])")
                                        << QStringLiteral("meter 1: \"meter\" is missing");
    QTest::addRow("tier without price")
        << QByteArray(R"([{"id": "x", "meters": [{"meter": "m", "tiers": [{"from_x": 0}]}]}])")
        << QStringLiteral("tier 1: a tier needs");
}

void TestCost::parseErrors()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, message);
    const PricingParseResult r = parsePricingProfiles(json);
    QVERIFY(!r.ok());
    QVERIFY(r.profiles.empty());
    QVERIFY2(r.error.contains(message), qPrintable(r.error));
}

void TestCost::meterQuantities()
{
    Usage u;
    u.invocations = 1000;
    u.cpuSeconds = 7.2;
    u.gbSeconds = 36;
    u.kvReads = 10;
    u.kvWrites = 2;
    u.egressBytes = 2 * bytesPerBillingGb;
    COMPARE_NUM(meterQuantity(u, u"requests").value(), 1000.0);
    COMPARE_NUM(meterQuantity(u, u"edge_requests").value(), 1000.0);
    COMPARE_NUM(meterQuantity(u, u"cpu_ms").value(), 7200.0);
    COMPARE_NUM(meterQuantity(u, u"active_cpu_hours").value(), 0.002);
    COMPARE_NUM(meterQuantity(u, u"wall_clock_gb_seconds").value(), 36.0);
    COMPARE_NUM(meterQuantity(u, u"provisioned_memory_gb_hours").value(), 0.01);
    COMPARE_NUM(meterQuantity(u, u"kv_commands").value(), 12.0); // deletes/lists not measured
    COMPARE_NUM(meterQuantity(u, u"egress_gb").value(), 2.0);
    QVERIFY(!meterQuantity(u, u"kv_deletes")); // NaN: not measured
    QVERIFY(!meterQuantity(u, u"db_storage_gb_month")); // FleetScope does not measure storage
    QVERIFY(!meterQuantity(u, u"instance_hours"));
    // 2 s of wall time at a 128 MiB limit: 0.25 GB-s (128 MB = 0.125 GB, as vendors bill).
    COMPARE_NUM(gbSeconds(2, 128.0 * 1024 * 1024), 0.25);
}

void TestCost::workersStandard()
{
    // One hour: 36 000 invocations, 72 CPU s, 50 GB-s, 3 GB egress.
    Usage u;
    u.windowSeconds = 3600;
    u.invocations = 36000;
    u.cpuSeconds = 72;
    u.gbSeconds = 50;
    u.egressBytes = 3 * bytesPerBillingGb;
    const CostEstimate e = estimateCost(profile("cloudflare-workers-standard"), u);
    QVERIFY(e.complete());
    QCOMPARE(e.lines.size(), std::size_t(4));
    QCOMPARE(e.lines[0].status, LineStatus::Priced);
    // Window: 36 000 x 0.30/1M + 72 000 ms x 0.02/1M; duration and egress are free (price 0).
    COMPARE_NUM(e.lines[0].windowUsd.value(), 0.0108);
    COMPARE_NUM(e.lines[1].windowUsd.value(), 0.00144);
    COMPARE_NUM(e.lines[2].windowUsd.value(), 0.0);
    COMPARE_NUM(e.windowUsd.value(), 0.01224);
    COMPARE_NUM(e.perInvocationUsd.value(), 0.01224 / 36000);
    COMPARE_NUM(e.perMillionInvocationsUsd.value(), 0.34);
    // Month: x 720; requests 25.92M - 10M included = 15.92M x 0.30/1M = 4.776; CPU 51.84M ms -
    // 30M = 21.84M x 0.02/1M = 0.4368; plus the $5 base fee.
    COMPARE_NUM(e.lines[0].monthlyQuantity, 25.92e6);
    COMPARE_NUM(e.lines[0].billableMonthly, 15.92e6);
    COMPARE_NUM(e.lines[0].monthlyUsd.value(), 4.776);
    COMPARE_NUM(e.lines[1].monthlyUsd.value(), 0.4368);
    COMPARE_NUM(e.monthlyUsd.value(), 4.776 + 0.4368 + 5);

    // Within the included amounts a month costs the base fee only.
    Usage small = u;
    small.invocations = 3600;
    small.cpuSeconds = 7.2;
    const CostEstimate s = estimateCost(profile("cloudflare-workers-standard"), small);
    COMPARE_NUM(s.monthlyUsd.value(), 5.0);
}

void TestCost::unmeasuredUsage()
{
    Usage u;
    u.windowSeconds = 3600;
    u.invocations = 36000; // CPU, duration, egress not measured
    const CostEstimate e = estimateCost(profile("cloudflare-workers-standard"), u);
    QCOMPARE(e.lines[1].status, LineStatus::NotMeasured);
    QVERIFY(!e.lines[1].windowUsd);
    COMPARE_NUM(e.windowUsd.value(), 0.0108);
    QVERIFY(e.notPriced.isEmpty());

    // Nothing the profile bills is measured: not priced, never 0.
    const CostEstimate none = estimateCost(profile("aws-ec2-t3-large-us-east-1"), u);
    QVERIFY(!none.windowUsd && !none.monthlyUsd && !none.perInvocationUsd);
    const CostEstimate kv = estimateCost(profile("cloudflare-workers-kv"), u);
    QVERIFY(!kv.windowUsd && !kv.monthlyUsd);

    // Without invocations there is no per-invocation figure.
    Usage idle = u;
    idle.invocations = 0;
    const CostEstimate zero = estimateCost(profile("cloudflare-workers-standard"), idle);
    COMPARE_NUM(zero.windowUsd.value(), 0.0);
    QVERIFY(!zero.perInvocationUsd);

    // Without a window there is no month.
    Usage noWindow = u;
    noWindow.windowSeconds = fleetscope::analytics::noData;
    QVERIFY(!estimateCost(profile("cloudflare-workers-standard"), noWindow).monthlyUsd);
}

void TestCost::lambdaTiers()
{
    // One hour of 10M GB-s and 3.6M requests: a month of 7.2e9 GB-s, 2.592e9 requests.
    Usage u;
    u.windowSeconds = 3600;
    u.invocations = 3.6e6;
    u.gbSeconds = 1e7;
    const CostEstimate e = estimateCost(profile("aws-lambda-x86-us-east-1"), u);
    QVERIFY(e.complete());
    // Requests: (2.592e9 - 1M free) x 0.20/1M = 518.2.
    COMPARE_NUM(e.lines[0].monthlyUsd.value(), 518.2);
    // GB-s: 7.2e9 - 400 000 free = 7 199 600 000; the first 6e9 at 1.66667e-5 = 100 000.2, the
    // other 1 199 600 000 at 1.5e-5 = 17 994.
    COMPARE_NUM(e.lines[1].billableMonthly, 7199600000.0);
    COMPARE_NUM(e.lines[1].monthlyUsd.value(), 117994.2);
    COMPARE_NUM(e.monthlyUsd.value(), 518.2 + 117994.2);
    // The window uses the flat (first-tier) rate: 1e7 x 1.66667e-5 + 3.6 x 0.2.
    COMPARE_NUM(e.windowUsd.value(), 166.667 + 0.72);
}

void TestCost::tieredCost_data()
{
    QTest::addColumn<double>("units");
    QTest::addColumn<double>("expected");
    // Tiers: [0, 100) at 2, [100, 300) at 1, [300, inf) at 0.5.
    QTest::addRow("none") << 0.0 << 0.0;
    QTest::addRow("inside the first") << 50.0 << 100.0;
    QTest::addRow("first boundary") << 100.0 << 200.0;
    QTest::addRow("second") << 250.0 << 200.0 + 150.0;
    QTest::addRow("open last tier") << 1300.0 << 200.0 + 200.0 + 500.0;
}

void TestCost::tieredCost()
{
    QFETCH(double, units);
    QFETCH(double, expected);
    const PriceTier tiers[] { { 0, 100, 2 }, { 100, 300, 1 }, { 300, std::nullopt, 0.5 } };
    COMPARE_NUM(analytics::tieredCost(units, tiers), expected);
}

void TestCost::unconfirmedPrices()
{
    // Turso Developer: row prices are null. 1M rows read an hour is 720M a month, inside the
    // 2.5B included, so the month is known; the window's rows are not priced.
    Usage u;
    u.windowSeconds = 3600;
    u.invocations = 1000;
    u.dbRowsRead = 1e6;
    u.dbRowsWritten = 0;
    const CostEstimate inside = estimateCost(profile("turso-developer"), u);
    QCOMPARE(inside.lines[0].status, LineStatus::Unconfirmed);
    QVERIFY(!inside.lines[0].windowUsd);
    COMPARE_NUM(inside.lines[0].monthlyUsd.value(), 0.0);
    COMPARE_NUM(inside.lines[1].windowUsd.value(), 0.0); // nothing written costs nothing
    QVERIFY(!inside.windowUsd); // not priced, not 0
    QVERIFY(!inside.perInvocationUsd);
    COMPARE_NUM(inside.monthlyUsd.value(), 4.99);
    QCOMPARE(inside.notPriced, QStringList { QStringLiteral("db_rows_read") });
    QVERIFY(!inside.complete());

    // 10M rows an hour is 7.2B a month, beyond 2.5B included: the month is not priced either.
    u.dbRowsRead = 1e7;
    const CostEstimate beyond = estimateCost(profile("turso-developer"), u);
    COMPARE_NUM(beyond.lines[0].billableMonthly, 4.7e9);
    QVERIFY(!beyond.monthlyUsd);
    QVERIFY(!beyond.windowUsd);
}

void TestCost::otherCurrency()
{
    Usage u;
    u.windowSeconds = 3600;
    u.invocations = 10000;
    u.gbSeconds = 3600;
    const CostEstimate e = estimateCost(profile("netlify-credits-pro"), u);
    QCOMPARE(e.lines[0].status, LineStatus::OtherCurrency); // functions_gb_hours in credits
    QCOMPARE(e.lines[1].status, LineStatus::OtherCurrency);
    QVERIFY(!e.windowUsd);
    QVERIFY(!e.monthlyUsd);
    QVERIFY(e.notPriced.contains(QStringLiteral("requests")));
}

void TestCost::regionalOverride()
{
    // One CPU-hour in an hour: 0.128 in iad1, 0.177 in sfo1 (Vercel's regional override).
    Usage u;
    u.windowSeconds = 3600;
    u.invocations = 0;
    u.cpuSeconds = 3600;
    u.gbSeconds = 0;
    const PricingProfile &vercel = profile("vercel-functions-fluid-pro-iad1");
    COMPARE_NUM(estimateCost(vercel, u).lines[0].windowUsd.value(), 0.128);
    COMPARE_NUM(estimateCost(vercel, u, u"sfo1").lines[0].windowUsd.value(), 0.177);
    COMPARE_NUM(estimateCost(vercel, u, u"nrt1").lines[0].windowUsd.value(), 0.128);
}

void TestCost::provisioned()
{
    const double peaks[] { 0.2, 2.5, fleetscope::analytics::noData, 0 };
    QCOMPARE(alwaysOnInstances(peaks), 1 + 3 + 1 + 1);

    const std::optional<ProvisionedEstimate> t3 =
        provisionedAlternative(profile("aws-ec2-t3-large-us-east-1"), 3);
    QVERIFY(t3);
    COMPARE_NUM(t3->hourlyUsd, 0.0832);
    COMPARE_NUM(t3->hoursPerMonth, 730.0);
    COMPARE_NUM(t3->monthlyUsd, 0.0832 * 730 * 3); // 182.208
    // The profile's own derived figure for one instance agrees: 60.74.
    COMPARE_NUM(std::round(t3->monthlyUsd / 3 * 100) / 100, 60.74);
    QVERIFY(!provisionedAlternative(profile("cloudflare-workers-standard"), 3));

    Usage u;
    u.windowSeconds = 3600;
    u.invocations = 36000;
    u.cpuSeconds = 72;
    const CostEstimate serverless = estimateCost(profile("cloudflare-workers-standard"), u);
    const ScaleToZeroComparison c = compareWithProvisioned(serverless, *t3);
    COMPARE_NUM(c.serverlessMonthlyUsd.value(), 10.2128);
    COMPARE_NUM(c.provisionedMonthlyUsd, 182.208);
    COMPARE_NUM(c.savingsUsd.value(), 182.208 - 10.2128);

    const CostEstimate unpriced = estimateCost(profile("netlify-credits-pro"), u);
    QVERIFY(!compareWithProvisioned(unpriced, *t3).savingsUsd);
}

void TestCost::usageSum()
{
    Usage a;
    a.windowSeconds = 300;
    a.invocations = 10;
    a.kvReads = 4;
    Usage b;
    b.windowSeconds = 300;
    b.invocations = 5;
    b.egressBytes = 100;
    a += b;
    COMPARE_NUM(a.invocations, 15.0);
    COMPARE_NUM(a.kvReads, 4.0);
    COMPARE_NUM(a.egressBytes, 100.0);
    COMPARE_NUM(a.cpuSeconds, fleetscope::analytics::noData);
    COMPARE_NUM(a.windowSeconds, 300.0);
}

void TestCost::windowCostMatchesEstimate()
{
    // The chart's per-step shortcut must price exactly as the full estimate: every shipped
    // profile, measured and unmeasured meters, zero use of an unpriced meter, regional overrides.
    std::vector<Usage> usages;
    Usage full;
    full.windowSeconds = 5;
    full.invocations = 1234;
    full.cpuSeconds = 2.5;
    full.gbSeconds = 40;
    full.kvReads = 300;
    full.kvWrites = 12;
    full.kvDeletes = 1;
    full.kvLists = 2;
    full.dbRowsRead = 5000;
    full.dbRowsWritten = 40;
    full.egressBytes = 1e8;
    usages.push_back(full);
    Usage invocationsOnly;
    invocationsOnly.windowSeconds = 5;
    invocationsOnly.invocations = 10;
    usages.push_back(invocationsOnly);
    Usage idle = full;
    idle.invocations = idle.cpuSeconds = idle.gbSeconds = idle.kvReads = idle.kvWrites = 0;
    idle.kvDeletes = idle.kvLists = idle.dbRowsRead = idle.dbRowsWritten = idle.egressBytes = 0;
    usages.push_back(idle);
    usages.push_back(Usage {}); // nothing measured
    int priced = 0, unpriced = 0;
    for (const PricingProfile &p : m_profiles) {
        for (const Usage &u : usages) {
            for (const QString &region :
                 { QString(), QStringLiteral("sfo1"), QStringLiteral("nrt") }) {
                const std::optional<double> expected = estimateCost(p, u, region).windowUsd;
                const std::optional<double> got = windowCostUsd(p, u, region);
                QVERIFY2(expected.has_value() == got.has_value(), qPrintable(p.id));
                if (expected) {
                    QCOMPARE(*got, *expected);
                    ++priced;
                } else {
                    ++unpriced;
                }
            }
        }
    }
    QVERIFY(priced > 20); // both outcomes exercised
    QVERIFY(unpriced > 5);
}

QTEST_GUILESS_MAIN(TestCost)
#include "tst_cost.moc"
