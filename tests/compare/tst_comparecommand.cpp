// `fleetscope report --compare BEFORE AFTER --out FILE` end to end with the real binary: the CSV
// and HTML hold the hand-computed figures, the PDF's text names the regions, errors are clear.

#include "comparefixture.h"
#include "snapshot/snapshotfile.h"

#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace fleetscope;

class TestCompareCommand : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_before, m_after;

    struct Run
    {
        int code;
        QByteArray err;
    };
    Run report(const QStringList &args)
    {
        QProcess p;
        p.start(QStringLiteral(FLEETSCOPE_BIN), QStringList { QStringLiteral("report") } + args);
        if (!p.waitForFinished(60000)) {
            p.kill();
            p.waitForFinished();
            return { -1, "timed out" };
        }
        return { p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
                 p.readAllStandardError() };
    }
    QByteArray read(const QString &path)
    {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_before = m_dir.filePath(QStringLiteral("before.json"));
        m_after = m_dir.filePath(QStringLiteral("after.json"));
        QString error;
        QVERIFY2(snapshot::saveSnapshot(testfixture::compareBefore(), m_before, &error),
                 qPrintable(error));
        QVERIFY2(snapshot::saveSnapshot(testfixture::compareAfter(), m_after, &error),
                 qPrintable(error));
    }

    void csv()
    {
        const QString out = m_dir.filePath(QStringLiteral("cmp.csv"));
        const Run r = report(
            { QStringLiteral("--compare"), m_before, m_after, QStringLiteral("--out"), out });
        QVERIFY2(r.code == 0, r.err.constData());
        QVERIFY(r.err.contains("4 regions, 1 only before, 1 only after"));
        const QList<QStringList> rows = testfixture::parseCsv(read(out));
        QCOMPARE(rows.size(), 5);
        const QStringList &h = rows[0];
        auto cell = [&](int row, const char *column) {
            return rows[row].value(h.indexOf(QLatin1String(column)));
        };
        QCOMPARE(cell(1, "region"), QStringLiteral("fra"));
        QCOMPARE(cell(1, "latency_p95_ms_delta").toDouble(), 10.0);
        QCOMPARE(cell(1, "latency_p95_ms_change_pct").toDouble(), 20.0);
        QCOMPARE(cell(1, "latency_p99_ms_change_pct").toDouble(), -12.5);
        QCOMPARE(cell(3, "region"), QStringLiteral("nrt"));
        QCOMPARE(cell(3, "replica_lag_s_change_pct").toDouble(), -50.0);
        QCOMPARE(cell(3, "latency_p95_ms_after"), QString());
        QCOMPARE(cell(4, "presence"), QStringLiteral("before only"));
        QVERIFY(cell(3, "name").startsWith(u'\''));
    }

    void html()
    {
        const QString out = m_dir.filePath(QStringLiteral("cmp.html"));
        const Run r = report(
            { QStringLiteral("--compare"), m_before, m_after, QStringLiteral("--out"), out });
        QVERIFY2(r.code == 0, r.err.constData());
        const QString html = QString::fromUtf8(read(out));
        QVERIFY(html.startsWith(QStringLiteral("<!DOCTYPE html>")));
        QVERIFY(html.contains(QStringLiteral("+10.0 ms")));
        QVERIFY(html.contains(QStringLiteral("−12.5 %"))
                || html.contains(QStringLiteral("-12.5 %")));
        QVERIFY(html.contains(QStringLiteral("&lt;script&gt;")));
        QVERIFY(!html.contains(QStringLiteral("<script")));
        QVERIFY(!html.contains(QStringLiteral("src=")) && !html.contains(QStringLiteral("href=")));
    }

    void pdf()
    {
        const QString out = m_dir.filePath(QStringLiteral("cmp.pdf"));
        const Run r = report(
            { QStringLiteral("--compare"), m_before, m_after, QStringLiteral("--out"), out });
        QVERIFY2(r.code == 0, r.err.constData());
        QVERIFY(read(out).startsWith("%PDF-"));
        const QString pdftotext = QStandardPaths::findExecutable(QStringLiteral("pdftotext"));
        if (pdftotext.isEmpty())
            QSKIP("pdftotext is not installed: the PDF's text is not checked");
        QProcess text;
        text.start(pdftotext, { out, QStringLiteral("-") });
        QVERIFY(text.waitForFinished(30000));
        const QString t = QString::fromUtf8(text.readAllStandardOutput());
        QVERIFY2(t.contains(QStringLiteral("Frankfurt")), qPrintable(t.left(400)));
        QVERIFY(t.contains(QStringLiteral("+10.0 ms")));
        QVERIFY(t.contains(QStringLiteral("not in after")));
    }

    void errors()
    {
        const QString out = m_dir.filePath(QStringLiteral("x.csv"));
        Run r = report({ QStringLiteral("--compare"), m_before });
        QCOMPARE(r.code, 2);
        QVERIFY(r.err.contains("--compare needs two snapshot files"));
        r = report({ QStringLiteral("--compare"), m_before, m_after, QStringLiteral("--out"),
                     m_dir.filePath(QStringLiteral("x.png")) });
        QCOMPARE(r.code, 2);
        QVERIFY(r.err.contains(".csv .html .pdf"));
        const QString missing = m_dir.filePath(QStringLiteral("missing.json"));
        r = report(
            { QStringLiteral("--compare"), m_before, missing, QStringLiteral("--out"), out });
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("missing.json"), r.err.constData());
        QVERIFY(!QFile::exists(out));
        r = report({ QStringLiteral("--compare"), m_before, m_after, QStringLiteral("--demo"),
                     QStringLiteral("--out"), out });
        QCOMPARE(r.code, 2);
    }
};

QTEST_GUILESS_MAIN(TestCompareCommand)
#include "tst_comparecommand.moc"
