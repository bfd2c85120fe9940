#pragma once

// ParserImpl: the exposition parser's state over one body, and the character, suffix and hash
// helpers its two grammars share. Private to collectors/exposition: parser.cpp holds the driver,
// labels and the 0.0.4 grammar, openmetrics.cpp the OpenMetrics 1.0 grammar and its rules. One
// thread (the caller's); borrows the Exposition it fills.

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

namespace parsing {

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

inline constexpr std::array<std::uint8_t, 256> kChars = makeCharTable();

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
inline std::size_t invalidUtf8At(std::string_view s)
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

inline std::size_t codePoints(std::string_view s)
{
    std::size_t n = 0;
    for (const char c : s) {
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80)
            ++n;
    }
    return n;
}

inline bool hasSuffix(std::string_view s, std::string_view suffix)
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

inline constexpr std::array<SampleSuffix, 9> kAllSuffixes = {
    SampleSuffix::None,   SampleSuffix::Total, SampleSuffix::Created,
    SampleSuffix::Bucket, SampleSuffix::Count, SampleSuffix::Sum,
    SampleSuffix::GCount, SampleSuffix::GSum,  SampleSuffix::Info,
};

// Sample names a family of this type owns, as suffix bits.
inline std::uint16_t allowedSuffixes(Format format, MetricType type)
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
inline bool matchFamily(std::string_view sampleName, std::string_view familyName,
                        std::uint16_t allowed, SampleSuffix &suffix)
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

inline constexpr std::uint64_t kHashSeed = 1469598103934665603ull;

// FNV-1a, continued from `h`, so hashing "ab" equals hashing "a" then "b". Lookups always
// confirm equality, so collisions only cost time.
inline std::uint64_t fnv(std::string_view s, std::uint64_t h = kHashSeed)
{
    for (const char c : s) {
        h ^= static_cast<unsigned char>(c);
        h *= 1099511628211ull;
    }
    return h;
}

inline std::uint64_t mix(std::uint64_t h)
{
    return h ^ (h >> 29); // FNV's low bits are weak; the tables index by them
}

inline std::uint64_t hashBytes(std::string_view s)
{
    return mix(fnv(s));
}

} // namespace parsing

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
        if (p >= eol || !parsing::is(*p, parsing::kMetricStart))
            return p;
        ++p;
        while (p < eol && parsing::is(*p, parsing::kMetricChar))
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
        m_familyByName.find(parsing::hashBytes(name), [&](std::uint32_t index) {
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

} // namespace fleetscope::exposition
