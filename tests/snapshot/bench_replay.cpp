// The cost of one replay step: snapshotAt (copy, cut every window, analyse again) on the
// dashboard benchmark's fleet, 1,000 nodes in 50 regions with an hour of raw windows. The
// dashboard runs this off the GUI thread; the figure says how many steps a second a drag gets.

#include "panelfixture.h"
#include "snapshot/replay.h"

#include <benchmark/benchmark.h>

#include <cmath>

using namespace fleetscope;

namespace {

snapshot::FleetSnapshot fleet()
{
    std::vector<testfixture::FixtureRegion> regions;
    for (int i = 0; i < 50; ++i) {
        testfixture::FixtureRegion r;
        r.code = QStringLiteral("r%1").arg(i, 2, 10, QLatin1Char('0'));
        r.lat = -50 + std::fmod(i * 37.0, 110.0);
        r.lon = -170 + std::fmod(i * 71.0, 340.0);
        r.baseMs = 20 + (i * 17) % 200;
        r.up = 18;
        r.idle = 1;
        r.down = 1;
        regions.push_back(r);
    }
    testfixture::FixtureOptions o;
    o.ticks = 720; // an hour at 5 s
    o.windowSeconds = 3600;
    return testfixture::makeSnapshot(regions, o);
}

void BM_SnapshotAtMidWindow(benchmark::State &state)
{
    const snapshot::FleetSnapshot s = fleet();
    const double t = (s.windowStart + s.time) / 2;
    for (auto _ : state) {
        snapshot::FleetSnapshot at = snapshot::snapshotAt(s, t);
        benchmark::DoNotOptimize(at.regions.data());
    }
    state.counters["regions"] = double(s.regions.size());
    state.counters["nodes"] = double(s.targets.size());
}

} // namespace

BENCHMARK(BM_SnapshotAtMidWindow)
    ->Unit(benchmark::kMillisecond)
    ->Repetitions(5)
    ->ReportAggregatesOnly(true);
BENCHMARK_MAIN();
