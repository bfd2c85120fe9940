#pragma once

// FleetSnapshot as a JSON document ("format": "fleetscope-snapshot", "version": 1): writing
// (atomically, through QSaveFile) and loading, which refuses newer versions and names what is
// wrong in a damaged file (its JSON path, or line and column for broken syntax). Pure functions
// apart from the file I/O; any thread.

#include "snapshot/fleetsnapshot.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace fleetscope::snapshot {

inline constexpr int kSnapshotVersion = 1;
inline constexpr const char *kSnapshotFormat = "fleetscope-snapshot";
inline constexpr qint64 kMaxSnapshotBytes = 512ll * 1024 * 1024;

QByteArray toJson(const FleetSnapshot &snapshot, bool indented = false);

struct LoadResult
{
    std::optional<FleetSnapshot> snapshot;
    QString error; // when snapshot is empty: what is wrong and where
};

LoadResult fromJson(const QByteArray &json);

// Writes atomically: a reader sees the old file or the new one, never half of one.
bool saveSnapshot(const FleetSnapshot &snapshot, const QString &path, QString *error);
LoadResult loadSnapshot(const QString &path);

} // namespace fleetscope::snapshot
