#include "exposition/numbers.h"

#include <charconv>
#include <cmath>
#include <limits>

namespace fleetscope::exposition::detail {
namespace {

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c;
}

bool equalsIgnoreCase(std::string_view text, std::string_view lowerWord)
{
    if (text.size() != lowerWord.size())
        return false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (lower(text[i]) != lowerWord[i])
            return false;
    }
    return true;
}

// Checks [sign] (digits [. digits*] | . digits) [e [sign] digits] and converts it.
NumberResult parseDecimal(std::string_view text, double &out)
{
    const char *p = text.data();
    const char *const end = p + text.size();
    bool negative = false;
    if (p != end && (*p == '+' || *p == '-')) {
        negative = *p == '-';
        ++p;
    }
    const char *const digitsBegin = p;

    // Fast path: up to 15 plain digits are exact as an integer double.
    std::uint64_t integer = 0;
    while (p != end && isDigit(*p) && p - digitsBegin < 16) {
        integer = integer * 10 + std::uint64_t(*p - '0');
        ++p;
    }
    if (p == end && p != digitsBegin && p - digitsBegin <= 15) {
        const double v = double(integer);
        out = negative ? -v : v;
        return NumberResult::Ok;
    }

    // Grammar check for the general case.
    p = digitsBegin;
    std::size_t intDigits = 0;
    std::size_t leadingZeros = 0;
    bool seenNonZero = false;
    while (p != end && isDigit(*p)) {
        if (*p != '0')
            seenNonZero = true;
        else if (!seenNonZero)
            ++leadingZeros;
        ++intDigits;
        ++p;
    }
    std::size_t fracDigits = 0;
    std::size_t fracLeadingZeros = 0;
    if (p != end && *p == '.') {
        ++p;
        while (p != end && isDigit(*p)) {
            if (*p != '0')
                seenNonZero = true;
            else if (!seenNonZero)
                ++fracLeadingZeros;
            ++fracDigits;
            ++p;
        }
    }
    if (intDigits + fracDigits == 0)
        return NumberResult::Invalid;
    long long exponent = 0;
    if (p != end && (*p == 'e' || *p == 'E')) {
        ++p;
        bool negativeExponent = false;
        if (p != end && (*p == '+' || *p == '-')) {
            negativeExponent = *p == '-';
            ++p;
        }
        const char *const expBegin = p;
        while (p != end && isDigit(*p)) {
            if (exponent < 100000)
                exponent = exponent * 10 + (*p - '0');
            ++p;
        }
        if (p == expBegin)
            return NumberResult::Invalid;
        if (negativeExponent)
            exponent = -exponent;
    }
    if (p != end)
        return NumberResult::Invalid;

    // from_chars takes no leading '+'; the sign is applied afterwards.
    double v = 0;
    const auto [ptr, ec] = std::from_chars(digitsBegin, end, v, std::chars_format::general);
    if (ec == std::errc::result_out_of_range) {
        if (!seenNonZero) {
            v = 0;
        } else {
            // Decimal magnitude of the first significant digit decides overflow or underflow.
            const long long magnitude = intDigits > leadingZeros
                ? (long long)(intDigits - leadingZeros) + exponent
                : -(long long)fracLeadingZeros + exponent;
            if (magnitude > 0)
                return NumberResult::OutOfRange;
            v = 0;
        }
    } else if (ec != std::errc() || ptr != end) {
        return NumberResult::Invalid;
    }
    out = negative ? -v : v;
    return NumberResult::Ok;
}

} // namespace

NumberResult parseNumber(std::string_view text, double &out)
{
    if (text.empty())
        return NumberResult::Invalid;
    const char first = text.front();
    if (isDigit(first) || first == '.')
        return parseDecimal(text, out);
    std::string_view rest = text;
    bool negative = false;
    bool signed_ = false;
    if (first == '+' || first == '-') {
        negative = first == '-';
        signed_ = true;
        rest.remove_prefix(1);
    }
    if (!rest.empty() && (rest.front() == 'i' || rest.front() == 'I')) {
        if (equalsIgnoreCase(rest, "inf") || equalsIgnoreCase(rest, "infinity")) {
            out = negative ? -std::numeric_limits<double>::infinity()
                           : std::numeric_limits<double>::infinity();
            return NumberResult::Ok;
        }
        return NumberResult::Invalid;
    }
    if (!signed_ && equalsIgnoreCase(rest, "nan")) {
        out = std::numeric_limits<double>::quiet_NaN();
        return NumberResult::Ok;
    }
    return parseDecimal(text, out);
}

NumberResult parseRealNumber(std::string_view text, double &out)
{
    if (text.empty())
        return NumberResult::Invalid;
    return parseDecimal(text, out);
}

NumberResult parseMillis(std::string_view text, std::int64_t &out)
{
    if (text.empty())
        return NumberResult::Invalid;
    for (const char c : text) {
        if (!isDigit(c))
            return NumberResult::Invalid;
    }
    std::int64_t v = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v, 10);
    if (ec == std::errc::result_out_of_range)
        return NumberResult::OutOfRange;
    if (ec != std::errc() || ptr != text.data() + text.size())
        return NumberResult::Invalid;
    out = v;
    return NumberResult::Ok;
}

} // namespace fleetscope::exposition::detail
