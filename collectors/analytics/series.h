#pragma once

// The plain values every analytics function reads: samples (seconds, value), a labelled series,
// a query window and label matchers, plus instant-vector lookups. Copyable values; any thread.

#include <QString>
#include <QStringView>

#include <limits>
#include <span>
#include <vector>

namespace fleetscope::analytics {

inline constexpr double noData = std::numeric_limits<double>::quiet_NaN();

// One sample: Unix time in seconds (fractions allowed) and the value.
struct Sample
{
    double t = 0;
    double v = 0;
    friend bool operator==(const Sample &, const Sample &) = default;
};

struct Label
{
    QString name;
    QString value;
    friend bool operator==(const Label &, const Label &) = default;
};

// One series as stored: its labels (metric name not included) and samples in ascending time.
struct Series
{
    std::vector<Label> labels;
    std::vector<Sample> samples;

    // The value of label `name`, or an empty string when absent (as in PromQL).
    QString label(QStringView name) const;
    friend bool operator==(const Series &, const Series &) = default;
};

// A range selector `[range]` evaluated at `end`: samples with end - range < t <= end
// (left-open, right-closed, as Prometheus 3 selects ranges).
struct Window
{
    double end = 0;
    double range = 0;
    constexpr double start() const { return end - range; }
};

// An equality matcher `name="value"`; an empty value also matches a missing label, as in PromQL.
struct LabelMatch
{
    QString name;
    QString value;
};

bool matches(const Series &series, std::span<const LabelMatch> matchers);

// Prometheus' default lookback for instant vectors.
inline constexpr double defaultLookbackSeconds = 300;

// The instant-vector value at `at`: the newest sample with at - lookback < t <= at, or NaN when
// there is none (the series is absent at that instant).
double latestValue(std::span<const Sample> samples, double at,
                   double lookback = defaultLookbackSeconds);

// The largest sample value inside the window, or NaN when the window holds no sample.
double maxOverWindow(std::span<const Sample> samples, const Window &window);

} // namespace fleetscope::analytics
