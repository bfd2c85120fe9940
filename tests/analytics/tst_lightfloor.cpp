// Speed-of-light floor: haversine distance on the mean Earth radius, light in fibre at 200 km/ms
// and the path stretch of data/physics.md (2.1 typical, 1.3 well routed), by hand.

#include "analytics/lightfloor.h"
#include "testhelpers.h"

#include <QTest>

#include <limits>
#include <numbers>

using namespace fleetscope::analytics;

namespace {
constexpr double qnan = std::numeric_limits<double>::quiet_NaN();
constexpr double pi = std::numbers::pi;
// Degrees of longitude along the equator that span `km`.
double equatorDegrees(double km)
{
    return km / earthMeanRadiusKm * 180 / pi;
}
} // namespace

class TestLightFloor : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void distance_data();
    void distance();
    void floors_data();
    void floors();
    void edgeCases();
};

void TestLightFloor::distance_data()
{
    QTest::addColumn<double>("lat1");
    QTest::addColumn<double>("lon1");
    QTest::addColumn<double>("lat2");
    QTest::addColumn<double>("lon2");
    QTest::addColumn<double>("km");
    QTest::addRow("same point") << 35.68 << 139.69 << 35.68 << 139.69 << 0.0;
    QTest::addRow("quarter meridian") << 0.0 << 0.0 << 90.0 << 0.0 << pi / 2 * 6371;
    QTest::addRow("antipodes") << 0.0 << 0.0 << 0.0 << 180.0 << pi * 6371;
    QTest::addRow("pole to pole") << 90.0 << 0.0 << -90.0 << 0.0 << pi * 6371;
    QTest::addRow("one degree of equator") << 0.0 << 0.0 << 0.0 << 1.0 << pi / 180 * 6371;
    QTest::addRow("across the date line") << 0.0 << 179.5 << 0.0 << -179.5 << pi / 180 * 6371;
    // 60 degrees of longitude at 60 N: cos(c/R) = sin²60 + cos²60 cos 60 = 0.875.
    QTest::addRow("along a parallel") << 60.0 << 0.0 << 60.0 << 60.0 << std::acos(0.875) * 6371;
}

void TestLightFloor::distance()
{
    QFETCH(double, lat1);
    QFETCH(double, lon1);
    QFETCH(double, lat2);
    QFETCH(double, lon2);
    QFETCH(double, km);
    COMPARE_NUM(greatCircleKm({ lat1, lon1 }, { lat2, lon2 }), km);
    COMPARE_NUM(greatCircleKm({ lat2, lon2 }, { lat1, lon1 }), km);
}

void TestLightFloor::floors_data()
{
    QTest::addColumn<double>("km");
    QTest::addColumn<double>("stretch");
    QTest::addColumn<double>("oneWayMs");
    QTest::addColumn<double>("roundTripMs");
    // physics.md section 3: "RTT ≈ 2.1 · d / 100 ms, e.g. 1 000 km → ~21 ms, 6 000 km → ~126 ms".
    QTest::addRow("1000 km typical") << 1000.0 << 2.1 << 10.5 << 21.0;
    QTest::addRow("6000 km typical") << 6000.0 << 2.1 << 63.0 << 126.0;
    // Section 3: well-routed backbone, RTT ≈ 1.3 · d / 100 ms.
    QTest::addRow("1000 km well routed") << 1000.0 << 1.3 << 6.5 << 13.0;
    // Section 1: 1 000 km of fibre takes about 5 ms one way.
    QTest::addRow("1000 km straight fibre") << 1000.0 << 1.0 << 5.0 << 10.0;
    QTest::addRow("below 1 is raised to 1") << 1000.0 << 0.5 << 5.0 << 10.0;
}

void TestLightFloor::floors()
{
    QFETCH(double, km);
    QFETCH(double, stretch);
    QFETCH(double, oneWayMs);
    QFETCH(double, roundTripMs);
    const LightFloor f = lightFloor({ 0, 0 }, { 0, equatorDegrees(km) }, stretch);
    COMPARE_NUM(f.distanceKm, km);
    COMPARE_NUM(f.oneWayMs, oneWayMs);
    COMPARE_NUM(f.roundTripMs, roundTripMs);
    COMPARE_NUM(f.straightFibreRoundTripMs, km / 100);
    // Section 3: hard floor in vacuum, 2·d / c.
    COMPARE_NUM(f.vacuumRoundTripMs, 2 * km / 299.792458);
}

void TestLightFloor::edgeCases()
{
    // The default stretch is the paper's rule of thumb, 2.1.
    const LightFloor byDefault = lightFloor({ 0, 0 }, { 0, equatorDegrees(1000) });
    COMPARE_NUM(byDefault.pathStretch, 2.1);
    COMPARE_NUM(byDefault.roundTripMs, 21.0);
    const LightFloor unknown = lightFloor({ qnan, 0 }, { 0, 10 });
    COMPARE_NUM(unknown.distanceKm, qnan);
    COMPARE_NUM(unknown.roundTripMs, qnan);
    COMPARE_NUM(lightFloor({ 0, 0 }, { 0, 1 }, qnan).pathStretch, defaultPathStretch);
}

QTEST_GUILESS_MAIN(TestLightFloor)
#include "tst_lightfloor.moc"
