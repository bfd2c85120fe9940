// SLO status: ok / warning / breach against upper and lower limits, the defaults, and no data.

#include "analytics/slo.h"
#include "testhelpers.h"

#include <QTest>

#include <limits>

using namespace fleetscope::analytics;

namespace {
constexpr double qnan = std::numeric_limits<double>::quiet_NaN();
}

Q_DECLARE_METATYPE(fleetscope::analytics::SloStatus)

class TestSlo : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void classifyUpper_data();
    void classifyUpper();
    void classifyLower_data();
    void classifyLower();
    void defaults();
    void report();
};

void TestSlo::classifyUpper_data()
{
    QTest::addColumn<double>("value");
    QTest::addColumn<SloStatus>("expected");
    // upperLimit(500): warning above 400, breach above 500.
    QTest::addRow("well inside") << 120.0 << SloStatus::Ok;
    QTest::addRow("at the warning level") << 400.0 << SloStatus::Ok;
    QTest::addRow("above warning") << 400.5 << SloStatus::Warning;
    QTest::addRow("at the breach level") << 500.0 << SloStatus::Warning;
    QTest::addRow("above breach") << 501.0 << SloStatus::Breach;
    QTest::addRow("infinite") << std::numeric_limits<double>::infinity() << SloStatus::Breach;
    QTest::addRow("no data") << qnan << SloStatus::NoData;
}

void TestSlo::classifyUpper()
{
    QFETCH(double, value);
    QFETCH(SloStatus, expected);
    QCOMPARE(classify(value, upperLimit(500)), expected);
}

void TestSlo::classifyLower_data()
{
    QTest::addColumn<double>("value");
    QTest::addColumn<SloStatus>("expected");
    // lowerRatioLimit(0.8): warning below 0.9, breach below 0.8.
    QTest::addRow("high") << 0.97 << SloStatus::Ok;
    QTest::addRow("at the warning level") << 0.9 << SloStatus::Ok;
    QTest::addRow("below warning") << 0.85 << SloStatus::Warning;
    QTest::addRow("at the breach level") << 0.8 << SloStatus::Warning;
    QTest::addRow("below breach") << 0.5 << SloStatus::Breach;
    QTest::addRow("no data") << qnan << SloStatus::NoData;
}

void TestSlo::classifyLower()
{
    QFETCH(double, value);
    QFETCH(SloStatus, expected);
    const SloLimit limit = lowerRatioLimit(0.8);
    QCOMPARE(limit.kind, SloLimit::Kind::Lower);
    QCOMPARE(classify(value, limit), expected);
}

void TestSlo::defaults()
{
    const SloThresholds t;
    QCOMPARE(t.p95LatencyMs.breach, 250.0);
    QCOMPARE(t.p95LatencyMs.warning, 200.0);
    QCOMPARE(t.hitRatio.breach, 0.9);
    QCOMPARE(t.hitRatio.warning, 0.95);
    QCOMPARE(t.replicaLagSeconds.breach, 5.0);
    QCOMPARE(t.costPerMillionInvocationsUsd.breach, 2.0);
    // An unset threshold (NaN breach level) is not judged.
    QCOMPARE(classify(1e9, upperLimit(qnan)), SloStatus::NoData);
}

void TestSlo::report()
{
    SloInputs in;
    QCOMPARE(evaluateSlo(in).overall, SloStatus::NoData);
    in.p95LatencyMs = 120;
    in.hitRatio = 0.97;
    QCOMPARE(evaluateSlo(in).overall, SloStatus::Ok);
    in.replicaLagSeconds = 4.5;
    SloReport r = evaluateSlo(in);
    QCOMPARE(r.replicaLag, SloStatus::Warning);
    QCOMPARE(r.cost, SloStatus::NoData);
    QCOMPARE(r.overall, SloStatus::Warning);
    in.costPerMillionInvocationsUsd = 3.4;
    r = evaluateSlo(in);
    QCOMPARE(r.cost, SloStatus::Breach);
    QCOMPARE(r.overall, SloStatus::Breach);
    SloThresholds lenient;
    lenient.costPerMillionInvocationsUsd = upperLimit(10);
    lenient.replicaLagSeconds = upperLimit(60);
    QCOMPARE(evaluateSlo(in, lenient).overall, SloStatus::Ok);
}

QTEST_GUILESS_MAIN(TestSlo)
#include "tst_slo.moc"
