// bench_ingest: Google Benchmark over FleetScope's per-sample collection cost after the HTTP layer:
// realistic fleetsim bodies (the 0.0.4 text a node serves, from FleetScope::Sim without HTTP) fed
// through exposition::parseInto and snapshot::FleetAggregator::ingest, one round of every node
// per iteration followed by the aggregator's tick, as FleetMonitor does every scrape interval.
// Reports CPU ns per sample (the samples a scrape parsed: the denominator of bench-scrape.py's "CPU
// per ingested sample"; thread CPU time, so a busy machine shows less in it than in wall time) and
// allocations per sample, for ingest alone and for parse + ingest.
//
//   bench_ingest [--benchmark_*...] [--nodes=N] [--rounds=R]
//
// The bodies of R rounds (5 simulated seconds apart) are generated up front; the benchmark cycles
// through them, so counters grow as they do in a real fleet (and reset once every R rounds).

#include "allocationcounter.h"

#include "nodecollectable.h"
#include "simoptions.h"
#include "simulation.h"

#include "exposition/exposition.h"
#include "snapshot/fleetaggregator.h"

#include <benchmark/benchmark.h>

#include <QCoreApplication>

#include <cstdlib>
#include <ctime>
#include <iostream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace ex = fleetscope::exposition;
namespace sim = fleetscope::sim;
namespace snap = fleetscope::snapshot;
using fleetscope::bench::allocationStats;

namespace {

constexpr int exitUsage = 2; // STYLE.md: 2 = usage or I/O error
constexpr double kStartTime = 1'750'000'000; // a fixed simulated start: the bodies replay
constexpr double kIntervalSeconds = 5; // bench-scrape.py's scrape interval

struct NodeBody
{
    QString targetId, region, node, provider;
    std::string body;
    ex::Exposition parsed; // of body, for the ingest-only benchmark
};

struct Fleet
{
    std::vector<std::vector<NodeBody>> rounds; // [round][node]
    std::size_t samplesPerRound = 0; // of the first round
    std::size_t bytesPerRound = 0;
};

Fleet s_fleet;

bool generate(int nodes, int rounds, std::string &error)
{
    sim::SimOptions options;
    options.nodes = nodes;
    options.seed = 1;
    options.startTime = kStartTime;
    options.control = false;
    sim::Simulation simulation;
    QString why;
    if (!simulation.configure(options, &why)) {
        error = why.toStdString();
        return false;
    }
    s_fleet.rounds.resize(std::size_t(rounds));
    for (int r = 0; r < rounds; ++r) {
        simulation.advanceTo(kStartTime + kIntervalSeconds * (r + 1));
        auto &round = s_fleet.rounds[std::size_t(r)];
        round.resize(std::size_t(nodes));
        for (int i = 0; i < nodes; ++i) {
            NodeBody &n = round[std::size_t(i)];
            const auto collectable = simulation.node(i);
            n.node = simulation.nodeName(i);
            n.targetId = QStringLiteral("node-%1").arg(i);
            n.region = collectable->spec().region.code;
            n.provider = collectable->spec().region.provider;
            n.body = collectable->serialize();
            ex::ParseOptions parse;
            parse.format = ex::Format::Prometheus;
            ex::parseInto(n.parsed, n.body, parse);
            if (!n.parsed.ok()) {
                error = "fleetsim node " + n.node.toStdString()
                    + " served unparsable text: " + n.parsed.error->toString();
                return false;
            }
            if (r == 0) {
                s_fleet.samplesPerRound += n.parsed.samples.size();
                s_fleet.bytesPerRound += n.body.size();
            }
        }
    }
    return true;
}

snap::NodeScrape scrapeOf(const NodeBody &n, const ex::Exposition &parsed, double time)
{
    snap::NodeScrape s;
    s.targetId = n.targetId;
    s.region = n.region;
    s.node = n.node;
    s.provider = n.provider;
    s.time = time;
    s.health = snap::Health::Up;
    s.httpStatus = 200;
    s.durationMs = 1;
    s.exposition = &parsed;
    return s;
}

double threadCpuSeconds()
{
    timespec ts {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

enum class Parse { None, Reused, Fresh };

// One iteration = one round: every node's scrape ingested (parsed first unless Parse::None, into
// the node's reused Exposition or into a fresh one as the Scraper does), then tick.
void benchRound(benchmark::State &state, Parse parse)
{
    const std::int64_t liveBefore = allocationStats().liveBytes;
    snap::FleetAggregator aggregator;
    std::vector<ex::Exposition> scratch(
        s_fleet.rounds.front().size()); // parseInto's reuse, per node
    ex::ParseOptions options;
    options.format = ex::Format::Prometheus;
    double now = kStartTime;
    std::size_t round = 0;
    std::size_t samples = 0;

    auto runRound = [&] {
        now += kIntervalSeconds;
        const auto &bodies = s_fleet.rounds[round];
        round = (round + 1) % s_fleet.rounds.size();
        for (std::size_t i = 0; i < bodies.size(); ++i) {
            const ex::Exposition *e = &bodies[i].parsed;
            if (parse == Parse::Fresh)
                scratch[i] = ex::Exposition();
            if (parse != Parse::None) {
                ex::parseInto(scratch[i], bodies[i].body, options);
                e = &scratch[i];
            }
            samples += e->samples.size();
            aggregator.ingest(scrapeOf(bodies[i], *e, now));
        }
        aggregator.tick(now);
    };
    // Warm up: every series seen, every store series created (the steady state of a long run).
    for (std::size_t r = 0; r < s_fleet.rounds.size(); ++r)
        runRound();
    // What the aggregator holds per scraped series (its store included), without parsing's
    // buffers: ingest alone only.
    if (parse == Parse::None)
        state.counters["heldB/series"] =
            double(allocationStats().liveBytes - liveBefore) / double(s_fleet.samplesPerRound);

    double seconds = 0;
    std::uint64_t allocations = 0;
    samples = 0;
    for (auto _ : state) {
        const auto allocationsBefore = allocationStats().count;
        const double start = threadCpuSeconds();
        runRound();
        benchmark::ClobberMemory();
        seconds += threadCpuSeconds() - start;
        allocations += allocationStats().count - allocationsBefore;
    }
    if (samples == 0 || seconds <= 0)
        return;
    state.counters["ns/sample"] = seconds * 1e9 / double(samples);
    state.counters["allocs/sample"] = double(allocations) / double(samples);
    state.counters["samples/round"] = double(s_fleet.samplesPerRound);
    state.counters["nodes"] = double(s_fleet.rounds.front().size());
    if (parse != Parse::None)
        state.SetBytesProcessed(std::int64_t(state.iterations())
                                * std::int64_t(s_fleet.bytesPerRound));
}

bool takeIntFlag(std::string_view arg, std::string_view name, int &value)
{
    if (arg.substr(0, name.size()) != name)
        return false;
    value = std::atoi(std::string(arg.substr(name.size())).c_str());
    return true;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv); // fleetsim's region catalogue is a Qt resource
    int nodes = 200;
    int rounds = 6;
    std::vector<char *> rest { argv[0] };
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg(argv[i]);
        if (!takeIntFlag(arg, "--nodes=", nodes) && !takeIntFlag(arg, "--rounds=", rounds))
            rest.push_back(argv[i]);
    }
    if (nodes < 1 || rounds < 1) {
        std::cerr << "bench_ingest: --nodes and --rounds must be at least 1\n";
        return exitUsage;
    }
    int restCount = int(rest.size());
    benchmark::Initialize(&restCount, rest.data());
    if (benchmark::ReportUnrecognizedArguments(restCount, rest.data()))
        return exitUsage;

    std::string error;
    if (!generate(nodes, rounds, error)) {
        std::cerr << "bench_ingest: " << error << '\n';
        return 1;
    }
    benchmark::RegisterBenchmark("ingest/fleetsim", [](benchmark::State &state) {
        benchRound(state, Parse::None);
    })->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("parse+ingest/fleetsim", [](benchmark::State &state) {
        benchRound(state, Parse::Reused);
    })->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("freshparse+ingest/fleetsim", [](benchmark::State &state) {
        benchRound(state, Parse::Fresh);
    })->Unit(benchmark::kMillisecond);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
