// The region catalogue and population centres compiled into FleetScope::Resources.

#include "fleet/populationcentres.h"
#include "fleet/regioncatalogue.h"
#include "fleet/suggest.h"

#include <QTest>

using namespace fleetscope::fleet;

class TestRegionCatalogue : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void embeddedCatalogue();
    void find_data();
    void find();
    void candidatesFollowPreference();
    void suggest();
    void populationCentres_data();
    void populationCentres();
    void editDistance_data();
    void editDistance();
};

void TestRegionCatalogue::embeddedCatalogue()
{
    const RegionCatalogue &c = RegionCatalogue::embedded();
    QCOMPARE(c.size(), 462);
    QCOMPARE(c.regionsOf(QStringLiteral("cloudflare")).size(), 308);
    QCOMPARE(c.regionsOf(QStringLiteral("fly")).size(), 18);
    QCOMPARE(c.regionsOf(QStringLiteral("aws")).size(), 36);
    QCOMPARE(c.providers().first(), QStringLiteral("fly"));
    for (const Region &r : c.all()) {
        QVERIFY(!r.code.isEmpty());
        QVERIFY2(r.lat >= -90 && r.lat <= 90 && r.lon >= -180 && r.lon <= 180, qPrintable(r.code));
        QCOMPARE(r.country.size(), 2);
    }
}

void TestRegionCatalogue::find_data()
{
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("provider");
    QTest::addColumn<QString>("wantProvider"); // empty: not found
    QTest::addColumn<QString>("wantCity");
    QTest::addColumn<double>("lat");
    QTest::addColumn<double>("lon");

    // Fly.io and Cloudflare share 18 codes; without a provider Fly.io wins (documented order).
    QTest::addRow("nrt, no provider: fly") << "nrt"
                                           << ""
                                           << "fly"
                                           << "Tokyo" << 35.69 << 139.69;
    QTest::addRow("NRT upper case, no provider: fly") << "NRT"
                                                      << ""
                                                      << "fly"
                                                      << "Tokyo" << 35.69 << 139.69;
    QTest::addRow("nrt provider cloudflare") << "nrt"
                                             << "cloudflare"
                                             << "cloudflare"
                                             << "Tokyo" << 35.76 << 140.39;
    QTest::addRow("EWR provider cloudflare") << "EWR"
                                             << "cloudflare"
                                             << "cloudflare"
                                             << "Newark" << 40.69 << -74.17;
    QTest::addRow("ewr provider fly") << "ewr"
                                      << "fly"
                                      << "fly"
                                      << "Secaucus" << 40.79 << -74.06;
    QTest::addRow("provider alias fly.io") << "iad"
                                           << "Fly.io"
                                           << "fly"
                                           << "Ashburn" << 39.04 << -77.49;
    QTest::addRow("aws code") << "us-east-1"
                              << ""
                              << "aws"
                              << "Ashburn" << 39.04 << -77.49;
    QTest::addRow("aws code, provider aws") << "eu-central-1"
                                            << "aws"
                                            << "aws"
                                            << "Frankfurt am Main" << 50.12 << 8.68;
    QTest::addRow("vercel code") << "hnd1"
                                 << ""
                                 << "vercel"
                                 << "Tokyo" << 35.69 << 139.69;
    QTest::addRow("gcp code") << "asia-northeast1"
                              << "gcp"
                              << "gcp"
                              << "Tokyo" << 35.69 << 139.69;
    QTest::addRow("code of another provider") << "us-east-1"
                                              << "gcp"
                                              << ""
                                              << "" << 0.0 << 0.0;
    QTest::addRow("cloudflare-only code") << "AAE"
                                          << ""
                                          << "cloudflare"
                                          << "Annabah" << 36.82 << 7.81;
    QTest::addRow("unknown provider falls back") << "nrt"
                                                 << "hetzner"
                                                 << "fly"
                                                 << "Tokyo" << 35.69 << 139.69;
    QTest::addRow("unknown code") << "on-prem"
                                  << ""
                                  << ""
                                  << "" << 0.0 << 0.0;
    QTest::addRow("empty code") << ""
                                << ""
                                << ""
                                << "" << 0.0 << 0.0;
}

void TestRegionCatalogue::find()
{
    QFETCH(QString, code);
    QFETCH(QString, provider);
    QFETCH(QString, wantProvider);
    QFETCH(QString, wantCity);
    QFETCH(double, lat);
    QFETCH(double, lon);
    const std::optional<Region> r = RegionCatalogue::embedded().find(code, provider);
    QCOMPARE(r.has_value(), !wantProvider.isEmpty());
    if (!r)
        return;
    QCOMPARE(r->provider, wantProvider);
    QCOMPARE(r->code.toLower(), code.toLower());
    QCOMPARE(r->city, wantCity);
    QCOMPARE(r->lat, lat);
    QCOMPARE(r->lon, lon);
}

void TestRegionCatalogue::candidatesFollowPreference()
{
    const QList<Region> nrt = RegionCatalogue::embedded().candidates(QStringLiteral("nrt"));
    QCOMPARE(nrt.size(), 2);
    QCOMPARE(nrt[0].provider, QStringLiteral("fly"));
    QCOMPARE(nrt[1].provider, QStringLiteral("cloudflare"));
    QCOMPARE(nrt[1].code, QStringLiteral("NRT"));
}

void TestRegionCatalogue::suggest()
{
    const RegionCatalogue &c = RegionCatalogue::embedded();
    QCOMPARE(c.suggest(QStringLiteral("us-east-11"), QStringLiteral("aws")),
             QStringLiteral("us-east-1"));
    QCOMPARE(c.suggest(QStringLiteral("europe-west99x"), QStringLiteral("gcp")).left(11),
             QStringLiteral("europe-west"));
    QVERIFY(c.suggest(QStringLiteral("basement-rack-7"), QStringLiteral("fly")).isEmpty());
}

void TestRegionCatalogue::populationCentres_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QString>("name"); // empty: not found
    QTest::addColumn<double>("lat");

    QTest::addRow("name") << "Tokyo"
                          << "Tokyo" << 35.69;
    QTest::addRow("case") << "new york"
                          << "New York" << 40.71;
    QTest::addRow("diacritics ignored") << "Sao Paulo"
                                        << "São Paulo" << -23.55;
    QTest::addRow("diacritics kept") << "São Paulo"
                                     << "São Paulo" << -23.55;
    QTest::addRow("by city") << "Guangzhou"
                             << "Guangzhou (Pearl River Delta)" << 23.12;
    QTest::addRow("full name") << "Guangzhou (Pearl River Delta)"
                               << "Guangzhou (Pearl River Delta)" << 23.12;
    QTest::addRow("not a top-20 agglomeration") << "Reykjavik"
                                                << "" << 0.0;
    QTest::addRow("empty") << ""
                           << "" << 0.0;
}

void TestRegionCatalogue::populationCentres()
{
    QFETCH(QString, query);
    QFETCH(QString, name);
    QFETCH(double, lat);
    QCOMPARE(PopulationCentres::embedded().size(), 20);
    const std::optional<PopulationCentre> c = PopulationCentres::embedded().find(query);
    QCOMPARE(c.has_value(), !name.isEmpty());
    if (c) {
        QCOMPARE(c->name, name);
        QCOMPARE(c->lat, lat);
        QVERIFY(c->population > 10000000);
    }
}

void TestRegionCatalogue::editDistance_data()
{
    QTest::addColumn<QString>("a");
    QTest::addColumn<QString>("b");
    QTest::addColumn<int>("distance");
    QTest::addRow("same") << "interval"
                          << "interval" << 0;
    QTest::addRow("case") << "Interval"
                          << "interval" << 0;
    QTest::addRow("transposition") << "intreval"
                                   << "interval" << 1;
    QTest::addRow("deletion") << "intrval"
                              << "interval" << 1;
    QTest::addRow("substitution") << "timeoot"
                                  << "timeout" << 1;
    QTest::addRow("empty") << ""
                           << "abc" << 3;
}

void TestRegionCatalogue::editDistance()
{
    QFETCH(QString, a);
    QFETCH(QString, b);
    QFETCH(int, distance);
    QCOMPARE(fleetscope::fleet::editDistance(a, b), distance);
}

QTEST_GUILESS_MAIN(TestRegionCatalogue)
#include "tst_regioncatalogue.moc"
