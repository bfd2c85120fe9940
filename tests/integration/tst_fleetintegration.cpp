// FleetScope against fleetsim on loopback, in one process: fleetsim serves 24 nodes from its own
// thread, FleetScope scrapes them every second on this one. Per-region figures equal the same
// figures computed here from the raw text the scraper received; one faulty node (of every fault
// kind) is shown down with its cause within two intervals while the other nodes keep their
// schedule; a region at night is idle, not down.

#include "simrunner.h"

#include "exposition/exposition.h"
#include "fleet/fleetfile.h"
#include "scrape/scraper.h"
#include "snapshot/analysis.h"
#include "snapshot/fleetaggregator.h"
#include "snapshot/fleetmonitor.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QRegularExpression>
#include <QTest>

#include <charconv>
#include <cmath>
#include <limits>
#include <map>

using namespace fleetscope;
using snapshot::kNaN;

namespace {

constexpr int kIntervalMs = 1000;
// 2026-01-15T12:00:00Z: daytime or evening in every region of kDayRegions (iad is at 07:00).
constexpr double kNoonUtc = 1768478400;
// 2026-01-15T18:41:00Z: 04:00 mean solar time in nrt (139.7 E), its quietest hour; daytime or
// evening in the other regions of kNightRegions.
constexpr double kNrtNight = 1768502460;

const QStringList kDayRegions = { QStringLiteral("iad"), QStringLiteral("gru"),
                                  QStringLiteral("lhr"), QStringLiteral("fra"),
                                  QStringLiteral("jnb"), QStringLiteral("bom"),
                                  QStringLiteral("sin"), QStringLiteral("nrt") };
const QStringList kNightRegions = { QStringLiteral("nrt"), QStringLiteral("iad"),
                                    QStringLiteral("gru"), QStringLiteral("lhr"),
                                    QStringLiteral("fra"), QStringLiteral("jnb"),
                                    QStringLiteral("bom"), QStringLiteral("ord") };

double nowSeconds()
{
    return double(QDateTime::currentMSecsSinceEpoch()) / 1000.0;
}

// Equal within floating-point noise (sums taken in another order); NaN equals NaN.
bool nearlyEqual(double a, double b, double relative = 1e-9)
{
    if (std::isnan(a) || std::isnan(b))
        return std::isnan(a) && std::isnan(b);
    return std::fabs(a - b) <= relative * std::max({ 1.0, std::fabs(a), std::fabs(b) });
}

// The object form of a fleet file around fleetsim's file_sd list, so the scrape settings come
// through the fleet file parser as a user would write them.
fleet::Fleet fleetFrom(const QByteArray &simTargets, const QJsonObject &scrape)
{
    QJsonObject root;
    root.insert(QStringLiteral("name"), QStringLiteral("integration"));
    root.insert(QStringLiteral("scrape"), scrape);
    root.insert(QStringLiteral("targets"), QJsonDocument::fromJson(simTargets).array());
    const fleet::FleetLoadResult loaded =
        fleet::parseFleetFile(QJsonDocument(root).toJson(), QStringLiteral("integration.json"));
    if (!loaded.ok())
        qFatal("fleet file: %s", qPrintable(loaded.errorString()));
    return loaded.fleet;
}

QJsonObject scrapeSettings(const QString &timeout)
{
    QJsonObject scrape;
    scrape.insert(QStringLiteral("interval"), QStringLiteral("1s"));
    scrape.insert(QStringLiteral("timeout"), timeout);
    return scrape;
}

const fleet::Target *targetOfNode(const fleet::Fleet &fleet, const QString &node)
{
    for (const fleet::Target &t : fleet.targets) {
        if (t.label(QStringLiteral("node")) == node)
            return &t;
    }
    return nullptr;
}

const snapshot::TargetRow *rowOf(const snapshot::FleetSnapshot &s, const QString &id)
{
    for (const snapshot::TargetRow &t : s.targets) {
        if (t.id == id)
            return &t;
    }
    return nullptr;
}

std::optional<double> number(std::string_view text)
{
    if (text == "+Inf")
        return std::numeric_limits<double>::infinity();
    double v = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size())
        return std::nullopt;
    return v;
}

// What the test reads from one node's raw scrape, independently of the aggregator: plain sums
// by sample name as written, the way a person would add the numbers up from the text.
struct NodeFigures
{
    double invocations = 0;
    double hits = 0, misses = 0, stale = 0;
    double requests = 0, requests5xx = 0;
    std::map<double, double> buckets; // le -> count, over every route and status
    double queueDepth = 0;
    double replicaLag = -std::numeric_limits<double>::infinity();
};

bool readNode(const scrape::ParsedScrape &scraped, const QString &contentType, NodeFigures *out)
{
    exposition::ParseOptions options;
    options.format = exposition::formatFromContentType(contentType.toStdString());
    const exposition::Exposition e = exposition::parse(scraped.body, options);
    if (!e.ok())
        return false;
    NodeFigures &f = *out;
    for (const exposition::Sample &s : e.samples) {
        const auto label = [&](std::string_view name) {
            return e.labelValue(s, name).value_or(std::string_view());
        };
        if (s.name == "edge_invocations_total") {
            f.invocations += s.value;
        } else if (s.name == "edge_cache_requests_total") {
            const auto result = label("result");
            (result == "hit" ? f.hits : result == "miss" ? f.misses : f.stale) += s.value;
        } else if (s.name == "edge_request_duration_seconds_count") {
            f.requests += s.value;
            if (label("status").substr(0, 1) == "5")
                f.requests5xx += s.value;
        } else if (s.name == "edge_request_duration_seconds_bucket") {
            const auto le = number(label("le"));
            if (!le)
                return false;
            f.buckets[*le] += s.value;
        } else if (s.name == "edge_write_queue_depth") {
            f.queueDepth += s.value;
        } else if (s.name == "edge_replica_lag_seconds") {
            f.replicaLag = std::max(f.replicaLag, s.value);
        }
    }
    return true;
}

// histogram_quantile as the Prometheus documentation describes it, written out plainly: the
// rank q * count, the first bucket whose cumulative count reaches it, linear inside that bucket
// (from 0 for the first one), the highest finite bound when the rank lands in +Inf.
double quantile(double q, const std::map<double, double> &cumulative)
{
    if (cumulative.empty() || !std::isinf(cumulative.rbegin()->first))
        return kNaN;
    const double total = cumulative.rbegin()->second;
    if (!(total > 0))
        return kNaN;
    const double rank = q * total;
    double lower = 0, below = 0;
    for (const auto &[le, count] : cumulative) {
        if (count >= rank) {
            if (std::isinf(le))
                return lower;
            return lower + (le - lower) * (rank - below) / (count - below);
        }
        lower = le;
        below = count;
    }
    return kNaN;
}

// A raw scrape kept as the scraper delivered it.
struct Raw
{
    std::shared_ptr<const scrape::ParsedScrape> parsed;
    QString contentType;
};

// FleetMonitor's receiving end, written out so the test keeps the raw bodies: scrape results
// become NodeScrapes exactly as FleetMonitor::onScrape makes them.
snapshot::NodeScrape nodeScrapeOf(const fleet::Fleet &fleet, const scrape::ScrapeResult &result)
{
    snapshot::NodeScrape n;
    n.targetId = result.targetId;
    n.url = result.url.toString();
    if (const fleet::Target *t = fleet.findTarget(result.targetId)) {
        n.region = t->regionCode();
        n.node = t->label(QStringLiteral("node"));
        n.provider = t->label(QStringLiteral("provider"));
    }
    n.time = double(result.startTime.toMSecsSinceEpoch()) / 1000.0;
    n.httpStatus = result.httpStatus;
    n.durationMs = double(result.duration.count());
    if (result.ok()) {
        n.health = result.idle ? snapshot::Health::Idle : snapshot::Health::Up;
        n.exposition = result.exposition();
    } else {
        n.health = snapshot::Health::Down;
        n.cause = result.errorMessage;
    }
    return n;
}

// Records every scrape FleetMonitor reports, with when it arrived (test clock, ms).
struct ScrapeLog
{
    struct Entry
    {
        qint64 atMs;
        bool ok;
    };
    QElapsedTimer clock;
    std::map<QString, std::vector<Entry>> byTarget;

    int count(const QString &id) const
    {
        const auto it = byTarget.find(id);
        return it == byTarget.end() ? 0 : int(it->second.size());
    }
    int fewest(const fleet::Fleet &fleet) const
    {
        int least = std::numeric_limits<int>::max();
        for (const fleet::Target &t : fleet.targets)
            least = std::min(least, count(t.id));
        return least;
    }
};

} // namespace

class TestFleetIntegration : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void regionFiguresMatchRawText();
    void faultStaysOnItsNode_data();
    void faultStaysOnItsNode();
    void nightRegionIsIdleNotDown();
};

void TestFleetIntegration::initTestCase()
{
    // The scraper's per-request debug lines would drown the figures this suite prints.
    QLoggingCategory::setFilterRules(QStringLiteral("fleetscope.*.debug=false"));
    qRegisterMetaType<scrape::ScrapeResult>();
}

void TestFleetIntegration::regionFiguresMatchRawText()
{
    sim::SimOptions options;
    options.nodes = 24;
    options.regions = kDayRegions;
    options.startTime = kNoonUtc;
    options.timeScale = 10; // more requests per interval: finer quantiles, same arithmetic
    options.control = false;
    integration::SimRunner sim;
    QString error;
    QByteArray json;
    QVERIFY2(sim.start(options, &error, &json), qPrintable(error));
    const fleet::Fleet fleet = fleetFrom(json, scrapeSettings(QStringLiteral("800ms")));
    QCOMPARE(fleet.targets.size(), 24);

    // FleetMonitor's pipeline with the raw bodies kept: the same Scraper settings and
    // FleetAggregator set-up as FleetMonitor's constructor.
    snapshot::FleetAggregator aggregator(fleet.metrics);
    QList<scrape::ScrapeTarget> targets;
    for (const fleet::Target &t : fleet.targets) {
        scrape::ScrapeTarget st;
        st.id = t.id;
        st.url = t.url;
        st.interval = t.interval;
        st.timeout = t.timeout;
        st.labels = t.labels;
        targets.append(st);
        aggregator.addTarget(t.id, t.url.toString(), t.regionCode(),
                             t.label(QStringLiteral("node")), {});
        QCOMPARE(t.interval.count(), kIntervalMs);
    }
    aggregator.setStaleAfter(2.5 * kIntervalMs / 1000.0);
    scrape::Scraper scraper;
    scraper.setTargets(targets);

    std::map<QString, Raw> latest; // each target's newest successful scrape, as ingested
    std::map<QString, int> answers;
    QStringList failures;
    connect(&scraper, &scrape::Scraper::scrapeFinished, this,
            [&](const scrape::ScrapeResult &result) {
                aggregator.ingest(nodeScrapeOf(fleet, result));
                if (!result.ok()) {
                    failures.append(result.targetId + QStringLiteral(": ") + result.errorMessage);
                    return;
                }
                latest[result.targetId] = Raw { result.parsed, result.contentType };
                ++answers[result.targetId];
            });
    auto everyTargetAnswered = [&](int times) {
        for (const fleet::Target &t : fleet.targets) {
            if (answers[t.id] < times)
                return false;
        }
        return true;
    };

    scraper.start();
    QTRY_VERIFY_WITH_TIMEOUT(everyTargetAnswered(1), 10000);
    // The first tick after every node has a baseline; the last one four intervals later. Each
    // tick records what the aggregator has ingested by then, and the test keeps the same raw
    // bodies: the region figures must be those bodies' differences.
    const double t1 = nowSeconds();
    aggregator.tick(t1);
    const std::map<QString, Raw> first = latest;
    QTRY_VERIFY_WITH_TIMEOUT(everyTargetAnswered(3), 10000);
    aggregator.tick(nowSeconds());
    QTRY_VERIFY_WITH_TIMEOUT(everyTargetAnswered(5), 10000);
    const double tk = nowSeconds();
    aggregator.tick(tk);
    const std::map<QString, Raw> last = latest;
    scraper.stop();
    QVERIFY2(failures.isEmpty(), qPrintable(failures.join(QLatin1Char('\n'))));

    snapshot::FleetSnapshot snap = aggregator.build(tk, snapshot::settingsFor(fleet));
    snapshot::analyse(snap);

    // The same figures from the raw text, per region.
    struct RegionSums
    {
        int nodes = 0;
        NodeFigures delta; // increases between the first and the last tick
        double queueDepth = 0;
        double replicaLag = -std::numeric_limits<double>::infinity();
    };
    std::map<QString, RegionSums> regions;
    for (const fleet::Target &t : fleet.targets) {
        NodeFigures a, b;
        QVERIFY(first.count(t.id) && last.count(t.id));
        QVERIFY(readNode(*first.at(t.id).parsed, first.at(t.id).contentType, &a));
        QVERIFY(readNode(*last.at(t.id).parsed, last.at(t.id).contentType, &b));
        // No node restarted here: every counter only grew, so last minus first is the increase.
        QVERIFY2(b.invocations >= a.invocations && b.requests >= a.requests, qPrintable(t.id));
        RegionSums &r = regions[t.regionCode()];
        ++r.nodes;
        r.delta.invocations += b.invocations - a.invocations;
        r.delta.hits += b.hits - a.hits;
        r.delta.misses += b.misses - a.misses;
        r.delta.stale += b.stale - a.stale;
        r.delta.requests += b.requests - a.requests;
        r.delta.requests5xx += b.requests5xx - a.requests5xx;
        for (const auto &[le, count] : b.buckets)
            r.delta.buckets[le] += count - (a.buckets.count(le) ? a.buckets.at(le) : 0.0);
        r.queueDepth += b.queueDepth;
        r.replicaLag = std::max(r.replicaLag, b.replicaLag);
    }
    QCOMPARE(regions.size(), std::size_t(8));
    QCOMPARE(snap.regions.size(), std::size_t(8));

    const double seconds = tk - t1;
    for (const auto &[code, sums] : regions) {
        const snapshot::RegionData *region = snap.region(code);
        QVERIFY2(region, qPrintable(code));
        const snapshot::RegionFigures &f = region->figures;
        QCOMPARE(region->nodesUp, sums.nodes);
        QCOMPARE(region->nodesDown, 0);

        const auto invocations = region->counters.find(QStringLiteral("invocations"));
        QVERIFY(invocations != region->counters.end());
        const snapshot::Increase increase =
            snapshot::increaseOver(invocations->second, tk - 300, tk);
        QVERIFY2(nearlyEqual(increase.value, sums.delta.invocations),
                 qPrintable(QStringLiteral("%1: invocation increase %2, from the text %3")
                                .arg(code)
                                .arg(increase.value)
                                .arg(sums.delta.invocations)));
        QVERIFY(nearlyEqual(increase.seconds, seconds));
        QVERIFY2(sums.delta.invocations > 0, qPrintable(code)); // the comparison is not 0 == 0
        QVERIFY(nearlyEqual(f.invocationRate, sums.delta.invocations / seconds));

        QVERIFY2(nearlyEqual(f.requestRate, sums.delta.requests / seconds),
                 qPrintable(QStringLiteral("%1: request rate %2, from the text %3")
                                .arg(code)
                                .arg(f.requestRate)
                                .arg(sums.delta.requests / seconds)));
        QVERIFY(nearlyEqual(f.errorRatio, sums.delta.requests5xx / sums.delta.requests));

        const double lookups = sums.delta.hits + sums.delta.misses + sums.delta.stale;
        QVERIFY2(nearlyEqual(f.hitRatio, sums.delta.hits / lookups),
                 qPrintable(QStringLiteral("%1: hit ratio %2, from the text %3")
                                .arg(code)
                                .arg(f.hitRatio)
                                .arg(sums.delta.hits / lookups)));
        QVERIFY(nearlyEqual(f.missRatio, sums.delta.misses / lookups));
        QVERIFY(nearlyEqual(f.staleRatio, sums.delta.stale / lookups));

        const double p95 = quantile(0.95, sums.delta.buckets) * 1000.0;
        QVERIFY2(std::isfinite(p95), qPrintable(code));
        QVERIFY2(nearlyEqual(f.latencyP95Ms, p95),
                 qPrintable(QStringLiteral("%1: p95 %2 ms, from the text %3 ms")
                                .arg(code)
                                .arg(f.latencyP95Ms)
                                .arg(p95)));
        QVERIFY(nearlyEqual(f.latencyP50Ms, quantile(0.50, sums.delta.buckets) * 1000.0));
        QVERIFY(nearlyEqual(f.latencyP99Ms, quantile(0.99, sums.delta.buckets) * 1000.0));

        QVERIFY(nearlyEqual(f.queueDepth, sums.queueDepth));
        QVERIFY(nearlyEqual(f.replicaLagS, sums.replicaLag));
        qInfo("%s: %d nodes, %.0f invocations, %.1f req/s, hit %.4f, p95 %.2f ms", qPrintable(code),
              sums.nodes, sums.delta.invocations, f.requestRate, f.hitRatio, f.latencyP95Ms);
    }
}

void TestFleetIntegration::faultStaysOnItsNode_data()
{
    QTest::addColumn<QString>("fault");
    // The cause sentence the target must show; empty: the fault is not a failure.
    QTest::addColumn<QString>("cause");
    // When the fault shows on the wire after it is set (flapping starts with an up phase).
    QTest::addColumn<int>("showsAfterMs");

    const QString refused = QStringLiteral("^connection refused by 127\\.0\\.0\\.1:\\d+$");
    const QString timeout = QStringLiteral("^timeout: no answer within 500 ms$");
    QTest::addRow("down") << QStringLiteral("down") << refused << 0;
    QTest::addRow("slow") << QStringLiteral("slow:3") << timeout << 0; // 3 s > the 500 ms timeout
    QTest::addRow("hung") << QStringLiteral("hung") << timeout << 0;
    // Up for 1.2 s, then down for 1.2 s: a down phase longer than the interval always meets a
    // scrape.
    QTest::addRow("flapping") << QStringLiteral("flapping:1.2") << refused << 1200;
    QTest::addRow("malformed") << QStringLiteral("malformed")
                               << QStringLiteral("^parse error at line \\d+, column \\d+: .+") << 0;
    QTest::addRow("truncated") << QStringLiteral("truncated")
                               << QStringLiteral("^truncated: the connection closed after \\d+ "
                                                 "of \\d+ body bytes$")
                               << 0;
    QTest::addRow("oversized") << QStringLiteral("oversized:6") // 6 MiB > the 4 MiB limit
                               << QStringLiteral("^body limit exceeded: .*4194304 byte") << 0;
    QTest::addRow("reset") << QStringLiteral("reset") << QString() << 0;
}

void TestFleetIntegration::faultStaysOnItsNode()
{
    QFETCH(QString, fault);
    QFETCH(QString, cause);
    QFETCH(int, showsAfterMs);
    const bool failure = !cause.isEmpty();

    sim::SimOptions options;
    options.nodes = 24;
    options.regions = kDayRegions;
    options.startTime = kNoonUtc;
    options.timeScale = 10;
    options.control = false;
    integration::SimRunner sim;
    QString error;
    QByteArray json;
    QVERIFY2(sim.start(options, &error, &json), qPrintable(error));
    QJsonObject scrape = scrapeSettings(QStringLiteral("500ms"));
    scrape.insert(QStringLiteral("body_size_limit"), QStringLiteral("4MiB"));
    const fleet::Fleet fleet = fleetFrom(json, scrape);
    const QString node = QStringLiteral("fra-2");
    const fleet::Target *faulty = targetOfNode(fleet, node);
    QVERIFY(faulty);
    const QString faultyId = faulty->id;
    const QString faultyRegion = faulty->regionCode();

    snapshot::FleetMonitor monitor(fleet);
    ScrapeLog log;
    log.clock.start();
    connect(&monitor, &snapshot::FleetMonitor::scrapeFinished, this,
            [&](const QString &id, bool ok, int, int) {
                log.byTarget[id].push_back({ log.clock.elapsed(), ok });
            });
    monitor.start();
    QTRY_VERIFY_WITH_TIMEOUT(log.fewest(fleet) >= 3, 10000); // every node on its schedule

    const auto before = monitor.snapshotNow();
    const snapshot::RegionData *regionBefore = before->region(faultyRegion);
    QVERIFY(regionBefore);
    QCOMPARE(regionBefore->nodesDown, 0);
    const double invocationsBefore = sim.totals(node).invocations;

    if (!failure) {
        // Restart right after a scrape, so the restart is over before the next one comes.
        const int seen = log.count(faultyId);
        QTRY_VERIFY_WITH_TIMEOUT(log.count(faultyId) > seen, 3000);
    }
    const auto parsedFault = sim::Fault::parse(fault, &error);
    QVERIFY2(parsedFault, qPrintable(error));
    QVERIFY2(sim.setFault(node, *parsedFault, &error), qPrintable(error));
    const qint64 faultAt = log.clock.elapsed();
    const double invocationsAfter = sim.totals(node).invocations;
    const int faultyBefore = log.count(faultyId);

    if (failure) {
        auto firstFailure = [&]() -> qint64 {
            const auto &entries = log.byTarget[faultyId];
            for (std::size_t i = std::size_t(faultyBefore); i < entries.size(); ++i) {
                if (!entries[i].ok)
                    return entries[i].atMs;
            }
            return -1;
        };
        QTRY_VERIFY_WITH_TIMEOUT(firstFailure() >= 0, showsAfterMs + 4 * kIntervalMs);
        const qint64 latency = firstFailure() - (faultAt + showsAfterMs);
        qInfo("%s: first failed scrape %lld ms after the fault showed", qPrintable(fault), latency);
        QVERIFY2(
            latency <= 2 * kIntervalMs,
            qPrintable(QStringLiteral("down after %1 ms, more than two intervals").arg(latency)));
        const auto shown = monitor.snapshotNow();
        const snapshot::TargetRow *row = rowOf(*shown, faultyId);
        QVERIFY(row);
        QCOMPARE(snapshot::healthName(row->health), "down");
        QVERIFY2(
            QRegularExpression(cause).match(row->cause).hasMatch(),
            qPrintable(QStringLiteral("cause \"%1\" does not match %2").arg(row->cause, cause)));
        QCOMPARE(shown->region(faultyRegion)->nodesDown, 1);
    }

    // Three more intervals: every other node keeps answering on its own schedule.
    const int others = log.fewest(fleet);
    QTRY_VERIFY_WITH_TIMEOUT(log.fewest(fleet) >= others + 3, 6 * kIntervalMs);
    const auto after = monitor.snapshotNow();
    monitor.stop();

    qint64 widest = 0, narrowest = std::numeric_limits<qint64>::max();
    for (const fleet::Target &t : fleet.targets) {
        if (t.id == faultyId && failure)
            continue;
        const auto &entries = log.byTarget[t.id];
        for (std::size_t i = 0; i < entries.size(); ++i) {
            QVERIFY2(entries[i].ok, qPrintable(t.id + QStringLiteral(" failed a scrape")));
            if (i == 0)
                continue;
            const qint64 gap = entries[i].atMs - entries[i - 1].atMs;
            widest = std::max(widest, gap);
            narrowest = std::min(narrowest, gap);
        }
        const snapshot::TargetRow *row = rowOf(*after, t.id);
        QVERIFY(row);
        QVERIFY2(row->health == snapshot::Health::Up, qPrintable(t.id));
    }
    qInfo("%s: healthy nodes' results %lld..%lld ms apart (interval %d ms)", qPrintable(fault),
          narrowest, widest, kIntervalMs);
    // Scrapes keep their phase; a result may only be delayed by the event loop, a little.
    QVERIFY2(
        widest <= kIntervalMs * 3 / 2 && narrowest >= kIntervalMs / 2,
        qPrintable(QStringLiteral("healthy results %1..%2 ms apart").arg(narrowest).arg(widest)));

    if (!failure) {
        // The restart happened (the node counts from zero again), yet the region's series only
        // grew: a reset is corrected, never a negative increase.
        QVERIFY2(
            invocationsAfter < invocationsBefore,
            qPrintable(QStringLiteral("%1 -> %2").arg(invocationsBefore).arg(invocationsAfter)));
        const snapshot::RegionData *region = after->region(faultyRegion);
        QVERIFY(region);
        const snapshot::Series &series = region->counters.at(QStringLiteral("invocations"));
        QVERIFY(series.size() >= 4);
        for (std::size_t i = 1; i < series.size(); ++i)
            QVERIFY2(series[i].v >= series[i - 1].v,
                     qPrintable(QStringLiteral("the region's invocations fell from %1 to %2")
                                    .arg(series[i - 1].v)
                                    .arg(series[i].v)));
        QVERIFY(series.back().v > series.front().v);
        QVERIFY(region->figures.invocationRate > 0);
        QCOMPARE(region->nodesDown, 0);
    }
}

void TestFleetIntegration::nightRegionIsIdleNotDown()
{
    sim::SimOptions options;
    options.nodes = 16;
    options.regions = kNightRegions;
    options.startTime = kNrtNight;
    options.timeScale = 120; // ten real seconds are twenty simulated minutes: still night in nrt
    options.control = false;
    integration::SimRunner sim;
    QString error;
    QByteArray json;
    QVERIFY2(sim.start(options, &error, &json), qPrintable(error));
    const fleet::Fleet fleet = fleetFrom(json, scrapeSettings(QStringLiteral("800ms")));

    snapshot::FleetMonitor monitor(fleet);
    ScrapeLog log;
    log.clock.start();
    connect(&monitor, &snapshot::FleetMonitor::scrapeFinished, this,
            [&](const QString &id, bool ok, int, int) {
                log.byTarget[id].push_back({ log.clock.elapsed(), ok });
            });
    monitor.start();
    QTRY_VERIFY_WITH_TIMEOUT(log.fewest(fleet) >= 4, 10000);
    const auto s = monitor.snapshotNow();
    monitor.stop();

    const snapshot::RegionData *nrt = s->region(QStringLiteral("nrt"));
    QVERIFY(nrt);
    QCOMPARE(nrt->nodesIdle, 2);
    QCOMPARE(nrt->nodesDown, 0);
    QCOMPARE(nrt->nodesUp, 0);
    QVERIFY(nrt->figures.scaledToZero);
    QCOMPARE(nrt->figures.invocationRate, 0.0);
    for (const snapshot::TargetRow &t : s->targets) {
        if (t.region != QLatin1String("nrt"))
            continue;
        QCOMPARE(snapshot::healthName(t.health), "idle");
        QVERIFY(t.cause.isEmpty());
    }
    // The regions in daylight are serving: idle is about nrt's night, not a blanket state.
    for (const snapshot::RegionData &r : s->regions) {
        if (r.code == QLatin1String("nrt"))
            continue;
        QVERIFY2(r.nodesUp == 2 && !r.figures.scaledToZero, qPrintable(r.code));
        QVERIFY2(r.figures.invocationRate > 0, qPrintable(r.code));
    }
}

QTEST_GUILESS_MAIN(TestFleetIntegration)
#include "tst_fleetintegration.moc"
