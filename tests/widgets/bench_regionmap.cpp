// The time to apply one snapshot to the region map and repaint it: 1,000 nodes in 50 regions,
// 1280x800, offscreen (the dashboard issue's goal: under 16 ms median). Two snapshots alternate so
// every iteration is a real change; the basemap cache stays warm as it does between poll ticks.
// "cold" also invalidates the basemap (a resize), as a zoom or pan does.

#include "map/regionmapwidget.h"
#include "mapfixture.h"

#include <QApplication>
#include <QImage>
#include <QPainter>

#include <benchmark/benchmark.h>

using fleetscope::widgets::RegionMapWidget;

namespace {

void renderOnce(RegionMapWidget &map, QImage &target)
{
    QPainter painter(&target);
    map.render(&painter);
}

void BM_SetSnapshotAndRender(benchmark::State &state)
{
    const auto a = fleetscope::testing::generatedFleet(50, 20, 1);
    const auto b = fleetscope::testing::generatedFleet(50, 20, 2);
    RegionMapWidget map;
    map.resize(1280, 800);
    QImage target(map.size(), QImage::Format_ARGB32_Premultiplied);
    map.setSnapshot(a);
    renderOnce(map, target);
    bool flip = false;
    for (auto _ : state) {
        map.setSnapshot(flip ? a : b);
        renderOnce(map, target);
        benchmark::DoNotOptimize(target.constBits());
        flip = !flip;
    }
    state.counters["regions"] = 50;
    state.counters["nodes"] = double(a->targets.size());
}

void BM_SetSnapshotAndRenderCold(benchmark::State &state)
{
    const auto a = fleetscope::testing::generatedFleet(50, 20, 1);
    const auto b = fleetscope::testing::generatedFleet(50, 20, 2);
    RegionMapWidget map;
    map.resize(1280, 800);
    QImage target(QSize(1281, 801), QImage::Format_ARGB32_Premultiplied);
    bool flip = false;
    for (auto _ : state) {
        map.resize(flip ? QSize(1280, 800) : QSize(1281, 801));
        map.setSnapshot(flip ? a : b);
        renderOnce(map, target);
        benchmark::DoNotOptimize(target.constBits());
        flip = !flip;
    }
}

} // namespace

BENCHMARK(BM_SetSnapshotAndRender)
    ->Unit(benchmark::kMillisecond)
    ->Repetitions(5)
    ->ReportAggregatesOnly(true);
BENCHMARK(BM_SetSnapshotAndRenderCold)
    ->Unit(benchmark::kMillisecond)
    ->Repetitions(5)
    ->ReportAggregatesOnly(true);

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
        return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
