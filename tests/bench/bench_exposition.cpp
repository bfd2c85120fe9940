// bench_exposition: Google Benchmark over the parser corpus. For every corpus file: a full parse
// into a reused Exposition (the scrape loop's case), a fresh parse() each time, and a parse that
// keeps only a few families. Reports MB/s (decimal, as the peers do), ns per sample line,
// allocations per parse and, for the reused case, heap bytes held per sample.
//
//   bench_exposition [--benchmark_*...] [--corpus=FILE_OR_DIR ...] [--skip-missing]
//
// Corpus: --corpus arguments, else $FLEETSCOPE_BENCH_CORPUS (':'-separated), else the shared
// corpus folder and the build tree's generated synthetic-large files.

#include "allocationcounter.h"
#include "benchsupport.h"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace fs = std::filesystem;
namespace ex = fleetscope::exposition;
using namespace fleetscope::bench;

namespace {

constexpr int exitUsage = 2; // STYLE.md: 2 = usage or I/O error
constexpr int exitSkip = 77; // ctest's SKIP_RETURN_CODE for the smoke test

// A rejected corpus file must fail the run (and the smoke test), not just print an error row.
bool s_parseFailed = false;

void failParse(benchmark::State &state, const std::string &path, const ex::ParseError &error)
{
    s_parseFailed = true;
    state.SkipWithError((path + ":" + error.toString()).c_str());
}

struct CorpusFile
{
    std::string name; // file name, used in benchmark names
    std::string path;
    std::string body;
    ex::Format format = ex::Format::Prometheus;
    std::size_t sampleLines = 0;
    std::optional<HeldMemory> held; // measured once, on first use
};

// A few small families from each corpus: the filtered parse still validates every line, so its
// cost shows how much keeping samples costs compared to merely reading them.
constexpr std::array<std::string_view, 9> keptFamilies {
    "edge_memory_bytes", "edge_temperature_celsius",       "edge_build_info",
    "node_load1",        "node_memory_MemAvailable_bytes", "node_cpu_seconds_total",
    "go_goroutines",     "process_resident_memory_bytes",  "prometheus_http_requests_total",
};

ex::ParseOptions optionsFor(const CorpusFile &file, bool filtered)
{
    ex::ParseOptions options;
    options.format = file.format;
    if (filtered) {
        options.familyFilter = [](std::string_view name) {
            return std::find(keptFamilies.begin(), keptFamilies.end(), name) != keptFamilies.end();
        };
    }
    return options;
}

using Clock = std::chrono::steady_clock;

// Counters from our own wall-clock sum rather than Counter::kIsRate: the rate flags divide by the
// time the library picked and print "/s" units, which would turn ns/sample into "212s".
void setCounters(benchmark::State &state, const CorpusFile &file, double seconds,
                 std::uint64_t allocations, std::size_t kept)
{
    const auto parses = static_cast<double>(state.iterations());
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * file.body.size()));
    if (parses == 0 || seconds <= 0)
        return;
    state.counters["MB/s"] = static_cast<double>(file.body.size()) * parses / seconds / 1e6;
    if (file.sampleLines)
        state.counters["ns/sample"] =
            seconds * 1e9 / parses / static_cast<double>(file.sampleLines);
    state.counters["samples"] = static_cast<double>(file.sampleLines);
    state.counters["kept"] = static_cast<double>(kept);
    state.counters["allocs/parse"] = static_cast<double>(allocations) / parses;
}

void benchParseInto(benchmark::State &state, CorpusFile &file, bool filtered)
{
    const auto options = optionsFor(file, filtered);
    ex::Exposition exposition;
    ex::parseInto(exposition, file.body, options); // warm: the steady state has seen every series
    if (!exposition.ok()) {
        failParse(state, file.path, *exposition.error);
        return;
    }
    if (!filtered && exposition.samples.size() != file.sampleLines)
        state.SetLabel("parsed " + std::to_string(exposition.samples.size()) + " samples of "
                       + std::to_string(file.sampleLines) + " lines");

    double seconds = 0;
    std::uint64_t allocations = 0;
    for (auto _ : state) {
        const auto allocationsBefore = allocationStats().count;
        const auto start = Clock::now();
        ex::parseInto(exposition, file.body, options);
        benchmark::ClobberMemory();
        seconds += std::chrono::duration<double>(Clock::now() - start).count();
        allocations += allocationStats().count - allocationsBefore;
    }
    setCounters(state, file, seconds, allocations, exposition.samples.size());

    if (!filtered) {
        if (!file.held)
            file.held = measureHeld(file.body, options);
        state.counters["heldB/sample"] = file.held->bytesPerSample();
        state.counters["vecB/sample"] = file.held->vectorBytesPerSample();
        state.counters["otherB/sample"] = file.held->otherBytesPerSample();
    }
}

void benchParseFresh(benchmark::State &state, const CorpusFile &file)
{
    const auto options = optionsFor(file, false);
    if (const auto probe = ex::parse(file.body, options); !probe.ok()) {
        failParse(state, file.path, *probe.error);
        return;
    }
    double seconds = 0;
    std::uint64_t allocations = 0;
    std::size_t kept = 0;
    for (auto _ : state) {
        const auto allocationsBefore = allocationStats().count;
        const auto start = Clock::now();
        {
            // Destroying the result is part of the price of not reusing it.
            const ex::Exposition exposition = ex::parse(file.body, options);
            benchmark::DoNotOptimize(exposition.samples.data());
            kept = exposition.samples.size();
        }
        seconds += std::chrono::duration<double>(Clock::now() - start).count();
        allocations += allocationStats().count - allocationsBefore;
    }
    setCounters(state, file, seconds, allocations, kept);
}

void addFiles(const fs::path &path, std::vector<fs::path> &files)
{
    if (fs::is_directory(path)) {
        std::vector<fs::path> found;
        for (const auto &entry : fs::directory_iterator(path)) {
            const auto extension = entry.path().extension();
            if (entry.is_regular_file() && (extension == ".prom" || extension == ".om"))
                found.push_back(entry.path());
        }
        std::sort(found.begin(), found.end());
        files.insert(files.end(), found.begin(), found.end());
    } else {
        files.push_back(path);
    }
}

std::vector<std::string> splitPaths(std::string_view list)
{
    std::vector<std::string> paths;
    while (!list.empty()) {
        const auto colon = list.find(':');
        if (const auto item = list.substr(0, colon); !item.empty())
            paths.emplace_back(item);
        list = colon == std::string_view::npos ? std::string_view() : list.substr(colon + 1);
    }
    return paths;
}

void printUsage()
{
    std::cout << "usage: bench_exposition [--benchmark_*...] [--corpus=FILE_OR_DIR ...] "
                 "[--skip-missing]\n"
                 "  --corpus=PATH   a .prom/.om file, or a folder of them (repeatable); default\n"
                 "                  $FLEETSCOPE_BENCH_CORPUS (':'-separated), else\n"
                 "                  " FLEETSCOPE_BENCH_SHARED_CORPUS "\n"
                 "                  " FLEETSCOPE_BENCH_GENERATED_CORPUS "\n"
                 "  --skip-missing  exit 77 (ctest: skipped) instead of 2 when the corpus is\n"
                 "                  missing, unless CI=true\n";
}

} // namespace

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; ++i) {
        if (std::string_view(argv[i]) == "--help" || std::string_view(argv[i]) == "-h")
            printUsage(); // then Google Benchmark prints its own flags and exits
    }
    benchmark::Initialize(&argc, argv);

    std::vector<std::string> corpusPaths;
    bool skipMissing = false;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg.starts_with("--corpus=")) {
            corpusPaths.emplace_back(arg.substr(9));
        } else if (arg == "--skip-missing") {
            skipMissing = true;
        } else {
            std::cerr << "bench_exposition: unknown argument " << arg << "\n";
            printUsage();
            return exitUsage;
        }
    }
    bool defaults = false;
    if (corpusPaths.empty()) {
        if (const char *env = std::getenv("FLEETSCOPE_BENCH_CORPUS"); env && *env) {
            corpusPaths = splitPaths(env);
        } else {
            corpusPaths = { FLEETSCOPE_BENCH_SHARED_CORPUS, FLEETSCOPE_BENCH_GENERATED_CORPUS };
            defaults = true;
        }
    }

    const char *ci = std::getenv("CI");
    const int missingExit =
        skipMissing && !(ci && std::string_view(ci) == "true") ? exitSkip : exitUsage;
    std::vector<fs::path> files;
    for (const auto &path : corpusPaths) {
        if (!fs::exists(path)) {
            std::cerr << "bench_exposition: corpus missing: " << path << "\n";
            if (defaults && path == FLEETSCOPE_BENCH_GENERATED_CORPUS)
                std::cerr << "  generate it with: ninja bench_corpus (or /usr/bin/python3 "
                             "../shared/peers/gen-corpus.py -o "
                          << path << "/synthetic-large.prom, and --openmetrics for .om)\n";
            return missingExit;
        }
        const auto before = files.size();
        addFiles(path, files);
        if (files.size() == before) {
            std::cerr << "bench_exposition: corpus missing: no .prom or .om file in " << path
                      << "\n";
            return missingExit;
        }
    }

    // Stable addresses: the registered lambdas keep references into this list.
    static std::vector<CorpusFile> corpus;
    corpus.reserve(files.size());
    for (const auto &path : files) {
        std::string error;
        auto body = readFile(path.string(), error);
        if (!body) {
            std::cerr << "bench_exposition: corpus missing: " << error << "\n";
            return missingExit;
        }
        CorpusFile file;
        file.name = path.filename().string();
        file.path = path.string();
        file.format = formatForPath(file.path);
        file.sampleLines = countSampleLines(*body);
        file.body = std::move(*body);
        corpus.push_back(std::move(file));
    }

    for (auto &file : corpus) {
        const auto unit =
            file.body.size() > (1 << 20) ? benchmark::kMillisecond : benchmark::kMicrosecond;
        benchmark::RegisterBenchmark(
            ("parseInto/" + file.name).c_str(),
            [&file](benchmark::State &s) { benchParseInto(s, file, false); })
            ->UseRealTime()
            ->Unit(unit);
        benchmark::RegisterBenchmark(("parse/" + file.name).c_str(),
                                     [&file](benchmark::State &s) { benchParseFresh(s, file); })
            ->UseRealTime()
            ->Unit(unit);
        benchmark::RegisterBenchmark(
            ("parseInto_filtered/" + file.name).c_str(),
            [&file](benchmark::State &s) { benchParseInto(s, file, true); })
            ->UseRealTime()
            ->Unit(unit);
    }

    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return s_parseFailed ? 1 : 0;
}
