#pragma once

// Snapshots for the region map suites, built in code: a small hand-made fleet with one region in
// every marker state, and a generated fleet of N regions (clustered like real cloud regions) for
// label placement and the benchmark. Header-only so the test and the benchmark share it without
// compiling a source into two targets.

#include "snapshot/fleetsnapshot.h"

#include <QStringList>

#include <cmath>
#include <memory>
#include <random>

namespace fleetscope::testing {

inline snapshot::RegionData mapRegion(const QString &code, const QString &name, double lat,
                                      double lon, double latencyMs, double rate)
{
    snapshot::RegionData r;
    r.code = code;
    r.name = name;
    r.city = name;
    r.lat = lat;
    r.lon = lon;
    r.placed = true;
    r.nodesUp = 4;
    auto &f = r.figures;
    f.latencyP50Ms = latencyMs * 0.4;
    f.latencyP90Ms = latencyMs * 0.8;
    f.latencyP95Ms = latencyMs;
    f.latencyP99Ms = latencyMs * 1.6;
    f.latencyQuantileMs = latencyMs;
    f.requestRate = rate;
    f.hitRatio = 0.93;
    f.replicaLagS = snapshot::kNaN;
    f.costPerInvocationUsd = 3.5e-7;
    f.lightFloorRttMs = 12.5;
    return r;
}

// One region in every state: iad is the primary; syd scaled to zero, gru down, jnb has no data
// (and a lag but no primary label), sin carries a hostile name, fra lags over the SLO; two regions
// have no coordinates.
inline std::shared_ptr<snapshot::FleetSnapshot> smallFleet()
{
    auto s = std::make_shared<snapshot::FleetSnapshot>();
    s->fleetName = QStringLiteral("fixture");
    s->primaryRegion = QStringLiteral("iad");
    s->settings.vantage = QStringLiteral("London");
    s->settings.vantageLat = 51.5;
    s->settings.vantageLon = -0.13;

    auto iad = mapRegion(QStringLiteral("iad"), QStringLiteral("Ashburn"), 39.04, -77.49, 35, 900);
    auto nrt = mapRegion(QStringLiteral("nrt"), QStringLiteral("Tokyo"), 35.69, 139.69, 80, 300);
    nrt.primary = QStringLiteral("iad");
    nrt.figures.replicaLagS = 3;
    auto fra = mapRegion(QStringLiteral("fra"), QStringLiteral("Frankfurt"), 50.11, 8.68, 420, 60);
    fra.primary = QStringLiteral("iad");
    fra.figures.replicaLagS = 9;
    auto syd = mapRegion(QStringLiteral("syd"), QStringLiteral("Sydney"), -33.87, 151.21,
                         snapshot::kNaN, 0);
    syd.nodesUp = 0;
    syd.nodesIdle = 3;
    syd.figures.scaledToZero = true;
    auto gru = mapRegion(QStringLiteral("gru"), QStringLiteral("Sao Paulo"), -23.55, -46.63,
                         snapshot::kNaN, snapshot::kNaN);
    gru.nodesUp = 0;
    gru.nodesDown = 3;
    auto jnb = mapRegion(QStringLiteral("jnb"), QStringLiteral("Johannesburg"), -26.2, 28.05,
                         snapshot::kNaN, snapshot::kNaN);
    jnb.figures.replicaLagS = 0.5; // follows the fleet's primary without naming it
    auto sin =
        mapRegion(QStringLiteral("sin"), QStringLiteral("<b>x</b>&amp;"), 1.35, 103.82, 25, 150);
    sin.city = QStringLiteral("<img src=x>");
    sin.primary = QStringLiteral("iad");
    sin.figures.replicaLagS = 1.2;
    snapshot::RegionData lab;
    lab.code = QStringLiteral("edge-lab");
    snapshot::RegionData onprem;
    onprem.code = QStringLiteral("onprem");
    onprem.nodesUp = 2;

    s->regions = { std::move(lab), fra, gru, iad, jnb, nrt, std::move(onprem), sin, syd };
    return s;
}

// count regions with nodesPerRegion nodes each; a third of them crowded into Europe and the US
// east coast, where real fleets crowd too.
inline std::shared_ptr<snapshot::FleetSnapshot> generatedFleet(int count, int nodesPerRegion = 20,
                                                               unsigned seed = 7)
{
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> unit(0, 1);
    auto s = std::make_shared<snapshot::FleetSnapshot>();
    s->fleetName = QStringLiteral("generated");
    s->primaryRegion = QStringLiteral("r00");
    s->settings.vantageLat = 48.85;
    s->settings.vantageLon = 2.35;
    for (int i = 0; i < count; ++i) {
        double lat, lon;
        if (i % 3 == 0) {
            lat = 40 + unit(rng) * 15;
            lon = -10 + unit(rng) * 30;
        } else if (i % 3 == 1) {
            lat = 30 + unit(rng) * 15;
            lon = -100 + unit(rng) * 30;
        } else {
            lat = -40 + unit(rng) * 90;
            lon = -180 + unit(rng) * 360;
        }
        const QString code = QStringLiteral("r%1").arg(i, 2, 10, QLatin1Char('0'));
        auto r = mapRegion(code, QStringLiteral("Region %1").arg(i), lat, lon, 5 + unit(rng) * 600,
                           unit(rng) * 2000);
        r.nodesUp = nodesPerRegion;
        if (i > 0) {
            r.primary = s->primaryRegion;
            r.figures.replicaLagS = unit(rng) * 10;
        }
        if (i % 11 == 5) {
            r.nodesUp = 0;
            r.nodesIdle = nodesPerRegion;
            r.figures.scaledToZero = true;
        } else if (i % 13 == 7) {
            r.nodesUp = 0;
            r.nodesDown = nodesPerRegion;
        }
        s->regions.push_back(std::move(r));
        for (int n = 0; n < nodesPerRegion; ++n) {
            snapshot::TargetRow t;
            t.id = QStringLiteral("10.%1.0.%2:9100").arg(i).arg(n);
            t.region = code;
            t.health = snapshot::Health::Up;
            s->targets.push_back(std::move(t));
        }
    }
    return s;
}

} // namespace fleetscope::testing
