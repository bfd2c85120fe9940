// `fleetscope report` as a user runs it: against a running fleetsim (24 nodes, one of them
// down), without a display; the snapshot reloads equivalent, re-renders with --open, and a
// damaged snapshot is refused with a clear message.

#include "report/csvreport.h"
#include "snapshot/snapshotfile.h"

#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace fleetscope::snapshot;

class TestReportCommand : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QProcess m_sim;

    struct Run
    {
        int exitCode = -1;
        QByteArray err;
    };

    Run report(const QStringList &args)
    {
        QProcess p;
        p.setProcessChannelMode(QProcess::SeparateChannels);
        p.start(QStringLiteral(FLEETSCOPE_BIN), QStringList { QStringLiteral("report") } + args);
        if (!p.waitForFinished(120000)) {
            p.kill();
            return {};
        }
        return { p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
                 p.readAllStandardError() };
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        const QString fleet = m_dir.filePath(QStringLiteral("fleet.json"));
        m_sim.setProcessChannelMode(QProcess::MergedChannels);
        m_sim.start(QStringLiteral(FLEETSIM_BIN),
                    { QStringLiteral("--nodes"), QStringLiteral("24"),
                      QStringLiteral("--port-file"), fleet, QStringLiteral("--time-scale"),
                      QStringLiteral("60"), QStringLiteral("--fault"), QStringLiteral("iad-1=down"),
                      QStringLiteral("--no-control") });
        QVERIFY(m_sim.waitForStarted(10000));
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(fleet) && QFile(fleet).size() > 0, 20000);
    }

    void cleanupTestCase()
    {
        m_sim.terminate();
        if (!m_sim.waitForFinished(5000))
            m_sim.kill();
    }

    void collectsAndReloads()
    {
        const QString fleet = m_dir.filePath(QStringLiteral("fleet.json"));
        const QString out = m_dir.filePath(QStringLiteral("s.json"));
        const Run r = report({ QStringLiteral("--fleet"), fleet, QStringLiteral("--duration"),
                               QStringLiteral("8s"), QStringLiteral("--out"), out });
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.err.contains("wrote"), r.err.constData());

        const LoadResult loaded = loadSnapshot(out);
        QVERIFY2(loaded.snapshot, qPrintable(loaded.error));
        const FleetSnapshot &s = *loaded.snapshot;
        QCOMPARE(s.targets.size(), 24u);
        QVERIFY(s.regions.size() >= 10);
        int down = 0, answering = 0;
        for (const TargetRow &t : s.targets) {
            if (t.node == QLatin1String("iad-1")) {
                QCOMPARE(t.health, Health::Down);
                QVERIFY2(t.cause.contains(QStringLiteral("refused")), qPrintable(t.cause));
                ++down;
            } else if (t.health == Health::Up || t.health == Health::Idle) {
                ++answering;
            }
        }
        QCOMPARE(down, 1);
        QCOMPARE(answering, 23);
        int withLatency = 0;
        for (const RegionData &region : s.regions) {
            QVERIFY2(region.placed, qPrintable(region.code));
            if (!std::isnan(region.figures.latencyP95Ms))
                ++withLatency;
        }
        QVERIFY2(withLatency >= 8, qPrintable(QString::number(withLatency)));

        // Saved again, it is byte-for-byte the same document.
        QVERIFY(equivalent(s, *fromJson(toJson(s)).snapshot));

        // --open re-renders it, here as CSV with another quantile, and the CSV holds its regions.
        const QString csv = m_dir.filePath(QStringLiteral("s.csv"));
        const Run again = report({ QStringLiteral("--open"), out, QStringLiteral("--quantile"),
                                   QStringLiteral("0.99"), QStringLiteral("--out"), csv });
        QVERIFY2(again.exitCode == 0, again.err.constData());
        QFile f(csv);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray text = f.readAll();
        QVERIFY(text.startsWith("# regions\r\nregion,name,"));
        QVERIFY(text.contains("latency_p99_ms"));
        for (const RegionData &region : s.regions)
            QVERIFY(text.contains("\r\n" + region.code.toUtf8() + ","));
        QVERIFY(text.contains("connection refused"));
    }

    void damagedSnapshotRefused()
    {
        const QString bad = m_dir.filePath(QStringLiteral("bad.json"));
        QFile f(bad);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{\"format\": \"fleetscope-snapshot\", \"version\": 1, \"time\": ");
        f.close();
        const Run r = report({ QStringLiteral("--open"), bad, QStringLiteral("--out"),
                               m_dir.filePath(QStringLiteral("x.json")) });
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(bad.toUtf8() + ": not valid JSON at line 1"), r.err.constData());
    }

    // A fleet scraped with a bearer token: the token file's contents reach no snapshot and no
    // report, in any format, whether written live or re-rendered from the snapshot.
    void noSecretInAnyOutput()
    {
        const QByteArray token = "fs-secret-7f3a9c2e-do-not-leak";
        const QString tokenFile = m_dir.filePath(QStringLiteral("token.txt"));
        {
            QFile f(tokenFile);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(token + "\n");
        }
        // The object form of the simulator's own target list, with a bearer token.
        QFile list(m_dir.filePath(QStringLiteral("fleet.json")));
        QVERIFY(list.open(QIODevice::ReadOnly));
        const QByteArray groups = list.readAll();
        const QString fleet = m_dir.filePath(QStringLiteral("secret-fleet.json"));
        {
            QFile f(fleet);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("{\"name\": \"secret fleet\", \"scrape\": {\"bearer_token_file\": \""
                    + tokenFile.toUtf8() + "\"}, \"targets\": " + groups + "}");
        }
        auto check = [&](const QString &path) {
            QFile f(path);
            QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(path));
            const QByteArray bytes = f.readAll();
            QVERIFY2(bytes.size() > 100, qPrintable(path));
            QVERIFY2(!bytes.contains(token), qPrintable(path));
            QVERIFY2(!bytes.contains(token.toBase64()), qPrintable(path));
            if (path.endsWith(QLatin1String(".pdf"))) { // text streams are compressed
                QProcess text;
                text.start(QStringLiteral("pdftotext"), { path, QStringLiteral("-") });
                if (!text.waitForFinished(30000) || text.exitCode() != 0)
                    QFAIL("pdftotext failed (install poppler-utils: packaging/install-deps.sh)");
                const QByteArray words = text.readAllStandardOutput();
                QVERIFY2(words.contains("secret fleet"), words.left(400).constData());
                QVERIFY2(!words.contains(token), qPrintable(path));
            }
        };
        const QString json = m_dir.filePath(QStringLiteral("secret.json"));
        Run r = report({ QStringLiteral("--fleet"), fleet, QStringLiteral("--duration"),
                         QStringLiteral("4s"), QStringLiteral("--out"), json });
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(!r.err.contains(token));
        check(json);
        const LoadResult loaded = loadSnapshot(json);
        QVERIFY2(loaded.snapshot, qPrintable(loaded.error));
        QCOMPARE(loaded.snapshot->fleetName, QStringLiteral("secret fleet"));
        int answered = 0;
        for (const TargetRow &t : loaded.snapshot->targets)
            answered += t.health == Health::Up || t.health == Health::Idle;
        QVERIFY2(answered >= 20, "the fleet was scraped with the token");

        // Written straight from the collection, and re-rendered from the snapshot.
        const QString html = m_dir.filePath(QStringLiteral("secret-live.html"));
        r = report({ QStringLiteral("--fleet"), fleet, QStringLiteral("--duration"),
                     QStringLiteral("3s"), QStringLiteral("--out"), html });
        QVERIFY2(r.exitCode == 0, r.err.constData());
        check(html);
        for (const char *ext : { "pdf", "png", "csv", "html", "json" }) {
            const QString out = m_dir.filePath(QStringLiteral("secret-open.") + QLatin1String(ext));
            r = report({ QStringLiteral("--open"), json, QStringLiteral("--out"), out });
            QVERIFY2(r.exitCode == 0, r.err.constData());
            QVERIFY(!r.err.contains(token));
            check(out);
        }
    }

    void usageErrors()
    {
        QCOMPARE(report({ QStringLiteral("--out"), QStringLiteral("x.json") }).exitCode, 2);
        const Run r = report({ QStringLiteral("--fleet"), QStringLiteral("f.json"),
                               QStringLiteral("--out"), QStringLiteral("x.docx") });
        QCOMPARE(r.exitCode, 2);
        const Run missing =
            report({ QStringLiteral("--fleet"), QStringLiteral("/nonexistent/fleet.yaml"),
                     QStringLiteral("--out"), QStringLiteral("x.json") });
        QCOMPARE(missing.exitCode, 1);
        QVERIFY2(missing.err.contains("/nonexistent/fleet.yaml"), missing.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestReportCommand)
#include "tst_reportcommand.moc"
