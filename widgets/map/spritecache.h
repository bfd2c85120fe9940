#pragma once

// SpriteCache: small antialiased drawings (the map's region markers) rendered once into an image
// at the device's pixel ratio and copied to the screen afterwards. Fifty filled, outlined,
// antialiased discs cost the raster engine a tenth of a dashboard repaint; copying fifty small
// images costs a few percent of that. Vector painters (PDF, printing) and rotated or sheared ones
// draw directly, so exports stay sharp. The cache holds at most kMaxSprites images and forgets
// them all when full, when the palette or font changes (the owner calls clear()).
// GUI thread; not copyable.

#include <QHash>
#include <QImage>
#include <QPointF>

#include <cstdint>
#include <functional>

class QPainter;

namespace fleetscope::widgets {

class SpriteCache
{
public:
    // What identifies one sprite: whatever changes its pixels, packed by the caller.
    struct Key
    {
        std::uint64_t a = 0;
        std::uint64_t b = 0;
        friend bool operator==(const Key &x, const Key &y) { return x.a == y.a && x.b == y.b; }
    };

    static constexpr int kMaxSprites = 512;

    SpriteCache() = default;
    SpriteCache(const SpriteCache &) = delete;
    SpriteCache &operator=(const SpriteCache &) = delete;

    // Paints the sprite `key` centred on `centre` (painter coordinates). `halfSize` is half its
    // width in logical pixels; `draw` paints it centred on (0, 0), antialiased, within that
    // square. It runs once per key and device pixel ratio, or at every call on a painter where a
    // bitmap would not do. On the sprite path the centre snaps to the nearest device pixel corner.
    void paint(QPainter &painter, Key key, QPointF centre, double halfSize,
               const std::function<void(QPainter &)> &draw);

    void clear() { m_images.clear(); }
    int size() const { return int(m_images.size()); }

private:
    QHash<Key, QImage> m_images;
};

size_t qHash(const SpriteCache::Key &key, size_t seed = 0) noexcept;

} // namespace fleetscope::widgets
