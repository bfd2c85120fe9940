#pragma once

// SpriteCache: small antialiased drawings (the map's region markers) rendered once into an image
// at the device's pixel ratio and copied to the screen afterwards. Fifty filled, outlined,
// antialiased discs cost the raster engine a tenth of a dashboard repaint; copying fifty small
// images costs a few percent of that. Vector painters (PDF, printing) and rotated or sheared ones
// draw directly, so exports stay sharp. The cache holds at most kMaxSprites images and forgets
// them all when full, when the palette or font changes (the owner calls clear()). Its two static
// helpers (whether a bitmap will do, and copying one onto whole device pixels) serve the map's
// other cached drawing, the legend, too. GUI thread; not copyable.

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

    // The device pixel ratio at which a bitmap of what `painter` draws can be copied pixel for
    // pixel, or 0 where vectors must be drawn instead: an engine other than the raster one (PDF,
    // printing), a transform other than a translation and one scale for both axes, or a ratio
    // over 8.
    static qreal bitmapRatio(const QPainter &painter);
    // Draws `image` (at its own pixel ratio) with its point `anchorInImage` (in device pixels from
    // its top left corner) on the device pixel corner nearest to `anchor` (painter coordinates):
    // an image on whole device pixels is copied, not resampled, so it stays as sharp as drawn.
    static void drawSnapped(QPainter &painter, QPointF anchor, const QImage &image,
                            QPoint anchorInImage = {});

    void clear() { m_images.clear(); }
    int size() const { return int(m_images.size()); }

private:
    QHash<Key, QImage> m_images;
};

size_t qHash(const SpriteCache::Key &key, size_t seed = 0) noexcept;

} // namespace fleetscope::widgets
