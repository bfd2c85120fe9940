#pragma once

// What the fleet-file tests share: the test data folder, a secret that must never leak, parsing
// a text as "bad.yaml", all diagnostics as one string, and a fleet stripped of what differs
// between two files of the same fleet.

#include "fleet/fleetfile.h"

#include <QString>

namespace fleetscope::fleet::testsupport {

inline const QString kDataDir = QStringLiteral(FLEET_TEST_DATA);
inline const QByteArray kSecret = "s3cr3t-TOKEN-must-never-leak";

inline QString dataFile(const char *name)
{
    return kDataDir + QLatin1Char('/') + QLatin1String(name);
}

inline FleetFileOptions testOptions()
{
    FleetFileOptions o;
    o.baseDirectory = kDataDir;
    return o;
}

inline FleetLoadResult parse(const QByteArray &text,
                             const FleetFileOptions &options = testOptions())
{
    return parseFleetFile(text, QStringLiteral("bad.yaml"), options);
}

inline QString allMessages(const FleetLoadResult &r)
{
    QStringList out;
    for (const Diagnostic &d : r.errors)
        out << QStringLiteral("error: ") + d.toString();
    for (const Diagnostic &d : r.warnings)
        out << QStringLiteral("warning: ") + d.toString();
    return out.join(QLatin1Char('\n'));
}

// The fleet with what legitimately differs between two files of the same fleet removed.
inline Fleet comparable(Fleet f)
{
    f.name.clear();
    f.sourceFile.clear();
    for (Target &t : f.targets) {
        t.line = 0;
        t.column = 0;
    }
    return f;
}

} // namespace fleetscope::fleet::testsupport
