// The aggregator's region series: counters corrected for resets per node and summed per region,
// histogram buckets kept cumulative per bound, gauges aggregated as each metric means, health
// (stale after silence, down with its cause), and regions that cannot be placed kept.

#include "snapshot/fleetaggregator.h"

#include <QTest>

using namespace fleetscope::snapshot;
namespace ex = fleetscope::exposition;

namespace {

struct Scrape
{
    std::string body;
    ex::Exposition exposition;
};

std::unique_ptr<Scrape> parsed(std::string body)
{
    auto s = std::make_unique<Scrape>();
    s->body = std::move(body);
    s->exposition = ex::parse(s->body, {});
    return s;
}

std::string nodeBody(double invocations, double hits, double misses, double b01, double b1,
                     double inf, double lag, double warm, const char *primary = "iad")
{
    std::string b;
    b += "# TYPE edge_invocations_total counter\nedge_invocations_total "
        + std::to_string(invocations) + "\n";
    b += "# TYPE edge_cache_requests_total counter\n";
    b += "edge_cache_requests_total{cache=\"kv\",result=\"hit\"} " + std::to_string(hits) + "\n";
    b += "edge_cache_requests_total{cache=\"kv\",result=\"miss\"} " + std::to_string(misses) + "\n";
    b += "# TYPE edge_request_duration_seconds histogram\n";
    b += "edge_request_duration_seconds_bucket{route=\"/\",status=\"200\",le=\"0.1\"} "
        + std::to_string(b01) + "\n";
    b += "edge_request_duration_seconds_bucket{route=\"/\",status=\"200\",le=\"1\"} "
        + std::to_string(b1) + "\n";
    b += "edge_request_duration_seconds_bucket{route=\"/\",status=\"200\",le=\"+Inf\"} "
        + std::to_string(inf) + "\n";
    b += "edge_request_duration_seconds_sum{route=\"/\",status=\"200\"} 1\n";
    b += "edge_request_duration_seconds_count{route=\"/\",status=\"200\"} " + std::to_string(inf)
        + "\n";
    b += "# TYPE edge_replica_lag_seconds gauge\nedge_replica_lag_seconds{primary=\""
        + std::string(primary) + "\"} " + std::to_string(lag) + "\n";
    b += "# TYPE edge_instances gauge\nedge_instances{state=\"warm\"} " + std::to_string(warm)
        + "\nedge_instances{state=\"busy\"} 0\n";
    return b;
}

NodeScrape scrape(const char *id, const char *region, double t, const Scrape *s)
{
    NodeScrape n;
    n.targetId = QLatin1String(id);
    n.region = QLatin1String(region);
    n.time = t;
    n.health = s ? Health::Up : Health::Down;
    n.cause = s ? QString() : QStringLiteral("connection refused");
    n.exposition = s ? &s->exposition : nullptr;
    return n;
}

double lastOf(const Series &s)
{
    return s.empty() ? kNaN : s.back().v;
}

} // namespace

class TestFleetAggregator : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void regionSumsWithResets()
    {
        FleetAggregator agg;
        agg.addTarget(QStringLiteral("a"), QStringLiteral("http://a/metrics"),
                      QStringLiteral("nrt"), {}, {});
        agg.addTarget(QStringLiteral("b"), QStringLiteral("http://b/metrics"),
                      QStringLiteral("nrt"), {}, {});
        agg.setPlace(QStringLiteral("nrt"),
                     { QStringLiteral("Tokyo"),
                       QStringLiteral("Tokyo"),
                       QStringLiteral("JP"),
                       {},
                       35.7,
                       139.7 });
        const double t0 = 1000;
        // Scrape 1: the baseline (no increase yet).
        auto a1 = parsed(nodeBody(100, 50, 10, 5, 8, 10, 0.5, 2));
        auto b1 = parsed(nodeBody(200, 70, 30, 1, 2, 4, 1.5, 1));
        agg.ingest(scrape("a", "nrt", t0, a1.get()));
        agg.ingest(scrape("b", "nrt", t0, b1.get()));
        agg.tick(t0);
        // Scrape 2: a grows; b restarted (its counters reset to small values).
        auto a2 = parsed(nodeBody(130, 70, 15, 9, 14, 16, 0.25, 3));
        auto b2 = parsed(nodeBody(5, 3, 1, 1, 1, 2, 2.5, 1));
        agg.ingest(scrape("a", "nrt", t0 + 10, a2.get()));
        agg.ingest(scrape("b", "nrt", t0 + 10, b2.get()));
        agg.tick(t0 + 10);

        Settings settings;
        settings.windowSeconds = 60;
        const FleetSnapshot s = agg.build(t0 + 10, settings);
        QCOMPARE(s.regions.size(), 1u);
        const RegionData &r = s.regions[0];
        QVERIFY(r.placed);
        QCOMPARE(r.name, QStringLiteral("Tokyo"));
        QCOMPARE(r.nodesUp, 2);
        // invocations: a +30, b reset counts its new value 5 => 35
        QCOMPARE(lastOf(r.counters.at(QStringLiteral("invocations")))
                     - r.counters.at(QStringLiteral("invocations")).front().v,
                 35.0);
        QCOMPARE(lastOf(r.counters.at(QStringLiteral("cache:hit"))), 20.0 + 3.0);
        QCOMPARE(lastOf(r.counters.at(QStringLiteral("cache:miss"))), 5.0 + 1.0);
        const HistogramWindow &h = r.histograms.at(QStringLiteral("request_duration"));
        QCOMPARE(h.bounds,
                 (std::vector<double> { 0.1, 1, std::numeric_limits<double>::infinity() }));
        QCOMPARE(h.times, (std::vector<double> { t0, t0 + 10 }));
        // b's le="0.1" bucket read 1 before and after its restart: no reset is visible there,
        // so (as in PromQL) it adds nothing; the other buckets dropped, so they count anew.
        QCOMPARE(h.counts.back(), (std::vector<double> { 4 + 0, 6 + 1, 6 + 2 }));
        QCOMPARE(lastOf(r.counters.at(QStringLiteral("requests:2xx"))), 8.0);
        // Gauges: worst lag, summed instances.
        QCOMPARE(lastOf(r.gauges.at(QStringLiteral("replica_lag"))), 2.5);
        QCOMPARE(lastOf(r.gauges.at(QStringLiteral("instances:warm"))), 4.0);
        QCOMPARE(r.primary, QStringLiteral("iad"));
        QCOMPARE(s.primaryRegion, QStringLiteral("iad"));
    }

    void healthAndUnplaced()
    {
        FleetAggregator agg;
        agg.setStaleAfter(30);
        auto ok = parsed(nodeBody(1, 1, 1, 1, 1, 1, 0, 1));
        agg.ingest(scrape("up", "nowhere", 100, ok.get()));
        agg.ingest(scrape("down", "nowhere", 100, nullptr));
        agg.ingest(scrape("quiet", "nowhere", 10, ok.get()));
        agg.tick(100);
        const FleetSnapshot s = agg.build(100, Settings {});
        QCOMPARE(s.regions.size(), 1u);
        QVERIFY(!s.regions[0].placed); // unknown region without lat/lon: kept, unplaced
        QCOMPARE(s.regions[0].nodesUp, 1);
        QCOMPARE(s.regions[0].nodesDown, 1);
        QCOMPARE(s.regions[0].nodesStale, 1);
        QCOMPARE(s.targets.size(), 3u);
        for (const TargetRow &t : s.targets) {
            if (t.id == QLatin1String("down"))
                QCOMPARE(t.cause, QStringLiteral("connection refused"));
            if (t.id == QLatin1String("quiet"))
                QVERIFY2(t.cause.contains(QStringLiteral("no successful scrape for 90 s")),
                         qPrintable(t.cause));
        }
    }

    // Series that differ only in the last characters of two label values, the way status codes
    // and bucket bounds do, keep separate previous values: with FNV sums,
    // {status="500",le="0.2"} and {status="503",le="0.3"} shared one, and every scrape added the
    // whole 500 bucket again (found by tests/integration against fleetsim).
    void similarSeriesKeepTheirOwnBaseline()
    {
        auto body = [](int n500) {
            std::string b = "# TYPE edge_request_duration_seconds histogram\n";
            for (const char *status : { "500", "503" }) {
                const int n = std::string_view(status) == "500" ? n500 : 0;
                for (const char *le : { "0.2", "0.3", "+Inf" })
                    b += std::string("edge_request_duration_seconds_bucket{route=\"/\",status=\"")
                        + status + "\",le=\"" + le + "\"} " + std::to_string(n) + "\n";
                b += std::string("edge_request_duration_seconds_count{route=\"/\",status=\"")
                    + status + "\"} " + std::to_string(n) + "\n";
            }
            return b;
        };
        FleetAggregator agg;
        agg.addTarget(QStringLiteral("a"), QStringLiteral("http://a/metrics"),
                      QStringLiteral("fra"), {}, {});
        const auto s1 = parsed(body(40));
        const auto s2 = parsed(body(42));
        const auto s3 = parsed(body(45));
        agg.ingest(scrape("a", "fra", 100, s1.get()));
        agg.tick(100);
        agg.ingest(scrape("a", "fra", 110, s2.get()));
        agg.tick(110);
        agg.ingest(scrape("a", "fra", 120, s3.get()));
        agg.tick(120);
        const FleetSnapshot s = agg.build(120, Settings {});
        const HistogramWindow &h =
            s.region(QStringLiteral("fra"))->histograms.at(QStringLiteral("request_duration"));
        QCOMPARE(h.counts.back(), (std::vector<double> { 5, 5, 5 }));
        QCOMPARE(
            lastOf(s.region(QStringLiteral("fra"))->counters.at(QStringLiteral("requests:5xx"))),
            5.0);
    }

    void nodeInfoPlacesAndNamesTheNode()
    {
        FleetAggregator agg;
        auto s1 = parsed("# TYPE edge_node_info "
                         "gauge\nedge_node_info{node=\"n1\",region=\"syd\",city=\"Sydney\",lat=\"-"
                         "33.87\",lon=\"151.21\"} 1\n");
        NodeScrape n = scrape("t1", "", 100, s1.get());
        agg.ingest(n);
        agg.tick(100);
        const FleetSnapshot s = agg.build(100, Settings {});
        QCOMPARE(s.targets.at(0).region, QStringLiteral("syd"));
        QCOMPARE(s.targets.at(0).node, QStringLiteral("n1"));
        const RegionData *r = s.region(QStringLiteral("syd"));
        QVERIFY(r);
        QVERIFY(r->placed);
        QCOMPARE(r->lat, -33.87);
    }

    // The aggregator remembers, per node, where each series goes. A series missing from a scrape
    // counts from zero when it comes back, whether it was gone for one scrape or long enough for
    // the node to forget it (many series gone at once); a gauge missing from a scrape leaves its
    // region's aggregate without a point.
    void seriesThatComeAndGo()
    {
        auto body = [](const std::vector<std::pair<int, int>> &results, const char *queue) {
            std::string b = "# TYPE edge_cache_requests_total counter\n";
            for (const auto &[result, value] : results)
                b += "edge_cache_requests_total{cache=\"kv\",result=\"r" + std::to_string(result)
                    + "\"} " + std::to_string(value) + "\n";
            if (queue)
                b +=
                    std::string(
                        "# TYPE edge_write_queue_depth gauge\nedge_write_queue_depth{queue=\"a\"} ")
                    + queue + "\nedge_write_queue_depth{queue=\"b\"} 1\n";
            return b;
        };
        std::vector<std::pair<int, int>> many;
        for (int i = 0; i < 200; ++i)
            many.emplace_back(i, 10);
        FleetAggregator agg;
        agg.addTarget(QStringLiteral("a"), QStringLiteral("http://a/metrics"),
                      QStringLiteral("fra"), {}, {});
        const auto s1 = parsed(body(many, "2"));
        const auto s2 = parsed(body({ { 0, 15 }, { 300, 7 } }, "3")); // r1..r199 gone, r300 born
        const auto s3 = parsed(body({ { 0, 20 }, { 1, 12 } }, nullptr)); // r1 back, r300 gone
        const auto s4 = parsed(body({ { 0, 21 }, { 1, 13 }, { 300, 9 } }, "5")); // r300 back
        agg.ingest(scrape("a", "fra", 100, s1.get()));
        agg.tick(100);
        agg.ingest(scrape("a", "fra", 110, s2.get()));
        agg.tick(110);
        agg.ingest(scrape("a", "fra", 120, s3.get()));
        agg.tick(120);
        {
            const FleetSnapshot s = agg.build(120, Settings {});
            const RegionData *r = s.region(QStringLiteral("fra"));
            QVERIFY(r);
            QCOMPARE(lastOf(r->counters.at(QStringLiteral("cache:r0"))), 10.0); // +5 +5
            QCOMPARE(lastOf(r->counters.at(QStringLiteral("cache:r1"))), 12.0); // back: counts anew
            QCOMPARE(lastOf(r->counters.at(QStringLiteral("cache:r2"))),
                     0.0); // only ever the baseline
            QCOMPARE(lastOf(r->counters.at(QStringLiteral("cache:r300"))),
                     7.0); // born after the baseline
            const Series &queue = r->gauges.at(QStringLiteral("queue_depth"));
            QCOMPARE(queue.size(), 2u); // no point at 120: no node had the gauge
            QCOMPARE(queue.back().t, 110.0);
            QCOMPARE(queue.back().v, 4.0); // summed over the node's queues
        }
        agg.ingest(scrape("a", "fra", 130, s4.get()));
        agg.tick(130);
        const FleetSnapshot s = agg.build(130, Settings {});
        const RegionData *r = s.region(QStringLiteral("fra"));
        QCOMPARE(lastOf(r->counters.at(QStringLiteral("cache:r0"))), 11.0);
        QCOMPARE(lastOf(r->counters.at(QStringLiteral("cache:r1"))), 13.0);
        QCOMPARE(lastOf(r->counters.at(QStringLiteral("cache:r300"))), 16.0); // gone a scrape: +9
        QCOMPARE(lastOf(r->gauges.at(QStringLiteral("queue_depth"))), 6.0);
    }

    // A node that names its own region and then moves: the increase from its previous scrape goes
    // to the region it is in now, and the old region keeps what it had.
    void nodeThatChangesRegion()
    {
        auto body = [](const char *region, int invocations) {
            return std::string("# TYPE edge_node_info gauge\nedge_node_info{node=\"n1\",region=\"")
                + region + "\"} 1\n# TYPE edge_invocations_total counter\nedge_invocations_total "
                + std::to_string(invocations) + "\n";
        };
        FleetAggregator agg;
        const auto s1 = parsed(body("fra", 100));
        const auto s2 = parsed(body("fra", 110));
        const auto s3 = parsed(body("ams", 130));
        const auto s4 = parsed(body("ams", 131));
        double t = 100;
        for (const auto *b : { s1.get(), s2.get(), s3.get(), s4.get() }) {
            agg.ingest(scrape("t1", "", t, b));
            agg.tick(t);
            t += 10;
        }
        const FleetSnapshot s = agg.build(t, Settings {});
        QCOMPARE(s.targets.at(0).region, QStringLiteral("ams"));
        QCOMPARE(
            lastOf(s.region(QStringLiteral("fra"))->counters.at(QStringLiteral("invocations"))),
            10.0);
        QCOMPARE(
            lastOf(s.region(QStringLiteral("ams"))->counters.at(QStringLiteral("invocations"))),
            21.0);
    }
};

QTEST_GUILESS_MAIN(TestFleetAggregator)
#include "tst_fleetaggregator.moc"
