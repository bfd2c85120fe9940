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

namespace fleetscope::fleet {

namespace {

using std::chrono::milliseconds;

constexpr qint64 kMaxTokenBytes = 64 * 1024;
constexpr milliseconds kMaxInterval { 24LL * 3600 * 1000 };

// Thrown to stop after too many errors or an exhausted budget; caught in FleetParser::run.
struct Abort
{
};

// Untrusted text for a message: control and invisible characters escaped, at most 60 characters.
QString quoted(QStringView text)
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

QString q(const char *latin1)
{
    return QLatin1Char('"') + QLatin1String(latin1) + QLatin1Char('"');
}

// Offset of the first byte that is not part of well-formed UTF-8, or -1.
qsizetype invalidUtf8At(const QByteArray &text)
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

Position positionOf(const QByteArray &text, qsizetype offset)
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
qsizetype nestingTooDeepAt(const QByteArray &text, int maxNesting)
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

bool isLabelName(QStringView name)
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

bool isHostLabelChar(QChar c)
{
    const char16_t u = c.unicode();
    return (u >= u'a' && u <= u'z') || (u >= u'0' && u <= u'9') || u == u'-' || u == u'_';
}

std::optional<double> parseDouble(const std::string &s, bool *outOfRange = nullptr)
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

void FleetParser::run(const QByteArray &input)
{
    const YAML::Mark nowhere = YAML::Mark::null_mark();
    QByteArray text = input;
    if (text.size() > m_limits.maxFileBytes)
        fatal(nowhere,
              QStringLiteral("the file is %1 bytes; fleet files are limited to %2 bytes")
                  .arg(text.size())
                  .arg(m_limits.maxFileBytes));
    if (text.startsWith("\xEF\xBB\xBF"))
        text.remove(0, 3);
    if (text.startsWith("\xFF\xFE") || text.startsWith("\xFE\xFF"))
        fatal(nowhere, QStringLiteral("the file is UTF-16 encoded; expected UTF-8"));
    if (const qsizetype nul = text.indexOf('\0'); nul >= 0) {
        const Position p = positionOf(text, nul);
        m_result.errors.append({ m_file, p.line, p.column,
                                 QStringLiteral("unexpected NUL byte; expected UTF-8 text "
                                                "(JSON or YAML)") });
        throw Abort();
    }
    if (const qsizetype bad = invalidUtf8At(text); bad >= 0) {
        const Position p = positionOf(text, bad);
        m_result.errors.append(
            { m_file, p.line, p.column, QStringLiteral("malformed UTF-8; expected UTF-8 text") });
        throw Abort();
    }
    if (const qsizetype deep = nestingTooDeepAt(text, m_limits.maxNesting); deep >= 0) {
        const Position p = positionOf(text, deep);
        m_result.errors.append({ m_file, p.line, p.column,
                                 QStringLiteral("nested more than %1 levels deep; a fleet file "
                                                "needs a handful")
                                     .arg(m_limits.maxNesting) });
        throw Abort();
    }

    // yaml-cpp 0.7's LoadAll() loops for ever, allocating, on a stray token such as a leading
    // "," (jbeder/yaml-cpp#1040, fixed in 0.8 by #1319): the parser hands out null documents
    // without moving on. So documents are counted here with a bound, a document that starts where
    // the previous one did is that bug, and only the first document is loaded.
    const std::string source(text.constData(), std::size_t(text.size()));
    DocumentCounter counter;
    try {
        std::istringstream stream(source);
        YAML::Parser parser(stream);
        while (counter.starts.size() < 2 && parser.HandleNextDocument(counter)) { }
    } catch (const YAML::Exception &e) {
        fatal(e.mark,
              QStringLiteral("not valid YAML or JSON: %1")
                  .arg(QString::fromUtf8(e.msg.data(), qsizetype(e.msg.size()))));
    }
    if (counter.starts.size() == 2 && counter.starts[0].pos == counter.starts[1].pos) {
        const YAML::Mark at = counter.firstEvent;
        const QString token = at.pos >= 0 && at.pos < text.size()
            ? quoted(QString::fromUtf8(text.mid(at.pos, 1)))
            : QStringLiteral("input");
        fatal(at, QStringLiteral("not valid YAML or JSON: unexpected %1").arg(token));
    }
    YAML::Node loaded;
    try {
        loaded = YAML::Load(source);
    } catch (const YAML::Exception &e) {
        fatal(e.mark,
              QStringLiteral("not valid YAML or JSON: %1")
                  .arg(QString::fromUtf8(e.msg.data(), qsizetype(e.msg.size()))));
    }
    if (counter.starts.empty() || loaded.IsNull())
        fatal(counter.starts.empty() ? nowhere : loaded.Mark(),
              QStringLiteral("the file holds no fleet; expected a list of target groups "
                             "[{targets: [host:port, ...], labels: {...}}] or an object with "
                             "targets:"));
    if (counter.starts.size() > 1)
        error(counter.starts[1],
              QStringLiteral("a second YAML document begins here; expected one fleet per file"));

    const YAML::Node &root = loaded;
    if (root.IsSequence()) {
        parseGroups(root, root.Mark());
    } else if (root.IsMap()) {
        parseObject(root);
    } else {
        fatal(root.Mark(),
              QStringLiteral("expected a list of target groups [{targets: [host:port, ...], "
                             "labels: {...}}] or an object with targets:, got %1")
                  .arg(describe(root)));
    }
    if (fleet().targets.isEmpty() && m_result.errors.isEmpty())
        warning(root.Mark(), QStringLiteral("the fleet has no targets"));
}

void FleetParser::parseObject(const YAML::Node &root)
{
    static const QStringList known { QStringLiteral("name"),    QStringLiteral("targets"),
                                     QStringLiteral("scrape"),  QStringLiteral("pricing"),
                                     QStringLiteral("vantage"), QStringLiteral("slo"),
                                     QStringLiteral("metrics") };
    const QString context = QStringLiteral("fleet");
    const std::vector<Entry> all = entries(root, context);
    const Entry *targets = nullptr;
    // Scrape settings first: targets take their defaults from them.
    for (const Entry &e : all) {
        if (e.key == u"scrape")
            parseScrape(e.value, e.mark);
    }
    for (const Entry &e : all) {
        if (e.key == u"name") {
            if (const std::optional<QString> v =
                    nonEmptyText(e.value, e.mark, QStringLiteral("name")))
                fleet().name = *v;
        } else if (e.key == u"targets") {
            targets = &e;
        } else if (e.key == u"scrape") {
            continue;
        } else if (e.key == u"pricing") {
            parsePricing(e.value, e.mark);
        } else if (e.key == u"vantage") {
            parseVantage(e.value, e.mark);
        } else if (e.key == u"slo") {
            parseSlo(e.value, e.mark);
        } else if (e.key == u"metrics") {
            parseMetrics(e.value, e.mark);
        } else {
            unknownKey(e, context, known);
        }
    }
    if (!targets) {
        error(root.Mark(),
              QStringLiteral("fleet: missing \"targets\"; expected targets: [{targets: "
                             "[host:port, ...], labels: {...}}]"));
        return;
    }
    parseGroups(targets->value, targets->mark);
}

void FleetParser::parseScrape(const YAML::Node &n, const YAML::Mark &mark)
{
    if (n.IsNull())
        return;
    if (!expectMap(n, mark, QStringLiteral("scrape"),
                   QStringLiteral("{interval: 15s, timeout: 10s}")))
        return;
    static const QStringList known {
        QStringLiteral("interval"),
        QStringLiteral("timeout"),
        QStringLiteral("scheme"),
        QStringLiteral("metrics_path"),
        QStringLiteral("bearer_token_file"),
        QStringLiteral("tls"),
        QStringLiteral("follow_redirects"),
        QStringLiteral("body_size_limit"),
        QStringLiteral("sample_limit"),
        QStringLiteral("concurrency"),
    };
    // Prometheus' spellings of the same settings.
    static const QHash<QString, QString> synonyms {
        { QStringLiteral("scrape_interval"), QStringLiteral("interval") },
        { QStringLiteral("scrape_timeout"), QStringLiteral("timeout") },
        { QStringLiteral("tls_config"), QStringLiteral("tls") },
    };
    ScrapeSettings &s = fleet().scrape;
    std::optional<milliseconds> timeout;
    QSet<QString> given;
    for (const Entry &e : entries(n, QStringLiteral("scrape"))) {
        const QString key = synonyms.value(e.key, e.key);
        const QString what = QStringLiteral("scrape.") + e.key;
        if (known.contains(key) && given.contains(key)) {
            error(e.mark,
                  QStringLiteral("scrape: %1 sets %2 a second time").arg(quoted(e.key), key));
            continue;
        }
        given.insert(key);
        if (key == u"interval") {
            if (const auto d = duration(e.value, e.mark, what))
                s.interval = *d;
        } else if (key == u"timeout") {
            timeout = duration(e.value, e.mark, what);
            m_timeoutMark = e.mark;
        } else if (key == u"scheme") {
            if (const auto v = text(e.value, e.mark, what)) {
                if (*v == u"http" || *v == u"https")
                    s.scheme = *v;
                else
                    error(markOf(e.value, e.mark),
                          QStringLiteral("%1: expected \"http\" or \"https\", got %2")
                              .arg(what, quoted(*v)));
            }
        } else if (key == u"metrics_path") {
            if (const auto v = text(e.value, e.mark, what)) {
                if (!v->startsWith(QLatin1Char('/')) || v->contains(QLatin1Char('?'))
                    || v->contains(QLatin1Char('#')) || v->contains(QLatin1Char(' '))
                    || !QUrl(*v, QUrl::StrictMode).isValid())
                    error(markOf(e.value, e.mark),
                          QStringLiteral("%1: expected a URL path starting with \"/\" (no query, "
                                         "fragment or spaces), got %2")
                              .arg(what, quoted(*v)));
                else
                    s.metricsPath = *v;
            }
        } else if (key == u"bearer_token_file") {
            if (const auto v = existingFile(e.value, e.mark, what, kMaxTokenBytes))
                s.bearerTokenFile = *v;
        } else if (key == u"tls") {
            parseTls(e.value, e.mark);
        } else if (key == u"follow_redirects") {
            if (const auto v = boolean(e.value, e.mark, what))
                s.followRedirects = *v;
        } else if (key == u"body_size_limit") {
            if (const auto v = byteSize(e.value, e.mark, what))
                s.bodySizeLimit = *v;
        } else if (key == u"sample_limit") {
            if (const auto v =
                    integer(e.value, e.mark, what, 0, std::numeric_limits<qint64>::max()))
                s.sampleLimit = *v;
        } else if (key == u"concurrency") {
            if (const auto v = integer(e.value, e.mark, what, 1, 4096))
                s.concurrency = int(*v);
        } else if (key == u"bearer_token" || key == u"password" || key == u"credentials") {
            error(e.mark,
                  QStringLiteral("%1: secrets are never written in a fleet file; put the token in "
                                 "a file and name it with bearer_token_file")
                      .arg(what));
        } else {
            unknownKey(e, QStringLiteral("scrape"), known);
        }
    }
    if (timeout) {
        m_timeoutSet = true;
        s.timeout = *timeout;
    }
}

void FleetParser::parseTls(const YAML::Node &n, const YAML::Mark &mark)
{
    if (n.IsNull())
        return;
    if (!expectMap(n, mark, QStringLiteral("scrape.tls"),
                   QStringLiteral("{ca_file: ca.pem, insecure_skip_verify: false}")))
        return;
    static const QStringList known { QStringLiteral("ca_file"),
                                     QStringLiteral("insecure_skip_verify") };
    for (const Entry &e : entries(n, QStringLiteral("scrape.tls"))) {
        const QString what = QStringLiteral("scrape.tls.") + e.key;
        if (e.key == u"ca_file") {
            if (const auto v = existingFile(e.value, e.mark, what, 0))
                fleet().scrape.tls.caFile = *v;
        } else if (e.key == u"insecure_skip_verify") {
            if (const auto v = boolean(e.value, e.mark, what)) {
                fleet().scrape.tls.insecureSkipVerify = *v;
                if (*v)
                    warning(e.mark,
                            QStringLiteral("%1: TLS certificates will not be verified for any "
                                           "target; prefer ca_file")
                                .arg(what));
            }
        } else {
            unknownKey(e, QStringLiteral("scrape.tls"), known);
        }
    }
}

void FleetParser::parsePricing(const YAML::Node &n, const YAML::Mark &mark)
{
    const std::optional<QString> id = nonEmptyText(n, mark, QStringLiteral("pricing"));
    if (!id)
        return;
    const QStringList ids =
        m_options.pricingProfileIds ? *m_options.pricingProfileIds : embeddedPricingProfileIds();
    if (!ids.isEmpty() && !ids.contains(*id)) {
        const QString suggestion = closestMatch(*id, ids);
        error(markOf(n, mark),
              QStringLiteral("pricing: unknown pricing profile %1%2; expected an id from "
                             "pricing-profiles.json such as \"%3\"")
                  .arg(quoted(*id),
                       suggestion.isEmpty()
                           ? QString()
                           : QStringLiteral(" (did you mean \"%1\"?)").arg(suggestion),
                       ids.first()));
        return;
    }
    fleet().pricingProfile = *id;
}

std::optional<double> FleetParser::coordinate(const Entry &e, const QString &value, double limit)
{
    const std::optional<double> v = parseDouble(value.toStdString());
    if (!v || std::fabs(*v) > limit) {
        error(markOf(e.value, e.mark),
              QStringLiteral("%1: expected decimal degrees from %2 to %3, got %4")
                  .arg(e.key)
                  .arg(-limit)
                  .arg(limit)
                  .arg(quoted(value)));
        return std::nullopt;
    }
    return v;
}

void FleetParser::parseVantage(const YAML::Node &n, const YAML::Mark &mark)
{
    const QString hint = QStringLiteral("a population centre such as \"Tokyo\" or {name: Office, "
                                        "lat: 35.68, lon: 139.69}");
    QString name;
    std::optional<double> lat, lon;
    YAML::Mark at = markOf(n, mark);
    bool coordinatesGiven = false;
    if (n.IsScalar()) {
        const std::optional<QString> v = nonEmptyText(n, mark, QStringLiteral("vantage"));
        if (!v)
            return;
        name = *v;
    } else if (n.IsMap()) {
        static const QStringList known { QStringLiteral("name"), QStringLiteral("lat"),
                                         QStringLiteral("lon") };
        for (const Entry &e : entries(n, QStringLiteral("vantage"))) {
            if (e.key == u"name") {
                if (const auto v = nonEmptyText(e.value, e.mark, QStringLiteral("vantage.name")))
                    name = *v;
            } else if (e.key == u"lat" || e.key == u"lon") {
                coordinatesGiven = true;
                const auto v = number(e.value, e.mark, QStringLiteral("vantage.") + e.key);
                const double limit = e.key == u"lat" ? 90 : 180;
                if (v && std::fabs(*v) > limit) {
                    error(
                        e.value.Mark(),
                        QStringLiteral("vantage.%1: expected decimal degrees from %2 to %3, got %4")
                            .arg(e.key)
                            .arg(-limit)
                            .arg(limit)
                            .arg(*v));
                } else if (v) {
                    (e.key == u"lat" ? lat : lon) = v;
                }
            } else {
                unknownKey(e, QStringLiteral("vantage"), known);
            }
        }
        if (coordinatesGiven && (!lat || !lon)) {
            if (bool(lat) != bool(lon) && m_result.errors.isEmpty())
                error(at, QStringLiteral("vantage: expected both lat and lon"));
            return;
        }
    } else {
        error(at, QStringLiteral("vantage: expected %1, got %2").arg(hint, describe(n)));
        return;
    }
    Vantage v;
    if (lat && lon) {
        v.name = name.isEmpty() ? QStringLiteral("%1, %2").arg(*lat).arg(*lon) : name;
        v.lat = *lat;
        v.lon = *lon;
    } else if (!name.isEmpty()) {
        const std::optional<PopulationCentre> c = m_centres.find(name);
        if (!c) {
            const QString suggestion = m_centres.suggest(name);
            error(at,
                  QStringLiteral("vantage: unknown population centre %1%2; expected %3 (the "
                                 "centres are the 20 largest agglomerations: %4)")
                      .arg(quoted(name),
                           suggestion.isEmpty()
                               ? QString()
                               : QStringLiteral(" (did you mean \"%1\"?)").arg(suggestion),
                           hint, m_centres.names().join(QStringLiteral(", "))));
            return;
        }
        v.name = c->name;
        v.lat = c->lat;
        v.lon = c->lon;
        v.fromCatalogue = true;
    } else {
        error(at, QStringLiteral("vantage: expected %1").arg(hint));
        return;
    }
    fleet().vantage = v;
}

void FleetParser::parseSlo(const YAML::Node &n, const YAML::Mark &mark)
{
    if (n.IsNull())
        return;
    if (!expectMap(n, mark, QStringLiteral("slo"),
                   QStringLiteral("{p95_latency_ms: 200, hit_ratio: 0.9}")))
        return;
    static const QStringList known { QStringLiteral("p95_latency_ms"), QStringLiteral("hit_ratio"),
                                     QStringLiteral("replica_lag_seconds"),
                                     QStringLiteral("cost_per_million_invocations") };
    SloThresholds &slo = fleet().slo;
    QSet<QString> given;
    for (const Entry &e : entries(n, QStringLiteral("slo"))) {
        const QString key =
            e.key == u"replica_lag_s" ? QStringLiteral("replica_lag_seconds") : e.key;
        const QString what = QStringLiteral("slo.") + e.key;
        if (!known.contains(key)) {
            unknownKey(e, QStringLiteral("slo"), known);
            continue;
        }
        if (given.contains(key)) {
            error(e.mark, QStringLiteral("slo: %1 sets %2 a second time").arg(quoted(e.key), key));
            continue;
        }
        given.insert(key);
        const std::optional<double> v = number(e.value, e.mark, what);
        if (!v)
            continue;
        const YAML::Mark at = e.value.Mark();
        if (key == u"p95_latency_ms") {
            if (*v <= 0)
                error(
                    at,
                    QStringLiteral("%1: expected milliseconds above 0, got %2").arg(what).arg(*v));
            else
                slo.p95LatencyMs = v;
        } else if (key == u"hit_ratio") {
            if (*v < 0 || *v > 1)
                error(at,
                      QStringLiteral("%1: expected a fraction from 0 to 1 (0.95 for 95%), got %2")
                          .arg(what)
                          .arg(*v));
            else
                slo.hitRatio = v;
        } else if (key == u"replica_lag_seconds") {
            if (*v < 0)
                error(at,
                      QStringLiteral("%1: expected seconds, at least 0, got %2").arg(what).arg(*v));
            else
                slo.replicaLagSeconds = v;
        } else {
            if (*v < 0)
                error(at,
                      QStringLiteral("%1: expected US dollars, at least 0, got %2")
                          .arg(what)
                          .arg(*v));
            else
                slo.costPerMillionInvocations = v;
        }
    }
}

void FleetParser::parseMetrics(const YAML::Node &n, const YAML::Mark &mark)
{
    if (n.IsNull())
        return;
    if (!expectMap(n, mark, QStringLiteral("metrics"),
                   QStringLiteral("{request_duration: http_server_request_duration_seconds}")))
        return;
    QHash<int, YAML::Mark> roleSeen;
    QHash<QString, QString> nameSeen; // metric name -> key that claimed it
    for (const Entry &e : entries(n, QStringLiteral("metrics"))) {
        const std::optional<MetricRole> role = metricRoleFromKey(e.key);
        if (!role) {
            QStringList keys;
            for (const MetricRoleInfo &info : metricRoles())
                keys << QLatin1String(info.key);
            const QString suggestion = closestMatch(e.key, metricRoleKeys());
            error(
                e.mark,
                QStringLiteral("metrics: unknown metric role %1%2; expected a METRICS.md role: %3")
                    .arg(quoted(e.key),
                         suggestion.isEmpty()
                             ? QString()
                             : QStringLiteral(" (did you mean \"%1\"?)").arg(suggestion),
                         keys.join(QStringLiteral(", "))));
            continue;
        }
        if (const auto it = roleSeen.constFind(int(*role)); it != roleSeen.cend()) {
            error(e.mark,
                  QStringLiteral("metrics: %1 names the role %2 again (first at line %3)")
                      .arg(quoted(e.key), q(metricRoleInfo(*role).key))
                      .arg(it->line + 1));
            continue;
        }
        roleSeen.insert(int(*role), e.mark);
        const std::optional<QString> name =
            text(e.value, e.mark, QStringLiteral("metrics.") + e.key);
        if (!name)
            continue;
        if (!isValidMetricName(*name)) {
            error(markOf(e.value, e.mark),
                  QStringLiteral("metrics.%1: expected a Prometheus metric name "
                                 "([a-zA-Z_:][a-zA-Z0-9_:]*), got %2")
                      .arg(e.key, quoted(*name)));
            continue;
        }
        if (nameSeen.contains(*name)) {
            error(markOf(e.value, e.mark),
                  QStringLiteral("metrics.%1: %2 is already the name for %3; each role needs its "
                                 "own metric")
                      .arg(e.key, quoted(*name), quoted(nameSeen.value(*name))));
            continue;
        }
        nameSeen.insert(*name, e.key);
        fleet().metrics.setOverride(*role, *name);
    }
}

void FleetParser::parseGroups(const YAML::Node &list, const YAML::Mark &mark)
{
    // The timeout follows the interval: never above it (Prometheus refuses that; we clamp).
    ScrapeSettings &s = fleet().scrape;
    if (!m_timeoutSet) {
        s.timeout = std::min(s.timeout, s.interval);
    } else if (s.timeout > s.interval) {
        warning(m_timeoutMark,
                QStringLiteral("scrape.timeout %1 is longer than the interval %2; using %2")
                    .arg(formatDuration(s.timeout), formatDuration(s.interval)));
        s.timeout = s.interval;
    }

    if (list.IsNull())
        return;
    if (!list.IsSequence()) {
        error(markOf(list, mark),
              QStringLiteral("targets: expected a list of target groups [{targets: [host:port, "
                             "...], labels: {...}}], got %1")
                  .arg(describe(list)));
        return;
    }
    int index = 0;
    for (const YAML::Node &group : list) {
        visit(group.Mark());
        parseGroup(group, index++);
    }
}

void FleetParser::parseGroup(const YAML::Node &group, int index)
{
    const QString context = QStringLiteral("target group %1").arg(index + 1);
    if (!group.IsMap()) {
        error(group.Mark(),
              QStringLiteral("%1: expected a target group {targets: [host:port, ...], labels: "
                             "{...}}, got %2")
                  .arg(context, describe(group)));
        return;
    }
    static const QStringList known { QStringLiteral("targets"), QStringLiteral("labels") };
    const ScrapeSettings &scrape = fleet().scrape;
    GroupSettings settings {
        scrape.scheme, scrape.metricsPath, scrape.interval, scrape.timeout, {}
    };
    bool intervalSet = false, timeoutSet = false;
    YAML::Mark timeoutMark;
    QMap<QString, QString> labels;
    const Entry *targets = nullptr;
    const Entry *latEntry = nullptr;
    const Entry *lonEntry = nullptr;
    const Entry *regionEntry = nullptr;
    const std::vector<Entry> all = entries(group, context);
    std::vector<Entry> labelEntries; // the pointers above point into it
    for (const Entry &e : all) {
        if (e.key == u"targets") {
            targets = &e;
            continue;
        }
        if (e.key != u"labels") {
            unknownKey(e, context, known);
            continue;
        }
        if (e.value.IsNull())
            continue;
        if (!expectMap(e.value, e.mark, context + QStringLiteral(" labels"),
                       QStringLiteral("{region: nrt, node: edge-1}")))
            continue;
        labelEntries = entries(e.value, context + QStringLiteral(" labels"));
        if (qsizetype(labelEntries.size()) > m_limits.maxLabelsPerGroup) {
            error(e.value.Mark(),
                  QStringLiteral("%1: %2 labels; at most %3 are accepted")
                      .arg(context)
                      .arg(labelEntries.size())
                      .arg(m_limits.maxLabelsPerGroup));
            continue;
        }
        for (const Entry &l : labelEntries) {
            if (!isLabelName(l.key)) {
                error(l.mark,
                      QStringLiteral(
                          "%1: label name %2 is not valid; expected [a-zA-Z_][a-zA-Z0-9_]*")
                          .arg(context, quoted(l.key)));
                continue;
            }
            const std::optional<QString> value =
                text(l.value, l.mark, QStringLiteral("label ") + l.key);
            if (!value)
                continue;
            spend(l.mark, 64 + 2 * (l.key.size() + value->size()));
            const YAML::Mark at = markOf(l.value, l.mark);
            if (!l.key.startsWith(QStringLiteral("__"))) {
                labels.insert(l.key, *value);
                if (l.key == u"lat")
                    latEntry = &l;
                else if (l.key == u"lon")
                    lonEntry = &l;
                else if (l.key == u"region")
                    regionEntry = &l;
                continue;
            }
            // Prometheus' reserved labels that shape the scrape; the rest are dropped.
            if (l.key == u"__scheme__") {
                if (*value == u"http" || *value == u"https")
                    settings.scheme = *value;
                else
                    error(at,
                          QStringLiteral("label __scheme__: expected \"http\" or \"https\", got %1")
                              .arg(quoted(*value)));
            } else if (l.key == u"__metrics_path__") {
                if (!value->startsWith(QLatin1Char('/')) || value->contains(QLatin1Char('?'))
                    || value->contains(QLatin1Char('#')) || value->contains(QLatin1Char(' ')))
                    error(at,
                          QStringLiteral("label __metrics_path__: expected a URL path starting "
                                         "with \"/\", got %1")
                              .arg(quoted(*value)));
                else
                    settings.metricsPath = *value;
            } else if (l.key == u"__scrape_interval__") {
                if (const auto d =
                        duration(l.value, l.mark, QStringLiteral("label __scrape_interval__"))) {
                    settings.interval = *d;
                    intervalSet = true;
                }
            } else if (l.key == u"__scrape_timeout__") {
                if (const auto d =
                        duration(l.value, l.mark, QStringLiteral("label __scrape_timeout__"))) {
                    settings.timeout = *d;
                    timeoutSet = true;
                    timeoutMark = l.mark;
                }
            } else if (l.key.startsWith(QStringLiteral("__param_")) && l.key.size() > 8) {
                settings.params.append({ l.key.mid(8), *value });
            } else {
                warning(l.mark,
                        QStringLiteral("%1: reserved label %2 is ignored (only __scheme__, "
                                       "__metrics_path__, __scrape_interval__, "
                                       "__scrape_timeout__ and __param_<name> mean something)")
                            .arg(context, quoted(l.key)));
            }
        }
    }
    if (intervalSet && !timeoutSet)
        settings.timeout = std::min(fleet().scrape.timeout, settings.interval);
    if (settings.timeout > settings.interval) {
        if (timeoutSet)
            warning(timeoutMark,
                    QStringLiteral("%1: __scrape_timeout__ %2 is longer than the interval %3; "
                                   "using %3")
                        .arg(context, formatDuration(settings.timeout),
                             formatDuration(settings.interval)));
        settings.timeout = settings.interval;
    }

    // Placement, once for the group.
    Target placement;
    std::optional<double> lat, lon;
    if (latEntry)
        lat = coordinate(*latEntry, labels.value(QStringLiteral("lat")), 90);
    if (lonEntry)
        lon = coordinate(*lonEntry, labels.value(QStringLiteral("lon")), 180);
    if (bool(latEntry) != bool(lonEntry)) {
        const Entry *given = latEntry ? latEntry : lonEntry;
        error(given->mark,
              QStringLiteral("%1: label %2 needs %3 as well")
                  .arg(context, given->key,
                       latEntry ? QStringLiteral("lon") : QStringLiteral("lat")));
    }
    const QString regionCode = labels.value(QStringLiteral("region")).trimmed();
    const QString provider = labels.value(QStringLiteral("provider")).trimmed();
    if (!regionCode.isEmpty()) {
        placement.region = m_regions.find(regionCode, provider);
        if (!provider.isEmpty() && m_regions.canonicalProvider(provider).isEmpty()
            && m_regions.size() > 0)
            warning(regionEntry->mark,
                    QStringLiteral("%1: provider %2 is not in the region catalogue (%3); region "
                                   "%4 is looked up by its code alone")
                        .arg(context, quoted(provider),
                             m_regions.providers().join(QStringLiteral(", ")), quoted(regionCode)));
    }
    if (lat && lon) {
        placement.placement = Placement::Coordinates;
        placement.lat = *lat;
        placement.lon = *lon;
    } else if (placement.region) {
        placement.placement = Placement::Region;
        placement.lat = placement.region->lat;
        placement.lon = placement.region->lon;
    } else if (!regionCode.isEmpty() && !latEntry && !lonEntry) {
        const QString suggestion = m_regions.suggest(regionCode, provider);
        warning(regionEntry->mark,
                QStringLiteral("%1: region %2%3 is not in the region catalogue%4 and the group has "
                               "no lat/lon labels; its targets are listed as unplaced")
                    .arg(context, quoted(regionCode),
                         provider.isEmpty()
                             ? QString()
                             : QStringLiteral(" (provider %1)").arg(quoted(provider)),
                         suggestion.isEmpty()
                             ? QString()
                             : QStringLiteral(" (did you mean \"%1\"?)").arg(suggestion)));
    }

    if (!targets) {
        error(group.Mark(),
              QStringLiteral("%1: missing \"targets\"; expected targets: [host:port, ...]")
                  .arg(context));
        return;
    }
    if (targets->value.IsNull())
        return;
    if (!targets->value.IsSequence()) {
        error(markOf(targets->value, targets->mark),
              QStringLiteral("%1: targets: expected a list of \"host:port\" strings, got %2")
                  .arg(context, describe(targets->value)));
        return;
    }
    for (const YAML::Node &item : targets->value) {
        visit(item.Mark());
        addTarget(item, index, settings, labels, placement);
    }
}

void FleetParser::addTarget(const YAML::Node &item, int group, const GroupSettings &settings,
                            const QMap<QString, QString> &labels, const Target &placement)
{
    const QString what = QStringLiteral("target");
    const std::optional<QString> raw = text(item, item.Mark(), what);
    if (!raw)
        return;
    const QString address = raw->trimmed();
    auto bad = [&](const QString &why) {
        error(item.Mark(),
              QStringLiteral("target %1: %2; expected host:port such as \"10.0.0.7:9100\", "
                             "\"edge-1.example.net:9100\" or \"[2001:db8::1]:9100\"")
                  .arg(quoted(*raw), why));
    };
    if (address.isEmpty())
        return bad(QStringLiteral("empty"));
    if (address.contains(QStringLiteral("://")))
        return bad(QStringLiteral("a scheme does not belong in a target; set scrape.scheme or the "
                                  "__scheme__ label"));
    if (address.contains(QLatin1Char('/')) || address.contains(QLatin1Char('?')))
        return bad(QStringLiteral("a path does not belong in a target; set scrape.metrics_path or "
                                  "the __metrics_path__ label"));
    QString host, portText;
    bool ipv6 = false;
    if (address.startsWith(QLatin1Char('['))) {
        const qsizetype close = address.indexOf(QLatin1Char(']'));
        if (close < 0 || address.mid(close + 1, 1) != u":")
            return bad(QStringLiteral("an IPv6 address needs the form [address]:port"));
        host = address.mid(1, close - 1);
        portText = address.mid(close + 2);
        QHostAddress parsed;
        if (!parsed.setAddress(host) || parsed.protocol() != QAbstractSocket::IPv6Protocol)
            return bad(QStringLiteral("%1 is not an IPv6 address").arg(quoted(host)));
        host = parsed.toString().toLower();
        ipv6 = true;
    } else {
        const qsizetype colon = address.lastIndexOf(QLatin1Char(':'));
        if (colon < 0)
            return bad(QStringLiteral("the port is missing"));
        host = address.left(colon).toLower();
        portText = address.mid(colon + 1);
        if (host.contains(QLatin1Char(':')))
            return bad(QStringLiteral("an IPv6 address needs brackets: [address]:port"));
        if (host.isEmpty())
            return bad(QStringLiteral("the host is missing"));
        if (host.size() > 253)
            return bad(QStringLiteral("the host name is longer than 253 characters"));
        for (const QChar c : host) {
            if (c.unicode() > 127)
                return bad(QStringLiteral("host names must be ASCII (write the xn-- form of an "
                                          "international name)"));
            if (!isHostLabelChar(c) && c != QLatin1Char('.'))
                return bad(
                    QStringLiteral("%1 cannot appear in a host name").arg(quoted(QString(c))));
        }
        for (const QStringView part : QStringView(host).split(QLatin1Char('.'))) {
            if (part.isEmpty() || part.size() > 63 || part.startsWith(QLatin1Char('-'))
                || part.endsWith(QLatin1Char('-')))
                return bad(QStringLiteral("%1 is not a valid host name").arg(quoted(host)));
        }
    }
    bool digits = !portText.isEmpty() && portText.size() <= 5;
    for (const QChar c : portText)
        digits = digits && c >= QLatin1Char('0') && c <= QLatin1Char('9');
    const int port = digits ? portText.toInt() : 0;
    if (!digits || port < 1 || port > 65535)
        return bad(QStringLiteral("the port must be a number from 1 to 65535, got %1")
                       .arg(quoted(portText)));

    Target t = placement;
    t.host = host;
    t.port = quint16(port);
    t.address = (ipv6 ? QLatin1Char('[') + host + QLatin1Char(']') : host) + QLatin1Char(':')
        + QString::number(port);
    t.scheme = settings.scheme;
    t.metricsPath = settings.metricsPath;
    t.interval = settings.interval;
    t.timeout = settings.timeout;
    t.labels = labels;
    t.group = group;
    t.line = item.Mark().line + 1;
    t.column = item.Mark().column + 1;
    QUrl url;
    url.setScheme(t.scheme);
    url.setHost(host);
    url.setPort(port);
    url.setPath(t.metricsPath);
    if (!settings.params.isEmpty()) {
        QUrlQuery query;
        for (const auto &[name, value] : settings.params)
            query.addQueryItem(name, value);
        url.setQuery(query);
    }
    t.url = url;
    const QString key = url.toString(QUrl::FullyEncoded);
    if (const auto it = m_urls.constFind(key); it != m_urls.cend()) {
        error(item.Mark(),
              QStringLiteral("duplicate target %1 (%2 is already listed at line %3)")
                  .arg(quoted(t.address), key)
                  .arg(it->line + 1));
        return;
    }
    if (fleet().targets.size() >= m_limits.maxTargets)
        fatal(item.Mark(),
              QStringLiteral("more than %1 targets; for fleets this large point FleetScope at "
                             "the Prometheus that scrapes them (--prometheus)")
                  .arg(m_limits.maxTargets));
    spend(item.Mark(), 512 + 2 * key.size());
    m_urls.insert(key, item.Mark());
    t.id = QString::fromLatin1(
        QCryptographicHash::hash(key.toUtf8(), QCryptographicHash::Sha256).toHex().left(16));
    fleet().targets.append(t);
}

} // namespace

QString FleetLoadResult::errorString() const
{
    QStringList lines;
    for (const Diagnostic &d : errors)
        lines.append(d.toString());
    return lines.join(QLatin1Char('\n'));
}

FleetLoadResult parseFleetFile(const QByteArray &text, const QString &fileName,
                               const FleetFileOptions &options)
{
    FleetLoadResult result;
    FleetParser parser(fileName, options, result);
    try {
        parser.run(text);
    } catch (const Abort &) {
    } catch (const YAML::Exception &e) {
        // yaml-cpp's node API throws on misuse; a hostile document must not escape as one.
        result.errors.append(
            { fileName, e.mark.is_null() ? 0 : e.mark.line + 1,
              e.mark.is_null() ? 0 : e.mark.column + 1,
              QStringLiteral("cannot read the fleet: %1").arg(QString::fromStdString(e.msg)) });
    } catch (const std::bad_alloc &) {
        result.errors.append({ fileName, 0, 0, QStringLiteral("out of memory reading the fleet") });
    }
    if (result.fleet.name.isEmpty())
        result.fleet.name =
            fileName.isEmpty() ? QStringLiteral("fleet") : QFileInfo(fileName).completeBaseName();
    if (!result.ok())
        result.fleet.targets.clear();
    return result;
}

FleetLoadResult loadFleetFile(const QString &path, const FleetFileOptions &options)
{
    QFile file(path);
    const QFileInfo info(path);
    auto failed = [&](const QString &message) {
        FleetLoadResult result;
        result.errors.append({ path, 0, 0, message });
        return result;
    };
    if (!info.exists())
        return failed(QStringLiteral("no such file"));
    if (info.isDir())
        return failed(QStringLiteral("is a directory; expected a fleet file"));
    if (info.isFile() && info.size() > options.limits.maxFileBytes)
        return failed(QStringLiteral("the file is %1 bytes; fleet files are limited to %2 bytes")
                          .arg(info.size())
                          .arg(options.limits.maxFileBytes));
    if (!file.open(QIODevice::ReadOnly))
        return failed(QStringLiteral("cannot open: %1").arg(file.errorString()));
    // read() rather than readAll(): a pipe or device has no size to check beforehand.
    const QByteArray text = file.read(options.limits.maxFileBytes + 1);
    if (text.size() > options.limits.maxFileBytes)
        return failed(QStringLiteral("the file is larger than %1 bytes, the limit for fleet files")
                          .arg(options.limits.maxFileBytes));
    FleetFileOptions resolved = options;
    if (resolved.baseDirectory.isEmpty())
        resolved.baseDirectory = info.absolutePath();
    FleetLoadResult result = parseFleetFile(text, path, resolved);
    result.fleet.sourceFile = info.absoluteFilePath();
    return result;
}

QStringList embeddedPricingProfileIds()
{
    static const QStringList ids = [] {
        QStringList out;
        QFile file(QStringLiteral(":/fleetscope/data/pricing-profiles.json"));
        if (!file.open(QIODevice::ReadOnly))
            return out;
        const QJsonArray array = QJsonDocument::fromJson(file.readAll()).array();
        for (const QJsonValue &v : array) {
            const QString id = v.toObject().value(QLatin1String("id")).toString();
            if (!id.isEmpty())
                out.append(id);
        }
        return out;
    }();
    return ids;
}

std::optional<QByteArray> readBearerToken(const QString &path, QString *error)
{
    auto fail = [&](const QString &message) -> std::optional<QByteArray> {
        if (error)
            *error = QStringLiteral("bearer token file %1: %2").arg(path, message);
        return std::nullopt;
    };
    const QFileInfo info(path);
    if (!info.exists())
        return fail(QStringLiteral("does not exist"));
    if (!info.isFile())
        return fail(QStringLiteral("is not a regular file"));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(file.errorString());
    QByteArray token = file.read(kMaxTokenBytes + 1);
    if (token.size() > kMaxTokenBytes)
        return fail(QStringLiteral("is larger than %1 KiB").arg(kMaxTokenBytes / 1024));
    token = token.trimmed();
    if (token.isEmpty())
        return fail(QStringLiteral("is empty"));
    for (const char c : token) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7F)
            return fail(QStringLiteral("holds control characters or line breaks, which cannot "
                                       "go in an HTTP header"));
    }
    return token;
}

} // namespace fleetscope::fleet
