#include "duration.h"

#include <array>
#include <limits>

namespace fleetscope::fleet {

namespace {

bool isDigit(QChar c)
{
    return c >= QLatin1Char('0') && c <= QLatin1Char('9');
}

struct Unit
{
    const char *name;
    qint64 ms;
};

constexpr qint64 kDay = 24LL * 3600 * 1000;
constexpr std::array<Unit, 7> kUnits { { { "y", 365 * kDay },
                                         { "w", 7 * kDay },
                                         { "d", kDay },
                                         { "h", 3600LL * 1000 },
                                         { "m", 60LL * 1000 },
                                         { "s", 1000 },
                                         { "ms", 1 } } };

void setError(QString *error, const QString &message)
{
    if (error)
        *error = message;
}

} // namespace

std::optional<std::chrono::milliseconds> parseDuration(QStringView text, QString *error)
{
    const QString expected = QStringLiteral(
        "expected a duration such as \"15s\", \"1m30s\" or \"500ms\" (units y, w, d, h, m, "
        "s, ms, largest first, whole numbers)");
    if (text == u"0")
        return std::chrono::milliseconds(0);
    if (text.isEmpty()) {
        setError(error, expected);
        return std::nullopt;
    }
    qint64 total = 0;
    qsizetype pos = 0;
    std::size_t nextUnit = 0;
    while (pos < text.size()) {
        if (!isDigit(text[pos])) {
            setError(error, expected);
            return std::nullopt;
        }
        qint64 amount = 0;
        while (pos < text.size() && isDigit(text[pos])) {
            const int digit = text[pos].unicode() - u'0';
            if (amount > (std::numeric_limits<qint64>::max() - digit) / 10) {
                setError(error, QStringLiteral("duration is too long"));
                return std::nullopt;
            }
            amount = amount * 10 + digit;
            ++pos;
        }
        qsizetype end = pos;
        while (end < text.size() && !isDigit(text[end]))
            ++end;
        const QStringView unitText = text.mid(pos, end - pos);
        std::size_t found = kUnits.size();
        for (std::size_t i = 0; i < kUnits.size(); ++i) {
            if (unitText == QLatin1String(kUnits[i].name))
                found = i;
        }
        if (found == kUnits.size()) {
            setError(error,
                     unitText.isEmpty() ? expected + QStringLiteral(": a unit is missing")
                                        : expected);
            return std::nullopt;
        }
        if (found < nextUnit) {
            setError(error, expected + QStringLiteral(": units must appear once, largest first"));
            return std::nullopt;
        }
        nextUnit = found + 1;
        if (amount > std::numeric_limits<qint64>::max() / kUnits[found].ms
            || total > std::numeric_limits<qint64>::max() - amount * kUnits[found].ms) {
            setError(error, QStringLiteral("duration is too long"));
            return std::nullopt;
        }
        total += amount * kUnits[found].ms;
        pos = end;
    }
    return std::chrono::milliseconds(total);
}

QString formatDuration(std::chrono::milliseconds d)
{
    qint64 ms = d.count();
    if (ms == 0)
        return QStringLiteral("0s");
    QString out;
    if (ms < 0) {
        out += QLatin1Char('-');
        ms = -ms;
    }
    for (const Unit &unit : kUnits) {
        if (ms >= unit.ms) {
            out += QString::number(ms / unit.ms) + QLatin1String(unit.name);
            ms %= unit.ms;
        }
    }
    return out;
}

std::optional<qint64> parseByteSize(QStringView text, QString *error)
{
    const QString expected =
        QStringLiteral("expected a size in bytes such as 10485760, \"512KiB\" or \"10MB\"");
    qsizetype pos = 0;
    qint64 amount = 0;
    while (pos < text.size() && isDigit(text[pos])) {
        const int digit = text[pos].unicode() - u'0';
        if (amount > (std::numeric_limits<qint64>::max() - digit) / 10) {
            setError(error, QStringLiteral("size is too large"));
            return std::nullopt;
        }
        amount = amount * 10 + digit;
        ++pos;
    }
    if (pos == 0) {
        setError(error, expected);
        return std::nullopt;
    }
    const QStringView unit = text.mid(pos);
    int shift = -1;
    if (unit.isEmpty() || unit == u"B")
        shift = 0;
    else if (unit == u"KB" || unit == u"KiB")
        shift = 10;
    else if (unit == u"MB" || unit == u"MiB")
        shift = 20;
    else if (unit == u"GB" || unit == u"GiB")
        shift = 30;
    else if (unit == u"TB" || unit == u"TiB")
        shift = 40;
    if (shift < 0) {
        setError(error, expected);
        return std::nullopt;
    }
    if (amount > (std::numeric_limits<qint64>::max() >> shift)) {
        setError(error, QStringLiteral("size is too large"));
        return std::nullopt;
    }
    return amount << shift;
}

} // namespace fleetscope::fleet
