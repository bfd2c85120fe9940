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

void SpriteCache::paint(QPainter &painter, Key key, QPointF centre, double halfSize,
                        const std::function<void(QPainter &)> &draw)
{
    const QTransform device = painter.deviceTransform();
    const double dpr = device.m11();
    const bool bitmapWillDo = painter.paintEngine()
        && painter.paintEngine()->type() == QPaintEngine::Raster
        && device.type() <= QTransform::TxScale && dpr > 0 && dpr == device.m22() && dpr <= 8
        && halfSize > 0 && halfSize < 256;
    if (!bitmapWillDo) {
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
    const QPointF onDevice = device.map(centre);
    const QPointF topLeft(std::round(onDevice.x()) - side / 2, std::round(onDevice.y()) - side / 2);
    painter.drawImage(device.inverted().map(topLeft), *it);
}

} // namespace fleetscope::widgets
