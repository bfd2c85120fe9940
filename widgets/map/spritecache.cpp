#include "map/spritecache.h"

#include <QHashFunctions>
#include <QPaintEngine>
#include <QPainter>
#include <QTransform>

#include <cmath>

namespace fleetscope::widgets {

size_t qHash(const SpriteCache::Key &key, size_t seed) noexcept
{
    return qHashMulti(seed, key.a, key.b);
}

qreal SpriteCache::bitmapRatio(const QPainter &painter)
{
    const QTransform device = painter.deviceTransform();
    const qreal dpr = device.m11();
    const bool bitmapWillDo = painter.paintEngine()
        && painter.paintEngine()->type() == QPaintEngine::Raster
        && device.type() <= QTransform::TxScale && dpr > 0 && dpr == device.m22() && dpr <= 8;
    return bitmapWillDo ? dpr : 0;
}

void SpriteCache::drawSnapped(QPainter &painter, QPointF anchor, const QImage &image,
                              QPoint anchorInImage)
{
    const QTransform device = painter.deviceTransform();
    const QPointF onDevice = device.map(anchor);
    const QPointF topLeft =
        QPointF(std::round(onDevice.x()), std::round(onDevice.y())) - QPointF(anchorInImage);
    painter.drawImage(device.inverted().map(topLeft), image);
}

void SpriteCache::paint(QPainter &painter, Key key, QPointF centre, double halfSize,
                        const std::function<void(QPainter &)> &draw)
{
    const double dpr = bitmapRatio(painter);
    if (dpr == 0 || !(halfSize > 0 && halfSize < 256)) {
        painter.save();
        painter.translate(centre);
        draw(painter);
        painter.restore();
        return;
    }
    // The pixel ratio is part of the key: a window moved to another screen gets new sprites.
    key.b ^= std::uint64_t(std::llround(dpr * 1000)) << 48;
    // Even, so the centre falls on a pixel corner.
    const int side = 2 * int(std::ceil(halfSize * dpr));
    auto it = m_images.constFind(key);
    if (it == m_images.constEnd()) {
        if (m_images.size() >= kMaxSprites)
            m_images.clear();
        QImage image(side, side, QImage::Format_ARGB32_Premultiplied);
        image.fill(Qt::transparent);
        {
            QPainter p(&image);
            p.setRenderHints(painter.renderHints());
            p.setFont(painter.font());
            p.scale(dpr, dpr);
            p.translate(side / (2 * dpr), side / (2 * dpr));
            draw(p);
        }
        image.setDevicePixelRatio(dpr);
        it = m_images.insert(key, image);
    }
    drawSnapped(painter, centre, *it, QPoint(side / 2, side / 2));
}

} // namespace fleetscope::widgets
