// Round trip through an independent producer: prometheus-cpp builds metric families, its
// TextSerializer writes text 0.0.4, FleetScope's parser reads it back, and every family (name,
// type, help), label set and value must come back. Main thread only; nothing kept across rows.

#include "exposition/dump.h"
#include "exposition/exposition.h"

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/metric_family.h>
#include <prometheus/registry.h>
#include <prometheus/summary.h>
#include <prometheus/text_serializer.h>

#include <QTest>

#include <algorithm>
#include <charconv>
#include <clocale>
#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

namespace ex = fleetscope::exposition;
namespace pc = prometheus;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// prometheus-cpp 1.0.1 writes doubles with 16 significant digits (%.16g: max_digits10 - 1), so a
// double needing 17 comes back as its 16-digit neighbour. This is what the text says, which is
// what the parser must return; formatted with to_chars so no locale is involved.
std::string asText16(double value)
{
    if (std::isnan(value))
        return "Nan";
    if (std::isinf(value))
        return value > 0 ? "+Inf" : "-Inf";
    char buf[64];
    const auto result = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::general, 16);
    return std::string(buf, result.ptr);
}

double asWritten(double value)
{
    if (std::isnan(value) || std::isinf(value))
        return value;
    const std::string text = asText16(value);
    double out = 0;
    std::from_chars(text.data(), text.data() + text.size(), out);
    return out;
}

struct Point
{
    std::string name;
    std::map<std::string, std::string> labels;
    double value = 0;
    bool hasTimestamp = false;
    double timestampMs = 0;
};

bool sameValue(double a, double b)
{
    if (std::isnan(a) || std::isnan(b))
        return std::isnan(a) && std::isnan(b);
    return a == b && std::signbit(a) == std::signbit(b);
}

std::string describe(const Point &p)
{
    std::string out = p.name + '{';
    for (const auto &[name, value] : p.labels)
        out += name + "=\"" + value + "\",";
    out += "} " + ex::formatValue(p.value);
    if (p.hasTimestamp)
        out += " @" + ex::formatValue(p.timestampMs);
    return out;
}

ex::MetricType expectedType(pc::MetricType type)
{
    switch (type) {
    case pc::MetricType::Counter:
        return ex::MetricType::Counter;
    case pc::MetricType::Gauge:
        return ex::MetricType::Gauge;
    case pc::MetricType::Summary:
        return ex::MetricType::Summary;
    case pc::MetricType::Histogram:
        return ex::MetricType::Histogram;
    case pc::MetricType::Untyped:
        break;
    }
    return ex::MetricType::Unknown;
}

// The samples a 0.0.4 text exposition of `family` holds, as prometheus-cpp writes them.
std::vector<Point> expectedPoints(const pc::MetricFamily &family)
{
    std::vector<Point> out;
    for (const pc::ClientMetric &metric : family.metric) {
        std::map<std::string, std::string> labels;
        for (const auto &label : metric.label)
            labels[label.name] = label.value;
        const auto add = [&](const std::string &suffix, double value,
                             const std::map<std::string, std::string> &extra = {}) {
            Point p { family.name + suffix, labels, value, metric.timestamp_ms != 0,
                      double(metric.timestamp_ms) };
            p.labels.insert(extra.begin(), extra.end());
            out.push_back(std::move(p));
        };
        switch (family.type) {
        case pc::MetricType::Counter:
            add({}, asWritten(metric.counter.value));
            break;
        case pc::MetricType::Gauge:
            add({}, asWritten(metric.gauge.value));
            break;
        case pc::MetricType::Untyped:
            add({}, asWritten(metric.untyped.value));
            break;
        case pc::MetricType::Summary:
            add("_count", double(metric.summary.sample_count));
            add("_sum", asWritten(metric.summary.sample_sum));
            for (const auto &q : metric.summary.quantile)
                add({}, asWritten(q.value), { { "quantile", asText16(q.quantile) } });
            break;
        case pc::MetricType::Histogram: {
            add("_count", double(metric.histogram.sample_count));
            add("_sum", asWritten(metric.histogram.sample_sum));
            double last = -kInf;
            for (const auto &b : metric.histogram.bucket) {
                add("_bucket", double(b.cumulative_count), { { "le", asText16(b.upper_bound) } });
                last = b.upper_bound;
            }
            if (last != kInf)
                add("_bucket", double(metric.histogram.sample_count), { { "le", "+Inf" } });
            break;
        }
        }
    }
    return out;
}

std::vector<Point> parsedPoints(const ex::Exposition &exposition, const ex::Family &family)
{
    std::vector<Point> out;
    for (const ex::Sample &sample : exposition.samplesOf(family)) {
        Point p {
            std::string(sample.name), {}, sample.value, sample.hasTimestamp, sample.timestampMs
        };
        for (const ex::Label &label : exposition.labelsOf(sample))
            p.labels.emplace(std::string(label.name), std::string(label.value));
        out.push_back(std::move(p));
    }
    return out;
}

bool byIdentity(const Point &a, const Point &b)
{
    return std::tie(a.name, a.labels) < std::tie(b.name, b.labels);
}

std::string serialize(const std::vector<pc::MetricFamily> &families)
{
    return pc::TextSerializer().Serialize(families);
}

ex::Exposition parsePrometheus(const std::string &text)
{
    ex::ParseOptions options;
    options.format = ex::Format::Prometheus;
    return ex::parse(text, options);
}

// Parses what prometheus-cpp wrote for `families` and compares family by family, sample by sample.
void verifyRoundTrip(const std::vector<pc::MetricFamily> &families)
{
    const std::string text = serialize(families);
    const ex::Exposition exposition = parsePrometheus(text);
    QVERIFY2(
        exposition.ok(),
        (exposition.ok() ? std::string() : exposition.error->toString() + "\n" + text).c_str());

    std::size_t expectedSamples = 0;
    for (const pc::MetricFamily &family : families) {
        const ex::Family *parsed = exposition.family(family.name);
        QVERIFY2(parsed, ("family missing: " + family.name + "\n" + text).c_str());
        QCOMPARE(parsed->type, expectedType(family.type));
        QVERIFY(parsed->hasType);
        QCOMPARE(parsed->hasHelp, !family.help.empty());
        QCOMPARE(std::string(parsed->help), family.help);

        std::vector<Point> expected = expectedPoints(family);
        std::vector<Point> actual = parsedPoints(exposition, *parsed);
        expectedSamples += expected.size();
        std::sort(expected.begin(), expected.end(), byIdentity);
        std::sort(actual.begin(), actual.end(), byIdentity);
        QCOMPARE(actual.size(), expected.size());
        for (std::size_t i = 0; i < expected.size(); ++i) {
            const Point &e = expected[i];
            const Point &a = actual[i];
            const bool same = a.name == e.name && a.labels == e.labels
                && sameValue(a.value, e.value) && a.hasTimestamp == e.hasTimestamp
                && (!e.hasTimestamp || a.timestampMs == e.timestampMs);
            QVERIFY2(same, ("expected " + describe(e) + "\n   parsed " + describe(a)).c_str());
        }
    }
    QCOMPARE(exposition.samples.size(), expectedSamples);
}

using Builder = std::function<std::vector<pc::MetricFamily>()>;

std::vector<pc::MetricFamily> counters()
{
    pc::Registry registry;
    auto &requests = pc::BuildCounter()
                         .Name("http_requests_total")
                         .Help("HTTP requests handled.")
                         .Labels({ { "service", "edge" } })
                         .Register(registry);
    requests.Add({ { "method", "GET" }, { "code", "200" } }).Increment(12345);
    requests.Add({ { "method", "POST" }, { "code", "500" } }).Increment(0.5);
    requests.Add({ { "method", "PUT" }, { "code", "201" } });
    // 0.0.4 has no _total rule: a counter may be called anything.
    auto &events = pc::BuildCounter().Name("events").Help("Events seen.").Register(registry);
    events.Add({}).Increment(9007199254740993.0); // 2^53 + 1: not a double, rounds to 2^53
    return registry.Collect();
}

std::vector<pc::MetricFamily> gauges()
{
    pc::Registry registry;
    auto &temperature = pc::BuildGauge()
                            .Name("node_temperature_celsius")
                            .Help("SoC temperature, in °C (NaN when the sensor is missing).")
                            .Register(registry);
    temperature.Add({ { "node", "edge-0001" } }).Set(42.5);
    temperature.Add({ { "node", "edge-0002" } }).Set(-273.15);
    temperature.Add({ { "node", "edge-0003" } }).Set(kNaN);
    temperature.Add({ { "node", "edge-0004" } }).Set(0.1 + 0.2);
    auto &queue = pc::BuildGauge().Name("queue_depth").Help("Items queued.").Register(registry);
    queue.Add({}).Set(0);
    return registry.Collect();
}

std::vector<pc::MetricFamily> histograms()
{
    pc::Registry registry;
    auto &latency = pc::BuildHistogram()
                        .Name("http_request_duration_seconds")
                        .Help("Request latency.")
                        .Register(registry);
    auto &get = latency.Add(
        { { "route", "/api/v1/items" } },
        pc::Histogram::BucketBoundaries { 0.0005, 0.001, 0.0025, 0.01, 0.1, 0.25, 1, 2.5, 10, 60 });
    for (double v : { 0.0001, 0.0007, 0.002, 0.003, 0.05, 0.2, 0.9, 3.0, 75.0, 0.0005 })
        get.Observe(v);
    auto &empty = latency.Add({ { "route", "/healthz" } }, pc::Histogram::BucketBoundaries { 1 });
    (void)empty;
    auto &sizes =
        pc::BuildHistogram().Name("response_size_bytes").Help("Body sizes.").Register(registry);
    auto &s = sizes.Add({}, pc::Histogram::BucketBoundaries { -10, 0, 64, 1024, 1e6, 4194304 });
    for (double v : { -20.0, 0.0, 10.0, 1000.0, 1e7 })
        s.Observe(v);
    return registry.Collect();
}

std::vector<pc::MetricFamily> summaries()
{
    pc::Registry registry;
    auto &rpc =
        pc::BuildSummary().Name("rpc_latency_seconds").Help("RPC latency.").Register(registry);
    auto &auth = rpc.Add({ { "service", "auth" } },
                         pc::Summary::Quantiles {
                             { 0.5, 0.05 }, { 0.9, 0.01 }, { 0.99, 0.001 }, { 0.999, 0.0001 } });
    for (int i = 1; i <= 1000; ++i)
        auth.Observe(i / 1000.0);
    auto &idle = rpc.Add({ { "service", "idle" } }, pc::Summary::Quantiles { { 0.5, 0.05 } });
    (void)idle; // no observations: quantiles are NaN
    return registry.Collect();
}

std::vector<pc::MetricFamily> infoLike()
{
    pc::Registry registry;
    auto &build =
        pc::BuildGauge().Name("fleet_build_info").Help("Build information.").Register(registry);
    build
        .Add({ { "version", "v1.2.3 \"hotfix\"" },
               { "revision", "a1b2c3d" },
               { "goversion", "go1.19.8" },
               { "branch", "release\\1.2" } })
        .Set(1);
    return registry.Collect();
}

// Families prometheus-cpp cannot build through its API but serialises: untyped, timestamps.
std::vector<pc::MetricFamily> handMade()
{
    pc::MetricFamily untyped;
    untyped.name = "legacy_value";
    untyped.help = "An untyped family; the help has a lone backslash: C:\\temp";
    untyped.type = pc::MetricType::Untyped;
    pc::ClientMetric a;
    a.label = { { "k", "v" } };
    a.untyped.value = 7;
    a.timestamp_ms = 1700000000123;
    pc::ClientMetric b;
    b.label = { { "k", "w" } };
    b.untyped.value = -1e-5;
    untyped.metric = { a, b };

    pc::MetricFamily noHelp;
    noHelp.name = "no_help_gauge";
    noHelp.type = pc::MetricType::Gauge;
    pc::ClientMetric c;
    c.gauge.value = 3;
    c.timestamp_ms = 1;
    noHelp.metric = { c };
    return { untyped, noHelp };
}

std::vector<pc::MetricFamily> everything()
{
    std::vector<pc::MetricFamily> all;
    for (const Builder &b : { Builder(counters), Builder(gauges), Builder(histograms),
                              Builder(summaries), Builder(infoLike), Builder(handMade) }) {
        for (pc::MetricFamily &f : b())
            all.push_back(std::move(f));
    }
    return all;
}

std::vector<pc::MetricFamily> oneGauge(const std::map<std::string, std::string> &labels,
                                       double value)
{
    pc::Registry registry;
    pc::BuildGauge().Name("g").Help("One gauge.").Register(registry).Add(labels).Set(value);
    return registry.Collect();
}

} // namespace

Q_DECLARE_METATYPE(Builder)

class TestPrometheusCppRoundTrip : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void families_data();
    void families();
    void values_data();
    void values();
    void labelValues_data();
    void labelValues();
    void dblMaxIsWrittenOutOfRange();
};

void TestPrometheusCppRoundTrip::initTestCase()
{
    // Numbers must not depend on the locale; prometheus-cpp imbues the classic one itself.
    if (!std::setlocale(LC_ALL, "de_DE.UTF-8"))
        qInfo("de_DE.UTF-8 is not installed; running in the C locale");
}

void TestPrometheusCppRoundTrip::families_data()
{
    QTest::addColumn<Builder>("build");
    QTest::addRow("counters") << Builder(counters);
    QTest::addRow("gauges") << Builder(gauges);
    QTest::addRow("histograms with custom buckets") << Builder(histograms);
    QTest::addRow("summaries with quantiles") << Builder(summaries);
    QTest::addRow("info-like gauge") << Builder(infoLike);
    QTest::addRow("untyped and timestamps") << Builder(handMade);
    QTest::addRow("all in one exposition") << Builder(everything);
}

void TestPrometheusCppRoundTrip::families()
{
    QFETCH(Builder, build);
    verifyRoundTrip(build());
}

void TestPrometheusCppRoundTrip::values_data()
{
    QTest::addColumn<double>("value");
    QTest::addRow("zero") << 0.0;
    QTest::addRow("negative zero") << -0.0;
    QTest::addRow("one") << 1.0;
    QTest::addRow("negative") << -42.25;
    QTest::addRow("NaN") << kNaN;
    QTest::addRow("+Inf") << kInf;
    QTest::addRow("-Inf") << -kInf;
    QTest::addRow("huge") << 1e308;
    QTest::addRow("huge negative") << -3.5e307;
    QTest::addRow("tiny") << 1e-300;
    QTest::addRow("smallest normal") << std::numeric_limits<double>::min();
    QTest::addRow("smallest subnormal") << std::numeric_limits<double>::denorm_min();
    QTest::addRow("0.1 + 0.2 (needs 17 digits)") << 0.1 + 0.2;
    QTest::addRow("2^53") << 9007199254740992.0;
    QTest::addRow("2^64") << 18446744073709551616.0;
    QTest::addRow("1/3") << 1.0 / 3.0;
    QTest::addRow("micro") << 2.5e-7;
}

// One gauge per row; NaN, signed zero and the 16-digit rounding of the writer must come back.
void TestPrometheusCppRoundTrip::values()
{
    QFETCH(double, value);
    verifyRoundTrip(oneGauge({ { "k", "v" } }, value));
}

void TestPrometheusCppRoundTrip::labelValues_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addRow("plain") << QByteArray("edge-0001");
    QTest::addRow("empty") << QByteArray("");
    QTest::addRow("double quote") << QByteArray("say \"hi\"");
    QTest::addRow("backslash") << QByteArray("C:\\temp\\x");
    QTest::addRow("trailing backslash") << QByteArray("ends with \\");
    QTest::addRow("backslash n, not a newline") << QByteArray("\\n");
    QTest::addRow("newline") << QByteArray("line 1\nline 2\n");
    QTest::addRow("all escapes") << QByteArray("\\\"\n\\\\\"\"\n");
    QTest::addRow("non-ASCII") << QByteArray("Grüße, 10 €, 😀, 日本");
    QTest::addRow("syntax characters") << QByteArray("{a=\"b\",c} # 1 2");
    QTest::addRow("tab and carriage return") << QByteArray("a\tb\rc");
    QTest::addRow("long") << QByteArray(4000, 'x');
}

// Label values travel escaped (\\ \" \n) and must come back byte for byte.
void TestPrometheusCppRoundTrip::labelValues()
{
    QFETCH(QByteArray, value);
    verifyRoundTrip(
        oneGauge({ { "a", "before" }, { "v", value.toStdString() }, { "z", "after" } }, 1));
}

// prometheus-cpp 1.0.1 writes DBL_MAX with 16 digits as 1.797693134862316e+308, which is above
// DBL_MAX: Go's ParseFloat reports a range error and Prometheus 2.42 fails the scrape. A parser
// that keeps to Prometheus rejects it too rather than inventing +Inf.
void TestPrometheusCppRoundTrip::dblMaxIsWrittenOutOfRange()
{
    const std::string text = serialize(oneGauge({}, std::numeric_limits<double>::max()));
    QVERIFY2(text.find("1.797693134862316e+308") != std::string::npos, text.c_str());
    const ex::Exposition exposition = parsePrometheus(text);
    QVERIFY2(!exposition.ok(), "a value beyond DBL_MAX was accepted");
}

QTEST_GUILESS_MAIN(TestPrometheusCppRoundTrip)
#include "tst_prometheuscpproundtrip.moc"
