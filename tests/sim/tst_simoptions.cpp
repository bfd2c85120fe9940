// fleetsim's command line and fault syntax: what is accepted, and the message for what is not.

#include "fault.h"
#include "nodecollectable.h"
#include "simoptions.h"
#include "simulation.h"

#include <QTest>

using namespace fleetscope::sim;

class TestSimOptions : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void accepts_data();
    void accepts();
    void rejects_data();
    void rejects();
    void faultSyntax_data();
    void faultSyntax();
    void defaultFleetCoversTheWorld();
    void faultForUnknownNodeIsAnError();
};

void TestSimOptions::accepts_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("nodes");
    QTest::addColumn<QString>("primary");
    QTest::addColumn<double>("timeScale");
    QTest::addColumn<int>("faults");

    QTest::addRow("defaults") << QStringList {} << 24 << QStringLiteral("iad") << 1.0 << 0;
    QTest::addRow("contract line")
        << QStringList { QStringLiteral("--nodes"),     QStringLiteral("5"),
                         QStringLiteral("--regions"),   QStringLiteral("nrt,iad"),
                         QStringLiteral("--listen"),    QStringLiteral("127.0.0.1"),
                         QStringLiteral("--port-file"), QStringLiteral("f.json"),
                         QStringLiteral("--seed"),      QStringLiteral("9") }
        << 5 << QStringLiteral("iad") << 1.0 << 0;
    QTest::addRow("time scale, primary, faults")
        << QStringList { QStringLiteral("--time-scale=1440"), QStringLiteral("--primary=fra"),
                         QStringLiteral("--fault"),           QStringLiteral("nrt-1=slow:2.5"),
                         QStringLiteral("--fault"),           QStringLiteral("iad-1=down") }
        << 24 << QStringLiteral("fra") << 1440.0 << 2;
    QTest::addRow("other provider")
        << QStringList { QStringLiteral("--regions"), QStringLiteral("aws:eu-west-1,nrt"),
                         QStringLiteral("--primary"), QStringLiteral("aws:us-east-1") }
        << 24 << QStringLiteral("aws:us-east-1") << 1.0 << 0;
    QTest::addRow("ipv6 and start time")
        << QStringList { QStringLiteral("--listen"), QStringLiteral("::1"),
                         QStringLiteral("--start-time"), QStringLiteral("2026-01-15T06:00:00Z") }
        << 24 << QStringLiteral("iad") << 1.0 << 0;
}

void TestSimOptions::accepts()
{
    QFETCH(QStringList, args);
    QFETCH(int, nodes);
    QFETCH(QString, primary);
    QFETCH(double, timeScale);
    QFETCH(int, faults);
    args.prepend(QStringLiteral("fleetsim"));
    QString error;
    const auto options = SimOptions::parse(args, &error);
    QVERIFY2(options, qPrintable(error));
    QCOMPARE(options->nodes, nodes);
    QCOMPARE(options->primary, primary);
    QCOMPARE(options->timeScale, timeScale);
    QCOMPARE(options->faults.size(), faults);
}

void TestSimOptions::rejects_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    auto row = [](const char *name, QStringList args, const char *message) {
        QTest::addRow("%s", name) << args << QString::fromLatin1(message);
    };
    row("zero nodes", { QStringLiteral("--nodes"), QStringLiteral("0") }, "--nodes");
    row("too many nodes", { QStringLiteral("--nodes"), QStringLiteral("20001") }, "--nodes");
    row("nodes not a number", { QStringLiteral("--nodes"), QStringLiteral("many") }, "--nodes");
    row("unknown region", { QStringLiteral("--regions"), QStringLiteral("nrt,xyz") },
        "unknown region \"xyz\"");
    row("empty regions", { QStringLiteral("--regions"), QStringLiteral(",") }, "--regions");
    row("unknown primary", { QStringLiteral("--primary"), QStringLiteral("mars") }, "--primary");
    row("hostname listen", { QStringLiteral("--listen"), QStringLiteral("localhost") },
        "not an IP address");
    row("bad port", { QStringLiteral("--port"), QStringLiteral("70000") }, "--port");
    row("ports overflow", { QStringLiteral("--port"), QStringLiteral("65530") }, "past 65535");
    row("negative seed", { QStringLiteral("--seed"), QStringLiteral("-1") }, "--seed");
    row("zero time scale", { QStringLiteral("--time-scale"), QStringLiteral("0") }, "--time-scale");
    row("nan time scale", { QStringLiteral("--time-scale"), QStringLiteral("nan") },
        "--time-scale");
    row("bad start", { QStringLiteral("--start-time"), QStringLiteral("yesterday") },
        "--start-time");
    row("fault without node", { QStringLiteral("--fault"), QStringLiteral("down") }, "NODE=KIND");
    row("unknown fault", { QStringLiteral("--fault"), QStringLiteral("nrt-1=explode") },
        "unknown fault");
    row("fault bad argument", { QStringLiteral("--fault"), QStringLiteral("nrt-1=slow:soon") },
        "not a number");
    row("unknown option", { QStringLiteral("--frobnicate") }, "frobnicate");
    row("positional", { QStringLiteral("extra") }, "unexpected argument");
    row("missing value", { QStringLiteral("--nodes") }, "nodes");
}

void TestSimOptions::rejects()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    args.prepend(QStringLiteral("fleetsim"));
    QString error;
    QVERIFY(!SimOptions::parse(args, &error));
    QVERIFY2(error.contains(message), qPrintable(error));
}

void TestSimOptions::faultSyntax_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QString>("canonical");
    QTest::addRow("none") << QStringLiteral("none") << true << QStringLiteral("none");
    QTest::addRow("down") << QStringLiteral("down") << true << QStringLiteral("down");
    QTest::addRow("slow default") << QStringLiteral("slow") << true << QStringLiteral("slow:10");
    QTest::addRow("slow 2.5") << QStringLiteral("SLOW:2.5") << true << QStringLiteral("slow:2.5");
    QTest::addRow("hung") << QStringLiteral("hung") << true << QStringLiteral("hung");
    QTest::addRow("flapping") << QStringLiteral("flapping:3") << true
                              << QStringLiteral("flapping:3");
    QTest::addRow("malformed") << QStringLiteral("malformed") << true
                               << QStringLiteral("malformed");
    QTest::addRow("truncated") << QStringLiteral("truncated") << true
                               << QStringLiteral("truncated");
    QTest::addRow("oversized default")
        << QStringLiteral("oversized") << true << QStringLiteral("oversized:80");
    QTest::addRow("reset") << QStringLiteral("reset") << true << QStringLiteral("reset");
    QTest::addRow("down with arg") << QStringLiteral("down:3") << false << QString();
    QTest::addRow("slow negative") << QStringLiteral("slow:-1") << false << QString();
    QTest::addRow("slow inf") << QStringLiteral("slow:inf") << false << QString();
    QTest::addRow("oversized huge") << QStringLiteral("oversized:1e9") << false << QString();
    QTest::addRow("empty") << QString() << false << QString();
    QTest::addRow("garbage") << QStringLiteral("\x01\x02") << false << QString();
}

void TestSimOptions::faultSyntax()
{
    QFETCH(QString, text);
    QFETCH(bool, valid);
    QFETCH(QString, canonical);
    QString error;
    const auto fault = Fault::parse(text, &error);
    QCOMPARE(bool(fault), valid);
    if (valid) {
        QCOMPARE(fault->toString(), canonical);
        QCOMPARE(Fault::parse(fault->toString(), nullptr), fault);
    } else {
        QVERIFY(!error.isEmpty());
    }
}

void TestSimOptions::defaultFleetCoversTheWorld()
{
    const auto options = SimOptions::parse({ QStringLiteral("fleetsim") }, nullptr);
    QVERIFY(options);
    Simulation simulation;
    QString error;
    QVERIFY2(simulation.configure(*options, &error), qPrintable(error));
    QCOMPARE(simulation.nodeCount(), 24);
    // Continents by Fly.io code: every inhabited one must be there, in ten or more regions.
    const QHash<QString, QString> continent = {
        { QStringLiteral("iad"), QStringLiteral("North America") },
        { QStringLiteral("ord"), QStringLiteral("North America") },
        { QStringLiteral("sjc"), QStringLiteral("North America") },
        { QStringLiteral("yyz"), QStringLiteral("North America") },
        { QStringLiteral("gru"), QStringLiteral("South America") },
        { QStringLiteral("fra"), QStringLiteral("Europe") },
        { QStringLiteral("lhr"), QStringLiteral("Europe") },
        { QStringLiteral("arn"), QStringLiteral("Europe") },
        { QStringLiteral("jnb"), QStringLiteral("Africa") },
        { QStringLiteral("nrt"), QStringLiteral("Asia") },
        { QStringLiteral("sin"), QStringLiteral("Asia") },
        { QStringLiteral("bom"), QStringLiteral("Asia") },
        { QStringLiteral("syd"), QStringLiteral("Oceania") },
    };
    QSet<QString> regions, continents;
    for (int i = 0; i < simulation.nodeCount(); ++i) {
        const QString code = simulation.node(i)->spec().region.code;
        regions.insert(code);
        QVERIFY2(continent.contains(code), qPrintable(code));
        continents.insert(continent.value(code));
    }
    QVERIFY(regions.size() >= 10);
    QCOMPARE(continents.size(), 6);
}

void TestSimOptions::faultForUnknownNodeIsAnError()
{
    auto options = SimOptions::parse({ QStringLiteral("fleetsim"), QStringLiteral("--nodes=3"),
                                       QStringLiteral("--fault=nrt-7=down") },
                                     nullptr);
    QVERIFY(options);
    Simulation simulation;
    QString error;
    QVERIFY(!simulation.configure(*options, &error));
    QVERIFY2(error.contains(QLatin1String("nrt-7")), qPrintable(error));
}

QTEST_GUILESS_MAIN(TestSimOptions)
#include "tst_simoptions.moc"
