// libFuzzer target over the fleet file loader. The input is the file; a trailing NUL byte (which
// no seed has) is dropped and switches to tight limits. Besides sanitizer findings it checks what
// callers rely on: a rejected file hands out no targets and every error names the file with a sane
// line and a bounded message; an accepted file's targets are unique, well formed and placed
// consistently.

#include "fleet/fleetfile.h"

#include <QByteArray>
#include <QSet>

#include <cstdint>
#include <cstdlib>

using namespace fleetscope::fleet;

namespace {

void check(bool condition)
{
    if (!condition)
        __builtin_trap();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const bool tight = size > 0 && data[size - 1] == 0;
    const QByteArray text(reinterpret_cast<const char *>(data), qsizetype(tight ? size - 1 : size));

    FleetFileOptions options;
    options.checkFiles = false; // no file system access: the outcome depends on the input only
    options.baseDirectory = QStringLiteral("/nonexistent");
    options.pricingProfileIds = QStringList { QStringLiteral("cloudflare-workers-standard") };
    if (tight) {
        options.limits.maxFileBytes = 4096;
        options.limits.maxTargets = 16;
        options.limits.maxLabelsPerGroup = 4;
        options.limits.maxStringBytes = 64;
        options.limits.maxNesting = 8;
        options.limits.maxEntriesVisited = 256;
        options.limits.maxExpandedBytes = 64 * 1024;
        options.limits.maxErrors = 3;
    }

    const FleetLoadResult r = parseFleetFile(text, QStringLiteral("fuzz.yaml"), options);
    const int lines = int(text.count('\n')) + 2;
    for (const Diagnostic &d : r.errors + r.warnings) {
        check(d.file == QLatin1String("fuzz.yaml"));
        check(d.line >= 0 && d.line <= lines && d.column >= 0);
        check(!d.message.isEmpty() && d.message.size() < 4096);
    }
    check(r.errors.size() <= options.limits.maxErrors + 1);
    if (!r.ok()) {
        check(r.fleet.targets.isEmpty());
        return 0;
    }
    check(r.fleet.targets.size() <= options.limits.maxTargets);
    check(r.fleet.scrape.timeout <= r.fleet.scrape.interval);
    QSet<QString> ids, urls;
    for (const Target &t : r.fleet.targets) {
        check(t.id.size() == 16 && !ids.contains(t.id));
        ids.insert(t.id);
        const QString url = t.url.toString(QUrl::FullyEncoded);
        check(t.url.isValid() && !urls.contains(url));
        urls.insert(url);
        check(t.port > 0 && !t.host.isEmpty());
        check(t.scheme == QLatin1String("http") || t.scheme == QLatin1String("https"));
        check(t.timeout <= t.interval && t.interval.count() > 0);
        check(t.line >= 1 && t.line <= lines);
        check(t.isPlaced() || !t.region);
        if (t.isPlaced())
            check(t.lat >= -90 && t.lat <= 90 && t.lon >= -180 && t.lon <= 180);
        for (auto it = t.labels.cbegin(); it != t.labels.cend(); ++it)
            check(!it.key().startsWith(QLatin1String("__")));
    }
    (void)toJson(r.fleet);
    return 0;
}
