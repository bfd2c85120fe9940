#pragma once

// Loading fleet files (DESIGN.md "File formats"): a Prometheus file_sd target list or the object
// form, in JSON or YAML. Pure functions apart from reading the file and checking that referenced
// files exist; any thread may call them. Results are values the caller owns.

#include "fleet.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace fleetscope::fleet {

class PopulationCentres;

// Bounds that keep a hostile fleet file from costing more than a clear error.
struct FleetLimits
{
    qint64 maxFileBytes = 4 * 1024 * 1024;
    int maxTargets = 50000;
    int maxLabelsPerGroup = 128;
    int maxStringBytes = 16 * 1024; // any one scalar: label value, path, name
    int maxNesting = 64; // flow brackets or block "- " nesting
    // Work the YAML aliases of a small file can multiply: entries visited and bytes copied.
    qint64 maxEntriesVisited = 1000000;
    qint64 maxExpandedBytes = 128 * 1024 * 1024;
    int maxErrors = 50; // further errors are summarised in one line
};

struct FleetFileOptions
{
    FleetLimits limits;
    // Relative bearer_token_file / ca_file paths are resolved against this directory; the fleet
    // file's own directory when loading a file. Empty with text from memory: the current one.
    QString baseDirectory;
    // Check that bearer_token_file and ca_file exist (tests and the fuzzer turn it off).
    bool checkFiles = true;
    const RegionCatalogue *regions = nullptr; // nullptr: RegionCatalogue::embedded()
    const PopulationCentres *centres = nullptr; // nullptr: PopulationCentres::embedded()
    // Accepted `pricing:` ids; unset: the ids in the embedded pricing-profiles.json.
    std::optional<QStringList> pricingProfileIds;
};

struct FleetLoadResult
{
    Fleet fleet; // complete only when ok()
    QList<Diagnostic> errors;
    QList<Diagnostic> warnings; // the fleet loads; something looks unintended (e.g. a clamp)

    bool ok() const { return errors.isEmpty(); }
    QString errorString() const; // every error, one "FILE:LINE:COL: message" per line
};

// Reads and parses `path` (refusing files above limits.maxFileBytes before reading them whole).
FleetLoadResult loadFleetFile(const QString &path, const FleetFileOptions &options = {});

// Parses fleet file text; `fileName` is only used in messages.
FleetLoadResult parseFleetFile(const QByteArray &text, const QString &fileName,
                               const FleetFileOptions &options = {});

// The ids of the pricing profiles compiled into FleetScope::Resources.
QStringList embeddedPricingProfileIds();

// Reads a bearer token at scrape time: the file's contents without surrounding whitespace. Empty
// and `error` set when the file is missing, unreadable, empty, larger than 64 KiB or holds
// characters that cannot go in an HTTP header. Never logs the token.
std::optional<QByteArray> readBearerToken(const QString &path, QString *error = nullptr);

} // namespace fleetscope::fleet
