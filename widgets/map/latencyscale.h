#pragma once

// The colour scale of the region map: latency in milliseconds to a colour on a colour-blind-safe
// sequential ramp (ColorBrewer RdYlBu, reversed, without its near-white middle). Logarithmic, with
// the SLO threshold pinned at the yellow-to-orange step so "over the SLO" always reads warm, and
// fixed to the SLO rather than to the data so colours mean the same thing from one snapshot to the
// next. A small value type; any thread.

#include <QColor>
#include <QList>

namespace fleetscope::widgets {

class LatencyScale
{
public:
    explicit LatencyScale(double sloMs = 250);

    double sloMs() const { return m_sloMs; }
    double minMs() const { return m_minMs; }
    double maxMs() const { return m_maxMs; }

    // 0..1 along the ramp, clamped; NaN for NaN.
    double position(double ms) const;
    static constexpr double sloPosition() { return 0.6; }

    QColor color(double ms) const; // invalid QColor for NaN
    static QColor colorAt(double position);

    // Round values (1-2-5 steps) inside the domain, the SLO included; for the legend.
    QList<double> ticks() const;

private:
    double m_sloMs;
    double m_minMs;
    double m_maxMs;
};

} // namespace fleetscope::widgets
