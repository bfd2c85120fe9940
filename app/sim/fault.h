#pragma once

// Fault: what misbehaviour one simulated node shows, parsed from "KIND[:ARG]" as given to
// --fault NODE=KIND[:ARG] and to the control endpoint. A plain value; any thread.

#include <QString>

#include <optional>

namespace fleetscope::sim {

struct Fault
{
    enum class Kind {
        None, // healthy, served by prometheus-cpp's Exposer
        Down, // connection refused
        Slow, // answers after `seconds`
        Hung, // accepts, never answers
        Flapping, // alternates up and down every `seconds`
        Malformed, // 200 with a body that is not valid exposition text
        Truncated, // Content-Length promises the whole body, half arrives, then the peer closes
        Oversized, // a valid body of at least `megabytes` MiB
        Reset, // one-shot: the node restarts, so its counters start again from zero
    };

    Kind kind = Kind::None;
    double seconds = 0; // Slow, Flapping
    double megabytes = 0; // Oversized

    // "slow:2.5", "down", "oversized:80", "none". Returns nullopt and sets `error` otherwise.
    static std::optional<Fault> parse(const QString &text, QString *error);
    QString toString() const;
    static QString syntaxHelp();

    bool operator==(const Fault &) const = default;
};

} // namespace fleetscope::sim
