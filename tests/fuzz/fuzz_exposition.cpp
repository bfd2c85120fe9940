// libFuzzer target over the exposition parser. The first byte chooses the format and options;
// the rest is the body. Besides sanitizer findings it checks invariants a caller relies on:
// every index stays in range, a rejected body holds nothing, and a valid body's canonical dump
// parses back, as 0.0.4, to the same dump.

#include "exposition/dump.h"
#include "exposition/exposition.h"

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

using namespace fleetscope::exposition;

namespace {

void check(bool condition)
{
    if (!condition)
        __builtin_trap();
}

void checkIndices(const Exposition &e)
{
    std::size_t kept = 0;
    for (const Family &f : e.families) {
        check(std::size_t(f.firstSample) + f.sampleCount <= e.samples.size() || f.sampleCount == 0);
        for (const Sample &s : e.samplesOf(f))
            check(e.families[s.family].name == f.name);
        kept += f.sampleCount;
    }
    check(kept == e.samples.size());
    for (const Sample &s : e.samples) {
        check(s.family < e.families.size());
        check(std::size_t(s.firstLabel) + s.labelCount <= e.labels.size());
        check(s.exemplar < std::int32_t(e.exemplars.size()));
        check(s.name.size() > 0);
    }
    for (const Exemplar &x : e.exemplars)
        check(std::size_t(x.firstLabel) + x.labelCount <= e.labels.size());
}

bool dumpReparses(const Exposition &e)
{
    for (const Sample &s : e.samples) {
        if (s.hasTimestamp
            && (s.timestampMs != std::floor(s.timestampMs) || std::fabs(s.timestampMs) > 9e15
                || s.timestampMs < 0))
            return false; // 0.0.4 timestamps are non-negative integer milliseconds
        for (const Label &l : e.labelsOf(s)) {
            if (l.name == "__name__")
                return false; // OpenMetrics allows it; 0.0.4 does not
        }
    }
    return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size == 0)
        return 0;
    const std::uint8_t mode = data[0];
    const std::string_view body(reinterpret_cast<const char *>(data + 1), size - 1);

    ParseOptions options;
    options.format = Format(mode % 3);
    if (mode & 0x04) {
        options.limits.maxLineBytes = 64;
        options.limits.maxLabelsPerSeries = 3;
        options.limits.maxLabelValueBytes = 8;
        options.limits.maxSamples = 16;
        options.limits.maxFamilies = 4;
        options.limits.maxBodyBytes = 4096;
    }
    if (mode & 0x08)
        options.familyFilter = [](std::string_view name) {
            return name.size() % 2 == 0;
        };

    static Exposition reused;
    parseInto(reused, body, options);
    const Exposition fresh = parse(body, options);
    check(reused.ok() == fresh.ok());
    check(canonicalDump(reused) == canonicalDump(fresh));
    if (!fresh.ok()) {
        check(fresh.samples.empty() && fresh.families.empty() && fresh.labels.empty());
        check(fresh.error->line >= 1 && fresh.error->column >= 1);
        check(fresh.error->message.size() < 1024);
        return 0;
    }
    checkIndices(fresh);

    if (!(mode & 0x0c) && dumpReparses(fresh)) {
        const std::string dump = canonicalDump(fresh);
        ParseOptions prom;
        prom.format = Format::Prometheus;
        const Exposition again = parse(dump, prom);
        check(again.ok());
        check(canonicalDump(again) == dump);
    }
    return 0;
}
