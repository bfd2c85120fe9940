// Unit tests of the exposition parser: values, labels, families, both formats' rules, errors with
// line and column, limits, the family filter and format detection. Runs without a GUI.

#include "exposition/dump.h"
#include "exposition/exposition.h"

#include <QTest>

#include <clocale>
#include <cmath>
#include <limits>

using namespace fleetscope::exposition;

namespace {

ParseOptions opts(Format format)
{
    ParseOptions o;
    o.format = format;
    return o;
}

QString str(std::string_view s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

QString dumpOf(std::string_view body, Format format)
{
    const Exposition e = parse(body, opts(format));
    if (!e.ok())
        return QStringLiteral("ERROR ") + QString::fromStdString(e.error->toString());
    return QString::fromStdString(canonicalDump(e));
}

} // namespace

class TestExposition : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void values_data();
    void values();
    void dumpCanonical_data();
    void dumpCanonical();
    void rejected_data();
    void rejected();
    void families_data();
    void families();
    void exemplarsKept();
    void helpAndUnit();
    void interleavedFamiliesRegrouped();
    void limits_data();
    void limits();
    void familyFilter();
    void familyFilterStillValidates();
    void contentType_data();
    void contentType();
    void sniff_data();
    void sniff();
    void untrustedBytesEscapedInErrors();
    void reuseGivesSameResult();
    void localeDoesNotMatter();
    void formatValueRoundTrips_data();
    void formatValueRoundTrips();
};

void TestExposition::values_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<double>("expected");
    QTest::addColumn<bool>("valid");

    const double inf = std::numeric_limits<double>::infinity();
    const double nan = std::numeric_limits<double>::quiet_NaN();
    QTest::addRow("integer") << QByteArray("42") << 42.0 << true;
    QTest::addRow("negative") << QByteArray("-3") << -3.0 << true;
    QTest::addRow("plus sign") << QByteArray("+3") << 3.0 << true;
    QTest::addRow("decimal") << QByteArray("1.5") << 1.5 << true;
    QTest::addRow("leading dot") << QByteArray(".5") << 0.5 << true;
    QTest::addRow("trailing dot") << QByteArray("5.") << 5.0 << true;
    QTest::addRow("exponent") << QByteArray("1.5e3") << 1500.0 << true;
    QTest::addRow("capital exponent") << QByteArray("2E-3") << 0.002 << true;
    QTest::addRow("16 digits") << QByteArray("1234567890123456") << 1234567890123456.0 << true;
    QTest::addRow("uint64") << QByteArray("18446744073709551615") << 18446744073709551615.0 << true;
    QTest::addRow("leading zeros") << QByteArray("0000000000000000000001.2e-1") << 0.12 << true;
    QTest::addRow("tiny underflows to zero") << QByteArray("1e-400") << 0.0 << true;
    QTest::addRow("denormal") << QByteArray("4.9406564584124654e-324") << 4.9406564584124654e-324
                              << true;
    QTest::addRow("+Inf") << QByteArray("+Inf") << inf << true;
    QTest::addRow("-Inf") << QByteArray("-Inf") << -inf << true;
    QTest::addRow("Inf") << QByteArray("Inf") << inf << true;
    QTest::addRow("infinity any case") << QByteArray("-InFiNiTy") << -inf << true;
    QTest::addRow("NaN") << QByteArray("NaN") << nan << true;
    QTest::addRow("nan lower") << QByteArray("nan") << nan << true;
    QTest::addRow("too large") << QByteArray("1e400") << 0.0 << false;
    QTest::addRow("signed NaN") << QByteArray("+NaN") << 0.0 << false;
    QTest::addRow("hex") << QByteArray("0x1p-3") << 0.0 << false;
    QTest::addRow("hex integer") << QByteArray("0x10") << 0.0 << false;
    QTest::addRow("underscore") << QByteArray("1_000") << 0.0 << false;
    QTest::addRow("comma decimal") << QByteArray("1,5") << 0.0 << false;
    QTest::addRow("two dots") << QByteArray("1.1.1") << 0.0 << false;
    QTest::addRow("bare exponent") << QByteArray("1e") << 0.0 << false;
    QTest::addRow("dot only") << QByteArray(".") << 0.0 << false;
    QTest::addRow("sign only") << QByteArray("-") << 0.0 << false;
    QTest::addRow("word") << QByteArray("one") << 0.0 << false;
    QTest::addRow("infinite prefix") << QByteArray("infinit") << 0.0 << false;
}

void TestExposition::values()
{
    QFETCH(QByteArray, text);
    QFETCH(double, expected);
    QFETCH(bool, valid);
    for (const Format format : { Format::Prometheus, Format::OpenMetrics }) {
        std::string body = "m " + text.toStdString() + "\n";
        if (format == Format::OpenMetrics)
            body += "# EOF\n";
        const Exposition e = parse(body, opts(format));
        QCOMPARE(e.ok(), valid);
        if (!valid) {
            QCOMPARE(e.error->line, 1u);
            QCOMPARE(e.error->column, 3u);
            continue;
        }
        QCOMPARE(e.samples.size(), 1u);
        const double v = e.samples[0].value;
        if (std::isnan(expected))
            QVERIFY(std::isnan(v));
        else
            QCOMPARE(v, expected);
        if (expected == 0.0)
            QCOMPARE(std::signbit(v), std::signbit(expected));
    }
}

void TestExposition::dumpCanonical_data()
{
    QTest::addColumn<int>("format");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("dump");

    const int prom = int(Format::Prometheus);
    const int om = int(Format::OpenMetrics);
    QTest::addRow("labels sorted, escapes decoded")
        << prom << QByteArray("m{z=\"1\",a=\"q\\\"\\\\\\n\"} 2\n")
        << QStringLiteral("m{a=\"q\\\"\\\\\\n\",z=\"1\"} 2\n");
    QTest::addRow("unknown escape kept")
        << prom << QByteArray("m{a=\"x\\zy\"} 1\n") << QStringLiteral("m{a=\"x\\\\zy\"} 1\n");
    QTest::addRow("0.0.4 whitespace and trailing comma")
        << prom << QByteArray("m { a = \"1\" , b=\"2\", }\t3   1700000000123  \n  \t\n")
        << QStringLiteral("m{a=\"1\",b=\"2\"} 3 1700000000123\n");
    QTest::addRow("0.0.4 labels without comma")
        << prom << QByteArray("m{a=\"1\" b=\"2\"} 3\n") << QStringLiteral("m{a=\"1\",b=\"2\"} 3\n");
    QTest::addRow("0.0.4 value right after brace")
        << prom << QByteArray("m{}7\n") << QStringLiteral("m 7\n");
    QTest::addRow("0.0.4 comments, blank lines, # EOF is a comment")
        << prom << QByteArray("# just a comment\n\n#HELP not metadata\nm 1\n# EOF\n")
        << QStringLiteral("m 1\n");
    QTest::addRow("0.0.4 last sample without newline")
        << prom << QByteArray("m 1\nn{a=\"b\"} 2 3") << QStringLiteral("m 1\nn{a=\"b\"} 2 3\n");
    QTest::addRow("0.0.4 label value across a line break")
        << prom << QByteArray("m{a=\"x\ny\"} 1\nn 2\n")
        << QStringLiteral("m{a=\"x\\ny\"} 1\nn 2\n");
    QTest::addRow("0.0.4 last line a comment without newline")
        << prom << QByteArray("m 1\n# trailing") << QStringLiteral("m 1\n");
    QTest::addRow("values in shortest form")
        << prom << QByteArray("a 0.1\nb 1e21\nc -0\nd NaN\ne +Inf\nf -Inf\ng 1.0\n")
        << QStringLiteral("a 0.1\nb 1e+21\nc -0\nd NaN\ne +Inf\nf -Inf\ng 1\n");
    QTest::addRow("OpenMetrics timestamps to milliseconds")
        << om << QByteArray("a 1 1.5\nb 2 1700000000.123\n# EOF\n")
        << QStringLiteral("a 1 1500\nb 2 1700000000123\n");
    // Found by fuzz_exposition: "-0" seconds dumped as "-0" ms, which 0.0.4 reads back as "0".
    QTest::addRow("OpenMetrics timestamp -0 is the instant 0")
        << om << QByteArray("a0 10 -0\n# TYPE b counter\nb_total 1 -0.0 # {} 1 -0\n# EOF")
        << QStringLiteral("a0 10 0\nb_total 1 0\n");
    QTest::addRow("OpenMetrics label value with # and braces")
        << om << QByteArray("a{x=\"} # {\"} 1\n# EOF") << QStringLiteral("a{x=\"} # {\"} 1\n");
    QTest::addRow("UTF-8 label value")
        << om << QByteArray("a{city=\"Z\xc3\xbcrich \xe6\x9d\xb1\xe4\xba\xac\"} 1\n# EOF\n")
        << QStringLiteral("a{city=\"Zürich 東京\"} 1\n");
}

void TestExposition::dumpCanonical()
{
    QFETCH(int, format);
    QFETCH(QByteArray, body);
    QFETCH(QString, dump);
    QCOMPARE(dumpOf(body.toStdString(), Format(format)), dump);
}

void TestExposition::rejected_data()
{
    QTest::addColumn<int>("format");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("column");
    QTest::addColumn<QString>("messagePart");

    const int prom = int(Format::Prometheus);
    const int om = int(Format::OpenMetrics);
    QTest::addRow("missing value")
        << prom << QByteArray("ok 1\nm\n") << 2 << 2 << QStringLiteral("expected a sample value");
    QTest::addRow("bad label name") << prom << QByteArray("m{1a=\"x\"} 1\n") << 1 << 3
                                    << QStringLiteral("expected a label name");
    QTest::addRow("unterminated value")
        << prom << QByteArray("m{a=\"x} 1\n") << 1 << 5 << QStringLiteral("closing");
    QTest::addRow("unquoted value")
        << prom << QByteArray("m{a=x} 1\n") << 1 << 5 << QStringLiteral("expected '\"'");
    QTest::addRow("duplicate label")
        << prom << QByteArray("m{a=\"1\",a=\"2\"} 1\n") << 1 << 2 << QStringLiteral("not unique");
    QTest::addRow("__name__ label")
        << prom << QByteArray("m{__name__=\"x\"} 1\n") << 1 << 2 << QStringLiteral("__name__");
    QTest::addRow("float timestamp in 0.0.4")
        << prom << QByteArray("m 1 1.5\n") << 1 << 5 << QStringLiteral("integer milliseconds");
    QTest::addRow("negative timestamp in 0.0.4")
        << prom << QByteArray("m 1 -5\n") << 1 << 5 << QStringLiteral("integer milliseconds");
    QTest::addRow("timestamp overflow") << prom << QByteArray("m 1 99999999999999999999\n") << 1
                                        << 5 << QStringLiteral("out of range");
    QTest::addRow("text after timestamp")
        << prom << QByteArray("m 1 2 3\n") << 1 << 7 << QStringLiteral("end of the line");
    QTest::addRow("leading blank before a sample")
        << prom << QByteArray("ok 1\n m 1\n") << 2 << 1
        << QStringLiteral("must start with the metric name");
    QTest::addRow("carriage return")
        << prom << QByteArray("m 1\r\n") << 1 << 3 << QStringLiteral("expected a number");
    QTest::addRow("bad TYPE") << prom << QByteArray("# TYPE m gaugehistogram\n") << 1 << 10
                              << QStringLiteral("expected counter, gauge");
    QTest::addRow("TYPE without name")
        << prom << QByteArray("# TYPE \n") << 1 << 8 << QStringLiteral("metric name after TYPE");
    QTest::addRow("invalid UTF-8 label")
        << prom << QByteArray("m{a=\"\xff\"} 1\n") << 1 << 6 << QStringLiteral("UTF-8");
    QTest::addRow("overlong UTF-8")
        << prom << QByteArray("m{a=\"\xc0\xaf\"} 1\n") << 1 << 6 << QStringLiteral("UTF-8");
    QTest::addRow("surrogate UTF-8")
        << prom << QByteArray("m{a=\"\xed\xa0\x80\"} 1\n") << 1 << 6 << QStringLiteral("UTF-8");
    QTest::addRow("invalid UTF-8 after a backslash")
        << prom << QByteArray("m{a=\"\\\xeb\x06\"} 1\n") << 1 << 7 << QStringLiteral("UTF-8");
    QTest::addRow("invalid UTF-8 HELP")
        << prom << QByteArray("# HELP m a\xfe\n") << 1 << 11 << QStringLiteral("UTF-8");
    QTest::addRow("OM no EOF") << om << QByteArray("a 1\n") << 1 << 4 << QStringLiteral("# EOF");
    QTest::addRow("OM comment") << om << QByteArray("# hello\n# EOF\n") << 1 << 3
                                << QStringLiteral("expected HELP, TYPE, UNIT or EOF");
    QTest::addRow("OM trailing comma") << om << QByteArray("a{a=\"1\",} 1\n# EOF\n") << 1 << 9
                                       << QStringLiteral("label name after ','");
    QTest::addRow("OM space in labels") << om << QByteArray("a{a=\"1\", b=\"2\"} 1\n# EOF\n") << 1
                                        << 9 << QStringLiteral("expected a label name");
    QTest::addRow("OM double space")
        << om << QByteArray("a  1\n# EOF\n") << 1 << 3 << QStringLiteral("expected a number");
    QTest::addRow("OM untyped") << om << QByteArray("# TYPE a untyped\n# EOF\n") << 1 << 10
                                << QStringLiteral("expected counter");
    QTest::addRow("OM counter negative")
        << om << QByteArray("# TYPE a counter\na_total -1\n# EOF\n") << 2 << 1
        << QStringLiteral("negative");
    QTest::addRow("OM text after EOF")
        << om << QByteArray("# EOF\nx 1\n") << 2 << 1 << QStringLiteral("after '# EOF'");
    QTest::addRow("OM histogram without +Inf")
        << om << QByteArray("# TYPE h histogram\nh_bucket{le=\"1\"} 0\n# EOF\n") << 2 << 1
        << QStringLiteral("+Inf");
    QTest::addRow("OM exemplar on gauge")
        << om << QByteArray("# TYPE g gauge\ng 1 # {a=\"b\"} 1\n# EOF\n") << 2 << 1
        << QStringLiteral("exemplars are allowed only");
}

void TestExposition::rejected()
{
    QFETCH(int, format);
    QFETCH(QByteArray, body);
    QFETCH(int, line);
    QFETCH(int, column);
    QFETCH(QString, messagePart);
    const Exposition e = parse(body.toStdString(), opts(Format(format)));
    QVERIFY2(!e.ok(), "accepted");
    const QString message = QString::fromStdString(e.error->message);
    QVERIFY2(message.contains(messagePart), qPrintable(message));
    QCOMPARE(int(e.error->line), line);
    QCOMPARE(int(e.error->column), column);
    QVERIFY(e.samples.empty());
    QVERIFY(e.families.empty());
}

void TestExposition::families_data()
{
    QTest::addColumn<int>("format");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QStringList>("families"); // "name type count"
    QTest::addColumn<QStringList>("suffixes"); // one per sample

    const int prom = int(Format::Prometheus);
    const int om = int(Format::OpenMetrics);
    QTest::addRow("0.0.4 histogram")
        << prom
        << QByteArray("# TYPE h histogram\n"
                      "h_bucket{le=\"0.1\"} 1\nh_bucket{le=\"+Inf\"} 2\n"
                      "h_sum 0.3\nh_count 2\n")
        << QStringList { QStringLiteral("h histogram 4") }
        << QStringList { QStringLiteral("_bucket"), QStringLiteral("_bucket"),
                         QStringLiteral("_sum"), QStringLiteral("_count") };
    QTest::addRow("0.0.4 summary and counter")
        << prom
        << QByteArray("# TYPE s summary\ns{quantile=\"0.5\"} 1\ns_sum 3\ns_count 2\n"
                      "# TYPE c_total counter\nc_total 5\n")
        << QStringList { QStringLiteral("s summary 3"), QStringLiteral("c_total counter 1") }
        << QStringList { QString(), QStringLiteral("_sum"), QStringLiteral("_count"), QString() };
    QTest::addRow("0.0.4 without TYPE every name is a family")
        << prom << QByteArray("x_bucket{le=\"1\"} 1\nx_count 1\n")
        << QStringList { QStringLiteral("x_bucket unknown 1"), QStringLiteral("x_count unknown 1") }
        << QStringList { QString(), QString() };
    QTest::addRow("OM every type")
        << om
        << QByteArray("# TYPE c counter\nc_total 1\nc_created 2\n"
                      "# TYPE g gauge\ng 1\n"
                      "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 1\nh_count 1\nh_sum 2\n"
                      "# TYPE gh gaugehistogram\ngh_bucket{le=\"+Inf\"} 1\ngh_gcount 1\n"
                      "gh_gsum 1\n"
                      "# TYPE s summary\ns{quantile=\"1\"} 1\ns_count 1\ns_sum 1\n"
                      "# TYPE i info\ni_info{v=\"1\"} 1\n"
                      "# TYPE st stateset\nst{st=\"a\"} 1\nst{st=\"b\"} 0\n"
                      "# TYPE u unknown\nu 1\n# EOF\n")
        << QStringList { QStringLiteral("c counter 2"),   QStringLiteral("g gauge 1"),
                         QStringLiteral("h histogram 3"), QStringLiteral("gh gaugehistogram 3"),
                         QStringLiteral("s summary 3"),   QStringLiteral("i info 1"),
                         QStringLiteral("st stateset 2"), QStringLiteral("u unknown 1") }
        << QStringList { QStringLiteral("_total"),
                         QStringLiteral("_created"),
                         QString(),
                         QStringLiteral("_bucket"),
                         QStringLiteral("_count"),
                         QStringLiteral("_sum"),
                         QStringLiteral("_bucket"),
                         QStringLiteral("_gcount"),
                         QStringLiteral("_gsum"),
                         QString(),
                         QStringLiteral("_count"),
                         QStringLiteral("_sum"),
                         QStringLiteral("_info"),
                         QString(),
                         QString(),
                         QString() };
}

void TestExposition::families()
{
    QFETCH(int, format);
    QFETCH(QByteArray, body);
    QFETCH(QStringList, families);
    QFETCH(QStringList, suffixes);
    const std::string text = body.toStdString(); // the Exposition views into it
    const Exposition e = parse(text, opts(Format(format)));
    QVERIFY2(e.ok(), e.ok() ? "" : e.error->toString().c_str());
    QStringList got;
    for (const Family &f : e.families)
        got << str(f.name) + u' ' + QLatin1String(typeName(f.type)) + u' '
                + QString::number(f.sampleCount);
    QCOMPARE(got, families);
    QStringList gotSuffixes;
    for (const Family &f : e.families) {
        for (const Sample &s : e.samplesOf(f)) {
            QCOMPARE(str(e.families[s.family].name), str(f.name));
            gotSuffixes << str(s.name.substr(f.name.size()));
        }
    }
    QCOMPARE(gotSuffixes, suffixes);
}

void TestExposition::exemplarsKept()
{
    const std::string body = "# TYPE h histogram\n"
                             "h_bucket{le=\"1\"} 1 # {trace_id=\"abc\",span=\"x\\\"y\"} 0.5 17.25\n"
                             "h_bucket{le=\"+Inf\"} 2 # {} 3\n"
                             "h_count 2\nh_sum 3.5\n# EOF\n";
    const Exposition e = parse(body, opts(Format::OpenMetrics));
    QVERIFY(e.ok());
    QCOMPARE(e.exemplars.size(), 2u);
    const Sample &s0 = e.samples[0];
    QCOMPARE(s0.exemplar, 0);
    const Exemplar &x = e.exemplars[0];
    QCOMPARE(x.value, 0.5);
    QVERIFY(x.hasTimestamp);
    QCOMPARE(x.timestampMs, 17250.0);
    const auto labels = e.labelsOf(x);
    QCOMPARE(labels.size(), 2u);
    QCOMPARE(str(labels[0].name), QStringLiteral("trace_id"));
    QCOMPARE(str(labels[1].value), QStringLiteral("x\"y"));
    QCOMPARE(e.labelsOf(s0).size(), 1u); // the exemplar's labels are not the sample's
    QCOMPARE(e.exemplars[1].labelCount, 0u);
    QVERIFY(!e.exemplars[1].hasTimestamp);
    QCOMPARE(e.samples[2].exemplar, -1);

    // "-0" seconds is the instant 0, for the sample and its exemplar alike (no negative zero).
    const Exposition z =
        parse("# TYPE c counter\nc_total 1 -0 # {} 1 -0.0\n# EOF\n", opts(Format::OpenMetrics));
    QVERIFY(z.ok());
    QVERIFY(!std::signbit(z.samples[0].timestampMs));
    QVERIFY(!std::signbit(z.exemplars[0].timestampMs));
}

void TestExposition::helpAndUnit()
{
    const Exposition om = parse("# HELP a_seconds Line one\\nline \\\"two\\\" \\\\ \\x\n"
                                "# TYPE a_seconds gauge\n# UNIT a_seconds seconds\n"
                                "a_seconds 1\n# EOF\n",
                                opts(Format::OpenMetrics));
    QVERIFY(om.ok());
    QCOMPARE(str(om.families[0].help), QStringLiteral("Line one\nline \"two\" \\ \\x"));
    QCOMPARE(str(om.families[0].unit), QStringLiteral("seconds"));
    QVERIFY(om.families[0].hasHelp && om.families[0].hasUnit && om.families[0].hasType);

    // 0.0.4 knows only \\ and \n in HELP; a quote escape stays as written.
    const Exposition prom =
        parse("# HELP m a\\nb \\\" \\\\\n# TYPE m gauge\nm 1\n", opts(Format::Prometheus));
    QVERIFY(prom.ok());
    QCOMPARE(str(prom.families[0].help), QStringLiteral("a\nb \\\" \\"));
    QCOMPARE(prom.families[0].type, MetricType::Gauge);
}

void TestExposition::interleavedFamiliesRegrouped()
{
    // The Prometheus server accepts interleaved families in 0.0.4; FleetScope gathers them.
    const Exposition e = parse("a 1\nb 2\na{x=\"1\"} 3\nb{x=\"1\"} 4\n", opts(Format::Prometheus));
    QVERIFY(e.ok());
    QCOMPARE(e.families.size(), 2u);
    QCOMPARE(e.families[0].sampleCount, 2u);
    const auto a = e.samplesOf(e.families[0]);
    QCOMPARE(a[0].value, 1.0);
    QCOMPARE(a[1].value, 3.0);
    QCOMPARE(a[1].line, 3u);
    const auto b = e.samplesOf(e.families[1]);
    QCOMPARE(b[1].value, 4.0);
    QCOMPARE(str(e.labelsOf(b[1])[0].value), QStringLiteral("1"));
}

void TestExposition::limits_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("limit");
    QTest::addColumn<QString>("messagePart");

    QTest::addRow("body") << QByteArray("m 1\n").repeated(10) << QStringLiteral("body")
                          << QStringLiteral("over the limit of 20 bytes");
    QTest::addRow("line") << (QByteArray("# HELP m ") + QByteArray(100, 'x') + "\nm 1\n")
                          << QStringLiteral("line") << QStringLiteral("limit of 50 bytes");
    QTest::addRow("samples") << QByteArray("m{a=\"1\"} 1\nm{a=\"2\"} 1\nm{a=\"3\"} 1\n")
                             << QStringLiteral("samples") << QStringLiteral("more than 2 samples");
    QTest::addRow("families") << QByteArray("a 1\nb 1\nc 1\n") << QStringLiteral("families")
                              << QStringLiteral("more than 2 metric families");
    QTest::addRow("labels") << QByteArray("m{a=\"1\",b=\"2\",c=\"3\"} 1\n")
                            << QStringLiteral("labels") << QStringLiteral("more than 2 labels");
    QTest::addRow("label name") << QByteArray("m{abcdefghijk=\"1\"} 1\n") << QStringLiteral("name")
                                << QStringLiteral("label name is 11");
    QTest::addRow("label value") << QByteArray("m{a=\"0123456789ab\"} 1\n")
                                 << QStringLiteral("value") << QStringLiteral("label value is 12");
}

void TestExposition::limits()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, limit);
    QFETCH(QString, messagePart);
    ParseOptions o = opts(Format::Prometheus);
    // Without the limit the body is fine.
    QVERIFY(parse(body.toStdString(), o).ok());
    if (limit == QLatin1String("body"))
        o.limits.maxBodyBytes = 20;
    else if (limit == QLatin1String("line"))
        o.limits.maxLineBytes = 50;
    else if (limit == QLatin1String("samples"))
        o.limits.maxSamples = 2;
    else if (limit == QLatin1String("families"))
        o.limits.maxFamilies = 2;
    else if (limit == QLatin1String("labels"))
        o.limits.maxLabelsPerSeries = 2;
    else if (limit == QLatin1String("name"))
        o.limits.maxLabelNameBytes = 10;
    else
        o.limits.maxLabelValueBytes = 10;
    const Exposition e = parse(body.toStdString(), o);
    QVERIFY(!e.ok());
    QVERIFY2(QString::fromStdString(e.error->message).contains(messagePart),
             e.error->message.c_str());
    QVERIFY(e.samples.empty());
}

void TestExposition::familyFilter()
{
    const std::string body = "# TYPE keep_me histogram\n"
                             "keep_me_bucket{le=\"+Inf\",a=\"1\"} 1\nkeep_me_count{a=\"1\"} 1\n"
                             "keep_me_sum{a=\"1\"} 1\n"
                             "# TYPE drop_me counter\ndrop_me_total{a=\"x\"} 9 # {t=\"1\"} 1\n"
                             "other 3\n# EOF\n";
    for (const Format format : { Format::OpenMetrics, Format::Prometheus }) {
        ParseOptions o = opts(format);
        o.familyFilter = [](std::string_view name) {
            return name.substr(0, 4) != "drop";
        };
        std::string input = body;
        if (format == Format::Prometheus) // 0.0.4 has no exemplars
            input.erase(input.find(" # {t"), std::string_view(" # {t=\"1\"} 1").size());
        const Exposition e = parse(input, o);
        QVERIFY2(e.ok(), e.ok() ? "" : e.error->toString().c_str());
        QCOMPARE(e.samples.size(), 4u);
        const Family *dropped = e.family("drop_me");
        QVERIFY(dropped);
        QVERIFY(dropped->skipped);
        QCOMPARE(dropped->sampleCount, 0u);
        QCOMPARE(e.exemplars.size(), 0u);
        QCOMPARE(e.samples.back().value, 3.0);
        QCOMPARE(str(e.labelsOf(e.samples[0])[1].value), QStringLiteral("1"));
    }
}

void TestExposition::familyFilterStillValidates()
{
    ParseOptions o = opts(Format::Prometheus);
    o.familyFilter = [](std::string_view name) {
        return name != "bad";
    };
    const Exposition e = parse("good 1\nbad{a=\"1\"} x\n", o);
    QVERIFY(!e.ok());
    QCOMPARE(e.error->line, 2u);
}

void TestExposition::contentType_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<int>("format");
    QTest::addRow("openmetrics") << QByteArray("application/openmetrics-text; version=1.0.0; "
                                               "charset=utf-8")
                                 << int(Format::OpenMetrics);
    QTest::addRow("openmetrics upper")
        << QByteArray("Application/OpenMetrics-Text") << int(Format::OpenMetrics);
    QTest::addRow("text 0.0.4") << QByteArray("text/plain; version=0.0.4; charset=utf-8")
                                << int(Format::Prometheus);
    QTest::addRow("empty falls back") << QByteArray() << int(Format::Prometheus);
    QTest::addRow("lookalike") << QByteArray("application/openmetrics-textual")
                               << int(Format::Prometheus);
}

void TestExposition::contentType()
{
    QFETCH(QByteArray, header);
    QFETCH(int, format);
    QCOMPARE(int(formatFromContentType(header.toStdString())), format);
}

void TestExposition::sniff_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("format");
    QTest::addRow("eof newline") << QByteArray("a 1\n# EOF\n") << int(Format::OpenMetrics);
    QTest::addRow("eof bare") << QByteArray("# EOF") << int(Format::OpenMetrics);
    QTest::addRow("no eof") << QByteArray("a 1\n") << int(Format::Prometheus);
    QTest::addRow("eof inside a line") << QByteArray("a 1 # EOF\n") << int(Format::Prometheus);
}

void TestExposition::sniff()
{
    QFETCH(QByteArray, body);
    QFETCH(int, format);
    QCOMPARE(int(sniffFormat(body.toStdString())), format);
    const Exposition e = parse(body.toStdString(), ParseOptions {});
    QCOMPARE(int(e.format), format);
}

void TestExposition::untrustedBytesEscapedInErrors()
{
    std::string body = "m{a=\"1\"} \x1b[31m\"evil\"";
    body += std::string(500, 'A');
    body += "\n";
    const Exposition e = parse(body, opts(Format::Prometheus));
    QVERIFY(!e.ok());
    const std::string &m = e.error->message;
    QVERIFY2(m.find('\x1b') == std::string::npos, m.c_str());
    QVERIFY2(m.find("\\x1b[31m\\\"evil\\\"") != std::string::npos, m.c_str());
    QVERIFY2(m.size() < 200, m.c_str());
    QVERIFY2(m.find("...") != std::string::npos, m.c_str());
}

void TestExposition::reuseGivesSameResult()
{
    const std::string a = "# TYPE x counter\nx{a=\"q\\\\\"} 1\nx{a=\"2\"} 2\n";
    const std::string b = "y 1\n";
    Exposition e;
    parseInto(e, a, opts(Format::Prometheus));
    const std::string first = canonicalDump(e);
    parseInto(e, b, opts(Format::Prometheus));
    QCOMPARE(canonicalDump(e), std::string("y 1\n"));
    parseInto(e, "bad", opts(Format::Prometheus));
    QVERIFY(!e.ok());
    parseInto(e, a, opts(Format::Prometheus));
    QVERIFY(e.ok());
    QCOMPARE(canonicalDump(e), first);
}

void TestExposition::localeDoesNotMatter()
{
    // Under de_DE a decimal comma is the locale's; the formats never use it.
    const char *previous = std::setlocale(LC_ALL, nullptr);
    const std::string saved = previous ? previous : "C";
    const bool haveGerman = std::setlocale(LC_ALL, "de_DE.UTF-8") != nullptr;
    const Exposition e = parse("m 1.5\nn 2,5\n", opts(Format::Prometheus));
    const std::string dump = formatValue(1234.5);
    std::setlocale(LC_ALL, saved.c_str());
    if (!haveGerman && qEnvironmentVariable("CI") != QLatin1String("true"))
        QSKIP("the de_DE.UTF-8 locale is not installed (packaging/install-deps.sh makes it)");
    QVERIFY(haveGerman);
    QVERIFY(!e.ok()); // "2,5" is not a number in any locale
    QCOMPARE(e.error->line, 2u);
    QCOMPARE(dump, std::string("1234.5"));
    QCOMPARE(parse("m 1.5\n", opts(Format::Prometheus)).samples.at(0).value, 1.5);
}

void TestExposition::formatValueRoundTrips_data()
{
    QTest::addColumn<double>("value");
    QTest::addRow("tenth") << 0.1;
    QTest::addRow("third") << 1.0 / 3.0;
    QTest::addRow("max") << std::numeric_limits<double>::max();
    QTest::addRow("min normal") << std::numeric_limits<double>::min();
    QTest::addRow("denormal") << std::numeric_limits<double>::denorm_min();
    QTest::addRow("negative") << -2.5e-7;
    QTest::addRow("big integer") << 9007199254740993.0;
}

void TestExposition::formatValueRoundTrips()
{
    QFETCH(double, value);
    const std::string text = formatValue(value);
    const Exposition e = parse("m " + text + "\n", opts(Format::Prometheus));
    QVERIFY2(e.ok(), text.c_str());
    QCOMPARE(e.samples[0].value, value);
}

QTEST_GUILESS_MAIN(TestExposition)
#include "tst_exposition.moc"
