#include "fault.h"

#include <cmath>

namespace fleetscope::sim {

namespace {
struct KindName
{
    Fault::Kind kind;
    const char *name;
};
constexpr KindName kindNames[] = {
    { Fault::Kind::None, "none" },           { Fault::Kind::Down, "down" },
    { Fault::Kind::Slow, "slow" },           { Fault::Kind::Hung, "hung" },
    { Fault::Kind::Flapping, "flapping" },   { Fault::Kind::Malformed, "malformed" },
    { Fault::Kind::Truncated, "truncated" }, { Fault::Kind::Oversized, "oversized" },
    { Fault::Kind::Reset, "reset" },
};
constexpr double defaultSlowSeconds = 10;
constexpr double defaultFlapSeconds = 30;
constexpr double defaultOversizedMiB = 80; // above the 64 MiB scrape limit FleetScope applies
} // namespace

QString Fault::syntaxHelp()
{
    return QStringLiteral("none, down, slow[:SECONDS] (default 10), hung, flapping[:SECONDS] "
                          "(default 30), malformed, truncated, oversized[:MIB] (default 80), "
                          "reset");
}

std::optional<Fault> Fault::parse(const QString &text, QString *error)
{
    auto fail = [&](const QString &message) -> std::optional<Fault> {
        if (error)
            *error = message;
        return std::nullopt;
    };
    const QString trimmed = text.trimmed();
    const qsizetype colon = trimmed.indexOf(QLatin1Char(':'));
    const QString name = (colon < 0 ? trimmed : trimmed.left(colon)).toLower();
    const QString arg = colon < 0 ? QString() : trimmed.mid(colon + 1);

    Fault fault;
    bool known = false;
    for (const auto &k : kindNames) {
        if (name == QLatin1String(k.name)) {
            fault.kind = k.kind;
            known = true;
        }
    }
    if (!known)
        return fail(QStringLiteral("unknown fault \"%1\"; expected one of: %2")
                        .arg(trimmed.left(40), syntaxHelp()));

    const bool takesSeconds = fault.kind == Kind::Slow || fault.kind == Kind::Flapping;
    const bool takesMegabytes = fault.kind == Kind::Oversized;
    if (colon >= 0 && !takesSeconds && !takesMegabytes)
        return fail(QStringLiteral("fault \"%1\" takes no argument").arg(name));
    double value = 0;
    if (colon >= 0) {
        bool ok = false;
        value = arg.toDouble(&ok);
        if (!ok || !std::isfinite(value))
            return fail(
                QStringLiteral("fault \"%1\": \"%2\" is not a number").arg(name, arg.left(40)));
    }
    if (takesSeconds) {
        fault.seconds = colon < 0
            ? (fault.kind == Kind::Slow ? defaultSlowSeconds : defaultFlapSeconds)
            : value;
        if (fault.seconds < 0.01 || fault.seconds > 86400)
            return fail(
                QStringLiteral("fault \"%1\": seconds must be between 0.01 and 86400").arg(name));
    }
    if (takesMegabytes) {
        fault.megabytes = colon < 0 ? defaultOversizedMiB : value;
        if (fault.megabytes < 0.001 || fault.megabytes > 4096)
            return fail(QStringLiteral("fault \"oversized\": MiB must be between 0.001 and 4096"));
    }
    return fault;
}

QString Fault::toString() const
{
    QString name;
    for (const auto &k : kindNames) {
        if (k.kind == kind)
            name = QLatin1String(k.name);
    }
    if (kind == Kind::Slow || kind == Kind::Flapping)
        return name + QLatin1Char(':') + QString::number(seconds);
    if (kind == Kind::Oversized)
        return name + QLatin1Char(':') + QString::number(megabytes);
    return name;
}

} // namespace fleetscope::sim
