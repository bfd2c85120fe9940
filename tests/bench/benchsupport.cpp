#include "benchsupport.h"

#include "allocationcounter.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace fleetscope::bench {

std::optional<std::string> readFile(const std::string &path, std::string &error)
{
    std::FILE *file = path == "-" ? stdin : std::fopen(path.c_str(), "rb");
    if (!file) {
        error = "cannot open " + path + ": " + std::strerror(errno);
        return std::nullopt;
    }
    std::string data;
    char buffer[1 << 16];
    std::size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, file)) > 0)
        data.append(buffer, n);
    const bool failed = std::ferror(file);
    if (file != stdin)
        std::fclose(file);
    if (failed) {
        error = "cannot read " + path;
        return std::nullopt;
    }
    return data;
}

std::size_t countSampleLines(std::string_view body)
{
    std::size_t count = 0;
    while (!body.empty()) {
        const auto end = body.find('\n');
        std::string_view line = body.substr(0, end);
        body = end == std::string_view::npos ? std::string_view() : body.substr(end + 1);
        const auto first = line.find_first_not_of(" \t");
        if (first != std::string_view::npos && line[first] != '#')
            ++count;
    }
    return count;
}

exposition::Format formatForPath(std::string_view path)
{
    return path.ends_with(".om") ? exposition::Format::OpenMetrics : exposition::Format::Prometheus;
}

static double perSample(double bytes, std::size_t samples)
{
    return samples ? bytes / static_cast<double>(samples) : 0.0;
}

double HeldMemory::bytesPerSample() const
{
    return perSample(static_cast<double>(totalBytes), samples);
}

double HeldMemory::vectorBytesPerSample() const
{
    return perSample(static_cast<double>(vectorBytes), samples);
}

double HeldMemory::otherBytesPerSample() const
{
    return perSample(static_cast<double>(totalBytes) - static_cast<double>(vectorBytes), samples);
}

std::size_t vectorBytes(const exposition::Exposition &exposition)
{
    return exposition.families.capacity() * sizeof(exposition::Family)
        + exposition.samples.capacity() * sizeof(exposition::Sample)
        + exposition.labels.capacity() * sizeof(exposition::Label)
        + exposition.exemplars.capacity() * sizeof(exposition::Exemplar);
}

HeldMemory measureHeld(std::string_view body, const exposition::ParseOptions &options)
{
    // Live bytes around the construction and first parse; temporaries the parser frees before
    // returning do not count, anything it keeps (arena, name index) does.
    const auto before = allocationStats().liveBytes;
    exposition::Exposition exposition;
    exposition::parseInto(exposition, body, options);
    const auto after = allocationStats().liveBytes;
    return { exposition.samples.size(), vectorBytes(exposition), after - before };
}

} // namespace fleetscope::bench
