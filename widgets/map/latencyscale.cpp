#include "map/latencyscale.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace fleetscope::widgets {

namespace {

struct Stop
{
    double at;
    QRgb rgb;
};

// RdYlBu (ColorBrewer, colour-blind safe), blue = fast; the SLO sits between #fee090 and #fdae61.
constexpr std::array<Stop, 9> kStops { {
    { 0.00, 0x313695 },
    { 0.15, 0x4575b4 },
    { 0.32, 0x74add1 },
    { 0.46, 0xabd9e9 },
    { 0.58, 0xfee090 },
    { 0.62, 0xfdae61 },
    { 0.75, 0xf46d43 },
    { 0.88, 0xd73027 },
    { 1.00, 0xa50026 },
} };

} // namespace

LatencyScale::LatencyScale(double sloMs)
    : m_sloMs(std::isfinite(sloMs) && sloMs > 0 ? sloMs : 250)
    , m_minMs(m_sloMs / 100)
    , m_maxMs(m_sloMs * 4)
{ }

double LatencyScale::position(double ms) const
{
    if (std::isnan(ms))
        return ms;
    const double v = std::clamp(ms, m_minMs, m_maxMs);
    if (v <= m_sloMs)
        return sloPosition() * std::log(v / m_minMs) / std::log(m_sloMs / m_minMs);
    return sloPosition()
        + (1 - sloPosition()) * std::log(v / m_sloMs) / std::log(m_maxMs / m_sloMs);
}

QColor LatencyScale::color(double ms) const
{
    if (std::isnan(ms))
        return {};
    return colorAt(position(ms));
}

QColor LatencyScale::colorAt(double position)
{
    const double t = std::clamp(position, 0.0, 1.0);
    for (size_t i = 1; i < kStops.size(); ++i) {
        if (t <= kStops[i].at) {
            const Stop &a = kStops[i - 1];
            const Stop &b = kStops[i];
            const double f = (t - a.at) / (b.at - a.at);
            auto mix = [f](int x, int y) {
                return int(std::lround(x + (y - x) * f));
            };
            return QColor(mix(qRed(a.rgb), qRed(b.rgb)), mix(qGreen(a.rgb), qGreen(b.rgb)),
                          mix(qBlue(a.rgb), qBlue(b.rgb)));
        }
    }
    return QColor::fromRgb(kStops.back().rgb);
}

QList<double> LatencyScale::ticks() const
{
    QList<double> ticks;
    const double firstDecade = std::pow(10.0, std::floor(std::log10(m_minMs)));
    for (double decade = firstDecade; decade <= m_maxMs; decade *= 10) {
        for (double step : { 1.0, 2.0, 5.0 }) {
            const double v = decade * step;
            if (v < m_minMs * 0.999 || v > m_maxMs * 1.001)
                continue;
            // Keep ticks clear of the SLO mark, which the legend labels on its own.
            if (std::fabs(position(v) - sloPosition()) < 0.06)
                continue;
            ticks.append(v);
        }
    }
    ticks.append(m_sloMs);
    std::sort(ticks.begin(), ticks.end());
    return ticks;
}

} // namespace fleetscope::widgets
