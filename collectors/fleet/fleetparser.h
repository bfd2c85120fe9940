#pragma once

// FleetParser: reads one fleet file (file_sd list or object form, JSON or YAML) into a
// FleetLoadResult, collecting errors with their line and column, within the file's limits; and
// the text helpers its parts share. Private to collectors/fleet: fleetfile.cpp holds the driver
// and the object form's settings sections, fleetgroups.cpp the target groups and targets. One
// thread (the caller's); fills the result it is given.

#include "fleetfile.h"

#include "duration.h"
#include "populationcentres.h"
#include "suggest.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QUrlQuery>

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <charconv>
#include <cmath>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

namespace fleetscope::fleet::parsing {

using std::chrono::milliseconds;

constexpr qint64 kMaxTokenBytes = 64 * 1024;
constexpr milliseconds kMaxInterval { 24LL * 3600 * 1000 };

// Thrown to stop after too many errors or an exhausted budget; caught in FleetParser::run.
struct Abort
{
};

// Untrusted text for a message: control and invisible characters escaped, at most 60 characters.
inline QString quoted(QStringView text)
{
    QString out = QStringLiteral("\"");
    qsizetype shown = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (shown >= 60) {
            out += QStringLiteral("...");
            break;
        }
        const QChar c = text[i];
        if (c == QLatin1Char('"') || c == QLatin1Char('\\')) {
            out += QLatin1Char('\\') + c;
        } else if (c.isPrint() && !c.isSurrogate()) {
            out += c;
        } else if (c.isHighSurrogate() && i + 1 < text.size() && text[i + 1].isLowSurrogate()) {
            out += c;
            out += text[++i];
        } else {
            out += QStringLiteral("\\u%1").arg(c.unicode(), 4, 16, QLatin1Char('0'));
        }
        ++shown;
    }
    return out + QLatin1Char('"');
}

inline QString q(const char *latin1)
{
    return QLatin1Char('"') + QLatin1String(latin1) + QLatin1Char('"');
}

// Offset of the first byte that is not part of well-formed UTF-8, or -1.
inline qsizetype invalidUtf8At(const QByteArray &text)
{
    const auto *s = reinterpret_cast<const unsigned char *>(text.constData());
    const qsizetype n = text.size();
    qsizetype i = 0;
    while (i < n) {
        const unsigned char c = s[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        int len = 0;
        char32_t cp = 0;
        if ((c & 0xE0) == 0xC0) {
            len = 2;
            cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            len = 3;
            cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            len = 4;
            cp = c & 0x07;
        } else {
            return i;
        }
        if (i + len > n)
            return i;
        for (int k = 1; k < len; ++k) {
            if ((s[i + k] & 0xC0) != 0x80)
                return i;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        const char32_t minimum = len == 2 ? 0x80 : len == 3 ? 0x800 : 0x10000;
        if (cp < minimum || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return i;
        i += len;
    }
    return -1;
}

struct Position
{
    int line = 1;
    int column = 1;
};

inline Position positionOf(const QByteArray &text, qsizetype offset)
{
    Position p;
    for (qsizetype i = 0; i < offset && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++p.line;
            p.column = 1;
        } else {
            ++p.column;
        }
    }
    return p;
}

// A cheap bound on nesting before yaml-cpp (whose parser recurses) sees the text: flow brackets
// outside quotes and comments, and block sequences opened on one line ("- - - x"). Returns the
// offset where the limit is passed, or -1.
inline qsizetype nestingTooDeepAt(const QByteArray &text, int maxNesting)
{
    int flow = 0;
    int dashes = 0;
    bool lineStart = true;
    char quote = 0;
    bool comment = false;
    char previous = '\n';
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '\n') {
            lineStart = true;
            dashes = 0;
            comment = false;
            previous = c;
            continue;
        }
        if (comment) {
            continue;
        } else if (quote) {
            if (c == '\\' && quote == '"')
                ++i;
            else if (c == quote)
                quote = 0;
        } else if (lineStart && (c == ' ' || c == '\t')) {
            // indentation
        } else if (lineStart && c == '-' && i + 1 < text.size()
                   && (text[i + 1] == ' ' || text[i + 1] == '\t' || text[i + 1] == '\n')) {
            if (++dashes > maxNesting)
                return i;
        } else {
            lineStart = false;
            const bool tokenStart = previous == ' ' || previous == '\t' || previous == '\n'
                || previous == '[' || previous == '{' || previous == ',' || previous == ':';
            if (c == '#' && (previous == ' ' || previous == '\t' || previous == '\n'))
                comment = true;
            else if ((c == '"' || c == '\'') && tokenStart)
                quote = c;
            else if (c == '[' || c == '{') {
                if (++flow > maxNesting)
                    return i;
            } else if ((c == ']' || c == '}') && flow > 0)
                --flow;
        }
        previous = c;
    }
    return -1;
}

inline bool isLabelName(QStringView name)
{
    if (name.isEmpty())
        return false;
    for (qsizetype i = 0; i < name.size(); ++i) {
        const char16_t c = name[i].unicode();
        const bool alpha = (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || c == u'_';
        if (!alpha && !(i > 0 && c >= u'0' && c <= u'9'))
            return false;
    }
    return true;
}

inline bool isHostLabelChar(QChar c)
{
    const char16_t u = c.unicode();
    return (u >= u'a' && u <= u'z') || (u >= u'0' && u <= u'9') || u == u'-' || u == u'_';
}

inline std::optional<double> parseDouble(const std::string &s, bool *outOfRange = nullptr)
{
    std::string_view v(s);
    if (!v.empty() && v.front() == '+')
        v.remove_prefix(1);
    if (v.empty() || (v.front() == '-' && v.size() == 1))
        return std::nullopt;
    // from_chars would take "inf", "nan" and hex; a fleet file means none of them.
    for (char c : v) {
        if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '-' || c == '+'))
            return std::nullopt;
    }
    double value = 0;
    const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), value);
    if (ec == std::errc::result_out_of_range) {
        if (outOfRange)
            *outOfRange = true;
        return std::nullopt;
    }
    if (ec != std::errc() || end != v.data() + v.size() || !std::isfinite(value))
        return std::nullopt;
    return value;
}

// Counts documents and notes where the first one's content starts, without building nodes.
struct DocumentCounter : YAML::EventHandler
{
    std::vector<YAML::Mark> starts;
    YAML::Mark firstEvent = YAML::Mark::null_mark();

    void note(const YAML::Mark &mark)
    {
        if (firstEvent.is_null())
            firstEvent = mark;
    }
    void OnDocumentStart(const YAML::Mark &mark) override { starts.push_back(mark); }
    void OnDocumentEnd() override { }
    void OnNull(const YAML::Mark &mark, YAML::anchor_t) override { note(mark); }
    void OnAlias(const YAML::Mark &mark, YAML::anchor_t) override { note(mark); }
    void OnScalar(const YAML::Mark &mark, const std::string &, YAML::anchor_t,
                  const std::string &) override
    {
        note(mark);
    }
    void OnSequenceStart(const YAML::Mark &mark, const std::string &, YAML::anchor_t,
                         YAML::EmitterStyle::value) override
    {
        note(mark);
    }
    void OnSequenceEnd() override { }
    void OnMapStart(const YAML::Mark &mark, const std::string &, YAML::anchor_t,
                    YAML::EmitterStyle::value) override
    {
        note(mark);
    }
    void OnMapEnd() override { }
};

struct GroupSettings
{
    QString scheme;
    QString metricsPath;
    milliseconds interval {};
    milliseconds timeout {};
    QList<QPair<QString, QString>> params;
};

class FleetParser
{
public:
    FleetParser(const QString &fileName, const FleetFileOptions &options, FleetLoadResult &result)
        : m_file(fileName)
        , m_options(options)
        , m_limits(options.limits)
        , m_result(result)
        , m_regions(options.regions ? *options.regions : RegionCatalogue::embedded())
        , m_centres(options.centres ? *options.centres : PopulationCentres::embedded())
    { }

    void run(const QByteArray &text);

private:
    // diagnostics ---------------------------------------------------------------------------
    Diagnostic at(const YAML::Mark &mark, const QString &message) const
    {
        Diagnostic d;
        d.file = m_file;
        if (!mark.is_null() && mark.line >= 0) {
            d.line = mark.line + 1;
            d.column = mark.column + 1;
        }
        d.message = message;
        return d;
    }
    void error(const YAML::Mark &mark, const QString &message)
    {
        if (m_result.errors.size() >= m_limits.maxErrors) {
            m_result.errors.append(at(mark, QStringLiteral("too many errors; stopping here")));
            throw Abort();
        }
        m_result.errors.append(at(mark, message));
    }
    void fatal(const YAML::Mark &mark, const QString &message)
    {
        m_result.errors.append(at(mark, message));
        throw Abort();
    }
    void warning(const YAML::Mark &mark, const QString &message)
    {
        if (m_result.warnings.size() < m_limits.maxErrors)
            m_result.warnings.append(at(mark, message));
    }
    static YAML::Mark markOf(const YAML::Node &value, const YAML::Mark &fallback)
    {
        return value.IsNull() || value.Mark().is_null() ? fallback : value.Mark();
    }

    // budget ----------------------------------------------------------------------------------
    void visit(const YAML::Mark &mark)
    {
        if (++m_visited > m_limits.maxEntriesVisited)
            fatal(mark,
                  QStringLiteral("the fleet file expands to more than %1 entries (through YAML "
                                 "aliases?); expected a plain list of targets")
                      .arg(m_limits.maxEntriesVisited));
    }
    void spend(const YAML::Mark &mark, qint64 bytes)
    {
        m_expanded += bytes;
        if (m_expanded > m_limits.maxExpandedBytes)
            fatal(mark,
                  QStringLiteral("the fleet file expands to more than %1 MiB of targets and "
                                 "labels (through YAML aliases?)")
                      .arg(m_limits.maxExpandedBytes / (1024 * 1024)));
    }

    // typed values ----------------------------------------------------------------------------
    static bool isPlain(const YAML::Node &n) { return n.Tag() == "?"; }
    static QString describe(const YAML::Node &n)
    {
        switch (n.Type()) {
        case YAML::NodeType::Null:
        case YAML::NodeType::Undefined:
            return QStringLiteral("nothing (null)");
        case YAML::NodeType::Sequence:
            return QStringLiteral("a list");
        case YAML::NodeType::Map:
            return QStringLiteral("a mapping");
        case YAML::NodeType::Scalar:
            break;
        }
        const std::string &s = n.Scalar();
        if (!isPlain(n))
            return QStringLiteral("the string ")
                + quoted(QString::fromUtf8(s.data(),
                                           qsizetype(std::min<std::size_t>(s.size(), 256))));
        if (s == "true" || s == "false" || s == "True" || s == "False" || s == "TRUE"
            || s == "FALSE")
            return QStringLiteral("the boolean ") + QString::fromLatin1(s.c_str());
        bool outOfRange = false;
        if (parseDouble(s, &outOfRange) || outOfRange)
            return QStringLiteral("the number ")
                + quoted(QString::fromUtf8(s.data(),
                                           qsizetype(std::min<std::size_t>(s.size(), 256))));
        return quoted(QString::fromUtf8(s.data(), qsizetype(std::min<std::size_t>(s.size(), 256))));
    }

    std::optional<QString> text(const YAML::Node &n, const YAML::Mark &fallback,
                                const QString &what)
    {
        if (!n.IsScalar()) {
            error(markOf(n, fallback),
                  QStringLiteral("%1: expected a string, got %2").arg(what, describe(n)));
            return std::nullopt;
        }
        const std::string &s = n.Scalar();
        if (qsizetype(s.size()) > m_limits.maxStringBytes) {
            error(n.Mark(),
                  QStringLiteral("%1: the value is %2 bytes; at most %3 are accepted")
                      .arg(what)
                      .arg(s.size())
                      .arg(m_limits.maxStringBytes));
            return std::nullopt;
        }
        const QByteArray bytes(s.data(), qsizetype(s.size()));
        if (bytes.contains('\0') || invalidUtf8At(bytes) >= 0) {
            error(n.Mark(),
                  QStringLiteral("%1: expected text, got a NUL character or malformed UTF-8 (from "
                                 "an escape sequence?)")
                      .arg(what));
            return std::nullopt;
        }
        return QString::fromUtf8(bytes);
    }

    std::optional<QString> nonEmptyText(const YAML::Node &n, const YAML::Mark &fallback,
                                        const QString &what)
    {
        std::optional<QString> v = text(n, fallback, what);
        if (v && v->trimmed().isEmpty()) {
            error(markOf(n, fallback), QStringLiteral("%1: expected a non-empty string").arg(what));
            return std::nullopt;
        }
        return v;
    }

    std::optional<bool> boolean(const YAML::Node &n, const YAML::Mark &fallback,
                                const QString &what)
    {
        if (n.IsScalar() && isPlain(n)) {
            const std::string &s = n.Scalar();
            if (s == "true" || s == "True" || s == "TRUE")
                return true;
            if (s == "false" || s == "False" || s == "FALSE")
                return false;
        }
        error(
            markOf(n, fallback),
            QStringLiteral("%1: expected true or false (unquoted), got %2").arg(what, describe(n)));
        return std::nullopt;
    }

    std::optional<double> number(const YAML::Node &n, const YAML::Mark &fallback,
                                 const QString &what)
    {
        if (n.IsScalar() && isPlain(n)) {
            bool outOfRange = false;
            if (const std::optional<double> v = parseDouble(n.Scalar(), &outOfRange))
                return v;
            if (outOfRange) {
                error(n.Mark(), QStringLiteral("%1: the number is out of range").arg(what));
                return std::nullopt;
            }
        }
        error(markOf(n, fallback),
              QStringLiteral("%1: expected a number (unquoted), got %2").arg(what, describe(n)));
        return std::nullopt;
    }

    std::optional<qint64> integer(const YAML::Node &n, const YAML::Mark &fallback,
                                  const QString &what, qint64 minimum, qint64 maximum)
    {
        if (n.IsScalar() && isPlain(n)) {
            std::string_view s(n.Scalar());
            if (!s.empty() && s.front() == '+')
                s.remove_prefix(1);
            qint64 value = 0;
            const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
            if (ec == std::errc() && end == s.data() + s.size() && !s.empty()) {
                if (value >= minimum && value <= maximum)
                    return value;
                error(n.Mark(),
                      QStringLiteral("%1: expected a whole number from %2 to %3, got %4")
                          .arg(what)
                          .arg(minimum)
                          .arg(maximum)
                          .arg(value));
                return std::nullopt;
            }
            if (ec == std::errc::result_out_of_range) {
                error(n.Mark(),
                      QStringLiteral("%1: expected a whole number from %2 to %3; the number is "
                                     "out of range")
                          .arg(what)
                          .arg(minimum)
                          .arg(maximum));
                return std::nullopt;
            }
        }
        error(markOf(n, fallback),
              QStringLiteral("%1: expected a whole number, got %2").arg(what, describe(n)));
        return std::nullopt;
    }

    std::optional<milliseconds> duration(const YAML::Node &n, const YAML::Mark &fallback,
                                         const QString &what)
    {
        if (n.IsScalar() && isPlain(n) && n.Scalar() != "0" && parseDouble(n.Scalar())) {
            error(n.Mark(),
                  QStringLiteral("%1: expected a duration with a unit such as \"15s\" or "
                                 "\"500ms\", got the bare number %2")
                      .arg(what, quoted(QString::fromStdString(n.Scalar()))));
            return std::nullopt;
        }
        const std::optional<QString> s = text(n, fallback, what);
        if (!s)
            return std::nullopt;
        QString why;
        const std::optional<milliseconds> d = parseDuration(*s, &why);
        if (!d) {
            error(n.Mark(), QStringLiteral("%1: %2, got %3").arg(what, why, quoted(*s)));
            return std::nullopt;
        }
        if (*d <= milliseconds(0) || *d > kMaxInterval) {
            error(n.Mark(),
                  QStringLiteral("%1: expected a duration above 0 and at most 24h, got %2")
                      .arg(what, quoted(*s)));
            return std::nullopt;
        }
        return d;
    }

    std::optional<qint64> byteSize(const YAML::Node &n, const YAML::Mark &fallback,
                                   const QString &what)
    {
        if (n.IsScalar() && isPlain(n) && parseDouble(n.Scalar()))
            return integer(n, fallback, what, 0, std::numeric_limits<qint64>::max());
        const std::optional<QString> s = text(n, fallback, what);
        if (!s)
            return std::nullopt;
        QString why;
        const std::optional<qint64> v = parseByteSize(*s, &why);
        if (!v)
            error(n.Mark(), QStringLiteral("%1: %2, got %3").arg(what, why, quoted(*s)));
        return v;
    }

    // Resolves a path against the base directory and checks the file exists when asked to.
    std::optional<QString> existingFile(const YAML::Node &n, const YAML::Mark &fallback,
                                        const QString &what, qint64 maxBytes)
    {
        const std::optional<QString> path = nonEmptyText(n, fallback, what);
        if (!path)
            return std::nullopt;
        const QString base =
            m_options.baseDirectory.isEmpty() ? QDir::currentPath() : m_options.baseDirectory;
        const QString resolved = QDir::cleanPath(QDir(base).absoluteFilePath(*path));
        if (!m_options.checkFiles)
            return resolved;
        const QFileInfo info(resolved);
        QString problem;
        if (!info.exists())
            problem = QStringLiteral("does not exist");
        else if (!info.isFile())
            problem = QStringLiteral("is not a regular file");
        else if (!info.isReadable())
            problem = QStringLiteral("cannot be read");
        else if (maxBytes > 0 && info.size() > maxBytes)
            problem = QStringLiteral("is larger than %1 KiB").arg(maxBytes / 1024);
        if (!problem.isEmpty()) {
            error(n.Mark(),
                  QStringLiteral("%1: the file %2 %3; expected an existing, readable file")
                      .arg(what, quoted(resolved), problem));
            return std::nullopt;
        }
        return resolved;
    }

    // mappings --------------------------------------------------------------------------------
    struct Entry
    {
        QString key;
        YAML::Node keyNode;
        YAML::Node value;
        YAML::Mark mark; // the key's
    };

    // The entries of a mapping with string keys, duplicates reported. `context` names it.
    std::vector<Entry> entries(const YAML::Node &map, const QString &context)
    {
        std::vector<Entry> out;
        QHash<QString, YAML::Mark> seen;
        for (const auto &kv : map) {
            visit(kv.first.Mark());
            std::optional<QString> key = kv.first.IsScalar()
                ? text(kv.first, kv.first.Mark(), context + QStringLiteral(" key"))
                : std::nullopt;
            if (!kv.first.IsScalar())
                error(kv.first.Mark(),
                      QStringLiteral("%1: expected a key name, got %2")
                          .arg(context, describe(kv.first)));
            if (!key)
                continue;
            if (const auto it = seen.constFind(*key); it != seen.cend()) {
                error(kv.first.Mark(),
                      QStringLiteral("%1: duplicate key %2 (first at line %3)")
                          .arg(context, quoted(*key))
                          .arg(it->line + 1));
                continue;
            }
            seen.insert(*key, kv.first.Mark());
            out.push_back({ *key, kv.first, kv.second, kv.first.Mark() });
        }
        return out;
    }

    void unknownKey(const Entry &e, const QString &context, const QStringList &known)
    {
        const QString suggestion = closestMatch(e.key, known);
        QString message = QStringLiteral("%1: unknown key %2").arg(context, quoted(e.key));
        if (!suggestion.isEmpty())
            message += QStringLiteral(" (did you mean \"%1\"?)").arg(suggestion);
        message += QStringLiteral("; expected one of: ") + known.join(QStringLiteral(", "));
        error(e.mark, message);
    }

    bool expectMap(const YAML::Node &n, const YAML::Mark &fallback, const QString &what,
                   const QString &example)
    {
        if (n.IsMap())
            return true;
        error(markOf(n, fallback),
              QStringLiteral("%1: expected a mapping such as %2, got %3")
                  .arg(what, example, describe(n)));
        return false;
    }

    // sections --------------------------------------------------------------------------------
    void parseObject(const YAML::Node &root);
    void parseScrape(const YAML::Node &n, const YAML::Mark &mark);
    void parseTls(const YAML::Node &n, const YAML::Mark &mark);
    void parseVantage(const YAML::Node &n, const YAML::Mark &mark);
    void parseSlo(const YAML::Node &n, const YAML::Mark &mark);
    void parseMetrics(const YAML::Node &n, const YAML::Mark &mark);
    void parsePricing(const YAML::Node &n, const YAML::Mark &mark);
    void parseGroups(const YAML::Node &list, const YAML::Mark &mark);
    void parseGroup(const YAML::Node &group, int index);
    std::optional<double> coordinate(const Entry &e, const QString &value, double limit);
    void addTarget(const YAML::Node &item, int group, const GroupSettings &settings,
                   const QMap<QString, QString> &labels, const Target &placement);

    const QString m_file;
    const FleetFileOptions &m_options;
    const FleetLimits &m_limits;
    FleetLoadResult &m_result;
    const RegionCatalogue &m_regions;
    const PopulationCentres &m_centres;
    Fleet &fleet() { return m_result.fleet; }

    qint64 m_visited = 0;
    qint64 m_expanded = 0;
    bool m_timeoutSet = false;
    YAML::Mark m_timeoutMark;
    QHash<QString, YAML::Mark> m_urls; // duplicate targets
};

} // namespace fleetscope::fleet::parsing
