#pragma once

// SimOptions: fleetsim's command line (the DESIGN.md contract plus --time-scale, --primary,
// --fault and friends), parsed and checked into a value. Pure: no I/O; any thread.

#include "fault.h"

#include <QHostAddress>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <optional>

namespace fleetscope::sim {

struct SimOptions
{
    enum class Action { Run, Help, Version };

    Action action = Action::Run;
    int nodes = 24;
    QStringList regions; // region specs; empty means defaultRegions()
    QString primary = QStringLiteral("iad");
    QHostAddress listen = QHostAddress(QHostAddress::LocalHost);
    quint16 basePort = 0; // 0: every node on a port the OS chooses
    QString portFile;
    std::uint64_t seed = 1;
    double timeScale = 1;
    std::optional<double> startTime; // simulated start, seconds since the epoch; default now
    QList<QPair<QString, Fault>> faults; // node name -> fault, in command-line order
    bool control = true;
    quint16 controlPort = 0;

    static constexpr int maxNodes = 20000;

    // Ten or more regions on every inhabited continent (Fly.io codes).
    static QStringList defaultRegions();

    // Parses `arguments` (argv, program name first). On error returns nullopt and sets `error`
    // to one line a person understands.
    static std::optional<SimOptions> parse(const QStringList &arguments, QString *error);
    static QString helpText();
    static QString versionText();
};

} // namespace fleetscope::sim
