#include "map/labelplacement.h"

#include <algorithm>
#include <array>
#include <numeric>

namespace fleetscope::widgets {

bool rectIntersectsDisc(const QRectF &rect, const QPointF &centre, double radius)
{
    const double x = std::clamp(centre.x(), rect.left(), rect.right());
    const double y = std::clamp(centre.y(), rect.top(), rect.bottom());
    const double dx = centre.x() - x;
    const double dy = centre.y() - y;
    return dx * dx + dy * dy < radius * radius;
}

QHash<QString, QRectF> placeLabels(const std::vector<LabelRequest> &labels,
                                   const std::vector<MarkerDisc> &markers,
                                   const QList<QRectF> &reserved, const QRectF &bounds)
{
    std::vector<size_t> order(labels.size());
    std::iota(order.begin(), order.end(), size_t(0));
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return labels[a].priority > labels[b].priority; });

    constexpr double gap = 2;
    QHash<QString, QRectF> placed;
    std::vector<QRectF> taken;
    taken.reserve(labels.size());
    for (size_t i : order) {
        const LabelRequest &label = labels[i];
        const double w = label.size.width();
        const double h = label.size.height();
        const double r = label.radius + gap;
        const double cx = label.anchor.x();
        const double cy = label.anchor.y();
        const double d = r * 0.7071; // diagonal offset
        // Right, left, above, below, then the four diagonals: the cartographic preference order.
        const std::array<QRectF, 8> candidates { {
            { cx + r, cy - h / 2, w, h },
            { cx - r - w, cy - h / 2, w, h },
            { cx - w / 2, cy - r - h, w, h },
            { cx - w / 2, cy + r, w, h },
            { cx + d, cy - d - h, w, h },
            { cx + d, cy + d, w, h },
            { cx - d - w, cy - d - h, w, h },
            { cx - d - w, cy + d, w, h },
        } };
        for (const QRectF &candidate : candidates) {
            if (!bounds.contains(candidate))
                continue;
            const auto hitsRect = [&](const QRectF &other) {
                return other.intersects(candidate);
            };
            if (std::any_of(taken.begin(), taken.end(), hitsRect)
                || std::any_of(reserved.begin(), reserved.end(), hitsRect))
                continue;
            const bool hitsMarker =
                std::any_of(markers.begin(), markers.end(), [&](const MarkerDisc &m) {
                    return rectIntersectsDisc(candidate, m.centre, m.radius);
                });
            if (hitsMarker)
                continue;
            taken.push_back(candidate);
            placed.insert(label.key, candidate);
            break;
        }
    }
    return placed;
}

} // namespace fleetscope::widgets
