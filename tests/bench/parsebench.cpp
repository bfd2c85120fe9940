// fleetscope-parse-bench: the FleetScope parser as one more peer for ../shared/peers/run-peers.py.
// Same flags and JSON fields as the Go peers (go-expfmt/main.go), so EXTRA_PEERS can run it next
// to them on the same files in one invocation:
//
//   fleetscope-parse-bench [-n N] [-warmup W] [-json] [-om] [-fresh] FILE|-
//
// -om parses OpenMetrics (run-peers.py adds it for peer names ending in -om), else text 0.0.4.
// By default every iteration parses into one reused Exposition, as a scrape loop does; -fresh
// calls parse() and destroys the result each time instead. Exit: 0 ok, 1 parse error, 2 usage/I/O.

#include "allocationcounter.h"
#include "benchsupport.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ex = fleetscope::exposition;
using namespace fleetscope::bench;

namespace {

constexpr std::string_view usage =
    "usage: fleetscope-parse-bench [-n N] [-warmup W] [-json] [-om] [-fresh] FILE|-\n";

struct Arguments
{
    int iterations = 20;
    int warmup = 2;
    bool json = false;
    bool openMetrics = false;
    bool fresh = false;
    std::string path;
};

std::optional<int> toInt(std::string_view text)
{
    int value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < 0)
        return std::nullopt;
    return value;
}

// Go's flag package rules, since run-peers.py and people call us like a Go peer: one or two
// dashes, "-n 5" or "-n=5", booleans as "-json" or "-json=true", flags end at the first operand.
std::optional<Arguments> parseArguments(int argc, char **argv)
{
    Arguments args;
    int i = 1;
    for (; i < argc; ++i) {
        std::string_view arg = argv[i];
        if (arg == "--") {
            ++i;
            break;
        }
        if (arg.size() < 2 || arg[0] != '-')
            break;
        arg.remove_prefix(arg.starts_with("--") ? 2 : 1);
        std::optional<std::string_view> value;
        if (const auto eq = arg.find('='); eq != std::string_view::npos) {
            value = arg.substr(eq + 1);
            arg = arg.substr(0, eq);
        }
        if (arg == "n" || arg == "warmup") {
            if (!value && i + 1 < argc)
                value = argv[++i];
            const auto number = value ? toInt(*value) : std::nullopt;
            if (!number) {
                std::cerr << "invalid value for -" << arg << "\n";
                return std::nullopt;
            }
            (arg == "n" ? args.iterations : args.warmup) = *number;
        } else if (arg == "json" || arg == "om" || arg == "fresh") {
            bool on = true;
            if (value) {
                if (*value == "true" || *value == "1")
                    on = true;
                else if (*value == "false" || *value == "0")
                    on = false;
                else {
                    std::cerr << "invalid value for -" << arg << "\n";
                    return std::nullopt;
                }
            }
            (arg == "json" ? args.json : arg == "om" ? args.openMetrics : args.fresh) = on;
        } else if (arg == "h" || arg == "help") {
            return std::nullopt;
        } else {
            std::cerr << "flag provided but not defined: -" << arg << "\n";
            return std::nullopt;
        }
    }
    if (argc - i != 1 || args.iterations < 1)
        return std::nullopt;
    args.path = argv[i];
    return args;
}

// Locale-independent shortest round-trip form; JSON has no NaN or Infinity, so those are null.
void appendNumber(std::string &out, double value)
{
    if (!std::isfinite(value)) {
        out += "null";
        return;
    }
    char buffer[32];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    out.append(buffer, result.ptr);
}

void appendString(std::string &out, std::string_view text)
{
    out += '"';
    for (const char c : text) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (static_cast<unsigned char>(c) < 0x20) {
            char buffer[8];
            std::snprintf(buffer, sizeof buffer, "\\u%04x", c);
            out += buffer;
        } else {
            out += c;
        }
    }
    out += '"';
}

class JsonObject
{
public:
    void add(std::string_view key, double value)
    {
        separate(key);
        appendNumber(m_text, value);
    }
    void add(std::string_view key, std::string_view value)
    {
        separate(key);
        appendString(m_text, value);
    }
    std::string finish() { return m_text + "}"; }

private:
    void separate(std::string_view key)
    {
        m_text += m_text.size() > 1 ? "," : "";
        appendString(m_text, key);
        m_text += ':';
    }
    std::string m_text = "{";
};

} // namespace

int main(int argc, char **argv)
{
    const auto parsed = parseArguments(argc, argv);
    if (!parsed) {
        std::cerr << usage;
        return 2;
    }
    const Arguments &args = *parsed;

    std::string error;
    const auto body = readFile(args.path, error);
    if (!body) {
        std::cerr << error << "\n";
        return 2;
    }
    ex::ParseOptions options;
    options.format = args.openMetrics ? ex::Format::OpenMetrics : ex::Format::Prometheus;

    ex::Exposition exposition;
    auto parseOnce = [&] {
        if (args.fresh)
            exposition = ex::parse(*body, options); // the old result is destroyed in the timing
        else
            ex::parseInto(exposition, *body, options);
        if (!exposition.ok()) {
            std::cerr << "parse error: " << args.path << ":" << exposition.error->toString()
                      << "\n";
            std::exit(1);
        }
    };
    for (int i = 0; i < args.warmup; ++i)
        parseOnce();

    using Clock = std::chrono::steady_clock;
    std::vector<double> perIteration(static_cast<std::size_t>(args.iterations));
    const auto allocationsBefore = allocationStats();
    const auto start = Clock::now();
    for (auto &seconds : perIteration) {
        const auto iterationStart = Clock::now();
        parseOnce();
        seconds = std::chrono::duration<double>(Clock::now() - iterationStart).count();
    }
    const double total = std::chrono::duration<double>(Clock::now() - start).count();
    const auto allocationsAfter = allocationStats();

    // Untimed: what one parsed exposition of this body keeps on the heap.
    const HeldMemory held = measureHeld(*body, options);

    std::sort(perIteration.begin(), perIteration.end());
    const double n = args.iterations;
    const double bytes = static_cast<double>(body->size());
    const double mean = total / n;
    const double median = perIteration[perIteration.size() / 2];
    const double best = perIteration.front();
    const auto lines = static_cast<double>(countSampleLines(*body));

    JsonObject json;
    json.add("peer", args.fresh ? "fleetscope-fresh" : "fleetscope");
    json.add("lib",
             args.fresh ? "FleetScope exposition::parse (fresh Exposition per parse)"
                        : "FleetScope exposition::parseInto (reused Exposition)");
    json.add("format", ex::formatName(options.format));
    json.add("compiler", __VERSION__);
    json.add("bytes", bytes);
    json.add("sample_lines", lines);
    json.add("families", static_cast<double>(exposition.families.size()));
    json.add("samples_parsed", static_cast<double>(exposition.samples.size()));
    json.add("labels", static_cast<double>(exposition.labels.size()));
    json.add("iterations", n);
    json.add("total_s", total);
    json.add("median_s", median);
    json.add("min_s", best);
    json.add("mean_s", mean);
    json.add("MBps", bytes * n / total / 1e6);
    json.add("MBps_median_iter", bytes / median / 1e6);
    json.add("MBps_best", bytes / best / 1e6);
    json.add("ns_per_sample", lines > 0 ? mean * 1e9 / lines : NAN);
    json.add("allocs_per_iter",
             static_cast<double>(allocationsAfter.count - allocationsBefore.count) / n);
    json.add("alloc_B_per_iter",
             static_cast<double>(allocationsAfter.bytes - allocationsBefore.bytes) / n);
    json.add("held_B", static_cast<double>(held.totalBytes));
    json.add("held_vector_B", static_cast<double>(held.vectorBytes));
    json.add("held_B_per_sample", held.bytesPerSample());
    json.add("held_vector_B_per_sample", held.vectorBytesPerSample());
    json.add("held_other_B_per_sample", held.otherBytesPerSample());

    if (args.json) {
        std::cout << json.finish() << std::endl;
        return 0;
    }
    std::printf(
        "peer=%s format=%s bytes=%.0f sample_lines=%.0f families=%zu samples_parsed=%zu "
        "iters=%d mean=%.3fms median_iter=%.3fms min_iter=%.3fms MB/s=%.1f (best_iter %.1f) "
        "ns/sample=%.0f allocs/iter=%.1f held B/sample=%.1f (vectors %.1f, arena etc. %.1f)\n",
        args.fresh ? "fleetscope-fresh" : "fleetscope", ex::formatName(options.format), bytes,
        lines, exposition.families.size(), exposition.samples.size(), args.iterations, mean * 1e3,
        median * 1e3, best * 1e3, bytes / mean / 1e6, bytes / best / 1e6,
        lines > 0 ? mean * 1e9 / lines : 0.0,
        static_cast<double>(allocationsAfter.count - allocationsBefore.count) / n,
        held.bytesPerSample(), held.vectorBytesPerSample(), held.otherBytesPerSample());
    return 0;
}
