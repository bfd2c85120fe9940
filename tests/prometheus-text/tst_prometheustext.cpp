// Prometheus text format 0.0.4 conformance: every case folder under cases/ is one row. The
// verdicts are those of the Prometheus 2.42 server (promlex.l, promparse.go and the scrape loop);
// each test.json says in its comment what in the Prometheus source decides the case.
// Runs on the main thread; the parser owns nothing this test keeps.

#include "exposition/dump.h"
#include "exposition/exposition.h"

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <clocale>
#include <utility>

using namespace fleetscope::exposition;

namespace {

QString casesDir()
{
    return QStringLiteral(FLEETSCOPE_PROMETHEUS_TEXT_CASES);
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

// "x\n" and "x" are the same dump: the expected files end in a newline, an empty dump is empty.
QByteArray withoutFinalNewline(QByteArray text)
{
    if (text.endsWith('\n'))
        text.chop(1);
    return text;
}

// expected-meta stores HELP text escaped (\\, \n and \r) so it fits on one line and no editor
// touches a carriage return.
QByteArray unescapeMeta(const QByteArray &text)
{
    QByteArray out;
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text[i] == '\\' && i + 1 < text.size()) {
            ++i;
            out += text[i] == 'n' ? '\n' : text[i] == 'r' ? '\r' : text[i];
        } else {
            out += text[i];
        }
    }
    return out;
}

QByteArray toBytes(std::string_view text)
{
    return QByteArray(text.data(), qsizetype(text.size()));
}

// `body` must outlive the result, which points into it.
Exposition parsePrometheus(const QByteArray &body)
{
    // Not `{.format = ...}`: -Wextra warns about the members a designated initializer leaves out.
    ParseOptions options;
    options.format = Format::Prometheus;
    return parse(std::string_view(body.constData(), std::size_t(body.size())), options);
}

} // namespace

class TestPrometheusText : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void verdict_data();
    void verdict();
    void dump_data();
    void dump();
    void metadata_data();
    void metadata();
    void deviations_data();
    void deviations();

private:
    void addCaseRows(const QString &requiredFile);
    QStringList m_cases;
};

void TestPrometheusText::initTestCase()
{
    const QDir dir(casesDir());
    QVERIFY2(dir.exists(), qPrintable(QStringLiteral("no cases folder at ") + casesDir()));
    m_cases = dir.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    QVERIFY2(m_cases.size() >= 80, "the Prometheus text suite has lost most of its cases");

    // Numbers must not depend on the locale: parse under one whose decimal separator is a comma.
    if (!std::setlocale(LC_ALL, "de_DE.UTF-8"))
        qInfo("de_DE.UTF-8 is not installed; running in the C locale");
}

void TestPrometheusText::addCaseRows(const QString &requiredFile)
{
    QTest::addColumn<QString>("caseDir");
    for (const QString &name : std::as_const(m_cases)) {
        const QString path = casesDir() + QLatin1Char('/') + name;
        if (requiredFile.isEmpty() || QFile::exists(path + QLatin1Char('/') + requiredFile))
            QTest::addRow("%s", qPrintable(name)) << path;
    }
}

void TestPrometheusText::verdict_data()
{
    addCaseRows({});
}

// Accepted or rejected as Prometheus does; a rejection carries a position and leaves nothing.
void TestPrometheusText::verdict()
{
    QFETCH(QString, caseDir);
    const QJsonObject spec =
        QJsonDocument::fromJson(readFile(caseDir + QStringLiteral("/test.json"))).object();
    QCOMPARE(spec.value(QStringLiteral("type")).toString(), QStringLiteral("text"));
    QVERIFY(spec.value(QStringLiteral("shouldParse")).isBool());
    const bool shouldParse = spec.value(QStringLiteral("shouldParse")).toBool();
    const QString comment = spec.value(QStringLiteral("comment")).toString();

    const QString inputPath =
        caseDir + QLatin1Char('/') + spec.value(QStringLiteral("file")).toString();
    QVERIFY2(QFile::exists(inputPath), qPrintable(inputPath));
    const QByteArray body = readFile(inputPath);

    const Exposition exposition = parsePrometheus(body);
    const QByteArray verdictText = exposition.ok()
        ? QByteArrayLiteral("accepted")
        : QByteArrayLiteral("rejected: ") + QByteArray::fromStdString(exposition.error->toString());
    QVERIFY2(exposition.ok() == shouldParse,
             qPrintable(QStringLiteral("expected %1, parser %2\n   why: %3")
                            .arg(shouldParse ? QStringLiteral("accept") : QStringLiteral("reject"),
                                 QString::fromUtf8(verdictText), comment)));
    QCOMPARE(exposition.format, Format::Prometheus);

    if (!exposition.ok()) {
        const ParseError &error = *exposition.error;
        const auto lines = std::uint32_t(body.count('\n') + 1);
        QVERIFY2(error.line >= 1 && error.line <= lines, error.toString().c_str());
        QVERIFY2(error.column >= 1, error.toString().c_str());
        QVERIFY(!error.message.empty());
        QVERIFY(exposition.samples.empty());
        QVERIFY(exposition.families.empty());
        QVERIFY(exposition.labels.empty());
    }
}

void TestPrometheusText::dump_data()
{
    addCaseRows(QStringLiteral("expected"));
}

// The samples, labels and values, in the canonical form of `check-metrics --dump`.
void TestPrometheusText::dump()
{
    QFETCH(QString, caseDir);
    const QByteArray body = readFile(caseDir + QStringLiteral("/metrics"));
    const Exposition exposition = parsePrometheus(body);
    QVERIFY2(exposition.ok(), exposition.ok() ? "" : exposition.error->toString().c_str());

    const QByteArray actual =
        withoutFinalNewline(QByteArray::fromStdString(canonicalDump(exposition)));
    const QByteArray expected =
        withoutFinalNewline(readFile(caseDir + QStringLiteral("/expected")));
    QCOMPARE(actual, expected);
}

void TestPrometheusText::metadata_data()
{
    addCaseRows(QStringLiteral("expected-meta"));
}

// expected-meta: one family a line, `name<TAB>type[<TAB>help]`; type in the OpenMetrics spelling.
void TestPrometheusText::metadata()
{
    QFETCH(QString, caseDir);
    const QByteArray body = readFile(caseDir + QStringLiteral("/metrics"));
    const Exposition exposition = parsePrometheus(body);
    QVERIFY2(exposition.ok(), exposition.ok() ? "" : exposition.error->toString().c_str());

    const QList<QByteArray> lines =
        readFile(caseDir + QStringLiteral("/expected-meta")).split('\n');
    for (const QByteArray &line : lines) {
        if (line.isEmpty())
            continue;
        const QList<QByteArray> fields = line.split('\t');
        QVERIFY2(fields.size() == 2 || fields.size() == 3, line.constData());
        const std::string name = fields[0].toStdString();
        const Family *family = exposition.family(name);
        QVERIFY2(family, qPrintable(QStringLiteral("no family ") + QString::fromUtf8(fields[0])));
        QCOMPARE(QByteArray(typeName(family->type)), fields[1]);
        if (fields.size() == 3) {
            QVERIFY2(family->hasHelp, fields[0].constData());
            QCOMPARE(toBytes(family->help), unescapeMeta(fields[2]));
        }
    }
}

// Bodies the Prometheus server accepts only through a lexer accident (deviations/): FleetScope
// rejects them on purpose, with a position, rather than silently dropping or renaming data.
void TestPrometheusText::deviations_data()
{
    QTest::addColumn<QString>("caseDir");
    const QDir dir(QStringLiteral(FLEETSCOPE_PROMETHEUS_TEXT_DEVIATIONS));
    const QStringList names = dir.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    QVERIFY(!names.isEmpty());
    for (const QString &name : names)
        QTest::addRow("%s", qPrintable(name)) << dir.filePath(name);
}

void TestPrometheusText::deviations()
{
    QFETCH(QString, caseDir);
    const QJsonObject spec =
        QJsonDocument::fromJson(readFile(caseDir + QStringLiteral("/test.json"))).object();
    QVERIFY2(spec.value(QStringLiteral("shouldParse")).toBool(), "records Prometheus' verdict");
    const Exposition exposition = parsePrometheus(readFile(caseDir + QStringLiteral("/metrics")));
    QVERIFY2(!exposition.ok(), "FleetScope rejects this on purpose (see README.md)");
    QVERIFY(exposition.error->line >= 1 && exposition.error->column >= 1);
}

QTEST_GUILESS_MAIN(TestPrometheusText)
#include "tst_prometheustext.moc"
