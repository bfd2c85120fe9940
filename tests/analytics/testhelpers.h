#pragma once

// Helpers shared by the analytics suites: building series from lists and comparing numbers with
// NaN and infinities treated as values. Test-only; main thread.

#include "analytics/series.h"

#include <QList>
#include <QPointF>
#include <QString>
#include <QTest>

#include <cmath>
#include <initializer_list>
#include <vector>

namespace fleetscope::analytics::test {

inline std::vector<Sample> samples(const QList<double> &times, const QList<double> &values)
{
    std::vector<Sample> out;
    for (qsizetype i = 0; i < times.size() && i < values.size(); ++i)
        out.push_back({ times.at(i), values.at(i) });
    return out;
}

inline Series series(std::initializer_list<Label> labels, std::vector<Sample> points)
{
    return Series { std::vector<Label>(labels), std::move(points) };
}

// Equal when both are NaN, the same infinity, or within `relative` (absolute near zero).
inline bool close(double actual, double expected, double relative = 1e-9)
{
    if (std::isnan(expected))
        return std::isnan(actual);
    if (std::isinf(expected))
        return actual == expected;
    return std::abs(actual - expected) <= relative * std::max(1.0, std::abs(expected));
}

inline QByteArray describe(double actual, double expected)
{
    return QStringLiteral("actual %1, expected %2")
        .arg(actual, 0, 'g', 17)
        .arg(expected, 0, 'g', 17)
        .toUtf8();
}

} // namespace fleetscope::analytics::test

#define COMPARE_NUM(actual, expected)                                                              \
    do {                                                                                           \
        const double a_ = (actual);                                                                \
        const double e_ = (expected);                                                              \
        QVERIFY2(fleetscope::analytics::test::close(a_, e_),                                       \
                 fleetscope::analytics::test::describe(a_, e_).constData());                       \
    } while (false)
