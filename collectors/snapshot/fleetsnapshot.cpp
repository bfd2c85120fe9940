#include "snapshot/fleetsnapshot.h"

#include "snapshot/snapshotfile.h"

namespace fleetscope::snapshot {

const char *healthName(Health health)
{
    switch (health) {
    case Health::Up:
        return "up";
    case Health::Idle:
        return "idle";
    case Health::Down:
        return "down";
    case Health::Stale:
        return "stale";
    case Health::Unknown:
        break;
    }
    return "unknown";
}

Health healthFromName(const QString &name)
{
    if (name == QLatin1String("up"))
        return Health::Up;
    if (name == QLatin1String("idle"))
        return Health::Idle;
    if (name == QLatin1String("down"))
        return Health::Down;
    if (name == QLatin1String("stale"))
        return Health::Stale;
    return Health::Unknown;
}

const RegionData *FleetSnapshot::region(const QString &code) const
{
    for (const RegionData &r : regions) {
        if (r.code == code)
            return &r;
    }
    return nullptr;
}

bool equivalent(const FleetSnapshot &a, const FleetSnapshot &b)
{
    // The JSON form holds every field, maps in key order and doubles in round-trip form, with
    // NaN as null: equal documents mean equal snapshots, NaN equal to NaN.
    return toJson(a) == toJson(b);
}

} // namespace fleetscope::snapshot
