#pragma once

// The parsed form of one Prometheus text 0.0.4 or OpenMetrics 1.0 exposition, and the parser that
// produces it. Pure functions over bytes: no QObject, no I/O, no globals; any thread may call them.
// An Exposition holds views into the parsed body and into its own arena of decoded strings: the
// caller keeps the body alive while it uses the Exposition.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace fleetscope::exposition {

// Prometheus means the text format 0.0.4 (`text/plain; version=0.0.4`).
enum class Format : std::uint8_t { Auto, Prometheus, OpenMetrics };

// Unknown is 0.0.4's "untyped" and OpenMetrics' "unknown".
enum class MetricType : std::uint8_t {
    Unknown,
    Counter,
    Gauge,
    Histogram,
    GaugeHistogram,
    Summary,
    Info,
    StateSet,
};

// What a sample's name adds to its family's name.
enum class SampleSuffix : std::uint8_t {
    None,
    Total,
    Created,
    Bucket,
    Count,
    Sum,
    GCount,
    GSum,
    Info
};

struct Label
{
    std::string_view name;
    std::string_view value; // unescaped
};

struct Exemplar
{
    std::uint32_t firstLabel = 0; // into Exposition::labels
    std::uint32_t labelCount = 0;
    double value = 0;
    double timestampMs = 0; // meaningful when hasTimestamp
    bool hasTimestamp = false;
};

struct Sample
{
    std::string_view name; // the full sample name as written, e.g. "http_requests_total"
    std::uint32_t family = 0; // index into Exposition::families
    std::uint32_t firstLabel = 0; // into Exposition::labels, in the order written
    std::uint32_t labelCount = 0;
    std::int32_t exemplar = -1; // index into Exposition::exemplars, or -1
    std::uint32_t line = 0; // 1-based line of the sample in the body
    double value = 0;
    // Milliseconds since the epoch: 0.0.4 writes milliseconds, OpenMetrics seconds (converted).
    double timestampMs = 0;
    bool hasTimestamp = false;
    SampleSuffix suffix = SampleSuffix::None;
};

struct Family
{
    std::string_view name;
    std::string_view help; // unescaped
    std::string_view unit;
    MetricType type = MetricType::Unknown;
    bool hasType = false; // a TYPE line declared it
    bool hasHelp = false;
    bool hasUnit = false;
    bool skipped = false; // left out by ParseOptions::familyFilter: validated, samples not kept
    std::uint32_t firstSample = 0; // into Exposition::samples
    std::uint32_t sampleCount = 0;
};

// Bounds on what one exposition may hold. Exceeding any of them rejects the whole exposition.
// Structural limits apply everywhere; the defaults accept real exporters (a 60 KiB HELP line,
// 4 KiB label values). Volume limits (0 = unlimited) guard scrapes: see forScrape().
struct Limits
{
    std::size_t maxLineBytes = 1024 * 1024;
    std::size_t maxLabelsPerSeries = 128;
    std::size_t maxLabelNameBytes = 1024;
    std::size_t maxLabelValueBytes = 64 * 1024;
    std::size_t maxBodyBytes = 0;
    std::size_t maxSamples = 0;
    std::size_t maxFamilies = 0;

    // Defaults for one scraped target: 64 MiB body, 2,000,000 samples, 100,000 families.
    static Limits forScrape();
};

struct ParseOptions
{
    Format format = Format::Auto;
    Limits limits;
    // When set, only families for which it returns true keep their samples. Every line is still
    // validated: one bad line rejects the exposition, as it does for Prometheus.
    std::function<bool(std::string_view familyName)> familyFilter;
};

struct ParseError
{
    std::uint32_t line = 0; // 1-based
    std::uint32_t column = 0; // 1-based, in bytes
    std::string message; // says what was expected; untrusted bytes are escaped and cut short

    std::string toString() const; // "LINE:COL: message"
};

class StringArena;
struct ParseScratch;

// The result of one parse. Movable, not copyable (it owns the arena its views point into).
class Exposition
{
public:
    Exposition();
    ~Exposition();
    Exposition(Exposition &&) noexcept;
    Exposition &operator=(Exposition &&) noexcept;
    Exposition(const Exposition &) = delete;
    Exposition &operator=(const Exposition &) = delete;

    Format format = Format::Prometheus; // the format actually parsed (never Auto)
    std::vector<Family> families;
    std::vector<Sample> samples;
    std::vector<Label> labels;
    std::vector<Exemplar> exemplars;
    std::optional<ParseError> error; // set when the body was rejected; the vectors are then empty

    bool ok() const { return !error.has_value(); }

    std::span<const Sample> samplesOf(const Family &family) const
    {
        return { samples.data() + family.firstSample, family.sampleCount };
    }
    std::span<const Label> labelsOf(const Sample &sample) const
    {
        return { labels.data() + sample.firstLabel, sample.labelCount };
    }
    std::span<const Label> labelsOf(const Exemplar &exemplar) const
    {
        return { labels.data() + exemplar.firstLabel, exemplar.labelCount };
    }
    // The value of label `name` on `sample`, or nullopt.
    std::optional<std::string_view> labelValue(const Sample &sample, std::string_view name) const;
    // The family called `name`, or nullptr.
    const Family *family(std::string_view name) const;

    void clear(); // keeps capacity, so a reused Exposition stops allocating

private:
    friend class ParserImpl;
    std::unique_ptr<StringArena> m_arena; // decoded strings the views point into
    std::unique_ptr<ParseScratch> m_scratch; // lookup tables kept for the next parse
};

// The format a scrape answer is in, from its Content-Type header: OpenMetrics for
// `application/openmetrics-text`, else the 0.0.4 text format (Prometheus' own fallback).
Format formatFromContentType(std::string_view contentType);

// For files: OpenMetrics when the body ends with the `# EOF` line, else 0.0.4.
Format sniffFormat(std::string_view body);

// Parses `body` in one go. See Parser to reuse memory across many parses.
Exposition parse(std::string_view body, const ParseOptions &options = {});

// Parses into an existing Exposition, reusing its capacity: once a target's series are known,
// parsing its next scrape allocates nothing.
void parseInto(Exposition &out, std::string_view body, const ParseOptions &options = {});

const char *formatName(Format format); // "prometheus", "openmetrics", "auto"
const char *typeName(MetricType type); // the OpenMetrics spelling: "counter", ..., "unknown"

} // namespace fleetscope::exposition
