#include "checkmetrics.h"

#include "exposition/dump.h"
#include "exposition/exposition.h"

#include <charconv>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace fleetscope::app {
namespace {

namespace ex = fleetscope::exposition;

constexpr const char *kUsage = R"(usage: fleetscope check-metrics [OPTIONS] [FILE...]

Validates Prometheus text format 0.0.4 or OpenMetrics 1.0 exposition text, from each FILE or
from standard input when no FILE (or "-") is given.

Options:
  --format FORMAT          prometheus (text 0.0.4), openmetrics, or auto (default): OpenMetrics
                           when the input ends with the "# EOF" line, else 0.0.4
  --dump                   print every sample in canonical form on stdout:
                           name{a="x",b="y"} value [timestamp-ms], labels sorted
  -v, --verbose            print a summary line per valid input on stdout
  --max-body-bytes N       reject inputs larger than N bytes (default: no limit)
  --max-samples N          reject inputs with more than N samples (default: no limit)
  --max-families N         reject inputs with more than N metric families (default: no limit)
  --max-line-bytes N       longest line accepted (default 1048576)
  --max-labels N           most labels on one series (default 128)
  --max-label-name-bytes N longest label name (default 1024)
  --max-label-value-bytes N longest label value (default 65536)
  -h, --help               show this help

Exit status: 0 every input is valid, 1 an input is invalid ("[FILE:]LINE:COL: message" on
stderr), 2 usage or I/O error.
)";

int usageError(const std::string &message)
{
    std::fprintf(stderr, "fleetscope check-metrics: %s\n", message.c_str());
    std::fprintf(stderr, "Try 'fleetscope check-metrics --help'.\n");
    return 2;
}

bool parseCount(std::string_view text, std::size_t &out)
{
    const char *end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, out, 10);
    return ec == std::errc() && ptr == end && !text.empty();
}

// Reads all of `file` (stdin for nullptr) into `out`, stopping once more than `limit` bytes
// (when non-zero) are read, so a huge input is refused without holding all of it.
bool readAll(std::FILE *file, std::string &out, std::size_t limit)
{
    char buf[1 << 16];
    for (;;) {
        const std::size_t n = std::fread(buf, 1, sizeof buf, file);
        out.append(buf, n);
        if (limit && out.size() > limit)
            return true;
        if (n < sizeof buf)
            return !std::ferror(file);
    }
}

} // namespace

int runCheckMetrics(int argc, char **argv)
{
    ex::ParseOptions options;
    bool dump = false;
    bool verbose = false;
    std::vector<std::string> files;

    struct CountOption
    {
        const char *name;
        std::size_t *target;
    };
    const CountOption countOptions[] = {
        { "--max-body-bytes", &options.limits.maxBodyBytes },
        { "--max-samples", &options.limits.maxSamples },
        { "--max-families", &options.limits.maxFamilies },
        { "--max-line-bytes", &options.limits.maxLineBytes },
        { "--max-labels", &options.limits.maxLabelsPerSeries },
        { "--max-label-name-bytes", &options.limits.maxLabelNameBytes },
        { "--max-label-value-bytes", &options.limits.maxLabelValueBytes },
    };

    bool onlyFiles = false;
    for (int i = 0; i < argc; ++i) {
        std::string_view arg = argv[i];
        if (onlyFiles || arg == "-" || arg.empty() || arg[0] != '-') {
            files.emplace_back(arg);
            continue;
        }
        if (arg == "--") {
            onlyFiles = true;
            continue;
        }
        if (arg == "-h" || arg == "--help") {
            std::fputs(kUsage, stdout);
            return 0;
        }
        if (arg == "--dump") {
            dump = true;
            continue;
        }
        if (arg == "-v" || arg == "--verbose") {
            verbose = true;
            continue;
        }
        // Options with a value: "--opt VALUE" or "--opt=VALUE".
        std::string_view name = arg;
        std::string_view value;
        bool haveValue = false;
        if (const auto eq = arg.find('='); eq != std::string_view::npos) {
            name = arg.substr(0, eq);
            value = arg.substr(eq + 1);
            haveValue = true;
        }
        auto takeValue = [&]() -> bool {
            if (haveValue)
                return true;
            if (i + 1 >= argc)
                return false;
            value = argv[++i];
            return true;
        };
        if (name == "--format") {
            if (!takeValue())
                return usageError("--format needs a value: prometheus, openmetrics or auto");
            if (value == "prometheus" || value == "0.0.4" || value == "text")
                options.format = ex::Format::Prometheus;
            else if (value == "openmetrics")
                options.format = ex::Format::OpenMetrics;
            else if (value == "auto")
                options.format = ex::Format::Auto;
            else
                return usageError("unknown format '" + std::string(value)
                                  + "' (expected prometheus, openmetrics or auto)");
            continue;
        }
        bool matched = false;
        for (const CountOption &o : countOptions) {
            if (name != o.name)
                continue;
            matched = true;
            if (!takeValue() || !parseCount(value, *o.target))
                return usageError(std::string(o.name) + " needs a whole number");
        }
        if (!matched)
            return usageError("unknown option '" + std::string(arg) + "'");
    }
    if (files.empty())
        files.emplace_back("-");

    int status = 0;
    std::string body;
    ex::Exposition exposition;
    for (const std::string &file : files) {
        const bool isStdin = file == "-";
        body.clear();
        std::FILE *f = isStdin ? stdin : std::fopen(file.c_str(), "rb");
        if (!f) {
            std::fprintf(stderr, "fleetscope check-metrics: cannot open %s: %s\n", file.c_str(),
                         std::strerror(errno));
            return 2;
        }
        const bool read = readAll(f, body, options.limits.maxBodyBytes);
        const int readErrno = errno;
        if (!isStdin)
            std::fclose(f);
        if (!read) {
            std::fprintf(stderr, "fleetscope check-metrics: cannot read %s: %s\n",
                         isStdin ? "standard input" : file.c_str(), std::strerror(readErrno));
            return 2;
        }

        ex::parseInto(exposition, body, options);
        const std::string prefix = isStdin ? std::string() : file + ":";
        if (!exposition.ok()) {
            std::fprintf(stderr, "%s%s\n", prefix.c_str(), exposition.error->toString().c_str());
            status = 1;
            continue;
        }
        if (dump) {
            const std::string out = ex::canonicalDump(exposition);
            std::fwrite(out.data(), 1, out.size(), stdout);
        }
        if (verbose) {
            std::printf("%s valid %s: %zu families, %zu samples\n",
                        isStdin ? "standard input:" : prefix.c_str(),
                        ex::formatName(exposition.format), exposition.families.size(),
                        exposition.samples.size());
        }
    }
    if (std::fflush(stdout) != 0)
        return 2;
    return status;
}

} // namespace fleetscope::app
