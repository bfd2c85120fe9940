// Fleet files: both formats (JSON, YAML) in both forms (bare file_sd list, object), every option,
// unplaced targets, placement, vantage, metric names, stable ids, and the bearer token never
// reaching anything that can be serialised. Errors and hostile input: tst_fleetfileerrors.cpp.

#include "fleetfiletestsupport.h"

#include "fleet/duration.h"
#include "fleet/fleetfile.h"
#include "fleet/metricroles.h"

#include <QDebug>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace fleetscope::fleet;
using namespace fleetscope::fleet::testsupport;
using namespace std::chrono_literals;

class TestFleetFile : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void bareForm_data();
    void bareForm();
    void objectForm_data();
    void objectForm();
    void formatsAgree_data();
    void formatsAgree();
    void defaults();
    void timeout_data();
    void timeout();
    void durations_data();
    void durations();
    void byteSizes_data();
    void byteSizes();
    void unplacedTargetsAreKept();
    void regionPlacement_data();
    void regionPlacement();
    void vantage_data();
    void vantage();
    void metricNames();
    void reservedLabels();
    void stableIds();
    void targetLabelsWin();
    void secretNeverSerialised();
};

void TestFleetFile::bareForm_data()
{
    QTest::addColumn<QString>("file");
    QTest::addRow("json") << dataFile("bare.json");
    QTest::addRow("yaml") << dataFile("bare.yaml");
}

void TestFleetFile::bareForm()
{
    QFETCH(QString, file);
    const FleetLoadResult r = loadFleetFile(file);
    QVERIFY2(r.ok(), qPrintable(allMessages(r)));
    const Fleet &f = r.fleet;
    QCOMPARE(f.name, QStringLiteral("bare"));
    QCOMPARE(f.sourceFile, file);
    QCOMPARE(f.targets.size(), 5);

    const Target &a = f.targets[0];
    QCOMPARE(a.address, QStringLiteral("10.0.0.1:9100"));
    QCOMPARE(a.host, QStringLiteral("10.0.0.1"));
    QCOMPARE(a.port, quint16(9100));
    QCOMPARE(a.url.toString(), QStringLiteral("http://10.0.0.1:9100/metrics"));
    QCOMPARE(a.scheme, QStringLiteral("http"));
    QCOMPARE(a.metricsPath, QStringLiteral("/metrics"));
    QCOMPARE(a.labels.value(QStringLiteral("region")), QStringLiteral("nrt"));
    QCOMPARE(a.labels.value(QStringLiteral("node")), QStringLiteral("edge-1"));
    QCOMPARE(a.labels.size(), 2);
    QCOMPARE(a.instance(), a.address);
    QCOMPARE(a.placement, Placement::Region);
    QCOMPARE(a.region->provider, QStringLiteral("fly"));
    QCOMPARE(a.lat, 35.69);
    QCOMPARE(a.group, 0);
    QVERIFY(a.line > 0 && a.column > 0);
    QCOMPARE(a.id.size(), 16);

    QCOMPARE(f.targets[1].host, QStringLiteral("edge-2.example.net"));
    QCOMPARE(f.targets[1].labels, a.labels);

    const Target &v6 = f.targets[2];
    QCOMPARE(v6.address, QStringLiteral("[2001:db8::1]:9100"));
    QCOMPARE(v6.url.toString(), QStringLiteral("http://[2001:db8::1]:9100/metrics"));
    QCOMPARE(v6.region->provider, QStringLiteral("cloudflare"));
    QCOMPARE(v6.lat, 35.76);

    QCOMPARE(f.targets[3].placement, Placement::Unplaced);
    QVERIFY(!f.targets[3].region);
    QCOMPARE(f.targets[4].placement, Placement::Coordinates);
    QCOMPARE(f.targets[4].lat, -33.9);
    QCOMPARE(f.targets[4].lon, 151.2);

    QCOMPARE(f.scrape, ScrapeSettings());
    QVERIFY(f.pricingProfile.isEmpty());
    QVERIFY(!f.vantage);
    QCOMPARE(f.slo, SloThresholds());
    QCOMPARE(f.metrics, MetricNames());
    // The unknown region is a warning naming the line, not an error.
    QCOMPARE(r.warnings.size(), 1);
    QVERIFY2(r.warnings[0].message.contains(QStringLiteral("listed as unplaced")),
             qPrintable(allMessages(r)));
    QVERIFY(r.warnings[0].line > 0);
}

void TestFleetFile::objectForm_data()
{
    QTest::addColumn<QString>("file");
    QTest::addRow("json") << dataFile("object.json");
    QTest::addRow("yaml") << dataFile("object.yaml");
}

void TestFleetFile::objectForm()
{
    QFETCH(QString, file);
    const FleetLoadResult r = loadFleetFile(file);
    QVERIFY2(r.ok(), qPrintable(allMessages(r)));
    QVERIFY2(r.warnings.isEmpty(), qPrintable(allMessages(r)));
    const Fleet &f = r.fleet;
    QCOMPARE(f.name, QStringLiteral("Production edge"));

    const ScrapeSettings &s = f.scrape;
    QCOMPARE(s.interval, 30s);
    QCOMPARE(s.timeout, 5s);
    QCOMPARE(s.scheme, QStringLiteral("https"));
    QCOMPARE(s.metricsPath, QStringLiteral("/internal/metrics"));
    QCOMPARE(s.bearerTokenFile, dataFile("secrets/token"));
    QCOMPARE(s.tls.caFile, dataFile("secrets/ca.pem"));
    QCOMPARE(s.tls.insecureSkipVerify, false);
    QCOMPARE(s.followRedirects, true);
    QCOMPARE(s.bodySizeLimit, std::optional<qint64>(10 * 1024 * 1024));
    QCOMPARE(s.sampleLimit, std::optional<qint64>(50000));
    QCOMPARE(s.concurrency, std::optional<int>(32));

    QCOMPARE(f.pricingProfile, QStringLiteral("cloudflare-workers-standard"));
    QVERIFY(f.vantage);
    QCOMPARE(f.vantage->name, QStringLiteral("Tokyo"));
    QCOMPARE(f.vantage->lat, 35.69);
    QVERIFY(f.vantage->fromCatalogue);
    QCOMPARE(f.slo.p95LatencyMs, std::optional<double>(250));
    QCOMPARE(f.slo.hitRatio, std::optional<double>(0.9));
    QCOMPARE(f.slo.replicaLagSeconds, std::optional<double>(5));
    QCOMPARE(f.slo.costPerMillionInvocations, std::optional<double>(0.5));
    QCOMPARE(f.metrics.name(MetricRole::RequestDuration),
             QStringLiteral("http_server_request_duration_seconds"));
    QCOMPARE(f.metrics.name(MetricRole::CacheRequests), QStringLiteral("kv_cache_requests_total"));
    QCOMPARE(f.metrics.name(MetricRole::ReplicaLag), QStringLiteral("edge_replica_lag_seconds"));

    QCOMPARE(f.targets.size(), 3);
    const Target &a = f.targets[0];
    QCOMPARE(a.url.toString(), QStringLiteral("https://10.1.0.1:443/internal/metrics"));
    QCOMPARE(a.interval, 30s);
    QCOMPARE(a.timeout, 5s);
    QCOMPARE(a.region->provider, QStringLiteral("aws"));
    QCOMPARE(a.region->code, QStringLiteral("us-east-1"));
    QCOMPARE(a.label(QStringLiteral("provider")), QStringLiteral("aws"));
    const Target &c = f.targets[2];
    QCOMPARE(c.url.toString(),
             QStringLiteral("https://10.2.0.1:443/federate?match=edge_node_info"));
    QCOMPARE(c.interval, 1min);
    QCOMPARE(c.timeout, 5s);
    QCOMPARE(c.region->provider, QStringLiteral("fly"));
    QCOMPARE(c.region->city, QStringLiteral("Frankfurt"));
    // Reserved labels shape the scrape and are not kept as labels.
    QCOMPARE(c.labels.keys(), QStringList { QStringLiteral("region") });
}

void TestFleetFile::formatsAgree_data()
{
    QTest::addColumn<QString>("json");
    QTest::addColumn<QString>("yaml");
    QTest::addRow("bare") << dataFile("bare.json") << dataFile("bare.yaml");
    QTest::addRow("object") << dataFile("object.json") << dataFile("object.yaml");
}

void TestFleetFile::formatsAgree()
{
    QFETCH(QString, json);
    QFETCH(QString, yaml);
    const FleetLoadResult a = loadFleetFile(json);
    const FleetLoadResult b = loadFleetFile(yaml);
    QVERIFY(a.ok() && b.ok());
    QCOMPARE(comparable(a.fleet), comparable(b.fleet));
    QCOMPARE(toJson(comparable(a.fleet)), toJson(comparable(b.fleet)));
}

void TestFleetFile::defaults()
{
    const FleetLoadResult r = parse("targets: [{targets: [a:1]}]");
    QVERIFY2(r.ok(), qPrintable(allMessages(r)));
    const ScrapeSettings &s = r.fleet.scrape;
    QCOMPARE(s.interval, 15s);
    QCOMPARE(s.timeout, 10s);
    QCOMPARE(s.scheme, QStringLiteral("http"));
    QCOMPARE(s.metricsPath, QStringLiteral("/metrics"));
    QCOMPARE(s.followRedirects, false);
    QVERIFY(!s.bodySizeLimit && !s.sampleLimit && !s.concurrency);
    QVERIFY(s.bearerTokenFile.isEmpty() && s.tls.caFile.isEmpty() && !s.tls.insecureSkipVerify);
    QCOMPARE(r.fleet.name, QStringLiteral("bad"));
    QCOMPARE(r.fleet.targets[0].placement, Placement::Unplaced);
    QVERIFY(r.warnings.isEmpty()); // no region label at all: unplaced without a warning
}

void TestFleetFile::timeout_data()
{
    QTest::addColumn<QByteArray>("scrape");
    QTest::addColumn<std::chrono::milliseconds>("interval");
    QTest::addColumn<std::chrono::milliseconds>("timeout");
    QTest::addColumn<bool>("warned");
    QTest::addRow("defaults") << QByteArray("{}") << 15000ms << 10000ms << false;
    QTest::addRow("short interval clamps the default")
        << QByteArray("{interval: 5s}") << 5000ms << 5000ms << false;
    QTest::addRow("explicit timeout above interval")
        << QByteArray("{interval: 5s, timeout: 20s}") << 5000ms << 5000ms << true;
    QTest::addRow("explicit timeout below")
        << QByteArray("{interval: 1m, timeout: 3s}") << 60000ms << 3000ms << false;
    QTest::addRow("timeout before interval")
        << QByteArray("{timeout: 30s, interval: 1m}") << 60000ms << 30000ms << false;
    QTest::addRow("prometheus spellings")
        << QByteArray("{scrape_interval: 2m, scrape_timeout: 1m}") << 120000ms << 60000ms << false;
}

void TestFleetFile::timeout()
{
    QFETCH(QByteArray, scrape);
    QFETCH(std::chrono::milliseconds, interval);
    QFETCH(std::chrono::milliseconds, timeout);
    QFETCH(bool, warned);
    const FleetLoadResult r = parse("scrape: " + scrape + "\ntargets: [{targets: [a:1]}]");
    QVERIFY2(r.ok(), qPrintable(allMessages(r)));
    QCOMPARE(r.fleet.scrape.interval, interval);
    QCOMPARE(r.fleet.scrape.timeout, timeout);
    QCOMPARE(r.fleet.targets[0].timeout, timeout);
    QCOMPARE(!r.warnings.isEmpty(), warned);
    if (warned)
        QCOMPARE(r.warnings[0].toString(),
                 QStringLiteral("bad.yaml:1:24: scrape.timeout 20s is longer than the interval 5s; "
                                "using 5s"));
}

void TestFleetFile::durations_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("ms"); // -1: invalid
    QTest::addRow("seconds") << "15s" << qint64(15000);
    QTest::addRow("minutes") << "1m" << qint64(60000);
    QTest::addRow("milliseconds") << "500ms" << qint64(500);
    QTest::addRow("compound") << "1h30m15s" << qint64(5415000);
    QTest::addRow("all units") << "1y1w1d1h1m1s1ms"
                               << qint64(((365 + 7 + 1) * 24 + 1) * 3600000LL + 61001);
    QTest::addRow("zero") << "0" << qint64(0);
    QTest::addRow("zero with unit") << "0s" << qint64(0);
    QTest::addRow("empty") << "" << qint64(-1);
    QTest::addRow("no unit") << "15" << qint64(-1);
    QTest::addRow("space") << "15 s" << qint64(-1);
    QTest::addRow("fraction") << "1.5s" << qint64(-1);
    QTest::addRow("negative") << "-1s" << qint64(-1);
    QTest::addRow("wrong order") << "30s1m" << qint64(-1);
    QTest::addRow("unit twice") << "1s1s" << qint64(-1);
    QTest::addRow("unknown unit") << "1us" << qint64(-1);
    QTest::addRow("upper case") << "1S" << qint64(-1);
    QTest::addRow("overflow") << "99999999999999999999y" << qint64(-1);
    QTest::addRow("overflow after multiply") << "9999999999999y" << qint64(-1);
    QTest::addRow("full-width digits") << "１５s" << qint64(-1);
}

void TestFleetFile::durations()
{
    QFETCH(QString, text);
    QFETCH(qint64, ms);
    QString error;
    const std::optional<std::chrono::milliseconds> d = parseDuration(text, &error);
    QCOMPARE(d.has_value(), ms >= 0);
    if (d) {
        QCOMPARE(d->count(), ms);
        QCOMPARE(parseDuration(formatDuration(*d)), d); // the round trip
    } else {
        QVERIFY(!error.isEmpty());
    }
}

void TestFleetFile::byteSizes_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("bytes");
    QTest::addRow("plain") << "1024" << qint64(1024);
    QTest::addRow("B") << "10B" << qint64(10);
    QTest::addRow("KB is base 2 as in Prometheus") << "1KB" << qint64(1024);
    QTest::addRow("KiB") << "512KiB" << qint64(512 * 1024);
    QTest::addRow("MB") << "10MB" << qint64(10 * 1024 * 1024);
    QTest::addRow("GiB") << "2GiB" << qint64(2) * 1024 * 1024 * 1024;
    QTest::addRow("unknown unit") << "10XB" << qint64(-1);
    QTest::addRow("fraction") << "1.5MB" << qint64(-1);
    QTest::addRow("overflow") << "9999999999999TB" << qint64(-1);
    QTest::addRow("empty") << "" << qint64(-1);
}

void TestFleetFile::byteSizes()
{
    QFETCH(QString, text);
    QFETCH(qint64, bytes);
    const std::optional<qint64> v = parseByteSize(text);
    QCOMPARE(v.has_value(), bytes >= 0);
    if (v)
        QCOMPARE(*v, bytes);
}

void TestFleetFile::unplacedTargetsAreKept()
{
    const FleetLoadResult r =
        parse("- targets: [a:1, b:1]\n  labels: {region: basement}\n"
              "- targets: [c:1]\n"
              "- targets: [d:1]\n  labels: {region: nrt}\n"
              "- targets: [e:1]\n  labels: {region: basement, lat: 1, lon: 2}\n");
    QVERIFY(r.ok());
    QCOMPARE(r.fleet.targets.size(), 5);
    const QList<Target> unplaced = r.fleet.unplacedTargets();
    QCOMPARE(unplaced.size(), 3);
    QCOMPARE(unplaced[0].address, QStringLiteral("a:1"));
    QCOMPARE(unplaced[0].regionCode(), QStringLiteral("basement"));
    QCOMPARE(unplaced[2].address, QStringLiteral("c:1"));
    QCOMPARE(r.fleet.targets[4].placement, Placement::Coordinates);
    QCOMPARE(r.fleet.targets[4].lat, 1.0);
    QCOMPARE(toJson(unplaced[0]).value(QStringLiteral("placement")).toString(),
             QStringLiteral("unplaced"));
}

void TestFleetFile::regionPlacement_data()
{
    QTest::addColumn<QByteArray>("labels");
    QTest::addColumn<int>("placement");
    QTest::addColumn<QString>("provider"); // of the catalogue entry; empty: none
    QTest::addColumn<double>("lat");
    QTest::addRow("fly by default")
        << QByteArray("{region: nrt}") << int(Placement::Region) << "fly" << 35.69;
    QTest::addRow("provider picks cloudflare") << QByteArray("{region: nrt, provider: cloudflare}")
                                               << int(Placement::Region) << "cloudflare" << 35.76;
    QTest::addRow("provider case-insensitive") << QByteArray("{region: NRT, provider: Cloudflare}")
                                               << int(Placement::Region) << "cloudflare" << 35.76;
    QTest::addRow("aws region") << QByteArray("{region: ap-northeast-1}") << int(Placement::Region)
                                << "aws" << 35.69;
    QTest::addRow("code of another provider") << QByteArray("{region: us-east-1, provider: gcp}")
                                              << int(Placement::Unplaced) << "" << 0.0;
    QTest::addRow("lat/lon win over the catalogue")
        << QByteArray("{region: nrt, lat: 35.0, lon: 139.0}") << int(Placement::Coordinates)
        << "fly" << 35.0;
    QTest::addRow("numbers as label values")
        << QByteArray("{lat: 10, lon: -20.5}") << int(Placement::Coordinates) << "" << 10.0;
    QTest::addRow("nothing") << QByteArray("{node: x}") << int(Placement::Unplaced) << "" << 0.0;
}

void TestFleetFile::regionPlacement()
{
    QFETCH(QByteArray, labels);
    QFETCH(int, placement);
    QFETCH(QString, provider);
    QFETCH(double, lat);
    const FleetLoadResult r = parse("- targets: [a:1]\n  labels: " + labels + "\n");
    QVERIFY2(r.ok(), qPrintable(allMessages(r)));
    const Target &t = r.fleet.targets[0];
    QCOMPARE(int(t.placement), placement);
    QCOMPARE(t.region ? t.region->provider : QString(), provider);
    QCOMPARE(t.lat, lat);
}

void TestFleetFile::vantage_data()
{
    QTest::addColumn<QByteArray>("vantage");
    QTest::addColumn<QString>("name");
    QTest::addColumn<double>("lat");
    QTest::addColumn<bool>("fromCatalogue");
    QTest::addRow("centre") << QByteArray("Tokyo") << "Tokyo" << 35.69 << true;
    QTest::addRow("centre without diacritics")
        << QByteArray("sao paulo") << "São Paulo" << -23.55 << true;
    QTest::addRow("centre by name key")
        << QByteArray("{name: New York}") << "New York" << 40.71 << true;
    QTest::addRow("coordinates") << QByteArray("{lat: 48.85, lon: 2.35}") << "48.85, 2.35" << 48.85
                                 << false;
    QTest::addRow("named coordinates")
        << QByteArray("{name: Office, lat: 48.85, lon: 2.35}") << "Office" << 48.85 << false;
}

void TestFleetFile::vantage()
{
    QFETCH(QByteArray, vantage);
    QFETCH(QString, name);
    QFETCH(double, lat);
    QFETCH(bool, fromCatalogue);
    const FleetLoadResult r = parse("vantage: " + vantage + "\ntargets: []\n");
    QVERIFY2(r.ok(), qPrintable(allMessages(r)));
    QVERIFY(r.fleet.vantage);
    QCOMPARE(r.fleet.vantage->name, name);
    QCOMPARE(r.fleet.vantage->lat, lat);
    QCOMPARE(r.fleet.vantage->fromCatalogue, fromCatalogue);
}

void TestFleetFile::metricNames()
{
    // Every role's key, METRICS.md role name, default and OTel name select it.
    for (const MetricRoleInfo &info : metricRoles()) {
        QCOMPARE(metricRoleFromKey(QString::fromLatin1(info.key)), info.role);
        QCOMPARE(metricRoleFromKey(QString::fromLatin1(info.defaultName)), info.role);
        if (info.contractRole)
            QCOMPARE(metricRoleFromKey(QString::fromLatin1(info.contractRole)), info.role);
        QVERIFY(isValidMetricName(QString::fromLatin1(info.defaultName)));
    }
    QCOMPARE(metricRoles().size(), std::size_t(26));
    QCOMPARE(metricRoleFromKey(u"http_server_request_duration_seconds"),
             MetricRole::RequestDuration);

    MetricNames defaults;
    QCOMPARE(defaults.candidates(MetricRole::RequestDuration),
             QStringList({ QStringLiteral("edge_request_duration_seconds"),
                           QStringLiteral("http_server_request_duration_seconds") }));
    QCOMPARE(defaults.candidates(MetricRole::ReplicaLag),
             QStringList { QStringLiteral("edge_replica_lag_seconds") });

    const FleetLoadResult r = parse("metrics:\n"
                                    "  request_latency: my_latency_seconds\n"
                                    "  edge_kv_operations_total: kv_ops_total\n"
                                    "  http_server_request_duration_seconds: ignored_twice\n"
                                    "targets: []\n");
    QVERIFY(!r.ok()); // the OTel name names request_duration a second time
    const FleetLoadResult ok = parse("metrics:\n"
                                     "  request_latency: my_latency_seconds\n"
                                     "  edge_kv_operations_total: kv_ops_total\n"
                                     "  cpu: 'process:cpu_seconds_total'\n"
                                     "targets: []\n");
    QVERIFY2(ok.ok(), qPrintable(allMessages(ok)));
    QCOMPARE(ok.fleet.metrics.candidates(MetricRole::RequestDuration),
             QStringList { QStringLiteral("my_latency_seconds") });
    QCOMPARE(ok.fleet.metrics.name(MetricRole::KvOperations), QStringLiteral("kv_ops_total"));
    QCOMPARE(ok.fleet.metrics.name(MetricRole::CpuSeconds),
             QStringLiteral("process:cpu_seconds_total"));
    const QJsonObject json = toJson(ok.fleet).value(QStringLiteral("metrics")).toObject();
    QCOMPARE(json.value(QStringLiteral("request_duration")).toString(),
             QStringLiteral("my_latency_seconds"));
}

void TestFleetFile::reservedLabels()
{
    const FleetLoadResult r = parse("scrape: {interval: 30s, timeout: 20s}\n"
                                    "targets:\n"
                                    "  - targets: [a:1]\n"
                                    "    labels:\n"
                                    "      __scheme__: https\n"
                                    "      __metrics_path__: /probe\n"
                                    "      __param_target: 'https://x.example/?a=b&c'\n"
                                    "      __param_module: http_2xx\n"
                                    "      __scrape_interval__: 10s\n"
                                    "      __address__: ignored:1\n"
                                    "      instance: edge-a\n"
                                    "  - targets: [a:1]\n"
                                    "    labels: {__scrape_timeout__: 1m}\n");
    QVERIFY2(r.ok(), qPrintable(allMessages(r)));
    const Target &t = r.fleet.targets[0];
    QCOMPARE(t.scheme, QStringLiteral("https"));
    QCOMPARE(t.url.scheme(), QStringLiteral("https"));
    QCOMPARE(t.url.path(), QStringLiteral("/probe"));
    QCOMPARE(
        t.url.toString(QUrl::FullyEncoded),
        QStringLiteral("https://a:1/probe?target=https://x.example/?a%3Db%26c&module=http_2xx"));
    QCOMPARE(t.interval, 10s);
    QCOMPARE(t.timeout, 10s); // the fleet's 20s clamped to this target's interval
    QCOMPARE(t.labels.keys(), QStringList { QStringLiteral("instance") });
    QCOMPARE(t.instance(), QStringLiteral("edge-a"));
    // Same address, different URL: not a duplicate.
    const Target &u = r.fleet.targets[1];
    QCOMPARE(u.url.toString(), QStringLiteral("http://a:1/metrics"));
    QCOMPARE(u.timeout, 30s); // clamped to the interval, with a warning
    QVERIFY(!r.warnings.isEmpty());
}

void TestFleetFile::stableIds()
{
    const FleetLoadResult a =
        parse("- targets: [a:1, b:2]\n  labels: {region: nrt}\n- targets: [c:3]\n");
    const FleetLoadResult b =
        parse("# reordered and relabelled\n- targets: [c:3]\n  labels: {node: x}\n"
              "- targets: [B:2, a:1]\n");
    QVERIFY(a.ok() && b.ok());
    QCOMPARE(a.fleet.targets[0].id, b.fleet.targets[2].id);
    QCOMPARE(a.fleet.targets[1].id, b.fleet.targets[1].id);
    QCOMPARE(a.fleet.targets[2].id, b.fleet.targets[0].id);
    QVERIFY(a.fleet.targets[0].id != a.fleet.targets[1].id);
    QCOMPARE(a.fleet.findTarget(a.fleet.targets[2].id)->address, QStringLiteral("c:3"));
    QVERIFY(!a.fleet.findTarget(QStringLiteral("nope")));
    const FleetLoadResult https = parse("scrape: {scheme: https}\ntargets: [{targets: [a:1]}]\n");
    QVERIFY(https.fleet.targets[0].id != a.fleet.targets[0].id);
}

void TestFleetFile::targetLabelsWin()
{
    const QMap<QString, QString> target { { QStringLiteral("region"), QStringLiteral("nrt") },
                                          { QStringLiteral("node"), QStringLiteral("edge-1") } };
    const QMap<QString, QString> sample { { QStringLiteral("region"), QStringLiteral("iad") },
                                          { QStringLiteral("exported_region"),
                                            QStringLiteral("x") },
                                          { QStringLiteral("route"), QStringLiteral("/") } };
    const QMap<QString, QString> merged = mergeTargetLabels(target, sample);
    QCOMPARE(merged.value(QStringLiteral("region")), QStringLiteral("nrt"));
    QCOMPARE(merged.value(QStringLiteral("node")), QStringLiteral("edge-1"));
    QCOMPARE(merged.value(QStringLiteral("route")), QStringLiteral("/"));
    QCOMPARE(merged.value(QStringLiteral("exported_region")), QStringLiteral("x"));
    QCOMPARE(merged.value(QStringLiteral("exported_exported_region")), QStringLiteral("iad"));
    QCOMPARE(merged.size(), 5);
}

void TestFleetFile::secretNeverSerialised()
{
    QFile tokenFile(dataFile("secrets/token"));
    QVERIFY(tokenFile.open(QIODevice::ReadOnly));
    QVERIFY(tokenFile.readAll().contains(kSecret));

    for (const char *name : { "object.yaml", "object.json" }) {
        const FleetLoadResult r = loadFleetFile(dataFile(name));
        QVERIFY(r.ok());
        QCOMPARE(r.fleet.scrape.bearerTokenFile, dataFile("secrets/token"));
        QByteArray everything = QJsonDocument(toJson(r.fleet)).toJson();
        QString debug;
        QDebug(&debug) << r.fleet << r.fleet.scrape << r.fleet.targets << r.errors << r.warnings;
        everything += debug.toUtf8() + r.errorString().toUtf8();
        // Every string held anywhere in the value.
        everything += r.fleet.name.toUtf8() + r.fleet.scrape.bearerTokenFile.toUtf8();
        for (const Target &t : r.fleet.targets) {
            everything += t.url.toEncoded();
            for (auto it = t.labels.cbegin(); it != t.labels.cend(); ++it)
                everything += it.key().toUtf8() + it.value().toUtf8();
        }
        QVERIFY(everything.contains("secrets/token"));
        QVERIFY2(!everything.contains(kSecret), name);
    }
    // Errors about the token file name the path, never the contents.
    const FleetLoadResult bad =
        parse("scrape: {bearer_token_file: secrets/token, interval: x}\ntargets: []");
    QVERIFY(!bad.errorString().contains(QString::fromLatin1(kSecret)));
    QString error;
    QCOMPARE(fleetscope::fleet::readBearerToken(dataFile("secrets/token"), &error),
             std::optional(kSecret));
}

QTEST_GUILESS_MAIN(TestFleetFile)
#include "tst_fleetfile.moc"
