#pragma once

// Prometheus duration ("1m30s", "500ms", "0") and byte size ("10MB", "512KiB") syntax. Pure
// functions over text: any thread may call them.

#include <QString>
#include <QStringView>

#include <chrono>
#include <optional>

namespace fleetscope::fleet {

// Prometheus' syntax: integer amounts with units y, w, d, h, m, s, ms, each at most once and in
// that order (1y = 365d), or "0". Empty and `error` set on anything else or on overflow.
std::optional<std::chrono::milliseconds> parseDuration(QStringView text, QString *error = nullptr);

// The shortest Prometheus spelling of `d` ("1m30s", "500ms", "0s"); parseDuration reads it back.
QString formatDuration(std::chrono::milliseconds d);

// A byte count: a plain integer, or an integer with B, KB, MB, GB, TB (base 2, as Prometheus'
// body_size_limit reads them) or KiB, MiB, GiB, TiB.
std::optional<qint64> parseByteSize(QStringView text, QString *error = nullptr);

} // namespace fleetscope::fleet
