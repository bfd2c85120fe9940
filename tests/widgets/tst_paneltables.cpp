// The node and cost tables: models under QAbstractItemModelTester, numeric sorting, the filter
// box and health filter driven by key clicks, and label values that look like HTML shown as
// typed.

#include "panelfixture.h"
#include "panels/costtable.h"
#include "panels/costtablemodel.h"
#include "panels/figuresortproxy.h"
#include "panels/nodetable.h"
#include "panels/nodetablemodel.h"
#include "panels/statictextdelegate.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QHeaderView>
#include <QLineEdit>
#include <QStandardItemModel>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QTest>

using namespace fleetscope;
using namespace fleetscope::widgets;

namespace {

QStringList column(const QAbstractItemModel &m, int c)
{
    QStringList out;
    for (int r = 0; r < m.rowCount(); ++r)
        out.append(m.index(r, c).data().toString());
    return out;
}

std::shared_ptr<const snapshot::FleetSnapshot> withEvilTarget()
{
    auto s = testfixture::makeSnapshot(testfixture::defaultRegions());
    snapshot::TargetRow evil;
    evil.id = QStringLiteral("zz-evil:9100");
    evil.region = QStringLiteral("<i>fra</i>");
    evil.node = QStringLiteral("<b>evil</b>");
    evil.health = snapshot::Health::Down;
    evil.cause = QStringLiteral("<b>evil</b> & <a href=\"x\">link</a>");
    evil.lastScrapeTime = s.time - 30;
    evil.lastScrapeDurationMs = 12;
    evil.httpStatus = 500;
    evil.samples = 5;
    s.targets.push_back(evil);
    return std::make_shared<const snapshot::FleetSnapshot>(std::move(s));
}

// How far right the cell's text reaches, in device-independent pixels from the cell's left.
int inkRight(const QImage &cell, const QColor &background)
{
    int right = -1;
    for (int y = 0; y < cell.height(); ++y) {
        for (int x = 0; x < cell.width(); ++x) {
            const QColor c = cell.pixelColor(x, y);
            if (std::abs(c.lightness() - background.lightness()) > 60)
                right = std::max(right, x);
        }
    }
    return int(right / cell.devicePixelRatio());
}

} // namespace

class TestPanelTables : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void nodeModelUnderTester();
    void costModelUnderTester();
    void nodeColumns();
    void sortsNumbersAsNumbers_data();
    void sortsNumbersAsNumbers();
    void headerClickSorts();
    void filterBoxMatchesAnyColumn();
    void healthFilter();
    void selectedRegionNarrows();
    void htmlRendersLiterally();
    void costCells();
    void costColumnsFitWhenRowsChange();
    void staticTextDelegatePaintsLikeTheStyle();
};

void TestPanelTables::nodeModelUnderTester()
{
    NodeTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    FigureSortProxy proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester proxyTester(&proxy,
                                         QAbstractItemModelTester::FailureReportingMode::QtTest);
    proxy.sort(NodeTableModel::Samples);
    model.setSnapshot(testfixture::makeShared(testfixture::defaultRegions()));
    QCOMPARE(model.rowCount(), 12);
    model.setSnapshot(testfixture::makeShared(testfixture::defaultRegions())); // same rows
    model.setSnapshot(withEvilTarget()); // one more row
    QCOMPARE(model.rowCount(), 13);
    proxy.setFilterText(QStringLiteral("syd"));
    proxy.setHealthFilter(FigureSortProxy::HealthFilter::Down);
    QCOMPARE(proxy.rowCount(), 1);
    model.setSnapshot(nullptr);
    QCOMPARE(model.rowCount(), 0);
}

void TestPanelTables::costModelUnderTester()
{
    CostTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    FigureSortProxy proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester proxyTester(&proxy,
                                         QAbstractItemModelTester::FailureReportingMode::QtTest);
    proxy.sort(CostTableModel::PerMillion, Qt::DescendingOrder);
    model.setSnapshot(testfixture::makeShared(testfixture::defaultRegions()));
    QCOMPARE(model.rowCount(), 6);
    model.setSnapshot(testfixture::makeShared(testfixture::defaultRegions()));
    auto fewer = testfixture::defaultRegions();
    fewer.pop_back();
    model.setSnapshot(testfixture::makeShared(fewer));
    QCOMPARE(model.rowCount(), 5);
    model.setSnapshot(nullptr);
}

void TestPanelTables::nodeColumns()
{
    NodeTableModel model;
    const auto s = testfixture::makeShared(testfixture::defaultRegions());
    model.setSnapshot(s);
    QCOMPARE(model.columnCount(), int(NodeTableModel::ColumnCount));
    int down = -1;
    for (int r = 0; r < model.rowCount(); ++r) {
        if (model.index(r, NodeTableModel::Health).data().toString() == QStringLiteral("Down"))
            down = r;
    }
    QVERIFY(down >= 0);
    const auto cell = [&](int c) {
        return model.index(down, c).data().toString();
    };
    QCOMPARE(cell(NodeTableModel::Region), QStringLiteral("syd"));
    QCOMPARE(cell(NodeTableModel::Cause), QStringLiteral("HTTP 503 from the target"));
    QCOMPARE(cell(NodeTableModel::HttpStatus), QStringLiteral("503"));
    QVERIFY(cell(NodeTableModel::LastScrape).endsWith(QStringLiteral(" s ago")));
    QVERIFY(cell(NodeTableModel::Duration).endsWith(QStringLiteral(" ms")));
    // Health is an icon and a word, never colour alone.
    const QIcon icon =
        model.index(down, NodeTableModel::Health).data(Qt::DecorationRole).value<QIcon>();
    QVERIFY(!icon.isNull());
    const QIcon upIcon =
        model.index(0, NodeTableModel::Health).data(Qt::DecorationRole).value<QIcon>();
    QVERIFY(icon.pixmap(16).toImage() != upIcon.pixmap(16).toImage());
    QCOMPARE(model.headerData(NodeTableModel::LastScrape, Qt::Horizontal).toString(),
             QStringLiteral("Last scrape"));

    // The Target column shows the address, not the id (for a fleet file a hash of the URL); the
    // path only when it is not /metrics, an IPv6 host in brackets, the id when there is no URL.
    auto hashed = testfixture::makeSnapshot(testfixture::defaultRegions());
    hashed.targets.resize(4);
    const QStringList urls { QStringLiteral("http://edge-fra-1.example.net:9100/metrics"),
                             QStringLiteral("https://[::1]:8443/probe?module=http"),
                             QStringLiteral("http://10.0.0.7/metrics"), QString() };
    for (int i = 0; i < 4; ++i) {
        hashed.targets[std::size_t(i)].id = QStringLiteral("a1b2c3d4e5f6a7b%1").arg(i);
        hashed.targets[std::size_t(i)].url = urls[i];
    }
    model.setSnapshot(std::make_shared<const snapshot::FleetSnapshot>(std::move(hashed)));
    QCOMPARE(column(model, NodeTableModel::Target),
             (QStringList { QStringLiteral("edge-fra-1.example.net:9100"),
                            QStringLiteral("[::1]:8443/probe"), QStringLiteral("10.0.0.7"),
                            QStringLiteral("a1b2c3d4e5f6a7b3") }));
    QCOMPARE(model.index(1, NodeTableModel::Target).data(Qt::ToolTipRole).toString(),
             QStringLiteral(
                 "<p style=\"white-space:pre-wrap\">https://[::1]:8443/probe?module=http</p>"));
}

void TestPanelTables::sortsNumbersAsNumbers_data()
{
    QTest::addColumn<int>("column");
    QTest::addRow("samples") << int(NodeTableModel::Samples);
    QTest::addRow("duration") << int(NodeTableModel::Duration);
    QTest::addRow("last scrape") << int(NodeTableModel::LastScrape);
    QTest::addRow("http") << int(NodeTableModel::HttpStatus);
}

void TestPanelTables::sortsNumbersAsNumbers()
{
    QFETCH(int, column);
    NodeTable table;
    table.setSnapshot(testfixture::makeShared(testfixture::defaultRegions()));
    for (const Qt::SortOrder order : { Qt::AscendingOrder, Qt::DescendingOrder }) {
        table.view()->sortByColumn(column, order);
        const QAbstractItemModel &m = *table.proxy();
        QList<double> keys;
        for (int r = 0; r < m.rowCount(); ++r)
            keys.append(m.index(r, column).data(kSortRole).toDouble());
        for (qsizetype i = 1; i < keys.size(); ++i) {
            if (std::isnan(keys[i]))
                continue; // no data sorts last either way
            QVERIFY2(!std::isnan(keys[i - 1]), "no data must come after every number");
            QVERIFY(order == Qt::AscendingOrder ? keys[i - 1] <= keys[i] : keys[i - 1] >= keys[i]);
        }
    }
}

void TestPanelTables::headerClickSorts()
{
    NodeTable table;
    table.resize(1100, 500);
    table.setSnapshot(testfixture::makeShared(testfixture::defaultRegions()));
    table.show();
    QVERIFY(QTest::qWaitForWindowExposed(&table));
    QHeaderView *header = table.view()->horizontalHeader();
    const int x = header->sectionViewportPosition(NodeTableModel::Samples)
        + header->sectionSize(NodeTableModel::Samples) / 2;
    QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, QPoint(x, header->height() / 2));
    QCOMPARE(header->sortIndicatorSection(), int(NodeTableModel::Samples));
    const QStringList samples = column(*table.proxy(), NodeTableModel::Samples);
    // As numbers: 0 (down) ... 180 ... 1080; as strings "1080" would precede "180".
    QStringList expected = samples;
    std::sort(expected.begin(), expected.end(),
              [](const QString &a, const QString &b) { return a.toDouble() < b.toDouble(); });
    if (header->sortIndicatorOrder() == Qt::DescendingOrder)
        std::reverse(expected.begin(), expected.end());
    QCOMPARE(samples, expected);
    QVERIFY(samples.contains(QStringLiteral("180")));
    QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, QPoint(x, header->height() / 2));
    const QStringList reversed = column(*table.proxy(), NodeTableModel::Samples);
    QCOMPARE(reversed.first(), samples.last());
}

void TestPanelTables::filterBoxMatchesAnyColumn()
{
    NodeTable table;
    table.setSnapshot(testfixture::makeShared(testfixture::defaultRegions()));
    table.show();
    QVERIFY(QTest::qWaitForWindowExposed(&table));
    QCOMPARE(table.proxy()->rowCount(), 12);
    QTest::keyClicks(table.filterEdit(), QStringLiteral("gru"));
    QCOMPARE(table.proxy()->rowCount(), 2);
    for (const QString &region : column(*table.proxy(), NodeTableModel::Region))
        QCOMPARE(region, QStringLiteral("gru"));
    // Another column: the cause text, case-insensitively.
    table.filterEdit()->clear();
    QCOMPARE(table.proxy()->rowCount(), 12);
    QTest::keyClicks(table.filterEdit(), QStringLiteral("http 503"));
    QCOMPARE(table.proxy()->rowCount(), 1);
    QCOMPARE(table.proxy()->index(0, NodeTableModel::Node).data().toString(),
             QStringLiteral("syd-1"));
    QTest::keyClick(table.filterEdit(), Qt::Key_A, Qt::ControlModifier);
    QTest::keyClick(table.filterEdit(), Qt::Key_Backspace);
    QCOMPARE(table.proxy()->rowCount(), 12);
}

void TestPanelTables::healthFilter()
{
    NodeTable table;
    table.setSnapshot(testfixture::makeShared(testfixture::defaultRegions()));
    QComboBox *combo = table.healthCombo();
    const auto choose = [&](FigureSortProxy::HealthFilter f) {
        combo->setCurrentIndex(combo->findData(int(f)));
    };
    choose(FigureSortProxy::HealthFilter::Idle);
    QCOMPARE(table.proxy()->rowCount(), 3);
    choose(FigureSortProxy::HealthFilter::NotUp);
    QCOMPARE(table.proxy()->rowCount(), 1);
    QTest::keyClicks(table.filterEdit(), QStringLiteral("jnb"));
    QCOMPARE(table.proxy()->rowCount(), 0); // both filters apply
    choose(FigureSortProxy::HealthFilter::All);
    QCOMPARE(table.proxy()->rowCount(), 2);
}

void TestPanelTables::selectedRegionNarrows()
{
    NodeTable table;
    table.setSnapshot(testfixture::makeShared(testfixture::defaultRegions()));
    table.setSelectedRegion(QStringLiteral("syd"));
    QCOMPARE(table.proxy()->rowCount(), 2);
    table.setSelectedRegion(QString());
    QCOMPARE(table.proxy()->rowCount(), 12);

    CostTable costs;
    costs.setSnapshot(testfixture::makeShared(testfixture::defaultRegions()));
    costs.setSelectedRegion(QStringLiteral("gru"));
    const QModelIndexList rows = costs.view()->selectionModel()->selectedRows();
    QCOMPARE(rows.size(), 1);
    QCOMPARE(rows.first().data().toString(), QStringLiteral("gru"));
}

void TestPanelTables::htmlRendersLiterally()
{
    NodeTable table;
    table.resize(1200, 500);
    table.setSnapshot(withEvilTarget());
    table.show();
    QVERIFY(QTest::qWaitForWindowExposed(&table));
    QTest::keyClicks(table.filterEdit(), QStringLiteral("zz-evil"));
    QCOMPARE(table.proxy()->rowCount(), 1);
    const QModelIndex node = table.proxy()->index(0, NodeTableModel::Node);
    const QModelIndex cause = table.proxy()->index(0, NodeTableModel::Cause);
    // The model gives the label values back as typed, as plain display strings.
    QCOMPARE(node.data(Qt::DisplayRole).toString(), QStringLiteral("<b>evil</b>"));
    QCOMPARE(table.proxy()->index(0, NodeTableModel::Region).data().toString(),
             QStringLiteral("<i>fra</i>"));
    QCOMPARE(cause.data().toString(), QStringLiteral("<b>evil</b> & <a href=\"x\">link</a>"));
    // Tooltips (which Qt would render as rich text) carry the value escaped.
    const QString tip = node.data(Qt::ToolTipRole).toString();
    QVERIFY(tip.contains(QStringLiteral("&lt;b&gt;evil&lt;/b&gt;")));
    QVERIFY(!tip.contains(QStringLiteral("<b>")));
    // The view paints with a plain-text delegate, which shows the string as typed.
    QAbstractItemDelegate *delegate = table.view()->itemDelegateForIndex(node);
    const auto *styled = qobject_cast<StaticTextDelegate *>(delegate);
    QVERIFY(styled);
    QCOMPARE(styled->displayText(node.data(), QLocale::c()), QStringLiteral("<b>evil</b>"));
    // And on screen: the painted text is as wide as the literal markup, not as the bold word.
    table.view()->setColumnWidth(NodeTableModel::Node, 400);
    const QRect rect = table.view()->visualRect(node);
    QVERIFY(rect.isValid());
    const QImage cell = table.view()->viewport()->grab(rect).toImage();
    const QColor background = cell.pixelColor(cell.width() - 2, 1);
    const int right = inkRight(cell, background);
    const QFontMetrics fm(table.view()->font());
    QVERIFY2(right >= fm.horizontalAdvance(QStringLiteral("<b>evil</b>")) * 0.8,
             qPrintable(
                 QStringLiteral("text ink ends at %1 px; literal markup is %2 px, bold word %3 px")
                     .arg(right)
                     .arg(fm.horizontalAdvance(QStringLiteral("<b>evil</b>")))
                     .arg(fm.horizontalAdvance(QStringLiteral("evil")))));
}

void TestPanelTables::costCells()
{
    auto regions = testfixture::defaultRegions();
    regions[2].invocations = false; // fra: no usage families
    const auto s = testfixture::makeShared(regions);
    CostTableModel model;
    model.setSnapshot(s);
    int fra = -1, nrt = -1;
    for (int r = 0; r < model.rowCount(); ++r) {
        const QString code = model.index(r, CostTableModel::Region).data().toString();
        if (code == QStringLiteral("fra"))
            fra = r;
        if (code == QStringLiteral("nrt"))
            nrt = r;
    }
    QVERIFY(fra >= 0 && nrt >= 0);
    QCOMPARE(model.index(fra, CostTableModel::PerInvocation).data().toString(),
             QStringLiteral("no data"));
    QCOMPARE(model.index(fra, CostTableModel::PerMillion).data().toString(),
             QStringLiteral("no data"));
    QVERIFY(std::isnan(model.index(fra, CostTableModel::PerMillion).data(kSortRole).toDouble()));
    QVERIFY(model.index(nrt, CostTableModel::PerInvocation).data().toString().startsWith(u'$'));
    QVERIFY(model.index(nrt, CostTableModel::PerMillion).data().toString().startsWith(u'$'));
    const double perMillion = s->region(QStringLiteral("nrt"))->figures.costPerMillionUsd;
    QCOMPARE(model.index(nrt, CostTableModel::PerMillion).data(kSortRole).toDouble(), perMillion);
    QCOMPARE(model.value(nrt, CostTableModel::Savings),
             s->region(QStringLiteral("nrt"))->figures.alwaysOnPerMonthUsd
                 - s->region(QStringLiteral("nrt"))->figures.costPerMonthUsd);
    const QString scaled = model.index(3, CostTableModel::ScaledToZero).data().toString();
    QVERIFY(scaled == QStringLiteral("yes") || scaled == QStringLiteral("no"));

    // Sorted by cost, the unpriced region goes last in both directions.
    FigureSortProxy proxy;
    proxy.setSourceModel(&model);
    for (const Qt::SortOrder order : { Qt::AscendingOrder, Qt::DescendingOrder }) {
        proxy.sort(CostTableModel::PerMillion, order);
        QCOMPARE(proxy.index(proxy.rowCount() - 1, CostTableModel::Region).data().toString(),
                 QStringLiteral("fra"));
    }

    // A snapshot priced with a profile that is not in the catalogue: "not priced".
    auto unpriced = testfixture::makeSnapshot(testfixture::defaultRegions());
    unpriced.settings.pricingProfile = QStringLiteral("no-such-profile");
    snapshot::analyse(unpriced);
    model.setSnapshot(std::make_shared<const snapshot::FleetSnapshot>(unpriced));
    QCOMPARE(model.index(0, CostTableModel::PerMillion).data().toString(),
             QStringLiteral("not priced"));
}

// The cost table's columns fit their contents when the regions change, and keep their width
// (the user's, if they dragged one) while only the figures change: measuring every cell again at
// each snapshot cost a few percent of a dashboard repaint.
void TestPanelTables::costColumnsFitWhenRowsChange()
{
    auto regions = testfixture::defaultRegions();
    CostTable table;
    table.resize(900, 300);
    table.setSnapshot(testfixture::makeShared(regions));
    QHeaderView *header = table.view()->horizontalHeader();
    QCOMPARE(header->sectionResizeMode(CostTableModel::Region), QHeaderView::Interactive);
    const int fitted = header->sectionSize(CostTableModel::Region);
    const int code = table.view()->fontMetrics().horizontalAdvance(QStringLiteral("nrt"));
    QVERIFY2(fitted >= code, qPrintable(QStringLiteral("%1 < %2").arg(fitted).arg(code)));

    header->resizeSection(CostTableModel::Region, fitted + 57); // the user drags it wider
    for (auto &r : regions)
        r.requestsPerTick *= 3; // new figures, the same regions
    table.setSnapshot(testfixture::makeShared(regions));
    QCOMPARE(header->sectionSize(CostTableModel::Region), fitted + 57);

    regions.push_back({ QStringLiteral("a-region-code-much-longer-than-the-others"), 1, 2 });
    table.setSnapshot(testfixture::makeShared(regions)); // another fleet: fit again
    const int longer = table.view()->fontMetrics().horizontalAdvance(regions.back().code);
    QVERIFY2(header->sectionSize(CostTableModel::Region) >= longer,
             qPrintable(QStringLiteral("%1 < %2")
                            .arg(header->sectionSize(CostTableModel::Region))
                            .arg(longer)));
}

// The tables' delegate draws cached text, yet a cell looks as Qt's own delegate paints it:
// alignment, selection colours, the elided and the markup-like cells included.
void TestPanelTables::staticTextDelegatePaintsLikeTheStyle()
{
    QStandardItemModel model(6, 3);
    const QStringList texts = { QStringLiteral("Up"),
                                QStringLiteral("2.00 ms"),
                                QStringLiteral("<b>evil</b> & <i>x</i>"),
                                QStringLiteral("a cause much longer than its column is wide, so "
                                               "it has to be elided at the end"),
                                QStringLiteral("127.0.0.1:9100"),
                                QStringLiteral("ok") };
    for (int r = 0; r < model.rowCount(); ++r) {
        for (int c = 0; c < model.columnCount(); ++c) {
            auto *item = new QStandardItem(texts[(r + c) % texts.size()]);
            if (c == 1)
                item->setData(int(Qt::AlignRight | Qt::AlignVCenter), Qt::TextAlignmentRole);
            if (c == 2)
                item->setData(int(Qt::AlignCenter), Qt::TextAlignmentRole);
            model.setItem(r, c, item);
        }
    }
    const auto render = [&](QAbstractItemDelegate *delegate) {
        QTableView view;
        if (delegate)
            view.setItemDelegate(delegate);
        view.setModel(&model);
        view.setAlternatingRowColors(true);
        view.setWordWrap(false);
        view.resize(560, 260);
        for (int c = 0; c < model.columnCount(); ++c)
            view.setColumnWidth(c, 170);
        view.selectRow(2);
        return view.viewport()->grab().toImage();
    };
    auto *ours = new StaticTextDelegate(&model);
    const QImage qt = render(nullptr);
    const QImage cached = render(ours);
    QCOMPARE(cached.size(), qt.size());
    QVERIFY(ours->cachedTexts() > 0);
    QVERIFY(ours->cachedTexts() <= StaticTextDelegate::kMaxEntries);
    // Text drawn from a QStaticText may sit a subpixel away from Qt's own layout: allow the
    // antialiased edge of the glyphs to differ, not the place or the colour of a whole cell.
    int differing = 0;
    for (int y = 0; y < qt.height(); ++y) {
        for (int x = 0; x < qt.width(); ++x) {
            const QRgb a = qt.pixel(x, y), b = cached.pixel(x, y);
            const int d = std::max({ std::abs(qRed(a) - qRed(b)), std::abs(qGreen(a) - qGreen(b)),
                                     std::abs(qBlue(a) - qBlue(b)) });
            differing += d > 40 ? 1 : 0;
        }
    }
    const int total = qt.width() * qt.height();
    QVERIFY2(differing <= total / 200,
             qPrintable(QStringLiteral("%1 of %2 pixels differ").arg(differing).arg(total)));
}

QTEST_MAIN(TestPanelTables)
#include "tst_paneltables.moc"
