#pragma once

// Counts heap allocations and live heap bytes of the whole process, through the replaced global
// operator new/delete in allocationcounter.cpp. Linked into the benchmark executables only, never
// into a library: the product must not pay for the bookkeeping. Any thread may read the counters.

#include <cstddef>
#include <cstdint>

namespace fleetscope::bench {

struct AllocationStats
{
    std::uint64_t count = 0; // operator new calls so far
    std::uint64_t bytes = 0; // bytes requested by them so far
    std::int64_t liveBytes = 0; // usable bytes of blocks not yet deleted
};

AllocationStats allocationStats();

} // namespace fleetscope::bench
