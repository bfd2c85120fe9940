// compareSnapshots on a fixed fixture with deltas computed by hand; the CSV (RFC 4180, one row per
// region, formula-neutralised) and the HTML (self-contained, escaped).

#include "comparefixture.h"
#include "report/comparison.h"

#include <QRegularExpression>
#include <QTest>

#include <cmath>

using namespace fleetscope;
using report::CompareFigure;
using report::Presence;

class TestComparison : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void changeOfOneFigure()
    {
        const report::FigureChange c = report::change(50, 60);
        QCOMPARE(c.delta, 10.0);
        QCOMPARE(c.percent, 20.0);
        const report::FigureChange down = report::change(-4, -2); // relative to |before|
        QCOMPARE(down.delta, 2.0);
        QCOMPARE(down.percent, 50.0);
        QVERIFY(std::isnan(report::change(0, 5).percent)); // no percent of nothing
        QCOMPARE(report::change(0, 5).delta, 5.0);
        QVERIFY(std::isnan(report::change(snapshot::kNaN, 5).delta));
        QVERIFY(std::isnan(report::change(5, snapshot::kNaN).percent));
    }

    void perRegionDeltas()
    {
        const report::Comparison c =
            report::compareSnapshots(testfixture::compareBefore(), testfixture::compareAfter());
        QCOMPARE(c.rows.size(), 4u);
        QCOMPARE(c.rows[0].region, QStringLiteral("fra"));
        QCOMPARE(c.rows[1].region, QStringLiteral("new"));
        QCOMPARE(c.rows[2].region, QStringLiteral("nrt"));
        QCOMPARE(c.rows[3].region, QStringLiteral("old"));
        QCOMPARE(c.before.time, 1'700'000'000.0);
        QCOMPARE(c.after.time, 1'700'086'400.0);

        const report::CompareRow &fra = c.rows[0];
        QCOMPARE(fra.presence, Presence::Both);
        // p95 50 -> 60 ms: +10 ms, +20 %.
        QCOMPARE(fra.at(CompareFigure::LatencyP95).before, 50.0);
        QCOMPARE(fra.at(CompareFigure::LatencyP95).after, 60.0);
        QCOMPARE(fra.at(CompareFigure::LatencyP95).delta, 10.0);
        QCOMPARE(fra.at(CompareFigure::LatencyP95).percent, 20.0);
        // p50 20 -> 25: +5, +25 %; p90 40 -> 44: +4, +10 %; p99 80 -> 70: -10, -12.5 %.
        QCOMPARE(fra.at(CompareFigure::LatencyP50).percent, 25.0);
        QCOMPARE(fra.at(CompareFigure::LatencyP90).delta, 4.0);
        QCOMPARE(fra.at(CompareFigure::LatencyP99).delta, -10.0);
        QCOMPARE(fra.at(CompareFigure::LatencyP99).percent, -12.5);
        // Hit ratio 0.90 -> 0.95: +0.05, +5.56 %.
        QVERIFY(std::abs(fra.at(CompareFigure::HitRatio).delta - 0.05) < 1e-12);
        QVERIFY(std::abs(fra.at(CompareFigure::HitRatio).percent - 5.0 / 0.9) < 1e-9);
        // Lag 1.5 -> 1.0 s: -0.5 s, -33.3 %.
        QCOMPARE(fra.at(CompareFigure::ReplicaLag).delta, -0.5);
        QVERIFY(std::abs(fra.at(CompareFigure::ReplicaLag).percent + 100.0 / 3) < 1e-9);
        // Cost 2e-7 -> 3e-7 USD: +1e-7, +50 %.
        QVERIFY(std::abs(fra.at(CompareFigure::CostPerInvocation).delta - 1e-7) < 1e-20);
        QVERIFY(std::abs(fra.at(CompareFigure::CostPerInvocation).percent - 50) < 1e-9);

        const report::CompareRow &nrt = c.rows[2];
        QCOMPARE(nrt.at(CompareFigure::LatencyP95).before, 100.0);
        QVERIFY(std::isnan(nrt.at(CompareFigure::LatencyP95).after)); // no data, not zero
        QVERIFY(std::isnan(nrt.at(CompareFigure::LatencyP95).delta));
        QCOMPARE(nrt.at(CompareFigure::LatencyP99).percent, 25.0); // 160 -> 200
        QCOMPARE(nrt.at(CompareFigure::ReplicaLag).percent, -50.0); // 4 -> 2
        QCOMPARE(nrt.at(CompareFigure::CostPerInvocation).delta, 0.0);

        QCOMPARE(c.rows[1].presence, Presence::AfterOnly);
        QVERIFY(std::isnan(c.rows[1].at(CompareFigure::LatencyP95).before));
        QCOMPARE(c.rows[1].at(CompareFigure::LatencyP95).after, 30.0);
        QCOMPARE(c.rows[3].presence, Presence::BeforeOnly);
        QCOMPARE(c.rows[3].at(CompareFigure::LatencyP95).before, 25.0);
        QVERIFY(std::isnan(c.rows[3].at(CompareFigure::LatencyP95).delta));
    }

    void csvOneRowPerRegion()
    {
        const report::Comparison c =
            report::compareSnapshots(testfixture::compareBefore(), testfixture::compareAfter());
        const QByteArray csv = report::comparisonCsv(c);
        const QList<QStringList> rows = testfixture::parseCsv(csv);
        QCOMPARE(rows.size(), 5); // header + 4 regions
        const QStringList &header = rows[0];
        QCOMPARE(header.size(), 3 + 4 * report::kCompareFigureCount);
        for (const QStringList &r : rows)
            QCOMPARE(r.size(), header.size());
        auto cell = [&](int row, const QString &column) {
            const qsizetype i = header.indexOf(column);
            return i < 0 ? QStringLiteral("<missing %1>").arg(column) : rows[row][i];
        };
        QCOMPARE(cell(1, QStringLiteral("region")), QStringLiteral("fra"));
        QCOMPARE(cell(1, QStringLiteral("presence")), QStringLiteral("both"));
        QCOMPARE(cell(1, QStringLiteral("latency_p95_ms_before")).toDouble(), 50.0);
        QCOMPARE(cell(1, QStringLiteral("latency_p95_ms_after")).toDouble(), 60.0);
        QCOMPARE(cell(1, QStringLiteral("latency_p95_ms_delta")).toDouble(), 10.0);
        QCOMPARE(cell(1, QStringLiteral("latency_p95_ms_change_pct")).toDouble(), 20.0);
        QCOMPARE(cell(1, QStringLiteral("replica_lag_s_delta")).toDouble(), -0.5);
        QCOMPARE(cell(1, QStringLiteral("cost_per_invocation_usd_change_pct")).toDouble(), 50.0);
        QCOMPARE(cell(2, QStringLiteral("presence")), QStringLiteral("after only"));
        QCOMPARE(cell(2, QStringLiteral("latency_p95_ms_before")), QString()); // no data: empty
        QCOMPARE(cell(3, QStringLiteral("latency_p95_ms_after")), QString());
        QCOMPARE(cell(4, QStringLiteral("presence")), QStringLiteral("before only"));
        // The hostile name: neutralised for spreadsheets, otherwise kept.
        QCOMPARE(cell(3, QStringLiteral("name")), QStringLiteral("'=HYPERLINK(\"x\")<script>"));
    }

    void htmlSelfContainedAndEscaped()
    {
        const report::Comparison c =
            report::compareSnapshots(testfixture::compareBefore(), testfixture::compareAfter());
        const QString html = QString::fromUtf8(report::comparisonHtml(c));
        QVERIFY(!html.contains(QStringLiteral("<script")));
        QVERIFY(html.contains(QStringLiteral("=HYPERLINK(&quot;x&quot;)&lt;script&gt;")));
        QVERIFY(!html.contains(QRegularExpression(QStringLiteral("(src|href)\\s*="))));
        QVERIFY(!html.contains(QStringLiteral("http")));
        QVERIFY(html.contains(QStringLiteral("not in before")));
        QVERIFY(html.contains(QStringLiteral("not in after")));
        // fra p95: 50.0 ms -> 60.0 ms, +10.0 ms, +20.0 %, worse.
        QVERIFY(html.contains(QStringLiteral(
            "<td class=\"n\">50.0 ms</td><td class=\"n\">60.0 ms</td><td class=\"n worse\">+10.0 "
            "ms</td><td class=\"n worse\">+20.0 %</td>")));
        QVERIFY(html.contains(QStringLiteral("+5.0 pp"))); // fra hit ratio, better
    }
};

QTEST_GUILESS_MAIN(TestComparison)
#include "tst_comparison.moc"
