// The comparison window as a user sees it: one row per region and figure, plain-text labels,
// regions on one side only said so, sortable by change, filtered by figure, exported.

#include "compare/comparewindow.h"
#include "comparefixture.h"
#include "report/comparison.h"

#include <QComboBox>
#include <QFile>
#include <QHeaderView>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace fleetscope;
using widgets::CompareWindow;

class TestCompareWindow : public QObject
{
    Q_OBJECT

    static int findRow(const CompareWindow &w, const QString &region, const QString &figure)
    {
        for (int r = 0; r < w.rowCount(); ++r) {
            if (w.cellText(r, CompareWindow::RegionColumn) == region
                && w.cellText(r, CompareWindow::FigureColumn) == figure)
                return r;
        }
        return -1;
    }

private Q_SLOTS:
    void tableShowsTheDifferences()
    {
        CompareWindow w;
        w.setComparison(
            report::compareSnapshots(testfixture::compareBefore(), testfixture::compareAfter()),
            QStringLiteral("before.json"), QStringLiteral("after.json"));
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QCOMPARE(w.rowCount(), 4 * report::kCompareFigureCount);

        int r = findRow(w, QStringLiteral("fra"), QStringLiteral("Latency p95"));
        QVERIFY(r >= 0);
        QCOMPARE(w.cellText(r, CompareWindow::BeforeColumn), QStringLiteral("50.0 ms"));
        QCOMPARE(w.cellText(r, CompareWindow::AfterColumn), QStringLiteral("60.0 ms"));
        QCOMPARE(w.cellText(r, CompareWindow::DeltaColumn), QStringLiteral("+10.0 ms"));
        QCOMPARE(w.cellText(r, CompareWindow::ChangeColumn), QStringLiteral("+20.0 %"));
        r = findRow(w, QStringLiteral("new"), QStringLiteral("Latency p95"));
        QCOMPARE(w.cellText(r, CompareWindow::BeforeColumn), QStringLiteral("not in before"));
        r = findRow(w, QStringLiteral("old"), QStringLiteral("Cache hit ratio"));
        QCOMPARE(w.cellText(r, CompareWindow::AfterColumn), QStringLiteral("not in after"));
        r = findRow(w, QStringLiteral("nrt"), QStringLiteral("Latency p95"));
        QCOMPARE(w.cellText(r, CompareWindow::AfterColumn), QStringLiteral("no data"));
        // A hostile name is text in an item view (never markup).
        QCOMPARE(w.cellText(r, CompareWindow::NameColumn),
                 QStringLiteral("=HYPERLINK(\"x\")<script>"));

        // One figure, sorted by change with a click on the header: the biggest drop first.
        w.showFigure(int(report::CompareFigure::LatencyP99));
        QCOMPARE(w.rowCount(), 4);
        QHeaderView *header = w.table()->horizontalHeader();
        const int x = header->sectionViewportPosition(CompareWindow::ChangeColumn) + 5;
        QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, QPoint(x, header->height() / 2));
        const Qt::SortOrder first = header->sortIndicatorOrder();
        QCOMPARE(header->sortIndicatorSection(), int(CompareWindow::ChangeColumn));
        QStringList order;
        for (int i = 0; i < w.rowCount(); ++i)
            order << w.cellText(i, CompareWindow::RegionColumn);
        // p99 change: fra -12.5 %, nrt +25 %, new and old none (sorted as +inf).
        const QStringList ascending = { QStringLiteral("fra"), QStringLiteral("nrt") };
        if (first == Qt::AscendingOrder)
            QCOMPARE(order.mid(0, 2), ascending);
        else
            QCOMPARE(order.mid(2, 2),
                     (QStringList { QStringLiteral("nrt"), QStringLiteral("fra") }));

        auto *combo = w.findChild<QComboBox *>(QStringLiteral("compareFigureCombo"));
        combo->setCurrentIndex(0); // all figures
        QCOMPARE(w.rowCount(), 4 * report::kCompareFigureCount);
    }

    void exports()
    {
        QTemporaryDir dir;
        CompareWindow w;
        w.setComparison(
            report::compareSnapshots(testfixture::compareBefore(), testfixture::compareAfter()),
            QStringLiteral("b"), QStringLiteral("a"));
        QString error;
        const QString csv = dir.filePath(QStringLiteral("c.csv"));
        QVERIFY2(w.exportTo(csv, &error), qPrintable(error));
        QFile f(csv);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(testfixture::parseCsv(f.readAll()).size(), 5);
        QVERIFY(!w.exportTo(dir.filePath(QStringLiteral("c.png")), &error));
        QVERIFY(error.contains(QStringLiteral(".csv .html .pdf")));
    }
};

QTEST_MAIN(TestCompareWindow)
#include "tst_comparewindow.moc"
