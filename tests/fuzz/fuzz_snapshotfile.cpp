// libFuzzer target over the snapshot loader (snapshot/snapshotfile.h), the input a user opens
// with --open or File > Open snapshot. Besides sanitizer findings it checks what callers rely
// on: a refused document yields no snapshot and a bounded, non-empty message; an accepted one
// saves and reloads equivalent, and can be analysed again (what report --open --quantile does)
// without crashing, overflowing or looping.

#include "snapshot/analysis.h"
#include "snapshot/snapshotfile.h"

#include <QByteArray>

#include <cstdint>
#include <cstdlib>

using namespace fleetscope::snapshot;

namespace {

void check(bool condition)
{
    if (!condition)
        __builtin_trap();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray json(reinterpret_cast<const char *>(data), qsizetype(size));
    const LoadResult loaded = fromJson(json);
    if (!loaded.snapshot) {
        check(!loaded.error.isEmpty());
        check(loaded.error.size() < 4096);
        return 0;
    }
    check(loaded.error.isEmpty());
    const FleetSnapshot &s = *loaded.snapshot;

    // Saved and reloaded: the same snapshot.
    const LoadResult again = fromJson(toJson(s));
    check(again.snapshot.has_value());
    check(equivalent(s, *again.snapshot));

    // Analysed again with another quantile and window, as report --open --quantile does.
    FleetSnapshot copy = s;
    copy.settings.quantile = 0.99;
    copy.settings.windowSeconds = 60;
    analyse(copy);
    check(copy.regions.size() == s.regions.size());
    check(copy.targets.size() == s.targets.size());
    return 0;
}
