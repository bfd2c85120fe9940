// Every export format from one fixed snapshot (panelfixture.h, built in code, no clock): what a
// reader of each file relies on. The PDF's text holds the regions and their figures, on A4 or
// Letter, drawn as vectors; the PNG is the dashboard at twice its size and not blank; the CSV
// parses and its figures are the snapshot's; the HTML references nothing outside itself and
// shows hostile label values as text; the JSON reloads equivalent; and `report --open` of the
// JSON writes the same CSV as the direct export, with no display at all.

#include "panelfixture.h"

#include "common/figureformat.h"
#include "report/csvreport.h"
#include "report/exporter.h"
#include "report/htmlreport.h"
#include "snapshot/analysis.h"
#include "snapshot/snapshotfile.h"
#include "window/dashboardview.h"
#include "window/dashboardwindow.h"

#include <QAction>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QProcess>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace fleetscope;
using namespace fleetscope::snapshot;

namespace {

const QString kHostileName = QStringLiteral("<script>alert(1)</script>");
const QString kHostileCity = QStringLiteral("<b>x</b>");
const QString kFormulaCause = QStringLiteral("=HYPERLINK(\"http://evil.example\")");

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// RFC 4180 records of one CSV file, split into its "# name" sections.
QMap<QString, QList<QStringList>> parseCsv(const QByteArray &bytes)
{
    QMap<QString, QList<QStringList>> sections;
    QString section;
    const QString text = QString::fromUtf8(bytes);
    QStringList record;
    QString cell;
    bool quoted = false, any = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (quoted) {
            if (c == u'"' && i + 1 < text.size() && text[i + 1] == u'"') {
                cell += u'"';
                ++i;
            } else if (c == u'"') {
                quoted = false;
            } else {
                cell += c;
            }
        } else if (c == u'"') {
            quoted = true;
            any = true;
        } else if (c == u',') {
            record << cell;
            cell.clear();
            any = true;
        } else if (c == u'\r' && i + 1 < text.size() && text[i + 1] == u'\n') {
            ++i;
            if (!any && cell.isEmpty() && record.isEmpty()) {
                continue; // the blank line between sections
            }
            record << cell;
            if (record.size() == 1 && record[0].startsWith(QLatin1String("# ")))
                section = record[0].mid(2);
            else
                sections[section].append(record);
            record.clear();
            cell.clear();
            any = false;
        } else {
            cell += c;
            any = true;
        }
    }
    return sections;
}

} // namespace

class TestExport : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    FleetSnapshot m_s;

    QString path(const QString &name) const { return m_dir.filePath(name); }

    QString exported(const QString &name, widgets::ExportOptions options = {})
    {
        const QString out = path(name);
        QString error;
        if (!widgets::exportReport(m_s, out, options, &error)) {
            qWarning("%s", qPrintable(error));
            return {};
        }
        return out;
    }

    static QByteArray run(const QString &program, const QStringList &args)
    {
        QProcess p;
        p.start(program, args);
        if (!p.waitForFinished(60000) || p.exitStatus() != QProcess::NormalExit
            || p.exitCode() != 0)
            return {};
        return p.readAllStandardOutput();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_s = testfixture::makeSnapshot(testfixture::defaultRegions());
        m_s.fleetName = QStringLiteral("Fixture fleet");
        m_s.source = QStringLiteral("/srv/fleets/fixture.yaml");
        // Label values from the network are hostile until shown otherwise.
        for (RegionData &r : m_s.regions) {
            if (r.code == QLatin1String("nrt")) {
                r.name = kHostileName;
                r.city = kHostileCity;
            }
        }
        for (TargetRow &t : m_s.targets) {
            if (t.health == Health::Down) {
                t.cause = kFormulaCause;
                break;
            }
        }
        QVERIFY(m_s.regions.size() == 6);
        QVERIFY(!m_s.pricing.name.isEmpty());
        if (QStandardPaths::findExecutable(QStringLiteral("pdftotext")).isEmpty()
            || QStandardPaths::findExecutable(QStringLiteral("pdfinfo")).isEmpty()) {
            if (qEnvironmentVariable("CI") == QLatin1String("true"))
                QFAIL("pdftotext/pdfinfo missing (poppler-utils, packaging/install-deps.sh)");
        }
    }

    void formatFollowsExtension()
    {
        using widgets::ReportFormat;
        QCOMPARE(widgets::reportFormatFor(QStringLiteral("a/b.PDF")), ReportFormat::Pdf);
        QCOMPARE(widgets::reportFormatFor(QStringLiteral("b.png")), ReportFormat::Png);
        QCOMPARE(widgets::reportFormatFor(QStringLiteral("b.csv")), ReportFormat::Csv);
        QCOMPARE(widgets::reportFormatFor(QStringLiteral("b.html")), ReportFormat::Html);
        QCOMPARE(widgets::reportFormatFor(QStringLiteral("b.json")), ReportFormat::Json);
        QCOMPARE(widgets::reportFormatFor(QStringLiteral("b.docx")), ReportFormat::Unknown);
        QString error;
        QVERIFY(!widgets::exportReport(m_s, path(QStringLiteral("x.docx")), {}, &error));
        QVERIFY2(error.contains(QLatin1String("x.docx")) && error.contains(QLatin1String(".pdf")),
                 qPrintable(error));
        // A directory that does not exist: a clear error naming the file, nothing written.
        const QString missing = path(QStringLiteral("no/such/dir/r.pdf"));
        QVERIFY(!widgets::exportReport(m_s, missing, {}, &error));
        QVERIFY2(error.contains(missing), qPrintable(error));
    }

    void pdf_data()
    {
        QTest::addColumn<int>("size");
        QTest::addColumn<QString>("pageSize"); // as pdfinfo reports it
        QTest::newRow("A4") << int(QPageSize::A4) << QStringLiteral("(A4)");
        QTest::newRow("Letter") << int(QPageSize::Letter) << QStringLiteral("(letter)");
    }

    void pdf()
    {
        QFETCH(int, size);
        QFETCH(QString, pageSize);
        if (QStandardPaths::findExecutable(QStringLiteral("pdftotext")).isEmpty())
            QSKIP("pdftotext is not installed (poppler-utils)");
        widgets::ExportOptions options;
        options.pageSize = QPageSize::PageSizeId(size);
        const QString out = exported(QStringLiteral("r-%1.pdf").arg(size), options);
        QVERIFY(!out.isEmpty());
        QVERIFY(readAll(out).startsWith("%PDF-"));

        const QString info = QString::fromUtf8(run(QStringLiteral("pdfinfo"), { out }));
        QVERIFY2(info.contains(pageSize), qPrintable(info));
        static const QRegularExpression pagesRe(QStringLiteral("Pages:\\s+(\\d+)"));
        const int pages = pagesRe.match(info).captured(1).toInt();
        QVERIFY2(pages >= 3 && pages <= 8, qPrintable(info));

        // Vector: the map and the charts are paths and text, not pictures.
        const QString images =
            QString::fromUtf8(run(QStringLiteral("pdfimages"), { QStringLiteral("-list"), out }));
        QVERIFY2(images.count(u'\n') <= 2, qPrintable(images)); // the header lines only

        const QString text = QString::fromUtf8(run(
            QStringLiteral("pdftotext"), { QStringLiteral("-layout"), out, QStringLiteral("-") }));
        QVERIFY(!text.isEmpty());
        // No empty page: every page has words besides its footer.
        const QStringList perPage = text.split(u'\f', Qt::SkipEmptyParts);
        QCOMPARE(perPage.size(), pages);
        for (const QString &page : perPage)
            QVERIFY2(page.simplified().size() > 200, qPrintable(page));
        for (const char *heading :
             { "Fixture fleet", "Time window", "Pricing profile", "Headline", "Latency map",
               "Trends over the window", "Latency against the speed-of-light floor",
               "Edge cache, KV and database", "Replication and sync", "Cost", "Health",
               "How the figures are computed" })
            QVERIFY2(text.contains(QLatin1String(heading)), heading);
        QVERIFY(text.contains(m_s.pricing.name));
        QVERIFY(text.contains(m_s.pricing.asOf));
        // The regions and their figures, as the dashboard formats them.
        for (const RegionData &r : m_s.regions) {
            QVERIFY2(text.contains(r.code), qPrintable(r.code));
            for (double ms : { r.figures.latencyP50Ms, r.figures.latencyP95Ms,
                               r.figures.latencyP99Ms, r.figures.lightFloorRttMs })
                QVERIFY2(text.contains(widgets::formatMs(ms)),
                         qPrintable(r.code + u' ' + widgets::formatMs(ms)));
            QVERIFY2(text.contains(widgets::formatPercent(r.figures.hitRatio)), qPrintable(r.code));
            QVERIFY2(text.contains(widgets::formatUsd(r.figures.costPerMonthUsd)),
                     qPrintable(r.code));
        }
        // The down target's cause is listed, as text.
        QVERIFY(text.contains(QStringLiteral("HYPERLINK")));
    }

    void png()
    {
        widgets::ExportOptions options;
        options.dashboardSize = QSize(1440, 900);
        const QString out = exported(QStringLiteral("r.png"), options);
        QVERIFY(!out.isEmpty());
        const QImage image(out);
        QVERIFY(!image.isNull());
        QCOMPARE(image.size(), QSize(2880, 1800));
        QSet<QRgb> colours;
        for (int y = 0; y < image.height(); y += 3)
            for (int x = 0; x < image.width(); x += 3)
                colours.insert(image.pixel(x, y));
        QVERIFY2(colours.size() > 200, qPrintable(QString::number(colours.size())));
        // The map is in it: ocean, land and the latency colours cover more than a few pixels.
        int nonBackground = 0;
        const QRgb background = image.pixel(2, image.height() / 2);
        for (int y = 0; y < image.height(); y += 7)
            for (int x = 0; x < image.width(); x += 7)
                nonBackground += image.pixel(x, y) != background;
        QVERIFY(nonBackground > (image.width() / 7) * (image.height() / 7) / 4);
    }

    // Export from the dashboard (Ctrl+E): the PNG is the view as shown, at twice its size.
    void exportFromTheWindow()
    {
        widgets::DashboardWindow window;
        QAction *exportAction = nullptr;
        for (QAction *a : window.findChildren<QAction *>())
            if (a->shortcut() == QKeySequence(QStringLiteral("Ctrl+E")))
                exportAction = a;
        QVERIFY(exportAction);
        QVERIFY(exportAction->text().contains(QLatin1String("Export")));
        QVERIFY(widgets::reportFileFilters().contains(QLatin1String("*.pdf")));
        QVERIFY(widgets::reportFileFilters().contains(QLatin1String("*.html")));

        widgets::DashboardView view;
        view.setSnapshot(std::make_shared<const FleetSnapshot>(m_s));
        view.resize(1500, 950);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        widgets::ExportOptions options;
        options.shownDashboard = &view;
        const QString out = exported(QStringLiteral("shown.png"), options);
        QVERIFY(!out.isEmpty());
        QCOMPARE(QImage(out).size(), view.size() * 2);
    }

    void csv()
    {
        const QString out = exported(QStringLiteral("r.csv"));
        QVERIFY(!out.isEmpty());
        const auto sections = parseCsv(readAll(out));
        QCOMPARE(sections.keys(),
                 (QStringList { QStringLiteral("about"), QStringLiteral("cost"),
                                QStringLiteral("phases"), QStringLiteral("regions"),
                                QStringLiteral("targets") }));
        for (auto it = sections.cbegin(); it != sections.cend(); ++it) {
            QVERIFY2(it.value().size() >= 2, qPrintable(it.key()));
            for (const QStringList &rec : it.value()) // every record as wide as its header
                QCOMPARE(rec.size(), it.value().first().size());
        }
        const QList<QStringList> &regions = sections[QStringLiteral("regions")];
        const QStringList header = regions.first();
        QCOMPARE(regions.size(), qsizetype(m_s.regions.size()) + 1);
        auto column = [&](const char *name) {
            const qsizetype c = header.indexOf(QLatin1String(name));
            return c;
        };
        for (qsizetype i = 1; i < regions.size(); ++i) {
            const QStringList &rec = regions[i];
            const RegionData *r = m_s.region(rec[column("region")]);
            QVERIFY2(r, qPrintable(rec[0]));
            auto same = [&](const char *name, double want, double tolerance) {
                const QString cell = rec[column(name)];
                if (std::isnan(want))
                    return cell.isEmpty();
                bool ok = false;
                const double got = cell.toDouble(&ok);
                return ok && std::abs(got - want) <= tolerance;
            };
            QVERIFY(same("latency_p50_ms", r->figures.latencyP50Ms, 0.0005));
            QVERIFY(same("latency_p95_ms", r->figures.latencyP95Ms, 0.0005));
            QVERIFY(same("latency_p99_ms", r->figures.latencyP99Ms, 0.0005));
            QVERIFY(same("light_floor_rtt_ms", r->figures.lightFloorRttMs, 0.0005));
            QVERIFY(same("hit_ratio", r->figures.hitRatio, 5e-7));
            QVERIFY(same("replica_lag_s", r->figures.replicaLagS, 0.0005));
            QVERIFY(same("cost_per_month_usd", r->figures.costPerMonthUsd, 0.005));
            QVERIFY(same("cost_per_invocation_usd", r->figures.costPerInvocationUsd,
                         std::abs(r->figures.costPerInvocationUsd) * 1e-12));
            QCOMPARE(rec[column("nodes_up")].toInt(), r->nodesUp);
            if (r->code == QLatin1String("nrt")) {
                QCOMPARE(rec[column("name")], kHostileName); // text, kept as it was
                QCOMPARE(rec[column("city")], kHostileCity);
            }
        }
        // The phases and cost tables hold the same regions' figures.
        const QList<QStringList> &phases = sections[QStringLiteral("phases")];
        QCOMPARE(phases.first().value(1), QStringLiteral("dns_mean_ms"));
        for (qsizetype i = 1; i < phases.size(); ++i) {
            const RegionData *r = m_s.region(phases[i][0]);
            QVERIFY(r);
            QCOMPARE(phases[i][3].toDouble(),
                     std::round(r->figures.phaseMeanMs.at(QStringLiteral("compute")) * 1000)
                         / 1000);
        }
        const QList<QStringList> &cost = sections[QStringLiteral("cost")];
        QCOMPARE(cost.size(), qsizetype(m_s.regions.size()) + 1);
        QCOMPARE(cost[1][1], m_s.pricing.id);
        // A cause a spreadsheet would evaluate is neutralised.
        bool neutralised = false;
        for (const QStringList &t : sections[QStringLiteral("targets")])
            neutralised |= t.contains(u'\'' + kFormulaCause);
        QVERIFY(neutralised);
        QVERIFY(!readAll(out).contains(",=HYPERLINK"));
        const QList<QStringList> &about = sections[QStringLiteral("about")];
        QVERIFY(about.contains(QStringList { QStringLiteral("fleet"), m_s.fleetName }));
        QVERIFY(about.contains(QStringList { QStringLiteral("pricing_as_of"), m_s.pricing.asOf }));
    }

    void html()
    {
        const QString out = exported(QStringLiteral("r.html"));
        QVERIFY(!out.isEmpty());
        const QString html = QString::fromUtf8(readAll(out));
        QVERIFY(html.startsWith(QLatin1String("<!DOCTYPE html>")));
        QCOMPARE(html.count(QLatin1String("<svg")), 4); // map, trends, light floor, phases
        // Nothing outside the file: no reference other than a fragment or inline data.
        static const QRegularExpression reference(
            QStringLiteral("(?:href|src|action|poster|srcset)\\s*=\\s*[\"']?\\s*(?!#|data:)"
                           "[^\"'\\s>]*"),
            QRegularExpression::CaseInsensitiveOption);
        auto refs = reference.globalMatch(html);
        while (refs.hasNext()) {
            const QString m = refs.next().captured(0);
            QVERIFY2(m.contains(QLatin1String("=\"#")) || m.contains(QLatin1String("data:")),
                     qPrintable(m));
        }
        for (const char *forbidden : { "<link", "<script", "<iframe", "<object", "<embed", "<img",
                                       "@import", "@font-face", "<base", "<a " }) {
            QVERIFY2(!html.contains(QLatin1String(forbidden), Qt::CaseInsensitive), forbidden);
        }
        static const QRegularExpression url(QStringLiteral("url\\(\\s*[\"']?(?!#)"));
        QVERIFY(!url.match(html).hasMatch());
        QVERIFY(html.contains(QLatin1String("Content-Security-Policy")));
        // The charts are complete: the phase breakdown labels every region's bar.
        const qsizetype phases =
            html.indexOf(QLatin1String("<figure aria-label=\"Phase breakdown"));
        QVERIFY(phases > 0);
        const QString phaseSvg =
            html.mid(phases, html.indexOf(QLatin1String("</svg>"), phases) - phases);
        for (const RegionData &r : m_s.regions)
            QVERIFY2(phaseSvg.contains(QStringLiteral(">%1</text>").arg(r.code)),
                     qPrintable(r.code));
        // Hostile label values appear as text, escaped.
        QVERIFY(html.contains(QLatin1String("&lt;script&gt;alert(1)&lt;/script&gt;")));
        QVERIFY(html.contains(QLatin1String("&lt;b&gt;x&lt;/b&gt;")));
        QVERIFY(!html.contains(kHostileCity));
        QVERIFY(!html.contains(QLatin1String("alert(1)</script>")));
        // The tables and figures are there.
        for (const RegionData &r : m_s.regions) {
            QVERIFY(html.contains(QStringLiteral(">%1").arg(r.code)));
            QVERIFY(html.contains(widgets::htmlEscape(widgets::formatMs(r.figures.latencyP95Ms))));
        }
        // A hostile region code is drawn into the SVG map and charts too: escaped there as well.
        FleetSnapshot hostile = m_s;
        const QString code = QStringLiteral("<i>nrt&</i>");
        for (RegionData &r : hostile.regions)
            if (r.code == QLatin1String("nrt"))
                r.code = code;
        for (TargetRow &t : hostile.targets)
            if (t.region == QLatin1String("nrt"))
                t.region = code;
        const QString page = QString::fromUtf8(widgets::htmlReport(hostile));
        QVERIFY(!page.contains(QLatin1String("<i>")));
        QVERIFY(page.contains(QLatin1String("&lt;i&gt;nrt&amp;&lt;/i&gt;</text>")));
        QCOMPARE(widgets::htmlEscape(QStringLiteral("a'b\"<&>")),
                 QStringLiteral("a&#39;b&quot;&lt;&amp;&gt;"));
    }

    // Without a users' location the floor cannot be drawn: the PDF and HTML reports say so, and
    // how to give one, instead of a chart with measured bars and no floor (half a page empty).
    void withoutVantageTheReportsSayWhy()
    {
        FleetSnapshot s = m_s;
        s.settings.vantage.clear();
        s.settings.vantageLat = s.settings.vantageLon = snapshot::kNaN;
        snapshot::analyse(s);
        const QString html = QString::fromUtf8(widgets::htmlReport(s));
        QCOMPARE(html.count(QLatin1String("<svg")), 3); // map, trends, phases
        QVERIFY(html.contains(QLatin1String("Measured against the speed of light")));
        QVERIFY(html.contains(QLatin1String("report --vantage PLACE")));

        if (QStandardPaths::findExecutable(QStringLiteral("pdftotext")).isEmpty())
            QSKIP("pdftotext is not installed (poppler-utils)");
        const QString out = path(QStringLiteral("no-vantage.pdf"));
        QString error;
        QVERIFY2(widgets::exportReport(s, out, {}, &error), qPrintable(error));
        const QString text =
            QString::fromUtf8(run(QStringLiteral("pdftotext"), { out, QStringLiteral("-") }))
                .simplified();
        QVERIFY2(text.contains(QLatin1String("No users' location was given")), qPrintable(text));
        QVERIFY(text.contains(QLatin1String("report --vantage PLACE")));
        QVERIFY(!text.contains(QLatin1String("choose a vantage point"))); // the empty chart
    }

    void json()
    {
        const QString out = exported(QStringLiteral("r.json"));
        QVERIFY(!out.isEmpty());
        const LoadResult loaded = loadSnapshot(out);
        QVERIFY2(loaded.snapshot, qPrintable(loaded.error));
        QVERIFY(equivalent(*loaded.snapshot, m_s));
    }

    // report → .json → report --open s.json --out x.csv writes the figures of the direct CSV;
    // and the drawn formats work with no display and no QT_QPA_PLATFORM at all.
    void roundTripWithoutDisplay()
    {
        const QString json = exported(QStringLiteral("s.json"));
        const QString direct = exported(QStringLiteral("direct.csv"));
        QVERIFY(!json.isEmpty() && !direct.isEmpty());
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const char *name : { "DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM" })
            env.remove(QLatin1String(name));
        for (const char *ext : { "csv", "pdf", "png", "html" }) {
            const QString out = path(QStringLiteral("reopened.") + QLatin1String(ext));
            QProcess p;
            p.setProcessEnvironment(env);
            p.start(QStringLiteral(FLEETSCOPE_BIN),
                    { QStringLiteral("report"), QStringLiteral("--open"), json,
                      QStringLiteral("--out"), out });
            QVERIFY(p.waitForFinished(60000));
            const QByteArray err = p.readAllStandardError();
            QVERIFY2(p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0, err.constData());
            QVERIFY2(QFileInfo(out).size() > 1000, ext);
        }
        QCOMPARE(readAll(path(QStringLiteral("reopened.csv"))), readAll(direct));
        QCOMPARE(QImage(path(QStringLiteral("reopened.png"))).size(), QSize(2880, 1800));
        // Written atomically: nothing but the outputs is left in the directory.
        for (const QString &name : QDir(m_dir.path()).entryList(QDir::Files))
            QVERIFY2(!name.contains(QLatin1String(".tmp")) && !name.startsWith(u'.'),
                     qPrintable(name));
    }
};

QTEST_MAIN(TestExport)
#include "tst_export.moc"
