// `fleetscope check-metrics` end to end, as a user runs it: exit codes, stderr messages, --dump,
// format choice and limits. Runs the built binary with QProcess; needs no display.

#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

class TestCheckMetrics : public QObject
{
    Q_OBJECT

private:
    struct Run
    {
        int exitCode = -1;
        QByteArray out;
        QByteArray err;
    };

    Run run(const QStringList &args, const QByteArray &stdinData = {})
    {
        QProcess p;
        p.start(QStringLiteral(FLEETSCOPE_BIN),
                QStringList { QStringLiteral("check-metrics") } + args);
        if (!p.waitForStarted(10000))
            return {};
        p.write(stdinData);
        p.closeWriteChannel();
        if (!p.waitForFinished(30000)) {
            p.kill();
            return {};
        }
        return { p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
                 p.readAllStandardOutput(), p.readAllStandardError() };
    }

    QString writeFile(const QString &name, const QByteArray &content)
    {
        const QString path = m_dir.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly))
            return {};
        f.write(content);
        return path;
    }

    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void validStdin()
    {
        const Run r = run({}, "# TYPE m gauge\nm{b=\"2\",a=\"1\"} 1.50\n");
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.err.isEmpty());
        QVERIFY(r.out.isEmpty());
    }

    void invalidStdinSaysLineAndColumn()
    {
        const Run r = run({}, "ok 1\nm{a=1} 2\n");
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.startsWith("2:5: expected '\"'"), r.err.constData());
    }

    void fileErrorsNameTheFile()
    {
        const QString good = writeFile(QStringLiteral("good.prom"), "a 1\n");
        const QString bad = writeFile(QStringLiteral("bad.prom"), "a 1\nb x\n");
        const Run r = run({ good, bad });
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.startsWith(bad.toUtf8() + ":2:3: "), r.err.constData());
        QCOMPARE(r.err.count('\n'), 1);
    }

    void dumpIsCanonical()
    {
        const Run r = run({ QStringLiteral("--dump") },
                          "# TYPE m counter\nm_total{z=\"1\",a=\"x\\\"y\"} 10.0 1700000000000\n"
                          "n NaN\no -Inf\n");
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out,
                 QByteArray("m_total{a=\"x\\\"y\",z=\"1\"} 10 1700000000000\nn NaN\no -Inf\n"));
    }

    void formatChoice()
    {
        const QByteArray om = "# TYPE a counter\na_total 1\n# EOF\n";
        QCOMPARE(run({}, om).exitCode, 0); // auto: OpenMetrics
        QCOMPARE(run({ QStringLiteral("--format"), QStringLiteral("openmetrics") }, om).exitCode,
                 0);
        const Run r = run({ QStringLiteral("--format=openmetrics") }, "a 1\n");
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("# EOF"), r.err.constData());
        QCOMPARE(run({ QStringLiteral("--format=prometheus") }, "a 1\n").exitCode, 0);
    }

    void verboseSummary()
    {
        const Run r = run({ QStringLiteral("-v") }, "a 1\nb 2\n");
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out, QByteArray("standard input: valid prometheus: 2 families, 2 samples\n"));
    }

    void volumeLimitsOnlyWhenAsked()
    {
        const QByteArray body = QByteArray("m{a=\"1\"} 1\n").repeated(1000);
        QCOMPARE(run({}, body).exitCode, 0);
        const Run r = run({ QStringLiteral("--max-samples"), QStringLiteral("10") }, body);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("more than 10 samples"), r.err.constData());
        const Run b = run({ QStringLiteral("--max-body-bytes=100") }, body);
        QCOMPARE(b.exitCode, 1);
        QVERIFY2(b.err.contains("over the limit of 100 bytes"), b.err.constData());
    }

    void usageErrors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QByteArray>("messagePart");
        QTest::addRow("unknown option") << QStringList { QStringLiteral("--frobnicate") }
                                        << QByteArray("unknown option '--frobnicate'");
        QTest::addRow("bad format")
            << QStringList { QStringLiteral("--format"), QStringLiteral("xml") }
            << QByteArray("unknown format 'xml'");
        QTest::addRow("missing value") << QStringList { QStringLiteral("--max-samples") }
                                       << QByteArray("needs a whole number");
        QTest::addRow("bad number") << QStringList { QStringLiteral("--max-samples=ten") }
                                    << QByteArray("needs a whole number");
        QTest::addRow("missing file") << QStringList { QStringLiteral("/nonexistent/metrics.prom") }
                                      << QByteArray("cannot open /nonexistent/metrics.prom");
    }

    void usageErrors()
    {
        QFETCH(QStringList, args);
        QFETCH(QByteArray, messagePart);
        const Run r = run(args, "a 1\n");
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(messagePart), r.err.constData());
    }

    void helpExitsZero()
    {
        const Run r = run({ QStringLiteral("--help") });
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains("usage: fleetscope check-metrics"));
    }

    void realExporterOutputs_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<int>("samples");
        const QString corpus = QStringLiteral(FLEETSCOPE_SHARED_DIR "/peers/corpus/");
        QTest::addRow("node_exporter") << corpus + QStringLiteral("node_exporter.prom") << 507;
        QTest::addRow("prometheus") << corpus + QStringLiteral("prometheus.prom") << 399;
    }

    void realExporterOutputs()
    {
        QFETCH(QString, path);
        QFETCH(int, samples);
        if (!QFile::exists(path)) {
            if (qEnvironmentVariable("CI") == QLatin1String("true"))
                QFAIL(qPrintable(
                    QStringLiteral("missing %1 (CI=true: ../shared must be present)").arg(path)));
            QSKIP(qPrintable(QStringLiteral("missing %1 (the shared folder)").arg(path)));
        }
        const Run r = run({ QStringLiteral("--dump"), path });
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(int(r.out.count('\n')), samples);
    }
};

QTEST_GUILESS_MAIN(TestCheckMetrics)
#include "tst_checkmetrics.moc"
