// FleetSnapshot files: a saved snapshot loads back equivalent (NaN and infinities included), and
// a damaged, foreign or newer file is refused with a message naming what is wrong and where.

#include "snapshot/snapshotfile.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace fleetscope::snapshot;

namespace {

FleetSnapshot sample()
{
    FleetSnapshot s;
    s.fleetName = QStringLiteral("demo <fleet> & \"friends\"");
    s.sourceKind = QStringLiteral("fleet");
    s.source = QStringLiteral("/etc/fleet.yaml");
    s.time = 1700000000.25;
    s.windowStart = 1699999700;
    s.settings.quantile = 0.99;
    s.settings.windowSeconds = 900;
    s.settings.pricingProfile = QStringLiteral("cloudflare-workers-standard");
    s.settings.vantage = QStringLiteral("Tokyo");
    s.settings.vantageLat = 35.69;
    s.settings.vantageLon = 139.69;
    s.pricing = { QStringLiteral("cloudflare-workers-standard"), QStringLiteral("Workers Standard"),
                  QStringLiteral("Cloudflare"), QStringLiteral("2026-08-03"),
                  QStringLiteral("https://example.invalid") };
    s.primaryRegion = QStringLiteral("iad");
    RegionData r;
    r.code = QStringLiteral("nrt");
    r.name = QStringLiteral("Tokyo, Japan");
    r.city = QStringLiteral("東京");
    r.lat = 35.69;
    r.lon = 139.69;
    r.placed = true;
    r.primary = QStringLiteral("iad");
    r.nodesUp = 2;
    r.nodesIdle = 1;
    HistogramWindow h;
    h.bounds = { 0.01, 0.1, std::numeric_limits<double>::infinity() };
    h.times = { 1700000000, 1700000005 };
    h.counts = { { 1, 5, 7 }, { 2, 9, 12 } };
    h.sum = { { 1700000000, 0.5 }, { 1700000005, 0.9 } };
    r.histograms[QStringLiteral("request_duration")] = h;
    r.counters[QStringLiteral("invocations")] = { { 1700000000, 10 }, { 1700000005, 16.5 } };
    r.gauges[QStringLiteral("replica_lag_max")] = { { 1700000000, kNaN }, { 1700000005, 0.25 } };
    r.figures.latencyP95Ms = 87.5;
    r.figures.hitRatio = 0.93;
    r.figures.phaseMeanMs[QStringLiteral("db")] = 12.25;
    r.figures.alwaysOnPerMonthUsd = -std::numeric_limits<double>::infinity();
    r.figures.scaledToZero = true;
    s.regions.push_back(r);
    RegionData unplaced;
    unplaced.code = QStringLiteral("mystery");
    s.regions.push_back(unplaced);
    TargetRow t;
    t.id = QStringLiteral("127.0.0.1:9100");
    t.url = QStringLiteral("http://127.0.0.1:9100/metrics");
    t.region = QStringLiteral("nrt");
    t.health = Health::Down;
    t.cause = QStringLiteral("connection refused");
    t.httpStatus = 503;
    t.samples = 12;
    s.targets.push_back(t);
    return s;
}

} // namespace

class TestSnapshotFile : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void roundTrip()
    {
        const FleetSnapshot s = sample();
        const LoadResult loaded = fromJson(toJson(s));
        QVERIFY2(loaded.snapshot, qPrintable(loaded.error));
        QVERIFY(equivalent(*loaded.snapshot, s));
        const RegionData *r = loaded.snapshot->region(QStringLiteral("nrt"));
        QVERIFY(r);
        QVERIFY(std::isinf(r->histograms.at(QStringLiteral("request_duration")).bounds.back()));
        QVERIFY(std::isnan(r->gauges.at(QStringLiteral("replica_lag_max")).front().v));
        QCOMPARE(r->city, QStringLiteral("東京"));
        QCOMPARE(r->figures.phaseMeanMs.at(QStringLiteral("db")), 12.25);
        QVERIFY(std::isnan(r->figures.latencyP99Ms));
        QCOMPARE(loaded.snapshot->targets.at(0).health, Health::Down);
        QCOMPARE(loaded.snapshot->fleetName, s.fleetName);
    }

    void saveIsAtomicAndLoads()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("s.json"));
        QString error;
        QVERIFY2(saveSnapshot(sample(), path, &error), qPrintable(error));
        const LoadResult loaded = loadSnapshot(path);
        QVERIFY2(loaded.snapshot, qPrintable(loaded.error));
        QVERIFY(equivalent(*loaded.snapshot, sample()));
        // A save into a folder that does not exist fails cleanly and names the path.
        const QString bad = dir.filePath(QStringLiteral("missing/s.json"));
        QVERIFY(!saveSnapshot(sample(), bad, &error));
        QVERIFY2(error.contains(bad), qPrintable(error));
    }

    void damaged_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("messagePart");
        const QByteArray good = toJson(sample(), true);
        QTest::addRow("truncated")
            << good.left(good.size() / 2) << QStringLiteral("not valid JSON at line");
        QTest::addRow("empty") << QByteArray() << QStringLiteral("not valid JSON");
        QTest::addRow("array") << QByteArray("[]") << QStringLiteral("top level");
        QTest::addRow("foreign") << QByteArray("{\"format\":\"grafana\",\"version\":1}")
                                 << QStringLiteral("not a FleetScope snapshot");
        QTest::addRow("newer") << QByteArray(good).replace("\"version\": 1", "\"version\": 7")
                               << QStringLiteral(
                                      "version 7, newer than this FleetScope reads (version 1)");
        QTest::addRow("wrong type")
            << QByteArray(good).replace("\"nodesUp\": 2", "\"nodesUp\": \"two\"")
            << QStringLiteral("$.regions[0].nodesUp: expected a whole number");
        FleetSnapshot ragged = sample();
        ragged.regions[0].histograms[QStringLiteral("request_duration")].counts[1].pop_back();
        QTest::addRow("ragged counts")
            << toJson(ragged)
            << QStringLiteral(
                   "$.regions[0].histograms.request_duration.counts[1]: has 2 counts for 3 bounds");
        QTest::addRow("bad health") << QByteArray(good).replace("\"down\"", "\"meh\"")
                                    << QStringLiteral("$.targets[0].health");
        QTest::addRow("bad quantile")
            << QByteArray(good).replace("\"quantile\": 0.99", "\"quantile\": 2")
            << QStringLiteral("$.settings.quantile");
    }

    void damaged()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, messagePart);
        const LoadResult loaded = fromJson(json);
        QVERIFY(!loaded.snapshot);
        QVERIFY2(loaded.error.contains(messagePart), qPrintable(loaded.error));
    }

    void missingFileNamesIt()
    {
        const LoadResult loaded = loadSnapshot(QStringLiteral("/nonexistent/s.json"));
        QVERIFY(!loaded.snapshot);
        QVERIFY2(loaded.error.contains(QStringLiteral("/nonexistent/s.json")),
                 qPrintable(loaded.error));
    }
};

QTEST_GUILESS_MAIN(TestSnapshotFile)
#include "tst_snapshotfile.moc"
