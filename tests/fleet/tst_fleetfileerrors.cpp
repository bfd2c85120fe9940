// Fleet files that are wrong: every error kind with its exact FILE:LINE:COL, every error of a file
// reported, warnings, the bearer-token file's checks, and hostile input (deep nesting, huge
// files, aliases) refused in bounded time and memory.

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

class TestFleetFileErrors : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void errors_data();
    void errors();
    void errorsFromFiles();
    void everyErrorIsReported();
    void warnings_data();
    void warnings();
    void readBearerToken_data();
    void readBearerToken();
    void hostile_data();
    void hostile();
    void hostileFiles();
};

void TestFleetFileErrors::errors_data()
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

void TestFleetFileErrors::errors()
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

void TestFleetFileErrors::errorsFromFiles()
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

void TestFleetFileErrors::everyErrorIsReported()
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

void TestFleetFileErrors::warnings_data()
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

void TestFleetFileErrors::warnings()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, warning);
    const FleetLoadResult r = parse(text);
    QVERIFY2(r.ok(), qPrintable(allMessages(r)));
    QCOMPARE(r.warnings.size(), 1);
    QVERIFY2(r.warnings[0].toString().startsWith(warning), qPrintable(allMessages(r)));
}

void TestFleetFileErrors::readBearerToken_data()
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

void TestFleetFileErrors::readBearerToken()
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

void TestFleetFileErrors::hostile_data()
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

void TestFleetFileErrors::hostile()
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

void TestFleetFileErrors::hostileFiles()
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

QTEST_GUILESS_MAIN(TestFleetFileErrors)
#include "tst_fleetfileerrors.moc"
