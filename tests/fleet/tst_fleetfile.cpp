// Fleet files: both formats (JSON, YAML) in both forms (bare file_sd list, object), every option,
// every error kind with its exact FILE:LINE:COL, unplaced targets, hostile input, and the bearer
// token never reaching anything that can be serialised.

#include "fleet/duration.h"
#include "fleet/fleetfile.h"
#include "fleet/metricroles.h"

#include <QDebug>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace fleetscope::fleet;
using namespace std::chrono_literals;

namespace {

const QString kDataDir = QStringLiteral(FLEET_TEST_DATA);
const QByteArray kSecret = "s3cr3t-TOKEN-must-never-leak";

QString dataFile(const char *name)
{
    return kDataDir + QLatin1Char('/') + QLatin1String(name);
}

FleetFileOptions testOptions()
{
    FleetFileOptions o;
    o.baseDirectory = kDataDir;
    return o;
}

FleetLoadResult parse(const QByteArray &text, const FleetFileOptions &options = testOptions())
{
    return parseFleetFile(text, QStringLiteral("bad.yaml"), options);
}

QString allMessages(const FleetLoadResult &r)
{
    QStringList out;
    for (const Diagnostic &d : r.errors)
        out << QStringLiteral("error: ") + d.toString();
    for (const Diagnostic &d : r.warnings)
        out << QStringLiteral("warning: ") + d.toString();
    return out.join(QLatin1Char('\n'));
}

// The fleet with what legitimately differs between two files of the same fleet removed.
Fleet comparable(Fleet f)
{
    f.name.clear();
    f.sourceFile.clear();
    for (Target &t : f.targets) {
        t.line = 0;
        t.column = 0;
    }
    return f;
}

} // namespace

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
    void errors_data();
    void errors();
    void errorsFromFiles();
    void everyErrorIsReported();
    void warnings_data();
    void warnings();
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
    void readBearerToken_data();
    void readBearerToken();
    void hostile_data();
    void hostile();
    void hostileFiles();
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

void TestFleetFile::errors_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("where"); // the exact FILE:LINE:COL prefix of one error
    QTest::addColumn<QString>("message"); // a part of that error's message

    // Unknown keys, with "did you mean" for near misses.
    QTest::addRow("unknown top-level key")
        << QByteArray("nmae: x\ntargets: []\n") << "bad.yaml:1:1"
        << "fleet: unknown key \"nmae\" (did you mean \"name\"?)";
    QTest::addRow("unknown key, no near miss")
        << QByteArray("frobnicate: 1\ntargets: []\n") << "bad.yaml:1:1"
        << "unknown key \"frobnicate\"; expected one of: name, targets";
    QTest::addRow("unknown scrape key")
        << QByteArray("scrape:\n  intervall: 15s\ntargets: []\n") << "bad.yaml:2:3"
        << "did you mean \"interval\"?";
    QTest::addRow("unknown tls key")
        << QByteArray("scrape:\n  tls: {cafile: x}\ntargets: []\n") << "bad.yaml:2:9"
        << "did you mean \"ca_file\"?";
    QTest::addRow("unknown group key")
        << QByteArray("- targets: [a:1]\n  lables: {}\n") << "bad.yaml:2:3"
        << "did you mean \"labels\"?";
    QTest::addRow("unknown slo key")
        << QByteArray("slo: {p95_latency: 200}\ntargets: []\n") << "bad.yaml:1:7"
        << "did you mean \"p95_latency_ms\"?";
    QTest::addRow("unknown metric role")
        << QByteArray("metrics: {request_durations: x}\ntargets: []\n") << "bad.yaml:1:11"
        << "did you mean \"request_duration\"?";
    QTest::addRow("unknown vantage key")
        << QByteArray("vantage: {lat: 1, lng: 2}\ntargets: []\n") << "bad.yaml:1:19"
        << "unknown key \"lng\"";
    QTest::addRow("duplicate key")
        << QByteArray("name: a\nname: b\ntargets: []\n") << "bad.yaml:2:1"
        << "duplicate key \"name\" (first at line 1)";
    QTest::addRow("duplicate label")
        << QByteArray("- targets: [a:1]\n  labels: {node: a, node: b}\n") << "bad.yaml:2:21"
        << "duplicate key \"node\"";
    QTest::addRow("setting given twice")
        << QByteArray("scrape: {interval: 1m, scrape_interval: 2m}\ntargets: []\n")
        << "bad.yaml:1:24"
        << "sets interval a second time";

    // Wrong types.
    QTest::addRow("root is a scalar") << QByteArray("hello\n") << "bad.yaml:1:1"
                                      << "expected a list of target groups";
    QTest::addRow("targets is a string")
        << QByteArray("targets: 10.0.0.1:9100\n") << "bad.yaml:1:10"
        << "targets: expected a list of target groups";
    QTest::addRow("group targets is a string")
        << QByteArray("- targets: 10.0.0.1:9100\n") << "bad.yaml:1:12"
        << "expected a list of \"host:port\" strings, got \"10.0.0.1:9100\"";
    QTest::addRow("group is a list") << QByteArray("- [a:1]\n") << "bad.yaml:1:3"
                                     << "expected a target group {targets: [host:port, ...]";
    QTest::addRow("labels is a list")
        << QByteArray("- targets: [a:1]\n  labels: [x]\n") << "bad.yaml:2:11"
        << "expected a mapping such as";
    QTest::addRow("boolean quoted (json)")
        << QByteArray("{\"scrape\": {\"follow_redirects\": \"yes\"}, \"targets\": []}")
        << "bad.yaml:1:33"
        << "expected true or false (unquoted), got the string \"yes\"";
    QTest::addRow("number quoted (json)")
        << QByteArray("{\"scrape\":{\"concurrency\":\"8\"},\"targets\":[]}") << "bad.yaml:1:26"
        << "expected a whole number, got the string \"8\"";
    QTest::addRow("fraction for a count")
        << QByteArray("scrape: {concurrency: 2.5}\ntargets: []\n") << "bad.yaml:1:23"
        << "expected a whole number";
    QTest::addRow("scrape is a list") << QByteArray("scrape: [1]\ntargets: []\n") << "bad.yaml:1:9"
                                      << "scrape: expected a mapping";
    QTest::addRow("null label value")
        << QByteArray("- targets: [a:1]\n  labels: {region: ~}\n") << "bad.yaml:2:12"
        << "label region: expected a string, got nothing (null)";
    QTest::addRow("map label value")
        << QByteArray("- targets: [a:1]\n  labels: {region: {a: b}}\n") << "bad.yaml:2:20"
        << "got a mapping";
    QTest::addRow("target is a number") << QByteArray("- targets: [9100]\n") << "bad.yaml:1:13"
                                        << "target \"9100\": the port is missing";

    // Durations.
    QTest::addRow("duration with a space")
        << QByteArray("scrape:\n  interval: 15 s\ntargets: []\n") << "bad.yaml:2:13"
        << "expected a duration such as \"15s\"";
    QTest::addRow("duration without unit")
        << QByteArray("scrape:\n  interval: 15\ntargets: []\n") << "bad.yaml:2:13"
        << "got the bare number \"15\"";
    QTest::addRow("duration units out of order")
        << QByteArray("scrape:\n  interval: 30s1m\ntargets: []\n") << "bad.yaml:2:13"
        << "largest first";
    QTest::addRow("zero interval")
        << QByteArray("scrape:\n  interval: 0\ntargets: []\n") << "bad.yaml:2:13"
        << "expected a duration above 0 and at most 24h";
    QTest::addRow("interval too long")
        << QByteArray("scrape: {interval: 2d}\ntargets: []\n") << "bad.yaml:1:20"
        << "at most 24h";
    QTest::addRow("label interval")
        << QByteArray("- targets: [a:1]\n  labels: {__scrape_interval__: soon}\n")
        << "bad.yaml:2:33"
        << "label __scrape_interval__: expected a duration";

    // Targets.
    QTest::addRow("missing port")
        << QByteArray("- targets: [example.com]\n") << "bad.yaml:1:13"
        << "target \"example.com\": the port is missing; expected host:port";
    QTest::addRow("scheme in target")
        << QByteArray("- targets: [\"http://a:1\"]\n") << "bad.yaml:1:13"
        << "a scheme does not belong in a target";
    QTest::addRow("path in target")
        << QByteArray("- targets: [\"a:1/metrics\"]\n") << "bad.yaml:1:13"
        << "a path does not belong in a target";
    QTest::addRow("port out of range")
        << QByteArray("- targets: [a:70000]\n") << "bad.yaml:1:13"
        << "the port must be a number from 1 to 65535, got \"70000\"";
    QTest::addRow("port zero") << QByteArray("- targets: [a:0]\n") << "bad.yaml:1:13"
                               << "from 1 to 65535";
    QTest::addRow("port not a number") << QByteArray("- targets: [a:http]\n") << "bad.yaml:1:13"
                                       << "from 1 to 65535";
    QTest::addRow("ipv6 without brackets")
        << QByteArray("- targets: ['2001:db8::1:9100']\n") << "bad.yaml:1:13"
        << "needs brackets";
    QTest::addRow("bad ipv6") << QByteArray("- targets: ['[2001:zz::1]:9100']\n") << "bad.yaml:1:13"
                              << "is not an IPv6 address";
    QTest::addRow("non-ASCII host") << QByteArray("- targets: [b\xC3\xBC"
                                                  "cher.example:80]\n")
                                    << "bad.yaml:1:13"
                                    << "xn-- form";
    QTest::addRow("bad host character") << QByteArray("- targets: ['a b:80']\n") << "bad.yaml:1:13"
                                        << "\" \" cannot appear in a host name";
    QTest::addRow("empty host label") << QByteArray("- targets: ['a..b:80']\n") << "bad.yaml:1:13"
                                      << "is not a valid host name";
    QTest::addRow("empty target") << QByteArray("- targets: ['']\n") << "bad.yaml:1:13"
                                  << "empty";
    QTest::addRow("duplicate target")
        << QByteArray("- targets: [a:1]\n- targets: [\"A:1\"]\n") << "bad.yaml:2:13"
        << "duplicate target \"a:1\" (http://a:1/metrics is already listed at line 1)";
    QTest::addRow("duplicate within a group")
        << QByteArray("- targets: [a:1, b:2, a:1]\n") << "bad.yaml:1:23"
        << "duplicate target";
    QTest::addRow("group without targets")
        << QByteArray("- labels: {region: nrt}\n") << "bad.yaml:1:3"
        << "target group 1: missing \"targets\"";
    QTest::addRow("object without targets") << QByteArray("name: x\n") << "bad.yaml:1:1"
                                            << "fleet: missing \"targets\"";

    // Labels.
    QTest::addRow("bad label name")
        << QByteArray("- targets: [a:1]\n  labels: {\"bad-name\": x}\n") << "bad.yaml:2:12"
        << "label name \"bad-name\" is not valid";
    QTest::addRow("lat not a number")
        << QByteArray("- targets: [a:1]\n  labels: {lat: north, lon: 1}\n") << "bad.yaml:2:17"
        << "lat: expected decimal degrees from -90 to 90, got \"north\"";
    QTest::addRow("lon out of range")
        << QByteArray("- targets: [a:1]\n  labels: {lat: 1, lon: 181}\n") << "bad.yaml:2:25"
        << "lon: expected decimal degrees from -180 to 180";
    QTest::addRow("lat without lon")
        << QByteArray("- targets: [a:1]\n  labels: {lat: 1}\n") << "bad.yaml:2:12"
        << "label lat needs lon as well";
    QTest::addRow("bad __scheme__")
        << QByteArray("- targets: [a:1]\n  labels: {__scheme__: gopher}\n") << "bad.yaml:2:24"
        << "expected \"http\" or \"https\", got \"gopher\"";
    QTest::addRow("bad __metrics_path__")
        << QByteArray("- targets: [a:1]\n  labels: {__metrics_path__: m}\n") << "bad.yaml:2:30"
        << "starting with \"/\"";

    // Scrape settings.
    QTest::addRow("bad scheme") << QByteArray("scrape: {scheme: ftp}\ntargets: []\n")
                                << "bad.yaml:1:18"
                                << "scrape.scheme: expected \"http\" or \"https\", got \"ftp\"";
    QTest::addRow("bad metrics_path")
        << QByteArray("scrape: {metrics_path: metrics}\ntargets: []\n") << "bad.yaml:1:24"
        << "expected a URL path starting with \"/\"";
    QTest::addRow("negative sample_limit")
        << QByteArray("scrape: {sample_limit: -1}\ntargets: []\n") << "bad.yaml:1:24"
        << "expected a whole number from 0 to";
    QTest::addRow("huge concurrency")
        << QByteArray("scrape: {concurrency: 99999999999999999999999}\ntargets: []\n")
        << "bad.yaml:1:23"
        << "out of range";
    QTest::addRow("bad body_size_limit")
        << QByteArray("scrape: {body_size_limit: 10XB}\ntargets: []\n") << "bad.yaml:1:27"
        << "expected a size in bytes";
    QTest::addRow("missing bearer token file")
        << QByteArray("scrape:\n  bearer_token_file: secrets/no-such-token\ntargets: []\n")
        << "bad.yaml:2:22"
        << QStringLiteral("scrape.bearer_token_file: the file \"%1/secrets/no-such-token\" does "
                          "not exist")
               .arg(kDataDir);
    QTest::addRow("bearer token file is a directory")
        << QByteArray("scrape:\n  bearer_token_file: secrets\ntargets: []\n") << "bad.yaml:2:22"
        << "is not a regular file";
    QTest::addRow("inline bearer token")
        << QByteArray("scrape:\n  bearer_token: abc\ntargets: []\n") << "bad.yaml:2:3"
        << "secrets are never written in a fleet file";
    QTest::addRow("missing ca file")
        << QByteArray("scrape:\n  tls: {ca_file: nope.pem}\ntargets: []\n") << "bad.yaml:2:18"
        << "does not exist";

    // Pricing, vantage, SLO, metrics.
    QTest::addRow("unknown pricing profile")
        << QByteArray("pricing: cloudflare-worker-standard\ntargets: []\n") << "bad.yaml:1:10"
        << "unknown pricing profile \"cloudflare-worker-standard\" (did you mean "
           "\"cloudflare-workers-standard\"?)";
    QTest::addRow("pricing is a list")
        << QByteArray("pricing: [a]\ntargets: []\n") << "bad.yaml:1:10"
        << "pricing: expected a string, got a list";
    QTest::addRow("unknown vantage")
        << QByteArray("vantage: Tokio\ntargets: []\n") << "bad.yaml:1:10"
        << "unknown population centre \"Tokio\" (did you mean \"Tokyo\"?)";
    QTest::addRow("vantage lat out of range")
        << QByteArray("vantage: {lat: 95, lon: 0}\ntargets: []\n") << "bad.yaml:1:16"
        << "from -90 to 90";
    QTest::addRow("vantage lat only")
        << QByteArray("vantage: {lat: 5}\ntargets: []\n") << "bad.yaml:1:10"
        << "expected both lat and lon";
    QTest::addRow("hit ratio as percent")
        << QByteArray("slo: {hit_ratio: 95}\ntargets: []\n") << "bad.yaml:1:18"
        << "0.95 for 95%";
    QTest::addRow("negative latency slo")
        << QByteArray("slo: {p95_latency_ms: -5}\ntargets: []\n") << "bad.yaml:1:23"
        << "above 0";
    QTest::addRow("huge number") << QByteArray("slo: {p95_latency_ms: 1e999}\ntargets: []\n")
                                 << "bad.yaml:1:23"
                                 << "the number is out of range";
    QTest::addRow("infinity") << QByteArray("slo: {p95_latency_ms: .inf}\ntargets: []\n")
                              << "bad.yaml:1:23"
                              << "expected a number (unquoted)";
    QTest::addRow("bad metric name")
        << QByteArray("metrics: {request_duration: 'http-duration'}\ntargets: []\n")
        << "bad.yaml:1:29"
        << "expected a Prometheus metric name";
    QTest::addRow("role named twice")
        << QByteArray("metrics: {request_duration: a, request_latency: b}\ntargets: []\n")
        << "bad.yaml:1:32"
        << "names the role \"request_duration\" again";
    QTest::addRow("one name for two roles")
        << QByteArray("metrics: {cache_requests: x, kv_operations: x}\ntargets: []\n")
        << "bad.yaml:1:45"
        << "already the name for \"cache_requests\"";

    // Syntax and encoding.
    QTest::addRow("yaml syntax") << QByteArray("- targets: [a:1\n") << "bad.yaml:2:1"
                                 << "not valid YAML or JSON";
    QTest::addRow("json syntax") << QByteArray("[{\"targets\": [\"a:1\"] \"labels\": {}}]")
                                 << "bad.yaml:1:"
                                 << "not valid YAML or JSON";
    // yaml-cpp 0.7 loops for ever on these unless FleetScope stops it (jbeder/yaml-cpp#1040).
    QTest::addRow("stray comma") << QByteArray(",") << "bad.yaml:1:1"
                                 << "not valid YAML or JSON: unexpected \",\"";
    QTest::addRow("stray comma (fuzz)") << QByteArray(",a{b=\"A|\"") << "bad.yaml:1:1"
                                        << "not valid YAML or JSON: unexpected \",\"";
    QTest::addRow("second document") << QByteArray("[]\n---\n[]\n") << "bad.yaml:2:1"
                                     << "a second YAML document begins here";
    QTest::addRow("empty file") << QByteArray("") << "bad.yaml"
                                << "the file holds no fleet";
    QTest::addRow("only a comment") << QByteArray("# nothing\n") << "bad.yaml"
                                    << "the file holds no fleet";
    QTest::addRow("malformed utf-8") << QByteArray("name: \xff\ntargets: []\n") << "bad.yaml:1:7"
                                     << "malformed UTF-8";
    QTest::addRow("overlong utf-8") << QByteArray("name: \xc0\xaf\n") << "bad.yaml:1:7"
                                    << "malformed UTF-8";
    QTest::addRow("encoded surrogate") << QByteArray("name: \xed\xa0\x80\n") << "bad.yaml:1:7"
                                       << "malformed UTF-8";
    QTest::addRow("NUL byte") << QByteArray("name: a\0b\n", 10) << "bad.yaml:1:8"
                              << "NUL byte";
    QTest::addRow("escaped NUL") << QByteArray("name: \"a\\0b\"\ntargets: []\n") << "bad.yaml:1:7"
                                 << "NUL character";
    QTest::addRow("escaped lone surrogate")
        << QByteArray("{\"name\": \"\\ud800\", \"targets\": []}") << "bad.yaml:1:"
        << "invalid unicode";
    QTest::addRow("utf-16") << QByteArray("\xff\xfe[\0]\0", 6) << "bad.yaml"
                            << "UTF-16";
    QTest::addRow("deep flow nesting") << QByteArray(100, '[') << "bad.yaml:1:65"
                                       << "nested more than 64 levels deep";
    QTest::addRow("deep block nesting") << QByteArray("- ").repeated(100) + "x"
                                        << "bad.yaml:1:129"
                                        << "nested more than 64 levels deep";
}

void TestFleetFile::errors()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, where);
    QFETCH(QString, message);
    const FleetLoadResult r = parse(text);
    QVERIFY2(!r.ok(), qPrintable(allMessages(r)));
    QVERIFY(r.fleet.targets.isEmpty());
    bool found = false;
    for (const Diagnostic &d : r.errors) {
        QVERIFY2(d.toString().startsWith(QStringLiteral("bad.yaml")), qPrintable(d.toString()));
        if (d.toString().startsWith(
                where + (where.endsWith(QLatin1Char(':')) ? QString() : QStringLiteral(": ")))
            && d.toString().contains(message))
            found = true;
    }
    QVERIFY2(
        found,
        qPrintable(
            QStringLiteral("want %1: ...%2...\ngot:\n%3").arg(where, message, allMessages(r))));
}

void TestFleetFile::errorsFromFiles()
{
    const FleetLoadResult r = loadFleetFile(dataFile("missing-token.yaml"));
    QVERIFY(!r.ok());
    QCOMPARE(r.errors.size(), 1);
    QCOMPARE(r.errors[0].file, dataFile("missing-token.yaml"));
    QCOMPARE(r.errors[0].line, 2);
    QCOMPARE(r.errors[0].column, 22);
    QVERIFY(r.errorString().startsWith(dataFile("missing-token.yaml") + QStringLiteral(":2:22: ")));

    const FleetLoadResult none = loadFleetFile(dataFile("no-such-fleet.yaml"));
    QCOMPARE(none.errorString(), dataFile("no-such-fleet.yaml") + QStringLiteral(": no such file"));
    const FleetLoadResult dir = loadFleetFile(kDataDir);
    QVERIFY(dir.errorString().contains(QStringLiteral("is a directory")));
}

void TestFleetFile::everyErrorIsReported()
{
    // All errors at once, not just the first; the fleet is not handed out half-read.
    const FleetLoadResult r = parse("scrape: {interval: 5, scheme: ftp}\n"
                                    "targets:\n"
                                    "  - targets: [a, b:1, b:1]\n"
                                    "    labels: {region: nrt, lat: x}\n");
    QStringList where;
    for (const Diagnostic &d : r.errors)
        where << QStringLiteral("%1:%2").arg(d.line).arg(d.column);
    // interval without unit, scheme, lat not a number, lat without lon, port missing, duplicate.
    QCOMPARE(where.join(QLatin1Char(' ')), QStringLiteral("1:20 1:31 4:32 4:27 3:15 3:23"));
    QVERIFY(r.fleet.targets.isEmpty());

    FleetFileOptions few = testOptions();
    few.limits.maxErrors = 3;
    QByteArray many = "- targets: [";
    for (int i = 0; i < 100; ++i)
        many += "bad" + QByteArray::number(i) + ", ";
    many += "]";
    const FleetLoadResult capped = parse(many, few);
    QCOMPARE(capped.errors.size(), 4);
    QVERIFY(capped.errors.last().message.contains(QStringLiteral("too many errors")));
}

void TestFleetFile::warnings_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("warning");
    QTest::addRow("unknown region")
        << QByteArray("- targets: [a:1]\n  labels: {region: nrtt}\n")
        << "bad.yaml:2:12: target group 1: region \"nrtt\" is not in the region catalogue (did you "
           "mean \"nrt\"?) and the group has no lat/lon labels; its targets are listed as unplaced";
    QTest::addRow("unknown provider")
        << QByteArray("- targets: [a:1]\n  labels: {region: nrt, provider: hetzner}\n")
        << "bad.yaml:2:12: target group 1: provider \"hetzner\" is not in the region catalogue";
    QTest::addRow("insecure")
        << QByteArray("scrape: {tls: {insecure_skip_verify: true}}\ntargets: [{targets: [a:1]}]\n")
        << "bad.yaml:1:16: scrape.tls.insecure_skip_verify: TLS certificates will not be verified";
    QTest::addRow("reserved label")
        << QByteArray("- targets: [a:1]\n  labels: {__meta_x: y}\n")
        << "bad.yaml:2:12: target group 1: reserved label \"__meta_x\" is ignored";
    QTest::addRow("no targets") << QByteArray("[]") << "bad.yaml:1:1: the fleet has no targets";
}

void TestFleetFile::warnings()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, warning);
    const FleetLoadResult r = parse(text);
    QVERIFY2(r.ok(), qPrintable(allMessages(r)));
    QCOMPARE(r.warnings.size(), 1);
    QVERIFY2(r.warnings[0].toString().startsWith(warning), qPrintable(allMessages(r)));
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

void TestFleetFile::readBearerToken_data()
{
    QTest::addColumn<QByteArray>("contents");
    QTest::addColumn<QByteArray>("token"); // empty: refused
    QTest::addColumn<QString>("error");
    QTest::addRow("plain") << QByteArray("abc") << QByteArray("abc") << "";
    QTest::addRow("trailing newline") << QByteArray("  abc\r\n") << QByteArray("abc") << "";
    QTest::addRow("empty") << QByteArray("\n") << QByteArray() << "is empty";
    QTest::addRow("header injection")
        << QByteArray("abc\r\nX-Evil: 1") << QByteArray() << "cannot go in an HTTP header";
    QTest::addRow("too large") << QByteArray(70000, 'a') << QByteArray() << "larger than 64 KiB";
}

void TestFleetFile::readBearerToken()
{
    QFETCH(QByteArray, contents);
    QFETCH(QByteArray, token);
    QFETCH(QString, error);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("token"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(contents);
    f.close();
    QString why;
    const std::optional<QByteArray> got = fleetscope::fleet::readBearerToken(path, &why);
    QCOMPARE(got.value_or(QByteArray()), token);
    QVERIFY2(why.contains(error), qPrintable(why));
    if (!token.isEmpty())
        QVERIFY(why.isEmpty());
    else
        QVERIFY(!why.contains(QString::fromLatin1(contents.left(3)))); // never echoes the token
    QVERIFY(!fleetscope::fleet::readBearerToken(dir.filePath(QStringLiteral("missing"))));
}

void TestFleetFile::hostile_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("message"); // empty: must load
    const QByteArray aliasBomb = [] {
        QByteArray t = "x: &l {";
        for (int i = 0; i < 100; ++i)
            t += "k" + QByteArray::number(i) + ": '" + QByteArray(8000, 'v') + "', ";
        t += "}\n";
        // Fewer groups than the entry budget, but each copies ~800 kB of labels.
        t = "- targets: []\n  labels: &l {";
        for (int i = 0; i < 100; ++i)
            t += "k" + QByteArray::number(i) + ": '" + QByteArray(8000, 'v') + "', ";
        t += "}\n";
        for (int i = 0; i < 400; ++i)
            t += "- {targets: [h" + QByteArray::number(i) + ":1], labels: *l}\n";
        return t;
    }();
    const QByteArray manyEntries = [] {
        // Each group is one short line, but visits the 128 labels of the alias again.
        QByteArray t = "- targets: [h0:1]\n  labels: &l {";
        for (int i = 0; i < 128; ++i)
            t += "k" + QByteArray::number(i) + ": v, ";
        t += "}\n";
        for (int i = 1; i < 10000; ++i)
            t += "- {targets: [h" + QByteArray::number(i) + ":1], labels: *l}\n";
        return t;
    }();
    QTest::addRow("alias bomb (bytes)") << aliasBomb << "expands to more than 128 MiB";
    QTest::addRow("alias bomb (entries)") << manyEntries << "expands to more than 1000000 entries";
    QTest::addRow("nested mappings") << QByteArray("{a: ").repeated(200) << "nested more than 64";
    QTest::addRow("nesting in quotes is fine")
        << QByteArray("- targets: [a:1]\n  labels: {x: '" + QByteArray(200, '[') + "'}\n") << "";
    QTest::addRow("long label value")
        << "- targets: [a:1]\n  labels: {x: '" + QByteArray(20000, 'v') + "'}\n"
        << "the value is 20000 bytes; at most 16384 are accepted";
    QTest::addRow("many labels") << [] {
        QByteArray t = "- targets: [a:1]\n  labels: {";
        for (int i = 0; i < 200; ++i)
            t += "l" + QByteArray::number(i) + ": v, ";
        return t + "}\n";
    }() << "200 labels; at most 128";
    QTest::addRow("huge integer") << QByteArray("scrape: {sample_limit: 1" + QByteArray(5000, '0')
                                                + "}\ntargets: []")
                                  << "out of range";
    QTest::addRow("weird unicode in values")
        << QByteArray("name: \"\xe2\x80\xae\xf0\x9f\x98\x80 \\u200b\\U0001F600 \xcc\x81\"\n"
                      "targets: [{targets: [a:1], labels: {node: "
                      "\"\xe2\x80\x8f\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d\", region: "
                      "\"\xef\xbc\xae\xef\xbc\xb2\xef\xbc\xb4\"}}]\n")
        << "";
    QTest::addRow("weird unicode in a key") << QByteArray("n\xe2\x80\x8b"
                                                          "ame: x\ntargets: []\n")
                                            << "unknown key \"n\\u200bame\"";
    QTest::addRow("anchors and tags")
        << QByteArray("--- !fleet\n- !!map {targets: !!seq [a:1]}\n") << "";
    QTest::addRow("tabs in json") << QByteArray("[\t{\"targets\":\t[\"a:1\"]}\t]") << "";
    QTest::addRow("bom") << QByteArray("\xef\xbb\xbf[]") << "";
}

void TestFleetFile::hostile()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, message);
    const FleetLoadResult r = parse(text);
    if (message.isEmpty()) {
        QVERIFY2(r.ok(), qPrintable(allMessages(r)));
        return;
    }
    QVERIFY2(r.errorString().contains(message), qPrintable(allMessages(r)));
    for (const Diagnostic &d : r.errors) {
        QVERIFY(d.message.size() < 2048);
        QCOMPARE(d.file, QStringLiteral("bad.yaml"));
    }
}

void TestFleetFile::hostileFiles()
{
    QTemporaryDir dir;
    const QString big = dir.filePath(QStringLiteral("big.yaml"));
    QFile f(big);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(QByteArray(5 * 1024 * 1024, ' '));
    f.close();
    const FleetLoadResult r = loadFleetFile(big);
    QCOMPARE(r.errorString(),
             big
                 + QStringLiteral(
                     ": the file is 5242880 bytes; fleet files are limited to 4194304 bytes"));

    // A device without a size is read no further than the limit.
    if (QFileInfo::exists(QStringLiteral("/dev/zero"))) {
        const FleetLoadResult z = loadFleetFile(QStringLiteral("/dev/zero"));
        QVERIFY(!z.ok());
        QVERIFY2(z.errorString().contains(QStringLiteral("limit")), qPrintable(z.errorString()));
    }
}

QTEST_GUILESS_MAIN(TestFleetFile)
#include "tst_fleetfile.moc"
