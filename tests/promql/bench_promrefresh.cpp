// Benchmark: how long one dashboard refresh takes through a Prometheus server versus scraping
// every node directly, for a large fleet (default 2,000 fleetsim nodes).
//
// Starts fleetsim (a separate process, --port-file), a real Prometheus scraping it (127.0.0.1,
// ephemeral port, temporary data directory) and waits until Prometheus holds the window. Then,
// alternately, for --rounds rounds:
//   API     PrometheusMonitor::refreshAt(now): every PromQL question of a refresh, answers
//           parsed, snapshot built and analysed;
//   direct  one round of scrapes of every node at once (spreading off, 64 in flight), each
//           result ingested into a FleetAggregator, then a snapshot built and analysed: what
//           FleetMonitor does per interval, without waiting for the schedule.
// Reports wall time and this process' CPU time per refresh (median and worst), and the data each
// method moved. Prometheus' own CPU for scraping is not counted: it scrapes the fleet anyway.
//
//   bench_promrefresh --fleetsim build/dev/bin/fleetsim [--nodes 2000] [--interval 10]
//                     [--window 60] [--rounds 5]
//
// Exit status: 0 measured, 1 a refresh failed, 2 set-up error, 77 /usr/bin/prometheus missing.

#include "promtesthelpers.h"

#include "fleet/fleetfile.h"
#include "promql/promsource.h"
#include "scrape/scraper.h"
#include "scrape/scraperesult.h"
#include "snapshot/analysis.h"
#include "snapshot/fleetaggregator.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QSignalSpy>
#include <QTest>

#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace fleetscope;

namespace {

double nowSeconds()
{
    return double(QDateTime::currentMSecsSinceEpoch()) / 1000.0;
}

double cpuSeconds()
{
    rusage u {};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec)
        + double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

struct Sample
{
    double wall = 0, cpu = 0;
};

void summary(const char *what, std::vector<Sample> v, const char *extra)
{
    if (v.empty())
        return;
    auto byWall = v;
    std::sort(byWall.begin(), byWall.end(), [](auto a, auto b) { return a.wall < b.wall; });
    auto byCpu = v;
    std::sort(byCpu.begin(), byCpu.end(), [](auto a, auto b) { return a.cpu < b.cpu; });
    std::printf(
        "%-8s wall median %7.3f s  worst %7.3f s   cpu median %7.3f s  worst %7.3f s   %s\n", what,
        byWall[v.size() / 2].wall, byWall.back().wall, byCpu[v.size() / 2].cpu, byCpu.back().cpu,
        extra);
}

bool waitFor(const std::function<bool()> &condition, int ms)
{
    return QTest::qWaitFor(condition, ms);
}

} // namespace

int main(int argc, char **argv)
{
    if (!QFile::exists(QString::fromLatin1(promtest::kPrometheus))) {
        std::fprintf(stderr, "SKIP: %s is missing (Debian package prometheus)\n",
                     promtest::kPrometheus);
        return 77;
    }
    QCoreApplication app(argc, argv);
    QLoggingCategory::setFilterRules(QStringLiteral("fleetscope.*.debug=false\n"
                                                    "fleetscope.*.info=false"));
    QCommandLineParser p;
    p.addHelpOption();
    p.addOption(
        { QStringLiteral("fleetsim"), QStringLiteral("fleetsim binary"), QStringLiteral("path") });
    p.addOption({ QStringLiteral("nodes"), QStringLiteral("nodes (2000)"), QStringLiteral("n"),
                  QStringLiteral("2000") });
    p.addOption({ QStringLiteral("interval"), QStringLiteral("Prometheus' scrape interval, s (10)"),
                  QStringLiteral("s"), QStringLiteral("10") });
    p.addOption({ QStringLiteral("window"), QStringLiteral("the refresh's window, s (60)"),
                  QStringLiteral("s"), QStringLiteral("60") });
    p.addOption({ QStringLiteral("rounds"), QStringLiteral("refreshes of each kind (5)"),
                  QStringLiteral("n"), QStringLiteral("5") });
    p.process(app);
    const int nodes = p.value(QStringLiteral("nodes")).toInt();
    const int interval = std::max(1, p.value(QStringLiteral("interval")).toInt());
    const double window = std::max(5.0, p.value(QStringLiteral("window")).toDouble());
    const int rounds = std::max(1, p.value(QStringLiteral("rounds")).toInt());
    const QString fleetsimPath = p.value(QStringLiteral("fleetsim"));
    if (fleetsimPath.isEmpty() || nodes < 1) {
        std::fprintf(stderr, "bench_promrefresh: give --fleetsim PATH and --nodes N >= 1\n");
        return 2;
    }

    // The fleet.
    QTemporaryDir dir;
    const QString portFile = dir.filePath(QStringLiteral("fleet.json"));
    QProcess fleetsim;
    fleetsim.setProgram(fleetsimPath);
    fleetsim.setArguments({ QStringLiteral("--nodes"), QString::number(nodes),
                            QStringLiteral("--port-file"), portFile, QStringLiteral("--seed"),
                            QStringLiteral("1") });
    fleetsim.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    fleetsim.start();
    if (!fleetsim.waitForStarted(10000)
        || !waitFor(
            [&] { return QFile::exists(portFile) || fleetsim.state() != QProcess::Running; },
            120000)
        || !QFile::exists(portFile)) {
        std::fprintf(stderr, "bench_promrefresh: fleetsim did not start\n");
        return 2;
    }
    QFile f(portFile);
    f.open(QIODevice::ReadOnly);
    const QByteArray fleetJson = f.readAll();
    fleet::FleetLoadResult loaded = fleet::parseFleetFile(fleetJson, portFile);
    if (!loaded.ok() || loaded.fleet.targets.size() != nodes) {
        std::fprintf(stderr, "bench_promrefresh: the fleet file: %s\n",
                     qPrintable(loaded.errorString()));
        return 2;
    }

    // Prometheus, scraping it.
    promtest::PrometheusProcess prometheus;
    // The refresh is what is timed: a loaded machine must not turn a slow answer into an error.
    prometheus.setExtraArguments({ QStringLiteral("--query.timeout=10m") });
    QString error;
    if (!prometheus.start(fleetJson, &error, QStringLiteral("%1s").arg(interval),
                          QStringLiteral("%1s").arg(std::max(1, interval - 1)))) {
        std::fprintf(stderr, "bench_promrefresh: %s\n", qPrintable(error));
        return 2;
    }
    QNetworkAccessManager nam;
    if (!waitFor([&] { return prometheus.ready(nam) || !prometheus.running(); }, 120000)
        || !prometheus.running()) {
        std::fprintf(stderr, "bench_promrefresh: Prometheus did not become ready: %s\n",
                     prometheus.output().constData());
        return 2;
    }
    std::printf("fleetsim: %d nodes; Prometheus %s scraping every %d s; waiting until it holds "
                "a %.0f s window\n",
                nodes, qPrintable(prometheus.baseUrl()), interval, window);
    std::fflush(stdout);

    promql::SourceOptions options;
    options.client.baseUrl = QUrl(prometheus.baseUrl());
    options.client.timeoutMs = 300000;
    options.minStepSeconds = interval; // Prometheus' scrape interval
    options.fleet = loaded.fleet;
    promql::PrometheusMonitor source(options);
    snapshot::Settings settings = source.settings();
    settings.windowSeconds = window;
    source.setSettings(settings);
    {
        promql::PromClient probe(options.client);
        bool full = false;
        const double started = nowSeconds();
        while (!full) {
            bool answered = false;
            // Every target up, with at least half a window of samples (a loaded server skips
            // scrapes).
            probe.query(QStringLiteral("count(up{job=\"edge\"} == 1) == %3 and "
                                       "min(count_over_time(up{job=\"edge\"}[%1s])) >= %2")
                            .arg(qint64(window))
                            .arg(std::max(2, int(window / interval / 2)))
                            .arg(nodes),
                        nowSeconds(), [&](const promql::PromResult &r) {
                            answered = true;
                            full = r.ok && r.series.size() == 1;
                        });
            waitFor([&] { return answered; }, 120000);
            if (!full)
                waitFor([] { return false; }, 1000); // poll again in a second
            if (nowSeconds() - started > window + 30 * interval + 300) {
                std::fprintf(stderr, "bench_promrefresh: Prometheus never held every node\n");
                return 2;
            }
        }
    }

    // Direct: the fleet's targets, scraped in one round each refresh.
    QList<scrape::ScrapeTarget> targets;
    QHash<QString, QString> regionOf;
    for (const fleet::Target &t : loaded.fleet.targets) {
        scrape::ScrapeTarget st;
        st.id = t.id;
        st.url = t.url;
        st.interval = std::chrono::hours(1);
        st.timeout = std::chrono::seconds(30);
        targets.append(st);
        regionOf.insert(t.id, t.regionCode());
    }
    snapshot::FleetAggregator aggregator(loaded.fleet.metrics);
    for (const fleet::Target &t : loaded.fleet.targets)
        aggregator.addTarget(t.id, t.url.toString(), t.regionCode(),
                             t.label(QStringLiteral("node")), {});

    std::vector<Sample> api, direct;
    std::size_t apiRegions = 0, directRegions = 0;
    double directSamples = 0;
    for (int round = 0; round < rounds; ++round) {
        // Through the API.
        {
            QSignalSpy ready(&source, &promql::PrometheusMonitor::snapshotReady);
            QSignalSpy failed(&source, &promql::PrometheusMonitor::refreshFailed);
            const double cpu0 = cpuSeconds();
            QElapsedTimer t;
            t.start();
            source.refreshAt(nowSeconds());
            waitFor([&] { return ready.count() + failed.count() > 0; }, 600000);
            const Sample s { double(t.nsecsElapsed()) / 1e9, cpuSeconds() - cpu0 };
            if (ready.isEmpty()) {
                std::fprintf(stderr, "bench_promrefresh: %s\n",
                             qPrintable(failed.value(0).value(0).toString()));
                return 1;
            }
            apiRegions = ready.first()
                             .first()
                             .value<std::shared_ptr<const snapshot::FleetSnapshot>>()
                             ->regions.size();
            api.push_back(s);
        }
        // Directly.
        {
            scrape::ScraperOptions so;
            so.spreadScrapes = false;
            scrape::Scraper scraper(so);
            scraper.setTargets(targets);
            int answered = 0, failed = 0;
            double samples = 0;
            QObject::connect(&scraper, &scrape::Scraper::scrapeFinished, &scraper,
                             [&](const scrape::ScrapeResult &r) {
                                 snapshot::NodeScrape n;
                                 n.targetId = r.targetId;
                                 n.region = regionOf.value(r.targetId);
                                 n.time = double(r.startTime.toMSecsSinceEpoch()) / 1000.0;
                                 n.httpStatus = r.httpStatus;
                                 n.durationMs = double(r.duration.count());
                                 if (r.ok()) {
                                     n.health = snapshot::Health::Up;
                                     n.exposition = r.exposition();
                                     samples += double(r.exposition()->samples.size());
                                 } else {
                                     n.health = snapshot::Health::Down;
                                     n.cause = r.errorMessage;
                                     ++failed;
                                 }
                                 aggregator.ingest(n);
                                 ++answered;
                             });
            const double cpu0 = cpuSeconds();
            QElapsedTimer t;
            t.start();
            scraper.start();
            waitFor([&] { return answered >= nodes; }, 600000);
            scraper.stop();
            const double now = nowSeconds();
            aggregator.tick(now);
            snapshot::FleetSnapshot s = aggregator.build(now, settings);
            snapshot::analyse(s);
            direct.push_back({ double(t.nsecsElapsed()) / 1e9, cpuSeconds() - cpu0 });
            directRegions = s.regions.size();
            directSamples = samples;
            if (answered < nodes || failed > 0) {
                std::fprintf(stderr, "bench_promrefresh: %d of %d nodes answered, %d failed\n",
                             answered, nodes, failed);
                return 1;
            }
        }
        std::printf("round %d: API %.3f s (cpu %.3f s), direct %.3f s (cpu %.3f s)\n", round + 1,
                    api.back().wall, api.back().cpu, direct.back().wall, direct.back().cpu);
        std::fflush(stdout);
    }
    const auto plan = source.plan(source.stepFor(window));
    std::printf("\n%d nodes, %zu regions, window %.0f s (step %.0f s)\n", nodes, apiRegions, window,
                source.stepFor(window));
    summary("API", api,
            qPrintable(QStringLiteral("%1 PromQL queries per refresh").arg(plan.size())));
    summary("direct", direct,
            qPrintable(QStringLiteral("%1 scrapes, %2 samples parsed per refresh, %3 regions")
                           .arg(nodes)
                           .arg(directSamples, 0, 'f', 0)
                           .arg(directRegions)));
    prometheus.stop();
    fleetsim.terminate();
    if (!fleetsim.waitForFinished(10000))
        fleetsim.kill(); // QProcess' destructor would too, after waiting
    fleetsim.waitForFinished(5000);
    return 0;
}
