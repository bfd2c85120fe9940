// The exposition parser: one pass over the body, line by line, with the grammar of the format
// chosen (0.0.4 as the Prometheus server's text parser reads it; OpenMetrics 1.0 as its
// conformance suite says), then the format's semantic rules. Zero-copy: names and plain label
// values are views into the body; only escaped strings are decoded, into the arena.
// OpenMetrics 1.0 is in openmetrics.cpp.

#include "exposition/parserimpl.h"

namespace fleetscope::exposition {

using namespace parsing;

// ---------------------------------------------------------------------------------------------
// Exposition

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
