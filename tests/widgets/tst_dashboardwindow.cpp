// The dashboard window as a user drives it: start-page actions and shortcuts, a snapshot
// arriving, clicking a region on the map makes every panel follow, the quantile and window
// selectors change what the charts show, a saved snapshot shows read-only, and names from the
// fleet render as plain text.

#include "map/regionmapwidget.h"
#include "panelfixture.h"
#include "panels/fleetcharts.h"
#include "panels/kpitiles.h"
#include "panels/timechartview.h"
#include "snapshot/replay.h"
#include "window/dashboardview.h"
#include "window/dashboardwindow.h"

#include <QAction>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QSlider>
#include <QStandardPaths>
#include <QTest>
#include <QXYSeries>

using namespace fleetscope;
using widgets::DashboardWindow;

namespace {

// Every y value of the latency chart, in order: what the user sees.
QList<double> latencyValues(const DashboardWindow &w)
{
    QList<double> values;
    for (QXYSeries *s : w.view()->charts()->latencyChart()->allSeries()) {
        for (const QPointF &p : s->points())
            values.append(p.y());
    }
    return values;
}

} // namespace

class TestDashboardWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); } // keep QSettings apart

    void startPageActions()
    {
        DashboardWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(w.isShowingStartPage());

        QSignalSpy demo(&w, &DashboardWindow::demoRequested);
        QTest::mouseClick(w.findChild<QPushButton *>(QStringLiteral("demoButton")), Qt::LeftButton);
        QCOMPARE(demo.count(), 1);
        QTest::keyClick(&w, Qt::Key_D, Qt::ControlModifier); // the keyboard path
        QCOMPARE(demo.count(), 2);

        QSignalSpy open(&w, &DashboardWindow::openFleetRequested);
        w.setRecentFleets({ QStringLiteral("/srv/fleets/edge.yaml") });
        auto *recent = w.findChild<QListWidget *>(QStringLiteral("recentFleets"));
        QVERIFY(recent);
        QCOMPARE(recent->count(), 1);
        recent->setCurrentRow(0);
        recent->setFocus();
        QTest::keyClick(recent, Qt::Key_Return);
        QCOMPARE(open.count(), 1);
        QCOMPARE(open.at(0).at(0).toString(), QStringLiteral("/srv/fleets/edge.yaml"));
    }

    void fitsASmallScreen()
    {
        // A 1280x800 laptop, less a panel: the whole dashboard must fit without clipping.
        DashboardWindow w;
        w.resize(1280, 760);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.setSource(DashboardWindow::SourceKind::Fleet, QStringLiteral("edge"),
                    QStringLiteral("/tmp/edge.yaml"));
        w.showSnapshot(testfixture::makeShared(testfixture::defaultRegions()));
        QTRY_VERIFY(w.currentSnapshot() != nullptr);
        const QSize least = w.minimumSizeHint().expandedTo(w.minimumSize());
        QVERIFY2(least.width() <= 1280 && least.height() <= 760,
                 qPrintable(QStringLiteral("the window needs at least %1x%2")
                                .arg(least.width())
                                .arg(least.height())));
        QCOMPARE(w.size(), QSize(1280, 760));
    }

    void toolbarKeepsTheFilterOnASmallScreen_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addRow("demo") << QStringLiteral("FleetScope demo (fleetsim, 120x time)");
        QTest::addRow("3,600 characters of markup") << QStringLiteral("<b>edge</b> ").repeated(300);
    }

    // At 1280 px the fleet's name and the long pricing and vantage names filled the toolbar and
    // the region filter went into its overflow menu, where Ctrl+F could not reach it. Now the
    // name gives up width (elided at the end; a fleet file's name is anyone's text) and the
    // filter keeps room for its hint.
    void toolbarKeepsTheFilterOnASmallScreen()
    {
        QFETCH(QString, name);
        DashboardWindow w;
        w.resize(1280, 760);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.setSource(DashboardWindow::SourceKind::Fleet, name, QStringLiteral("/tmp/edge.yaml"));
        auto *vantage = w.findChild<QComboBox *>(QStringLiteral("vantageCombo"));
        vantage->setCurrentIndex(
            vantage->findText(QStringLiteral("Guangzhou"), Qt::MatchStartsWith));
        QVERIFY(vantage->currentIndex() > 0);
        auto *source = w.findChild<QLabel *>(QStringLiteral("sourceLabel"));
        QCOMPARE(source->textFormat(), Qt::PlainText);
        QCOMPARE(source->text(), name);
        QVERIFY(source->toolTip().contains(name.toHtmlEscaped())); // the whole name, as text
        // The toolbar lays itself out again for the new name (a posted layout request).
        QTRY_VERIFY(source->width() > 100);
        auto *filter = w.findChild<QLineEdit *>(QStringLiteral("regionFilter"));
        QVERIFY(filter->isVisible()); // not in the overflow menu
        QVERIFY2(filter->width()
                     >= filter->fontMetrics().horizontalAdvance(filter->placeholderText()),
                 qPrintable(QString::number(filter->width())));
        QVERIFY(w.rect().contains(filter->mapTo(&w, filter->rect().bottomRight())));
        QVERIFY(source->width() <= 400);
        QTest::keyClick(&w, Qt::Key_F, Qt::ControlModifier);
        QTRY_VERIFY(filter->hasFocus());
        // With room to spare the vantage point's name is shown whole.
        w.resize(1920, 1040);
        QTRY_COMPARE(vantage->width(), vantage->maximumWidth());
        QVERIFY(vantage->maximumWidth()
                > vantage->fontMetrics().horizontalAdvance(vantage->currentText()));
    }

    void snapshotArrivesAndSelectionFollows()
    {
        DashboardWindow w;
        w.resize(1400, 900);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.setSource(DashboardWindow::SourceKind::Fleet, QStringLiteral("edge"),
                    QStringLiteral("/tmp/edge.yaml"));
        QVERIFY(!w.isShowingStartPage());
        w.showSnapshot(testfixture::makeShared(testfixture::defaultRegions()));
        QTRY_VERIFY(w.currentSnapshot() != nullptr); // after the coalescing timer
        QCOMPARE(w.currentSnapshot()->regions.size(), 6u);

        // No selection: the charts show the slowest regions.
        QVERIFY(w.view()->charts()->chartedRegions().size() > 1);

        // Click Tokyo's marker: the window, the map and the charts follow.
        widgets::RegionMapWidget *map = w.view()->map();
        QSignalSpy selected(&w, &DashboardWindow::regionSelected);
        QTest::mouseClick(map, Qt::LeftButton, {},
                          map->markerPosition(QStringLiteral("nrt")).toPoint());
        QTRY_COMPARE(w.selectedRegion(), QStringLiteral("nrt"));
        QCOMPARE(selected.count(), 1);
        QCOMPARE(map->selectedRegion(), QStringLiteral("nrt"));
        QCOMPARE(w.view()->charts()->chartedRegions(), QStringList { QStringLiteral("nrt") });

        // Escape clears the selection everywhere.
        map->setFocus();
        QTest::keyClick(map, Qt::Key_Escape);
        QTRY_COMPARE(w.selectedRegion(), QString());
        QVERIFY(w.view()->charts()->chartedRegions().size() > 1);
    }

    void quantileAndWindowChangeTheCharts()
    {
        DashboardWindow w;
        w.resize(1400, 900);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.setSource(DashboardWindow::SourceKind::Fleet, QStringLiteral("edge"),
                    QStringLiteral("/tmp/edge.yaml"));
        auto *window = w.findChild<QComboBox *>(QStringLiteral("windowCombo"));
        auto *quantile = w.findChild<QComboBox *>(QStringLiteral("quantileCombo"));
        QVERIFY(window && quantile);
        window->setCurrentIndex(window->findData(900));
        quantile->setCurrentIndex(quantile->findData(0.5));
        testfixture::FixtureOptions o;
        o.windowSeconds = 900;
        o.quantile = 0.5;
        w.showSnapshot(testfixture::makeShared(testfixture::defaultRegions(), o));
        QTRY_VERIFY(w.currentSnapshot() != nullptr);
        // No region selected: the chart draws the chosen quantile for the slowest regions.
        const QList<double> p50 = latencyValues(w);
        QVERIFY(!p50.isEmpty());

        QSignalSpy changed(&w, &DashboardWindow::settingsChanged);
        quantile->setCurrentIndex(quantile->findData(0.99));
        QCOMPARE(changed.count(), 1);
        QCOMPARE(w.currentSnapshot()->settings.quantile, 0.99);
        const QList<double> p99 = latencyValues(w);
        QVERIFY(p99 != p50);
        QVERIFY(w.currentSnapshot()->region(QStringLiteral("syd"))->figures.latencyQuantileMs
                > w.currentSnapshot()->region(QStringLiteral("syd"))->figures.latencyP50Ms);

        // A shorter window shows fewer points.
        const int before = int(latencyValues(w).size());
        window->setCurrentIndex(window->findData(300));
        QCOMPARE(w.currentSnapshot()->settings.windowSeconds, 300.0);
        QVERIFY2(latencyValues(w).size() < before,
                 qPrintable(QString::number(latencyValues(w).size())));
    }

    void savedSnapshotIsReadOnlyAndNamesArePlainText()
    {
        DashboardWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        const QString hostile = QStringLiteral("<b>prod</b> & <i>edge</i>");
        w.setSource(DashboardWindow::SourceKind::Snapshot, hostile, QStringLiteral("/tmp/s.json"));
        auto *banner = w.findChild<QLabel *>(QStringLiteral("readOnlyBanner"));
        QVERIFY(banner && banner->isVisible());
        QVERIFY(banner->text().contains(QStringLiteral("read-only")));
        auto *source = w.findChild<QLabel *>(QStringLiteral("sourceLabel"));
        QCOMPARE(source->textFormat(), Qt::PlainText);
        QCOMPARE(source->text(), hostile);
        QVERIFY(w.windowTitle().startsWith(hostile));
        // Refreshing makes no sense offline.
        QVERIFY(!w.findChild<QComboBox *>(QStringLiteral("refreshCombo"))->isEnabled());
    }

    void replaySliderScrubsASavedSnapshot()
    {
        DashboardWindow w;
        w.resize(1400, 900);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.setSource(DashboardWindow::SourceKind::Snapshot, QStringLiteral("edge"),
                    QStringLiteral("/tmp/s.json"));
        testfixture::FixtureOptions o;
        o.windowSeconds = 900;
        const auto saved = testfixture::makeShared(testfixture::defaultRegions(), o);
        w.showSnapshot(saved);
        QTRY_VERIFY(w.currentSnapshot() != nullptr);
        const auto initial = w.currentSnapshot(); // analysed with the window's settings

        QSlider *slider = w.replaySlider();
        QVERIFY(slider && slider->isVisible());
        QCOMPARE(slider->accessibleName(), QStringLiteral("Replay time"));
        QCOMPARE(slider->value(), slider->maximum()); // opens at the end of the window
        QCOMPARE(w.replayTime(), saved->time);
        auto *label = w.findChild<QLabel *>(QStringLiteral("replayTimeLabel"));
        QVERIFY(label && label->text().contains(QStringLiteral("end of the snapshot")));

        widgets::KpiTiles *tiles = w.view()->tiles();
        widgets::RegionMapWidget *map = w.view()->map();
        const QString tileAtEnd = tiles->valueText(widgets::KpiTiles::Tile::Latency);
        const QString cardAtEnd = map->cardText(QStringLiteral("syd"));
        const double sydAtEnd = initial->region(QStringLiteral("syd"))->figures.latencyQuantileMs;

        // Back five minutes with the keyboard (Page Down = one minute each).
        QSignalSpy shown(&w, &DashboardWindow::replayShown);
        slider->setFocus();
        for (int i = 0; i < 5; ++i)
            QTest::keyClick(slider, Qt::Key_PageDown);
        const double t = saved->time - 300;
        QCOMPARE(w.replayTime(), t);
        QVERIFY(label->text().contains(QStringLiteral("5:00 before the end")));
        QTRY_VERIFY(!shown.isEmpty() && shown.last().at(0).toDouble() == t); // coalesced
        QCOMPARE(w.currentSnapshot()->time, t);
        // The panels show what the stored data says at t.
        const snapshot::FleetSnapshot expected = snapshot::snapshotAt(*initial, t);
        const double sydThen =
            w.currentSnapshot()->region(QStringLiteral("syd"))->figures.latencyQuantileMs;
        QCOMPARE(sydThen, expected.region(QStringLiteral("syd"))->figures.latencyQuantileMs);
        QVERIFY(sydThen < sydAtEnd); // latency grows over the fixture's window
        QTRY_VERIFY(tiles->valueText(widgets::KpiTiles::Tile::Latency) != tileAtEnd);
        QVERIFY(map->cardText(QStringLiteral("syd")) != cardAtEnd);
        QCOMPARE(map->snapshot()->time, t);

        // Home: the start of the window, where one point is no data yet.
        QTest::keyClick(slider, Qt::Key_Home);
        QTRY_COMPARE(w.currentSnapshot()->time, saved->windowStart);
        QVERIFY(std::isnan(
            w.currentSnapshot()->region(QStringLiteral("syd"))->figures.latencyQuantileMs));

        // End: exactly what was saved, again.
        QTest::keyClick(slider, Qt::Key_End);
        QTRY_COMPARE(w.currentSnapshot()->time, saved->time);
        QTRY_COMPARE(tiles->valueText(widgets::KpiTiles::Tile::Latency), tileAtEnd);
        QCOMPARE(map->cardText(QStringLiteral("syd")), cardAtEnd);
        QVERIFY(snapshot::equivalent(*w.currentSnapshot(), *initial));
    }

    void liveFleetHasNoReplay()
    {
        DashboardWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.setSource(DashboardWindow::SourceKind::Fleet, QStringLiteral("edge"),
                    QStringLiteral("/tmp/edge.yaml"));
        w.showSnapshot(testfixture::makeShared(testfixture::defaultRegions()));
        QTRY_VERIFY(w.currentSnapshot() != nullptr);
        QVERIFY(!w.replaySlider()->isVisible());
    }

    void compareSnapshotsIsInTheFileMenu()
    {
        DashboardWindow w;
        QAction *compare = nullptr;
        for (QAction *a : w.findChildren<QAction *>()) {
            if (a->text().remove(u'&') == QStringLiteral("Compare Snapshots…"))
                compare = a;
        }
        QVERIFY(compare);
        QCOMPARE(compare->shortcut(), QKeySequence(QStringLiteral("Ctrl+Shift+C")));
        QVERIFY(compare->isEnabled());
    }
};

QTEST_MAIN(TestDashboardWindow)
#include "tst_dashboardwindow.moc"
