// The time to apply one snapshot to the whole dashboard (tiles, map, four trend charts, phase
// and light-floor charts, cost and node tables) and repaint it: 1,000 nodes in 50 regions with
// an hour of raw windows, 1920x1080, offscreen. The goal is under 16 ms median. Two
// snapshots alternate so every iteration is a real change.
//
// Two ways to repaint:
// - BM_ApplySnapshotAndRepaint renders the whole window into an image (QWidget::render), every
//   widget painted, the ones a new snapshot does not touch too (toolbar, filters, headers): the
//   cost of a full expose, an upper bound.
// - BM_ApplySnapshotLive is what the application does when a snapshot arrives: the window is
//   shown (offscreen platform), the panels ask for updates, and the posted update request
//   repaints what they marked dirty into the window's backing store. The "painted" counter is
//   the number of widgets painted per frame, so a frame that painted nothing cannot pass for a
//   fast one.

#include "map/regionmapwidget.h"
#include "panelfixture.h"
#include "window/dashboardview.h"

#include <QApplication>
#include <QImage>
#include <QPainter>

#include <benchmark/benchmark.h>

#include <cmath>

// Under `valgrind --tool=callgrind --collect-atstart=no` only the timed iterations are collected
// (not the fixtures or the first layout), so a profile shows the steady state.
#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#define FLEETSCOPE_COLLECT() CALLGRIND_TOGGLE_COLLECT
#else
#define FLEETSCOPE_COLLECT()
#endif

using namespace fleetscope;

namespace {

std::shared_ptr<const snapshot::FleetSnapshot> fleet(int seed)
{
    std::vector<testfixture::FixtureRegion> regions;
    for (int i = 0; i < 50; ++i) {
        testfixture::FixtureRegion r;
        r.code = QStringLiteral("r%1").arg(i, 2, 10, QLatin1Char('0'));
        r.lat = -50 + std::fmod(i * 37.0 + seed, 110.0);
        r.lon = -170 + std::fmod(i * 71.0 + seed * 13, 340.0);
        r.baseMs = 20 + (i * 17 + seed) % 200;
        r.hitRatio = 0.8 + 0.004 * ((i + seed) % 40);
        r.lagS = 0.2 + (i % 9);
        r.queue = (i * 7) % 90;
        r.up = 18;
        r.idle = 1;
        r.down = 1;
        regions.push_back(r);
    }
    testfixture::FixtureOptions o;
    o.ticks = 720; // an hour at 5 s
    o.windowSeconds = 3600;
    return testfixture::makeShared(regions, o);
}

void BM_ApplySnapshotAndRepaint(benchmark::State &state)
{
    const auto a = fleet(1);
    const auto b = fleet(2);
    widgets::DashboardView view;
    view.resize(1920, 1080);
    QImage target(view.size(), QImage::Format_ARGB32_Premultiplied);
    // Warm up with both snapshots: the first ones settle the dock layout (panels grow once they
    // hold figures) and build the basemap; what is timed is the steady state of a live fleet.
    for (const auto &warm : { a, b }) {
        view.setSnapshot(warm);
        QPainter p(&target);
        view.render(&p);
    }
    bool flip = true;
    for (auto _ : state) {
        FLEETSCOPE_COLLECT();
        view.setSnapshot(flip ? a : b);
        {
            QPainter p(&target);
            view.render(&p);
        }
        FLEETSCOPE_COLLECT();
        benchmark::DoNotOptimize(target.constBits());
        flip = !flip;
    }
    state.counters["regions"] = double(a->regions.size());
    state.counters["nodes"] = double(a->targets.size());
    state.counters["frames"] = double(state.iterations());
}

void BM_ApplySnapshotLive(benchmark::State &state)
{
    const auto a = fleet(1);
    const auto b = fleet(2);
    widgets::DashboardView view;
    view.resize(1920, 1080);
    view.show();
    for (const auto &warm : { a, b }) { // settle the layout, build the basemap (as above)
        view.setSnapshot(warm);
        QCoreApplication::processEvents();
    }
    testfixture::PaintCounter painted;
    qApp->installEventFilter(&painted);
    const int mapPaintsBefore = view.map()->paintCount();
    bool flip = true;
    for (auto _ : state) {
        FLEETSCOPE_COLLECT();
        view.setSnapshot(flip ? a : b);
        // What the event loop does next: layout requests, then the update request that paints
        // the dirty widgets into the backing store.
        QCoreApplication::sendPostedEvents();
        FLEETSCOPE_COLLECT();
        flip = !flip;
    }
    qApp->removeEventFilter(&painted);
    const auto frames = double(state.iterations());
    if (view.map()->paintCount() - mapPaintsBefore < state.iterations())
        state.SkipWithError("the map was not repainted at every snapshot");
    state.counters["painted"] = frames > 0 ? painted.count / frames : 0;
    state.counters["frames"] = frames;
}

} // namespace

BENCHMARK(BM_ApplySnapshotLive)
    ->Unit(benchmark::kMillisecond)
    ->Repetitions(5)
    ->ReportAggregatesOnly(true);

BENCHMARK(BM_ApplySnapshotAndRepaint)
    ->Unit(benchmark::kMillisecond)
    ->Repetitions(5)
    ->ReportAggregatesOnly(true);

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
