#pragma once

// What both parser benchmarks share: reading a corpus file, counting its samples the way the peer
// parsers do, and measuring what a parsed Exposition holds on the heap. Main thread only; results
// are plain values owned by the caller.

#include "exposition/exposition.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fleetscope::bench {

// The whole file (or stdin for "-"), or nullopt with `error` set to a sentence naming the path.
std::optional<std::string> readFile(const std::string &path, std::string &error);

// Non-blank lines that do not start with '#' after leading blanks and tabs: the rule every peer in
// ../shared/peers uses, so "ns per sample" divides by the same number for all of them.
std::size_t countSampleLines(std::string_view body);

// OpenMetrics for *.om, else the 0.0.4 text format: the peers pick the parser by file too.
exposition::Format formatForPath(std::string_view path);

// Heap held by one Exposition after a first parse into an empty one. `vectorBytes` is what the
// public vectors reserve; the rest of `totalBytes` is the string arena and whatever index the
// parser keeps. `totalBytes` comes from the replaced operator new, so it is exact for std
// allocations and blind to direct malloc() calls.
struct HeldMemory
{
    std::size_t samples = 0;
    std::size_t vectorBytes = 0;
    std::int64_t totalBytes = 0;

    double bytesPerSample() const;
    double vectorBytesPerSample() const;
    double otherBytesPerSample() const; // arena, indexes: totalBytes - vectorBytes
};

std::size_t vectorBytes(const exposition::Exposition &exposition);
HeldMemory measureHeld(std::string_view body, const exposition::ParseOptions &options);

} // namespace fleetscope::bench
