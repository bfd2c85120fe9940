// The exposition parser: one pass over the body, line by line, with the grammar of the format
// chosen (0.0.4 as the Prometheus server's text parser reads it; OpenMetrics 1.0 as its
// conformance suite says), then the format's semantic rules. Zero-copy: names and plain label
// values are views into the body; only escaped strings are decoded, into the arena.

#include "exposition/exposition.h"

#include "exposition/dump.h"
#include "exposition/flatindex.h"
#include "exposition/numbers.h"
#include "exposition/stringarena.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <string>

namespace fleetscope::exposition {

// ---------------------------------------------------------------------------------------------
// Small helpers

namespace {

enum CharClass : std::uint8_t {
    kMetricStart = 1, // [a-zA-Z_:]
    kMetricChar = 2, // [a-zA-Z0-9_:]
    kLabelStart = 4, // [a-zA-Z_]
    kLabelChar = 8, // [a-zA-Z0-9_]
    kValueStop = 16, // '"', '\\' and bytes >= 0x80 stop the fast label-value scan
};

constexpr std::array<std::uint8_t, 256> makeCharTable()
{
    std::array<std::uint8_t, 256> t {};
    for (int c = 0; c < 256; ++c) {
        const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        const bool digit = c >= '0' && c <= '9';
        std::uint8_t v = 0;
        if (alpha || c == '_' || c == ':')
            v |= kMetricStart;
        if (alpha || digit || c == '_' || c == ':')
            v |= kMetricChar;
        if (alpha || c == '_')
            v |= kLabelStart;
        if (alpha || digit || c == '_')
            v |= kLabelChar;
        if (c == '"' || c == '\\' || c >= 0x80)
            v |= kValueStop;
        t[std::size_t(c)] = v;
    }
    return t;
}

constexpr std::array<std::uint8_t, 256> kChars = makeCharTable();

// An OpenMetrics timestamp in seconds as milliseconds. "-0" is the instant 0: adding +0.0 turns
// a negative zero positive, so the sample compares, orders and dumps like "0".
inline double secondsToMillis(double seconds)
{
    return seconds * 1000.0 + 0.0;
}

inline bool is(char c, CharClass cls)
{
    return (kChars[static_cast<unsigned char>(c)] & cls) != 0;
}

// Validates UTF-8 (no overlongs, no surrogates, at most U+10FFFF). Returns the offset of the first
// bad byte, or npos.
std::size_t invalidUtf8At(std::string_view s)
{
    const auto *p = reinterpret_cast<const unsigned char *>(s.data());
    const auto *const begin = p;
    const auto *const end = p + s.size();
    while (p < end) {
        const unsigned char c = *p;
        if (c < 0x80) {
            ++p;
            continue;
        }
        int n = 0;
        unsigned char lo = 0x80, hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) {
            n = 1;
        } else if (c == 0xE0) {
            n = 2;
            lo = 0xA0;
        } else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) {
            n = 2;
        } else if (c == 0xED) {
            n = 2;
            hi = 0x9F;
        } else if (c == 0xF0) {
            n = 3;
            lo = 0x90;
        } else if (c >= 0xF1 && c <= 0xF3) {
            n = 3;
        } else if (c == 0xF4) {
            n = 3;
            hi = 0x8F;
        } else {
            return std::size_t(p - begin);
        }
        if (end - p <= n)
            return std::size_t(p - begin);
        if (p[1] < lo || p[1] > hi)
            return std::size_t(p - begin);
        for (int i = 2; i <= n; ++i) {
            if ((p[i] & 0xC0) != 0x80)
                return std::size_t(p - begin);
        }
        p += n + 1;
    }
    return std::string_view::npos;
}

std::size_t codePoints(std::string_view s)
{
    std::size_t n = 0;
    for (const char c : s) {
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80)
            ++n;
    }
    return n;
}

bool hasSuffix(std::string_view s, std::string_view suffix)
{
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

constexpr std::string_view suffixText(SampleSuffix s)
{
    switch (s) {
    case SampleSuffix::None:
        return "";
    case SampleSuffix::Total:
        return "_total";
    case SampleSuffix::Created:
        return "_created";
    case SampleSuffix::Bucket:
        return "_bucket";
    case SampleSuffix::Count:
        return "_count";
    case SampleSuffix::Sum:
        return "_sum";
    case SampleSuffix::GCount:
        return "_gcount";
    case SampleSuffix::GSum:
        return "_gsum";
    case SampleSuffix::Info:
        return "_info";
    }
    return "";
}

constexpr std::uint16_t bit(SampleSuffix s)
{
    return std::uint16_t(1u << unsigned(s));
}

constexpr std::array<SampleSuffix, 9> kAllSuffixes = {
    SampleSuffix::None,   SampleSuffix::Total, SampleSuffix::Created,
    SampleSuffix::Bucket, SampleSuffix::Count, SampleSuffix::Sum,
    SampleSuffix::GCount, SampleSuffix::GSum,  SampleSuffix::Info,
};

// Sample names a family of this type owns, as suffix bits.
std::uint16_t allowedSuffixes(Format format, MetricType type)
{
    using S = SampleSuffix;
    if (format == Format::Prometheus) {
        switch (type) {
        case MetricType::Summary:
            return bit(S::None) | bit(S::Count) | bit(S::Sum);
        case MetricType::Histogram:
            return bit(S::Bucket) | bit(S::Count) | bit(S::Sum);
        default:
            return bit(S::None);
        }
    }
    switch (type) {
    case MetricType::Counter:
        return bit(S::Total) | bit(S::Created);
    case MetricType::Summary:
        return bit(S::None) | bit(S::Count) | bit(S::Sum) | bit(S::Created);
    case MetricType::Histogram:
        return bit(S::Bucket) | bit(S::Count) | bit(S::Sum) | bit(S::Created);
    case MetricType::GaugeHistogram:
        return bit(S::Bucket) | bit(S::GCount) | bit(S::GSum);
    case MetricType::Info:
        return bit(S::Info);
    default:
        return bit(S::None);
    }
}

// The suffix of `sampleName` relative to `familyName` if the family's type owns it.
bool matchFamily(std::string_view sampleName, std::string_view familyName, std::uint16_t allowed,
                 SampleSuffix &suffix)
{
    if (sampleName.size() < familyName.size()
        || std::memcmp(sampleName.data(), familyName.data(), familyName.size()) != 0)
        return false;
    const std::string_view rest = sampleName.substr(familyName.size());
    if (rest.empty()) {
        suffix = SampleSuffix::None;
        return (allowed & bit(SampleSuffix::None)) != 0;
    }
    for (const SampleSuffix s : kAllSuffixes) {
        if (s != SampleSuffix::None && (allowed & bit(s)) && rest == suffixText(s)) {
            suffix = s;
            return true;
        }
    }
    return false;
}

constexpr std::uint64_t kHashSeed = 1469598103934665603ull;

// FNV-1a, continued from `h`, so hashing "ab" equals hashing "a" then "b". Lookups always
// confirm equality, so collisions only cost time.
std::uint64_t fnv(std::string_view s, std::uint64_t h = kHashSeed)
{
    for (const char c : s) {
        h ^= static_cast<unsigned char>(c);
        h *= 1099511628211ull;
    }
    return h;
}

std::uint64_t mix(std::uint64_t h)
{
    return h ^ (h >> 29); // FNV's low bits are weak; the tables index by them
}

std::uint64_t hashBytes(std::string_view s)
{
    return mix(fnv(s));
}

} // namespace

// ---------------------------------------------------------------------------------------------
// Exposition

// Lookup tables of one parse, kept with the Exposition so parsing into it again reuses them.
struct ParseScratch
{
    detail::FlatIndex familyByName; // 0.0.4: hash(name) -> family
    detail::FlatIndex seenNames; // OpenMetrics: hash(family name + suffix) -> family << 4 | suffix
    detail::FlatIndex seenGroups; // OpenMetrics, per family: group hash -> first sample

    void clear()
    {
        familyByName.clear();
        seenNames.clear();
        seenGroups.clear();
    }
};

Exposition::Exposition()
    : m_arena(std::make_unique<StringArena>())
    , m_scratch(std::make_unique<ParseScratch>())
{ }
Exposition::~Exposition() = default;
Exposition::Exposition(Exposition &&) noexcept = default;
Exposition &Exposition::operator=(Exposition &&) noexcept = default;

void Exposition::clear()
{
    families.clear();
    samples.clear();
    labels.clear();
    exemplars.clear();
    error.reset();
    if (!m_arena)
        m_arena = std::make_unique<StringArena>();
    if (!m_scratch)
        m_scratch = std::make_unique<ParseScratch>();
    m_arena->clear();
    m_scratch->clear();
}

std::optional<std::string_view> Exposition::labelValue(const Sample &sample,
                                                       std::string_view name) const
{
    for (const Label &l : labelsOf(sample)) {
        if (l.name == name)
            return l.value;
    }
    return std::nullopt;
}

const Family *Exposition::family(std::string_view name) const
{
    for (const Family &f : families) {
        if (f.name == name)
            return &f;
    }
    return nullptr;
}

std::string ParseError::toString() const
{
    return std::to_string(line) + ':' + std::to_string(column) + ": " + message;
}

Limits Limits::forScrape()
{
    Limits l;
    l.maxBodyBytes = 64u * 1024 * 1024;
    l.maxSamples = 2'000'000;
    l.maxFamilies = 100'000;
    return l;
}

Format formatFromContentType(std::string_view contentType)
{
    std::size_t i = 0;
    while (i < contentType.size() && (contentType[i] == ' ' || contentType[i] == '\t'))
        ++i;
    constexpr std::string_view om = "application/openmetrics-text";
    if (contentType.size() - i < om.size())
        return Format::Prometheus;
    for (std::size_t k = 0; k < om.size(); ++k) {
        char c = contentType[i + k];
        if (c >= 'A' && c <= 'Z')
            c = char(c - 'A' + 'a');
        if (c != om[k])
            return Format::Prometheus;
    }
    const std::size_t after = i + om.size();
    if (after == contentType.size() || contentType[after] == ';' || contentType[after] == ' ')
        return Format::OpenMetrics;
    return Format::Prometheus;
}

Format sniffFormat(std::string_view body)
{
    if (!body.empty() && body.back() == '\n')
        body.remove_suffix(1);
    if (!hasSuffix(body, "# EOF"))
        return Format::Prometheus;
    const std::size_t start = body.size() - 5;
    return (start == 0 || body[start - 1] == '\n') ? Format::OpenMetrics : Format::Prometheus;
}

const char *formatName(Format format)
{
    switch (format) {
    case Format::Auto:
        return "auto";
    case Format::Prometheus:
        return "prometheus";
    case Format::OpenMetrics:
        return "openmetrics";
    }
    return "auto";
}

const char *typeName(MetricType type)
{
    switch (type) {
    case MetricType::Unknown:
        return "unknown";
    case MetricType::Counter:
        return "counter";
    case MetricType::Gauge:
        return "gauge";
    case MetricType::Histogram:
        return "histogram";
    case MetricType::GaugeHistogram:
        return "gaugehistogram";
    case MetricType::Summary:
        return "summary";
    case MetricType::Info:
        return "info";
    case MetricType::StateSet:
        return "stateset";
    }
    return "unknown";
}

// ---------------------------------------------------------------------------------------------
// The parser

class ParserImpl
{
public:
    ParserImpl(Exposition &out, std::string_view body, const ParseOptions &options)
        : m_out(out)
        , m_body(body)
        , m_options(options)
        , m_limits(options.limits)
        , m_arena(*out.m_arena)
        , m_familyByName(out.m_scratch->familyByName)
        , m_seenNames(out.m_scratch->seenNames)
        , m_seenGroups(out.m_scratch->seenGroups)
    { }

    void run();

private:
    // Errors ------------------------------------------------------------------------------
    bool fail(const char *at, std::string message)
    {
        if (m_out.error)
            return false;
        ParseError e;
        e.line = m_lineNo;
        e.column = std::uint32_t((at ? at - m_lineBegin : 0) + 1);
        e.message = std::move(message);
        m_out.error = std::move(e);
        return false;
    }
    bool failFound(const char *at, const char *eol, const char *expected)
    {
        std::string msg = expected;
        if (at >= eol)
            msg += ", found the end of the line";
        else
            msg += ", found " + quoteUntrusted(std::string_view(at, std::size_t(eol - at)), 24);
        return fail(at, std::move(msg));
    }

    // Lines ---------------------------------------------------------------------------------
    bool parsePromLine(const char *p, const char *&eol, bool &hasNewline);
    bool parseOmLine(const char *p, const char *eol, bool hasNewline);
    bool parsePromMetadata(const char *p, const char *eol, bool hasNewline);
    bool parseOmMetadata(const char *p, const char *eol);

    // Pieces --------------------------------------------------------------------------------
    const char *scanMetricName(const char *p, const char *eol)
    {
        if (p >= eol || !is(*p, kMetricStart))
            return p;
        ++p;
        while (p < eol && is(*p, kMetricChar))
            ++p;
        return p;
    }
    // Parses `{...}` starting at the '{'; appends the labels. Returns the position after '}'.
    const char *parseLabels(const char *p, const char *&eol);
    bool parseLabelValue(const char *&p, const char *&eol, std::string_view &value);
    bool checkDuplicateLabels(std::uint32_t first, std::uint32_t count, const char *at);

    // Families ------------------------------------------------------------------------------
    std::uint32_t newFamily(std::string_view name, const char *at);
    bool promFamilyForSample(std::string_view name, const char *at, std::uint32_t &family,
                             SampleSuffix &suffix);
    bool omFamilyForSample(std::string_view name, const char *at, SampleSuffix &suffix);
    bool closeOmFamily();
    bool checkOmSample(Sample &s, const char *at);
    bool checkOmHistogram(const Family &f);
    bool sameGroup(const Sample &a, const Sample &b) const;
    std::uint64_t groupHash(const Sample &s) const;
    bool isGroupExcluded(const Sample &s, std::string_view labelName) const;

    void finishProm();

    Exposition &m_out;
    std::string_view m_body;
    const ParseOptions &m_options;
    const Limits &m_limits;
    StringArena &m_arena;
    Format m_format = Format::Prometheus;

    const char *m_lineBegin = nullptr;
    std::uint32_t m_lineNo = 0;

    // 0.0.4
    detail::FlatIndex &m_familyByName;
    std::int64_t findFamily(std::string_view name) const
    {
        std::int64_t found = -1;
        m_familyByName.find(hashBytes(name), [&](std::uint32_t index) {
            if (m_out.families[index].name != name)
                return false;
            found = index;
            return true;
        });
        return found;
    }
    std::int64_t m_lastSampleFamily = -1;
    bool m_needsRegroup = false;

    // OpenMetrics
    std::int64_t m_current = -1; // the open family
    std::uint16_t m_currentAllowed = 0;
    std::uint32_t m_currentLine = 0;
    detail::FlatIndex &m_seenNames;
    detail::FlatIndex &m_seenGroups;
    std::int64_t m_groupSample = -1; // first sample of the current group
    bool m_sawEof = false;
};

void ParserImpl::run()
{
    m_format = m_options.format == Format::Auto ? sniffFormat(m_body) : m_options.format;
    m_out.format = m_format;

    m_lineBegin = m_body.data();
    if (m_limits.maxBodyBytes && m_body.size() > m_limits.maxBodyBytes) {
        m_lineNo = 1;
        fail(m_body.data(),
             "the body is " + std::to_string(m_body.size()) + " bytes, over the limit of "
                 + std::to_string(m_limits.maxBodyBytes) + " bytes");
        return;
    }

    const char *p = m_body.data();
    const char *const end = p + m_body.size();
    while (p < end) {
        ++m_lineNo;
        const char *eol = static_cast<const char *>(std::memchr(p, '\n', std::size_t(end - p)));
        bool hasNewline = eol != nullptr;
        if (!eol)
            eol = end;
        m_lineBegin = p;
        if (m_limits.maxLineBytes && std::size_t(eol - p) > m_limits.maxLineBytes) {
            fail(p,
                 "line is " + std::to_string(eol - p) + " bytes long, over the limit of "
                     + std::to_string(m_limits.maxLineBytes) + " bytes");
            return;
        }
        if (m_format == Format::OpenMetrics) {
            if (m_sawEof) {
                fail(p, "unexpected text after '# EOF'");
                return;
            }
            if (!parseOmLine(p, eol, hasNewline))
                return;
        } else if (!parsePromLine(p, eol, hasNewline)) {
            return;
        }
        p = hasNewline ? eol + 1 : end;
    }

    if (m_format == Format::OpenMetrics) {
        if (!m_sawEof) {
            // Point at the end of the last line.
            if (m_lineNo == 0)
                m_lineNo = 1;
            const char *at = (!m_body.empty() && m_body.back() == '\n') ? end - 1 : end;
            fail(at, "expected '# EOF' at the end of an OpenMetrics exposition");
            return;
        }
    } else {
        finishProm();
    }
}

// --- labels ----------------------------------------------------------------------------------

bool ParserImpl::parseLabelValue(const char *&p, const char *&eol, std::string_view &value)
{
    // p is at the opening quote.
    const char *const begin = ++p;
    const char *const bodyEnd = m_body.data() + m_body.size();
    const std::uint32_t startLine = m_lineNo;
    const char *const startLineBegin = m_lineBegin;
    bool escaped = false;
    bool nonAscii = false;
    for (;;) {
        if (p >= eol && m_format == Format::Prometheus && eol < bodyEnd) {
            // The server's lexer lets a quoted value run over a line break; follow it.
            if (p > eol)
                break; // a backslash right before the line break
            m_lineBegin = eol + 1;
            ++m_lineNo;
            const char *nl = static_cast<const char *>(
                std::memchr(eol + 1, '\n', std::size_t(bodyEnd - eol - 1)));
            eol = nl ? nl : bodyEnd;
            if (m_limits.maxLineBytes && std::size_t(eol - m_lineBegin) > m_limits.maxLineBytes)
                return fail(m_lineBegin,
                            "line is " + std::to_string(eol - m_lineBegin)
                                + " bytes long, over the limit of "
                                + std::to_string(m_limits.maxLineBytes) + " bytes");
            ++p; // the line break is part of the value
            continue;
        }
        if (p >= eol)
            break;
        // Fast scan over ordinary bytes.
        while (p < eol && !is(*p, kValueStop))
            ++p;
        if (p >= eol)
            continue; // the end of the line: follow it or fail, above
        const char c = *p;
        if (c == '"')
            break;
        if (c == '\\') {
            escaped = true;
            if (p + 1 < eol && static_cast<unsigned char>(p[1]) >= 0x80)
                nonAscii = true; // "\é" keeps the é, which must be valid UTF-8 too
            p += 2;
            continue;
        }
        nonAscii = true;
        ++p;
    }
    if (p >= eol) {
        m_lineNo = startLine;
        m_lineBegin = startLineBegin;
        return fail(begin - 1, "label value is missing its closing '\"'");
    }
    const std::string_view raw(begin, std::size_t(p - begin));
    ++p; // closing quote
    // An error inside a value that ran over line breaks is reported on the line it is on.
    auto failAt = [&](const char *at, std::string message) {
        m_lineNo = startLine;
        m_lineBegin = startLineBegin;
        for (const char *c = begin; c < at; ++c) {
            if (*c == '\n') {
                ++m_lineNo;
                m_lineBegin = c + 1;
            }
        }
        return fail(at, std::move(message));
    };
    if (m_limits.maxLabelValueBytes && raw.size() > m_limits.maxLabelValueBytes) {
        return failAt(begin,
                      "label value is " + std::to_string(raw.size()) + " bytes, over the limit of "
                          + std::to_string(m_limits.maxLabelValueBytes) + " bytes");
    }
    if (nonAscii) {
        const std::size_t bad = invalidUtf8At(raw);
        if (bad != std::string_view::npos)
            return failAt(begin + bad, "label value is not valid UTF-8");
    }
    if (!escaped) {
        value = raw;
        return true;
    }
    char *out = m_arena.allocate(raw.size());
    std::size_t n = 0;
    for (std::size_t i = 0; i < raw.size(); ++i) {
        const char c = raw[i];
        if (c == '\\' && i + 1 < raw.size()) {
            const char e = raw[i + 1];
            if (e == '\\' || e == '"') {
                out[n++] = e;
                ++i;
                continue;
            }
            if (e == 'n') {
                out[n++] = '\n';
                ++i;
                continue;
            }
            // Unknown escapes are kept as written, as Prometheus and the OpenMetrics suite do.
        }
        out[n++] = c;
    }
    value = std::string_view(out, n);
    return true;
}

const char *ParserImpl::parseLabels(const char *p, const char *&eol)
{
    // p is at '{'.
    const bool om = m_format == Format::OpenMetrics;
    const char *const open = p;
    ++p;
    const std::uint32_t first = std::uint32_t(m_out.labels.size());
    std::uint32_t count = 0;
    auto skipWs = [&] {
        if (!om) {
            while (p < eol && (*p == ' ' || *p == '\t'))
                ++p;
        }
    };
    skipWs();
    if (p < eol && *p == '}')
        return p + 1;
    for (;;) {
        skipWs();
        if (p >= eol || !is(*p, kLabelStart)) {
            if (!om && p < eol && *p == '}')
                break; // 0.0.4 allows a trailing comma
            failFound(p, eol, "expected a label name");
            return nullptr;
        }
        const char *const nameBegin = p;
        ++p;
        while (p < eol && is(*p, kLabelChar))
            ++p;
        const std::string_view name(nameBegin, std::size_t(p - nameBegin));
        if (m_limits.maxLabelNameBytes && name.size() > m_limits.maxLabelNameBytes) {
            fail(nameBegin,
                 "label name is " + std::to_string(name.size()) + " bytes, over the limit of "
                     + std::to_string(m_limits.maxLabelNameBytes) + " bytes");
            return nullptr;
        }
        skipWs();
        if (p >= eol || *p != '=') {
            failFound(p, eol, "expected '=' after the label name");
            return nullptr;
        }
        ++p;
        skipWs();
        if (p >= eol || *p != '"') {
            failFound(p, eol, "expected '\"' to open the label value");
            return nullptr;
        }
        std::string_view value;
        if (!parseLabelValue(p, eol, value))
            return nullptr;
        ++count;
        if (m_limits.maxLabelsPerSeries && count > m_limits.maxLabelsPerSeries) {
            fail(nameBegin,
                 "more than " + std::to_string(m_limits.maxLabelsPerSeries)
                     + " labels on one series");
            return nullptr;
        }
        m_out.labels.push_back({ name, value });
        skipWs();
        if (p < eol && *p == ',') {
            ++p;
            if (om && (p >= eol || *p == '}')) {
                failFound(p, eol, "expected a label name after ','");
                return nullptr;
            }
            continue;
        }
        if (p < eol && *p == '}')
            break;
        if (om) {
            failFound(p, eol, "expected ',' or '}' after the label value");
            return nullptr;
        }
        // 0.0.4: the server's parser reads labels without a separating comma.
    }
    ++p; // '}'
    if (!checkDuplicateLabels(first, count, open))
        return nullptr;
    return p;
}

bool ParserImpl::checkDuplicateLabels(std::uint32_t first, std::uint32_t count, const char *at)
{
    const Label *l = m_out.labels.data() + first;
    for (std::uint32_t i = 0; i < count; ++i) {
        if (m_format == Format::Prometheus && l[i].name == "__name__")
            return fail(at, "label name \"__name__\" repeats the metric name");
        for (std::uint32_t j = i + 1; j < count; ++j) {
            if (l[i].name == l[j].name)
                return fail(at, "label name " + quoteUntrusted(l[i].name) + " is not unique");
        }
    }
    return true;
}

// --- families --------------------------------------------------------------------------------

std::uint32_t ParserImpl::newFamily(std::string_view name, const char *at)
{
    if (m_limits.maxFamilies && m_out.families.size() >= m_limits.maxFamilies) {
        fail(at, "more than " + std::to_string(m_limits.maxFamilies) + " metric families");
        return UINT32_MAX;
    }
    Family f;
    f.name = name;
    f.firstSample = std::uint32_t(m_out.samples.size());
    if (m_options.familyFilter)
        f.skipped = !m_options.familyFilter(name);
    m_out.families.push_back(f);
    return std::uint32_t(m_out.families.size() - 1);
}

// ---------------------------------------------------------------------------------------------
// Prometheus text format 0.0.4

bool ParserImpl::parsePromLine(const char *p, const char *&eol, bool &hasNewline)
{
    const char *const lineBegin = p;
    while (p < eol && (*p == ' ' || *p == '\t'))
        ++p;
    if (p == eol)
        return true; // blank line
    if (*p == '#')
        return parsePromMetadata(p, eol, hasNewline);
    if (p != lineBegin) {
        // The server keeps the blank in the series name and then fails the scrape.
        return fail(lineBegin,
                    "a sample line must start with the metric name, not a space or "
                    "tab (Prometheus rejects the name it reads)");
    }

    // Sample: name [labels] value [timestamp]
    const std::uint32_t line = m_lineNo;
    const char *const nameBegin = p;
    p = scanMetricName(p, eol);
    if (p == nameBegin)
        return failFound(p, eol, "expected a metric name or '#'");
    const std::string_view name(nameBegin, std::size_t(p - nameBegin));
    while (p < eol && (*p == ' ' || *p == '\t'))
        ++p;

    const std::uint32_t firstLabel = std::uint32_t(m_out.labels.size());
    if (p < eol && *p == '{') {
        p = parseLabels(p, eol);
        if (!p)
            return false;
        hasNewline = eol < m_body.data() + m_body.size();
        while (p < eol && (*p == ' ' || *p == '\t'))
            ++p;
    }
    const char *const valueBegin = p;
    while (p < eol && *p != ' ' && *p != '\t' && *p != '{')
        ++p;
    if (p == valueBegin)
        return failFound(p, eol, "expected a sample value");
    Sample s;
    s.name = name;
    s.line = line;
    s.firstLabel = firstLabel;
    s.labelCount = std::uint32_t(m_out.labels.size() - firstLabel);
    const std::string_view valueText(valueBegin, std::size_t(p - valueBegin));
    switch (detail::parseNumber(valueText, s.value)) {
    case detail::NumberResult::Ok:
        break;
    case detail::NumberResult::OutOfRange:
        return fail(valueBegin, "sample value " + quoteUntrusted(valueText) + " is out of range");
    case detail::NumberResult::Invalid:
        return fail(valueBegin,
                    "expected a number (like 1.5e3, +Inf or NaN) as the sample value, found "
                        + quoteUntrusted(valueText));
    }
    while (p < eol && (*p == ' ' || *p == '\t'))
        ++p;
    if (p < eol) {
        const char *const tsBegin = p;
        while (p < eol && *p != ' ' && *p != '\t')
            ++p;
        const std::string_view tsText(tsBegin, std::size_t(p - tsBegin));
        std::int64_t ms = 0;
        switch (detail::parseMillis(tsText, ms)) {
        case detail::NumberResult::Ok:
            break;
        case detail::NumberResult::OutOfRange:
            return fail(tsBegin, "timestamp " + quoteUntrusted(tsText) + " is out of range");
        case detail::NumberResult::Invalid:
            return fail(tsBegin,
                        "expected a timestamp in integer milliseconds, found "
                            + quoteUntrusted(tsText));
        }
        s.hasTimestamp = true;
        s.timestampMs = double(ms);
        while (p < eol && (*p == ' ' || *p == '\t'))
            ++p;
        if (p < eol)
            return failFound(p, eol, "expected the end of the line after the timestamp");
    }
    // No line break after the last line is fine: the server's parser appends one.
    (void)hasNewline;

    std::uint32_t family = 0;
    if (!promFamilyForSample(name, nameBegin, family, s.suffix))
        return false;
    Family &f = m_out.families[family];
    if (f.skipped) {
        m_out.labels.resize(firstLabel);
        return true;
    }
    if (m_limits.maxSamples && m_out.samples.size() >= m_limits.maxSamples)
        return fail(nameBegin, "more than " + std::to_string(m_limits.maxSamples) + " samples");
    s.family = family;
    if (f.sampleCount == 0) {
        f.firstSample = std::uint32_t(m_out.samples.size());
    } else if (m_lastSampleFamily != std::int64_t(family)) {
        m_needsRegroup = true;
    }
    ++f.sampleCount;
    m_lastSampleFamily = family;
    m_out.samples.push_back(s);
    return true;
}

bool ParserImpl::promFamilyForSample(std::string_view name, const char *at, std::uint32_t &family,
                                     SampleSuffix &suffix)
{
    // The family of the previous sample is the common case.
    if (m_lastSampleFamily >= 0) {
        const Family &f = m_out.families[std::size_t(m_lastSampleFamily)];
        if (matchFamily(name, f.name, allowedSuffixes(Format::Prometheus, f.type), suffix)) {
            family = std::uint32_t(m_lastSampleFamily);
            return true;
        }
    }
    // A declared family whose type owns this sample name (foo_bucket -> histogram foo).
    for (const SampleSuffix s : kAllSuffixes) {
        const std::string_view text = suffixText(s);
        if (!hasSuffix(name, text))
            continue;
        const std::int64_t found = findFamily(name.substr(0, name.size() - text.size()));
        if (found < 0)
            continue;
        const Family &f = m_out.families[std::size_t(found)];
        if (allowedSuffixes(Format::Prometheus, f.type) & bit(s)) {
            family = std::uint32_t(found);
            suffix = s;
            return true;
        }
    }
    // Otherwise the sample is its own untyped family.
    const std::uint32_t index = newFamily(name, at);
    if (index == UINT32_MAX)
        return false;
    m_familyByName.insert(hashBytes(name), index);
    family = index;
    suffix = SampleSuffix::None;
    return true;
}

bool ParserImpl::parsePromMetadata(const char *p, const char *eol, bool hasNewline)
{
    // p is at '#'. Only "# HELP name text" and "# TYPE name type" mean anything; any other
    // comment is ignored, as the server's lexer does.
    const char *q = p + 1;
    if (q >= eol || (*q != ' ' && *q != '\t'))
        return true;
    while (q < eol && (*q == ' ' || *q == '\t'))
        ++q;
    bool help = false;
    if (eol - q >= 4 && std::memcmp(q, "HELP", 4) == 0)
        help = true;
    else if (!(eol - q >= 4 && std::memcmp(q, "TYPE", 4) == 0))
        return true;
    q += 4;
    if (q >= eol || (*q != ' ' && *q != '\t'))
        return true; // "# HELPER ..." is a comment
    while (q < eol && (*q == ' ' || *q == '\t'))
        ++q;
    const char *const nameBegin = q;
    q = scanMetricName(q, eol);
    if (q == nameBegin)
        return failFound(q, eol,
                         help ? "expected a metric name after HELP"
                              : "expected a metric name after TYPE");
    const std::string_view name(nameBegin, std::size_t(q - nameBegin));
    std::string_view text;
    if (q < eol) {
        if (*q != ' ' && *q != '\t')
            return failFound(q, eol, "expected a space after the metric name");
        text = std::string_view(q + 1, std::size_t(eol - q - 1));
    }
    (void)hasNewline; // the server's parser appends a line break to the body

    std::uint32_t index;
    if (const std::int64_t found = findFamily(name); found >= 0) {
        index = std::uint32_t(found);
    } else {
        index = newFamily(name, nameBegin);
        if (index == UINT32_MAX)
            return false;
        m_familyByName.insert(hashBytes(name), index);
    }
    Family &f = m_out.families[index];
    if (help) {
        const std::size_t bad = invalidUtf8At(text);
        if (bad != std::string_view::npos)
            return fail(text.data() + bad, "HELP text is not valid UTF-8");
        if (f.hasHelp)
            return true; // the server keeps going; the first HELP stays
        // Only \\ and \n are escapes in 0.0.4 HELP.
        if (text.find('\\') != std::string_view::npos) {
            char *out = m_arena.allocate(text.size());
            std::size_t n = 0;
            for (std::size_t i = 0; i < text.size(); ++i) {
                if (text[i] == '\\' && i + 1 < text.size()
                    && (text[i + 1] == '\\' || text[i + 1] == 'n')) {
                    out[n++] = text[i + 1] == 'n' ? '\n' : '\\';
                    ++i;
                } else {
                    out[n++] = text[i];
                }
            }
            text = std::string_view(out, n);
        }
        f.help = text;
        f.hasHelp = true;
        return true;
    }
    MetricType type;
    if (text == "counter")
        type = MetricType::Counter;
    else if (text == "gauge")
        type = MetricType::Gauge;
    else if (text == "histogram")
        type = MetricType::Histogram;
    else if (text == "summary")
        type = MetricType::Summary;
    else if (text == "untyped")
        type = MetricType::Unknown;
    else
        return fail(text.empty() ? eol : text.data(),
                    "expected counter, gauge, histogram, summary or untyped after TYPE "
                        + quoteUntrusted(name) + ", found " + quoteUntrusted(text));
    if (f.sampleCount == 0 && !f.hasType) {
        f.type = type;
        f.hasType = true;
        if (m_lastSampleFamily == std::int64_t(index))
            m_lastSampleFamily = -1;
    }
    return true;
}

void ParserImpl::finishProm()
{
    if (!m_needsRegroup)
        return;
    // Samples of one family were interleaved with others': gather each family's samples.
    std::stable_sort(m_out.samples.begin(), m_out.samples.end(),
                     [](const Sample &a, const Sample &b) { return a.family < b.family; });
    for (Family &f : m_out.families)
        f.sampleCount = 0;
    for (std::uint32_t i = 0; i < m_out.samples.size(); ++i) {
        Family &f = m_out.families[m_out.samples[i].family];
        if (f.sampleCount++ == 0)
            f.firstSample = i;
    }
}

// ---------------------------------------------------------------------------------------------
// OpenMetrics 1.0

bool ParserImpl::parseOmLine(const char *p, const char *eol, bool hasNewline)
{
    if (p == eol)
        return fail(p, "blank lines are not allowed in OpenMetrics");
    if (*p == '#') {
        if (eol - p == 5 && std::memcmp(p, "# EOF", 5) == 0) {
            if (!closeOmFamily())
                return false;
            m_sawEof = true;
            if (hasNewline && eol + 1 != m_body.data() + m_body.size()) {
                ++m_lineNo;
                m_lineBegin = eol + 1;
                return fail(eol + 1, "unexpected text after '# EOF'");
            }
            return true;
        }
        return parseOmMetadata(p, eol);
    }
    if (!hasNewline)
        return fail(eol, "expected a line break; an OpenMetrics exposition ends with '# EOF'");

    const char *const nameBegin = p;
    p = scanMetricName(p, eol);
    if (p == nameBegin)
        return failFound(p, eol, "expected a metric name or '#'");
    const std::string_view name(nameBegin, std::size_t(p - nameBegin));
    // Resolve the family first: closing the previous one may release its labels.
    SampleSuffix suffix = SampleSuffix::None;
    if (!omFamilyForSample(name, nameBegin, suffix))
        return false;

    const std::uint32_t firstLabel = std::uint32_t(m_out.labels.size());
    if (p < eol && *p == '{') {
        p = parseLabels(p, eol);
        if (!p)
            return false;
    }
    if (p >= eol || *p != ' ')
        return failFound(p, eol, "expected a space before the sample value");
    ++p;
    Sample s;
    s.name = name;
    s.line = m_lineNo;
    s.firstLabel = firstLabel;
    s.labelCount = std::uint32_t(m_out.labels.size() - firstLabel);

    const char *const valueBegin = p;
    while (p < eol && *p != ' ')
        ++p;
    const std::string_view valueText(valueBegin, std::size_t(p - valueBegin));
    switch (detail::parseNumber(valueText, s.value)) {
    case detail::NumberResult::Ok:
        break;
    case detail::NumberResult::OutOfRange:
        return fail(valueBegin, "sample value " + quoteUntrusted(valueText) + " is out of range");
    case detail::NumberResult::Invalid:
        return fail(valueBegin,
                    "expected a number (like 1.5e3, +Inf or NaN) as the sample value, found "
                        + quoteUntrusted(valueText));
    }

    bool exemplarFollows = false;
    if (p < eol) {
        ++p; // the space
        if (p < eol && *p == '#') {
            exemplarFollows = true;
        } else {
            const char *const tsBegin = p;
            while (p < eol && *p != ' ')
                ++p;
            const std::string_view tsText(tsBegin, std::size_t(p - tsBegin));
            double seconds = 0;
            switch (detail::parseRealNumber(tsText, seconds)) {
            case detail::NumberResult::Ok:
                break;
            case detail::NumberResult::OutOfRange:
                return fail(tsBegin, "timestamp " + quoteUntrusted(tsText) + " is out of range");
            case detail::NumberResult::Invalid:
                return fail(tsBegin,
                            "expected a timestamp in seconds (like 1700000000.123), found "
                                + quoteUntrusted(tsText));
            }
            s.hasTimestamp = true;
            s.timestampMs = secondsToMillis(seconds);
            if (p < eol) {
                ++p; // the space
                if (p >= eol || *p != '#')
                    return failFound(p, eol, "expected '# {' to start an exemplar");
                exemplarFollows = true;
            }
        }
    }

    if (exemplarFollows) {
        // "# {labels} value [timestamp]"
        if (eol - p < 3 || p[1] != ' ' || p[2] != '{')
            return failFound(p, eol, "expected '# {' to start an exemplar");
        p += 2;
        Exemplar ex;
        ex.firstLabel = std::uint32_t(m_out.labels.size());
        p = parseLabels(p, eol);
        if (!p)
            return false;
        ex.labelCount = std::uint32_t(m_out.labels.size() - ex.firstLabel);
        std::size_t runes = 0;
        for (std::uint32_t i = 0; i < ex.labelCount; ++i) {
            const Label &l = m_out.labels[ex.firstLabel + i];
            runes += codePoints(l.name) + codePoints(l.value);
        }
        if (runes > 128)
            return fail(p,
                        "exemplar labels are " + std::to_string(runes)
                            + " characters long, over the limit of 128");
        if (p >= eol || *p != ' ')
            return failFound(p, eol, "expected a space before the exemplar value");
        ++p;
        const char *const exBegin = p;
        while (p < eol && *p != ' ')
            ++p;
        const std::string_view exText(exBegin, std::size_t(p - exBegin));
        if (detail::parseNumber(exText, ex.value) != detail::NumberResult::Ok)
            return fail(exBegin,
                        "expected a number as the exemplar value, found " + quoteUntrusted(exText));
        if (p < eol) {
            ++p;
            const char *const tsBegin = p;
            while (p < eol && *p != ' ')
                ++p;
            const std::string_view tsText(tsBegin, std::size_t(p - tsBegin));
            double seconds = 0;
            if (detail::parseRealNumber(tsText, seconds) != detail::NumberResult::Ok)
                return fail(tsBegin,
                            "expected a timestamp in seconds for the exemplar, found "
                                + quoteUntrusted(tsText));
            ex.hasTimestamp = true;
            ex.timestampMs = secondsToMillis(seconds);
            if (p < eol)
                return failFound(p, eol, "expected the end of the line after the exemplar");
        }
        s.exemplar = std::int32_t(m_out.exemplars.size());
        m_out.exemplars.push_back(ex);
    }

    s.suffix = suffix;
    s.family = std::uint32_t(m_current);
    if (m_limits.maxSamples && m_out.samples.size() >= m_limits.maxSamples)
        return fail(nameBegin, "more than " + std::to_string(m_limits.maxSamples) + " samples");
    if (!checkOmSample(s, nameBegin))
        return false;
    m_out.samples.push_back(s);
    ++m_out.families[std::size_t(m_current)].sampleCount;
    return true;
}

bool ParserImpl::parseOmMetadata(const char *p, const char *eol)
{
    // "# KEYWORD name text": exactly single spaces.
    const std::string_view line(p, std::size_t(eol - p));
    if (line.size() < 2 || line[1] != ' ')
        return fail(p, "expected '# HELP', '# TYPE', '# UNIT' or '# EOF'");
    const std::size_t kwEnd = line.find(' ', 2);
    const std::string_view keyword =
        line.substr(2, kwEnd == std::string_view::npos ? std::string_view::npos : kwEnd - 2);
    enum { Help, Type, Unit } kind;
    if (keyword == "HELP")
        kind = Help;
    else if (keyword == "TYPE")
        kind = Type;
    else if (keyword == "UNIT")
        kind = Unit;
    else
        return fail(
            p + 2, "expected HELP, TYPE, UNIT or EOF after '# ', found " + quoteUntrusted(keyword));
    if (kwEnd == std::string_view::npos)
        return fail(eol, "expected a metric name after " + std::string(keyword));
    const char *const nameBegin = p + kwEnd + 1;
    const char *q = scanMetricName(nameBegin, eol);
    if (q == nameBegin)
        return failFound(q, eol, "expected a metric name");
    if (q >= eol || *q != ' ')
        return failFound(q, eol, "expected a space after the metric name");
    const std::string_view name(nameBegin, std::size_t(q - nameBegin));
    std::string_view text(q + 1, std::size_t(eol - q - 1));

    if (m_current >= 0 && m_out.families[std::size_t(m_current)].name == name) {
        if (m_out.families[std::size_t(m_current)].sampleCount > 0)
            return fail(p,
                        "metadata for " + quoteUntrusted(name) + " must come before its samples");
    } else {
        if (!closeOmFamily())
            return false;
        const std::uint32_t index = newFamily(name, nameBegin);
        if (index == UINT32_MAX)
            return false;
        m_current = index;
        m_currentLine = m_lineNo;
        m_currentAllowed = allowedSuffixes(Format::OpenMetrics, MetricType::Unknown);
    }
    Family &f = m_out.families[std::size_t(m_current)];
    switch (kind) {
    case Help: {
        if (f.hasHelp)
            return fail(p, "second HELP line for " + quoteUntrusted(name));
        const std::size_t bad = invalidUtf8At(text);
        if (bad != std::string_view::npos)
            return fail(text.data() + bad, "HELP text is not valid UTF-8");
        if (text.find('\\') != std::string_view::npos) {
            char *out = m_arena.allocate(text.size());
            std::size_t n = 0;
            for (std::size_t i = 0; i < text.size(); ++i) {
                const char c = text[i];
                if (c == '\\' && i + 1 < text.size()) {
                    const char e = text[i + 1];
                    if (e == '\\' || e == '"' || e == 'n') {
                        out[n++] = e == 'n' ? '\n' : e;
                        ++i;
                        continue;
                    }
                }
                out[n++] = c;
            }
            text = std::string_view(out, n);
        }
        f.help = text;
        f.hasHelp = true;
        return true;
    }
    case Unit: {
        if (f.hasUnit)
            return fail(p, "second UNIT line for " + quoteUntrusted(name));
        const std::size_t bad = invalidUtf8At(text);
        if (bad != std::string_view::npos)
            return fail(text.data() + bad, "UNIT is not valid UTF-8");
        f.unit = text;
        f.hasUnit = true;
        return true;
    }
    case Type: {
        if (f.hasType)
            return fail(p, "second TYPE line for " + quoteUntrusted(name));
        MetricType type;
        if (text == "counter")
            type = MetricType::Counter;
        else if (text == "gauge")
            type = MetricType::Gauge;
        else if (text == "histogram")
            type = MetricType::Histogram;
        else if (text == "gaugehistogram")
            type = MetricType::GaugeHistogram;
        else if (text == "summary")
            type = MetricType::Summary;
        else if (text == "info")
            type = MetricType::Info;
        else if (text == "stateset")
            type = MetricType::StateSet;
        else if (text == "unknown")
            type = MetricType::Unknown;
        else
            return fail(text.data(),
                        "expected counter, gauge, histogram, gaugehistogram, summary, info, "
                        "stateset or unknown after TYPE, found "
                            + quoteUntrusted(text));
        f.type = type;
        f.hasType = true;
        m_currentAllowed = allowedSuffixes(Format::OpenMetrics, type);
        return true;
    }
    }
    return true;
}

bool ParserImpl::omFamilyForSample(std::string_view name, const char *at, SampleSuffix &suffix)
{
    if (m_current >= 0
        && matchFamily(name, m_out.families[std::size_t(m_current)].name, m_currentAllowed, suffix))
        return true;
    // A sample outside the open family starts a new family of unknown type.
    if (!closeOmFamily())
        return false;
    const std::uint32_t index = newFamily(name, at);
    if (index == UINT32_MAX)
        return false;
    m_current = index;
    m_currentLine = m_lineNo;
    m_currentAllowed = allowedSuffixes(Format::OpenMetrics, MetricType::Unknown);
    suffix = SampleSuffix::None;
    return true;
}

bool ParserImpl::isGroupExcluded(const Sample &s, std::string_view labelName) const
{
    const Family &f = m_out.families[s.family];
    switch (f.type) {
    case MetricType::Summary:
        return s.suffix == SampleSuffix::None && labelName == "quantile";
    case MetricType::StateSet:
        return labelName == f.name;
    case MetricType::Histogram:
    case MetricType::GaugeHistogram:
        return s.suffix == SampleSuffix::Bucket && labelName == "le";
    default:
        return false;
    }
}

std::uint64_t ParserImpl::groupHash(const Sample &s) const
{
    if (m_out.families[s.family].type == MetricType::Info)
        return 0;
    std::uint64_t h = 0;
    for (const Label &l : m_out.labelsOf(s)) {
        if (isGroupExcluded(s, l.name))
            continue;
        // Order-independent: label order does not make another group.
        h += hashBytes(l.name) * 31 + hashBytes(l.value);
    }
    return h;
}

bool ParserImpl::sameGroup(const Sample &a, const Sample &b) const
{
    if (m_out.families[a.family].type == MetricType::Info)
        return true;
    std::size_t countA = 0;
    for (const Label &la : m_out.labelsOf(a)) {
        if (isGroupExcluded(a, la.name))
            continue;
        ++countA;
        bool found = false;
        for (const Label &lb : m_out.labelsOf(b)) {
            if (lb.name == la.name && !isGroupExcluded(b, lb.name)) {
                found = lb.value == la.value;
                break;
            }
        }
        if (!found)
            return false;
    }
    std::size_t countB = 0;
    for (const Label &lb : m_out.labelsOf(b)) {
        if (!isGroupExcluded(b, lb.name))
            ++countB;
    }
    return countA == countB;
}

bool ParserImpl::checkOmSample(Sample &s, const char *at)
{
    const Family &f = m_out.families[s.family];
    const MetricType type = f.type;
    const SampleSuffix suffix = s.suffix;

    if (type == MetricType::StateSet && !m_out.labelValue(s, f.name))
        return fail(
            at, "stateset sample needs a label named after its family, " + quoteUntrusted(f.name));
    const bool histogramLike = type == MetricType::Histogram || type == MetricType::GaugeHistogram;
    if (histogramLike && suffix == SampleSuffix::Bucket) {
        const auto le = m_out.labelValue(s, "le");
        double bound = 0;
        if (!le || detail::parseNumber(*le, bound) != detail::NumberResult::Ok || std::isnan(bound)
            || (std::isinf(bound) && *le != "+Inf" && *le != "-Inf"))
            return fail(at,
                        "histogram bucket needs an \"le\" label holding a number, found "
                            + (le ? quoteUntrusted(*le) : std::string("none")));
        if (!std::isfinite(s.value) || s.value != std::floor(s.value))
            return fail(at, "bucket value must be a whole number");
    }
    if ((suffix == SampleSuffix::Count || suffix == SampleSuffix::GCount)
        && (!std::isfinite(s.value) || s.value != std::floor(s.value)))
        return fail(at, "count value must be a whole number");
    if (type == MetricType::Summary && suffix == SampleSuffix::None) {
        const auto q = m_out.labelValue(s, "quantile");
        double quantile = -1;
        if (!q || detail::parseNumber(*q, quantile) != detail::NumberResult::Ok
            || !(quantile >= 0 && quantile <= 1))
            return fail(at,
                        "summary quantile needs a \"quantile\" label between 0 and 1, found "
                            + (q ? quoteUntrusted(*q) : std::string("none")));
    }

    // Grouping: a labelset's samples are contiguous, and their timestamps do not go back.
    if (m_groupSample >= 0 && m_out.samples[std::size_t(m_groupSample)].family == s.family
        && sameGroup(m_out.samples[std::size_t(m_groupSample)], s)) {
        const Sample &prev = m_out.samples.back();
        if (prev.hasTimestamp != s.hasTimestamp)
            return fail(at, "samples of one metric must all have timestamps, or none");
        if (s.hasTimestamp && s.timestampMs < prev.timestampMs && type != MetricType::Info)
            return fail(at, "timestamps went backwards within one metric");
    } else {
        const std::uint64_t h = groupHash(s);
        if (m_seenGroups.find(
                h, [&](std::uint32_t first) { return sameGroup(m_out.samples[first], s); }))
            return fail(at,
                        "samples of one metric must be together; this labelset "
                        "appeared earlier in the family");
        m_groupSample = std::int64_t(m_out.samples.size());
        m_seenGroups.insert(h, std::uint32_t(m_out.samples.size()));
    }

    if (type == MetricType::StateSet && s.value != 0 && s.value != 1)
        return fail(at, "stateset values must be 0 or 1");
    if (type == MetricType::Info && s.value != 1)
        return fail(at, "info values must be 1");
    if (type == MetricType::Summary && suffix == SampleSuffix::None && s.value < 0)
        return fail(at, "summary quantile values cannot be negative");
    const bool counterLike = suffix == SampleSuffix::Total || suffix == SampleSuffix::Sum
        || suffix == SampleSuffix::Count || suffix == SampleSuffix::Bucket
        || suffix == SampleSuffix::GCount;
    if ((counterLike || suffix == SampleSuffix::GSum) && std::isnan(s.value))
        return fail(at, "counter-like values cannot be NaN");
    if (counterLike && s.value < 0)
        return fail(at, "counter-like values cannot be negative");
    if (s.exemplar >= 0) {
        const bool allowed = (histogramLike && suffix == SampleSuffix::Bucket)
            || (type == MetricType::Counter && suffix == SampleSuffix::Total);
        if (!allowed)
            return fail(at,
                        "exemplars are allowed only on counter _total and histogram "
                        "_bucket samples");
    }
    return true;
}

bool ParserImpl::checkOmHistogram(const Family &f)
{
    const auto samples = m_out.samplesOf(f);
    std::size_t i = 0;
    while (i < samples.size()) {
        // One run of samples with the same group and timestamp.
        std::size_t j = i + 1;
        while (j < samples.size() && sameGroup(samples[i], samples[j])
               && samples[j].hasTimestamp == samples[i].hasTimestamp
               && (!samples[i].hasTimestamp || samples[j].timestampMs == samples[i].timestampMs))
            ++j;
        bool haveBucket = false, haveCount = false, haveSum = false, haveGSum = false;
        bool negativeBuckets = false, negativeGSum = false;
        double lastBound = 0, lastValue = 0, count = 0;
        std::uint32_t line = samples[i].line;
        for (std::size_t k = i; k < j; ++k) {
            const Sample &s = samples[k];
            line = s.line;
            switch (s.suffix) {
            case SampleSuffix::Bucket: {
                double bound = 0;
                detail::parseNumber(*m_out.labelValue(s, "le"), bound);
                if (bound < 0)
                    negativeBuckets = true;
                if (haveBucket && bound <= lastBound) {
                    m_lineNo = s.line;
                    return fail(nullptr, "histogram buckets must be in increasing \"le\" order");
                }
                if (haveBucket && s.value < lastValue) {
                    m_lineNo = s.line;
                    return fail(nullptr, "histogram bucket counts must not decrease");
                }
                haveBucket = true;
                lastBound = bound;
                lastValue = s.value;
                break;
            }
            case SampleSuffix::Count:
            case SampleSuffix::GCount:
                haveCount = true;
                count = s.value;
                break;
            case SampleSuffix::Sum:
                haveSum = true;
                break;
            case SampleSuffix::GSum:
                haveGSum = true;
                negativeGSum = s.value < 0;
                break;
            default:
                break;
            }
        }
        m_lineNo = line;
        auto name = [&] {
            return quoteUntrusted(f.name);
        };
        if (!haveBucket || !std::isinf(lastBound) || lastBound < 0)
            return fail(nullptr, "histogram " + name() + " has no +Inf bucket");
        if (haveCount && count != lastValue)
            return fail(nullptr, "histogram " + name() + " count does not match its +Inf bucket");
        if (haveSum && !haveCount)
            return fail(nullptr, "histogram " + name() + " has _sum without _count");
        if (haveGSum && !haveCount)
            return fail(nullptr, "gauge histogram " + name() + " has _gsum without _gcount");
        if (haveCount && !haveSum && !haveGSum)
            return fail(nullptr, "histogram " + name() + " has a count without a sum");
        if (negativeBuckets && haveSum)
            return fail(nullptr, "histogram " + name() + " with negative buckets cannot have _sum");
        if (!negativeBuckets && negativeGSum)
            return fail(nullptr,
                        "gauge histogram " + name()
                            + " has a negative _gsum but no negative bucket");
        i = j;
    }
    return true;
}

bool ParserImpl::closeOmFamily()
{
    if (m_current < 0)
        return true;
    const Family &f = m_out.families[std::size_t(m_current)];
    const std::uint32_t savedLine = m_lineNo;
    const char *const savedBegin = m_lineBegin;
    m_lineNo = m_currentLine;

    // Names a family owns may not be used by another family.
    std::uint16_t owned = allowedSuffixes(Format::OpenMetrics, f.type) | bit(SampleSuffix::None);
    if (f.type == MetricType::Histogram || f.type == MetricType::Counter)
        owned |= bit(SampleSuffix::Created);
    for (const SampleSuffix s : kAllSuffixes) {
        if (!(owned & bit(s)))
            continue;
        const std::uint64_t h = mix(fnv(suffixText(s), fnv(f.name)));
        const std::size_t length = f.name.size() + suffixText(s).size();
        const bool clash = m_seenNames.find(h, [&](std::uint32_t packed) {
            const Family &other = m_out.families[packed >> 4];
            const std::string_view otherSuffix = suffixText(SampleSuffix(packed & 15));
            if (other.name.size() + otherSuffix.size() != length)
                return false;
            // Compare name+suffix with other.name+otherSuffix without building either.
            const std::string_view a1 = f.name, a2 = suffixText(s);
            const std::string_view b1 = other.name, b2 = otherSuffix;
            for (std::size_t i = 0; i < length; ++i) {
                const char ca = i < a1.size() ? a1[i] : a2[i - a1.size()];
                const char cb = i < b1.size() ? b1[i] : b2[i - b1.size()];
                if (ca != cb)
                    return false;
            }
            return true;
        });
        if (clash)
            return fail(nullptr,
                        "metric family " + quoteUntrusted(f.name)
                            + " clashes with the name of an earlier family");
        m_seenNames.insert(h, std::uint32_t(m_current) << 4 | std::uint32_t(s));
    }
    if (f.hasUnit && !f.unit.empty()) {
        if (f.type == MetricType::Info || f.type == MetricType::StateSet)
            return fail(nullptr, std::string("a ") + typeName(f.type) + " cannot have a UNIT");
        if (f.name.size() <= f.unit.size() + 1 || !hasSuffix(f.name, f.unit)
            || f.name[f.name.size() - f.unit.size() - 1] != '_')
            return fail(nullptr,
                        "metric name " + quoteUntrusted(f.name) + " must end with its unit "
                            + quoteUntrusted(f.unit));
    }
    if ((f.type == MetricType::Histogram || f.type == MetricType::GaugeHistogram)
        && f.sampleCount > 0 && !checkOmHistogram(f))
        return false;
    if (f.skipped) {
        // Validated; now let go of what the caller does not want.
        const auto samples = m_out.samplesOf(f);
        if (!samples.empty()) {
            m_out.labels.resize(samples.front().firstLabel);
            for (const Sample &s : samples) {
                if (s.exemplar >= 0) {
                    m_out.exemplars.resize(std::size_t(s.exemplar));
                    break;
                }
            }
            m_out.samples.resize(f.firstSample);
        }
        m_out.families[std::size_t(m_current)].sampleCount = 0;
    }
    m_lineNo = savedLine;
    m_lineBegin = savedBegin;
    m_current = -1;
    m_seenGroups.clear();
    m_groupSample = -1;
    return true;
}

// ---------------------------------------------------------------------------------------------

void parseInto(Exposition &out, std::string_view body, const ParseOptions &options)
{
    out.clear();
    ParserImpl parser(out, body, options);
    parser.run();
    if (out.error) {
        // A rejected exposition holds nothing but its error.
        out.families.clear();
        out.samples.clear();
        out.labels.clear();
        out.exemplars.clear();
    }
}

Exposition parse(std::string_view body, const ParseOptions &options)
{
    Exposition out;
    parseInto(out, body, options);
    return out;
}

} // namespace fleetscope::exposition
