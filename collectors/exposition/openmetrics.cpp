// The exposition parser's OpenMetrics 1.0 grammar and rules (the conformance suite's reading):
// lines, metadata, the family each sample belongs to, its suffix and labels, groups, histograms
// and # EOF. The driver and the 0.0.4 grammar are in parser.cpp.

#include "exposition/parserimpl.h"

namespace fleetscope::exposition {

using namespace parsing;

// ---------------------------------------------------------------------------------------------
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

} // namespace fleetscope::exposition
