#include "exposition/dump.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <vector>

namespace fleetscope::exposition {

void appendValue(std::string &out, double value)
{
    if (std::isnan(value)) {
        out += "NaN";
        return;
    }
    if (std::isinf(value)) {
        out += value > 0 ? "+Inf" : "-Inf";
        return;
    }
    char buf[32];
    const auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, value);
    out.append(buf, ec == std::errc() ? std::size_t(ptr - buf) : 0);
}

std::string formatValue(double value)
{
    std::string s;
    appendValue(s, value);
    return s;
}

static void appendEscaped(std::string &out, std::string_view value)
{
    for (const char c : value) {
        switch (c) {
        case '\\':
            out += "\\\\";
            break;
        case '"':
            out += "\\\"";
            break;
        case '\n':
            out += "\\n";
            break;
        default:
            out += c;
        }
    }
}

void appendCanonicalSample(std::string &out, const Exposition &exposition, const Sample &sample)
{
    out += sample.name;
    const auto labels = exposition.labelsOf(sample);
    if (!labels.empty()) {
        // Sort small label sets without allocating.
        const Label *sorted[64];
        std::vector<const Label *> heap;
        const Label **order = sorted;
        if (labels.size() > 64) {
            heap.resize(labels.size());
            order = heap.data();
        }
        for (std::size_t i = 0; i < labels.size(); ++i)
            order[i] = &labels[i];
        std::sort(order, order + labels.size(),
                  [](const Label *a, const Label *b) { return a->name < b->name; });
        out += '{';
        for (std::size_t i = 0; i < labels.size(); ++i) {
            if (i)
                out += ',';
            out += order[i]->name;
            out += "=\"";
            appendEscaped(out, order[i]->value);
            out += '"';
        }
        out += '}';
    }
    out += ' ';
    appendValue(out, sample.value);
    if (sample.hasTimestamp) {
        // Milliseconds read best without an exponent: 1700000000123, 1500.5.
        out += ' ';
        if (!std::isfinite(sample.timestampMs)) {
            appendValue(out, sample.timestampMs);
            return;
        }
        char buf[400];
        const auto [ptr, ec] =
            std::to_chars(buf, buf + sizeof buf, sample.timestampMs, std::chars_format::fixed);
        out.append(buf, ec == std::errc() ? std::size_t(ptr - buf) : 0);
    }
}

std::string canonicalDump(const Exposition &exposition)
{
    std::string out;
    out.reserve(exposition.samples.size() * 64);
    const auto &samples = exposition.samples;
    const bool written =
        std::is_sorted(samples.begin(), samples.end(),
                       [](const Sample &a, const Sample &b) { return a.line < b.line; });
    if (written) {
        for (const Sample &s : samples) {
            appendCanonicalSample(out, exposition, s);
            out += '\n';
        }
        return out;
    }
    // 0.0.4 families written interleaved were gathered by the parser; dump in written order.
    std::vector<const Sample *> order(samples.size());
    for (std::size_t i = 0; i < samples.size(); ++i)
        order[i] = &samples[i];
    std::stable_sort(order.begin(), order.end(),
                     [](const Sample *a, const Sample *b) { return a->line < b->line; });
    for (const Sample *s : order) {
        appendCanonicalSample(out, exposition, *s);
        out += '\n';
    }
    return out;
}

std::string quoteUntrusted(std::string_view bytes, std::size_t maxBytes)
{
    static constexpr char hex[] = "0123456789abcdef";
    std::string out = "\"";
    const std::size_t n = std::min(bytes.size(), maxBytes);
    for (std::size_t i = 0; i < n; ++i) {
        const unsigned char c = static_cast<unsigned char>(bytes[i]);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += char(c);
        } else if (c == '\n') {
            out += "\\n";
        } else if (c == '\t') {
            out += "\\t";
        } else if (c < 0x20 || c >= 0x7f) {
            out += "\\x";
            out += hex[c >> 4];
            out += hex[c & 15];
        } else {
            out += char(c);
        }
    }
    out += '"';
    if (bytes.size() > maxBytes)
        out += "...";
    return out;
}

} // namespace fleetscope::exposition
