// Figures on screen: "no data" for NaN (never 0), sensible precision, no locale decimal comma.

#include "common/figureformat.h"

#include <QTest>

#include <limits>

using namespace fleetscope::widgets;

class TestFigureFormat : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void formats_data()
    {
        QTest::addColumn<QString>("actual");
        QTest::addColumn<QString>("expected");
        const double nan = std::numeric_limits<double>::quiet_NaN();
        QTest::addRow("ms nan") << formatMs(nan) << QStringLiteral("no data");
        QTest::addRow("ms small") << formatMs(0.4249) << QStringLiteral("0.42 ms");
        QTest::addRow("ms tens") << formatMs(87.46) << QStringLiteral("87.5 ms");
        QTest::addRow("ms hundreds") << formatMs(187.46) << QStringLiteral("187 ms");
        QTest::addRow("ms seconds") << formatMs(1250) << QStringLiteral("1.25 s");
        QTest::addRow("s") << formatSeconds(0.84) << QStringLiteral("0.8 s");
        QTest::addRow("s min") << formatSeconds(185) << QStringLiteral("3 min 5 s");
        QTest::addRow("s hours") << formatSeconds(7800) << QStringLiteral("2 h 10 min");
        QTest::addRow("percent") << formatPercent(0.9342) << QStringLiteral("93.4%");
        QTest::addRow("percent nan") << formatPercent(nan) << QStringLiteral("no data");
        QTest::addRow("usd tiny") << formatUsd(3.5051e-7) << QStringLiteral("$0.000000351");
        QTest::addRow("usd cents") << formatUsd(0.35) << QStringLiteral("$0.350");
        QTest::addRow("usd") << formatUsd(12.345) << QStringLiteral("$12.35");
        QTest::addRow("usd thousands") << formatUsd(1204.4) << QStringLiteral("$1,204");
        QTest::addRow("usd zero") << formatUsd(0) << QStringLiteral("$0");
        QTest::addRow("rate") << formatRate(1234) << QStringLiteral("1.2k/s");
        QTest::addRow("rate small") << formatRate(0.44) << QStringLiteral("0.4/s");
        QTest::addRow("count") << formatCount(3.4e6) << QStringLiteral("3.4M");
    }

    void formats()
    {
        QFETCH(QString, actual);
        QFETCH(QString, expected);
        QCOMPARE(actual, expected);
    }
};

QTEST_MAIN(TestFigureFormat)
#include "tst_figureformat.moc"
