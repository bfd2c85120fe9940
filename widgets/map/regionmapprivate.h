#pragma once

// What the region map's widget code (regionmapwidget.cpp: data, view, interaction), its painting
// (regionmappainting.cpp) and its text (regionmaptext.cpp: hover card, accessible description)
// share: colour helpers, plain-text label values and the palette-derived colours. Private to the
// map; GUI thread.

#include "map/regionmapwidget.h"

#include <QChar>
#include <QColor>
#include <QPalette>
#include <QString>

#include <cmath>

namespace fleetscope::widgets {

namespace mapdetail {

inline QColor mix(const QColor &a, const QColor &b, double t)
{
    return QColor::fromRgbF(float(a.redF() + (b.redF() - a.redF()) * t),
                            float(a.greenF() + (b.greenF() - a.greenF()) * t),
                            float(a.blueF() + (b.blueF() - a.blueF()) * t));
}

inline QColor withAlpha(QColor c, int alpha)
{
    c.setAlpha(alpha);
    return c;
}

// Label values come from the nodes: shown literally (drawText never interprets markup), with
// control characters, which would break the card's lines, made visible as spaces.
inline QString plain(const QString &text, int maxLength = 60)
{
    QString out = text;
    for (QChar &c : out) {
        if (c.category() == QChar::Other_Control || c == QChar::LineSeparator
            || c == QChar::ParagraphSeparator)
            c = u' ';
    }
    if (out.size() > maxLength)
        out = out.left(maxLength - 1) + QChar(0x2026);
    return out;
}

inline QString quantileName(double q)
{
    if (!std::isfinite(q))
        return QStringLiteral("p?");
    return u'p' + QString::number(q * 100, 'g', 4);
}

// Legend ticks: "2.5", "10", "250", "1 s".
inline QString tickLabel(double ms)
{
    if (ms >= 1000)
        return QString::number(ms / 1000, 'g', 3) + QStringLiteral(" s");
    return QString::number(ms, 'g', 4);
}

} // namespace mapdetail

struct RegionMapWidget::Colors
{
    bool dark = false;
    QColor background, sea, land, coast, border, graticule;
    QColor text, muted, panel, panelBorder, outline, highlight, idle, down;
    QColor edge[4];
    QColor cardBase, cardText;

    explicit Colors(const QPalette &p)
    {
        const QColor window = p.color(QPalette::Window);
        const QColor windowText = p.color(QPalette::WindowText);
        const QColor base = p.color(QPalette::Base);
        dark = window.lightnessF() < 0.5;
        background = window;
        sea = mapdetail::mix(base, p.color(QPalette::Highlight), dark ? 0.13 : 0.07);
        land = mapdetail::mix(window, windowText, dark ? 0.17 : 0.13);
        coast = mapdetail::mix(land, windowText, dark ? 0.22 : 0.28);
        border = mapdetail::mix(land, base, dark ? 0.35 : 0.6);
        graticule = mapdetail::mix(sea, windowText, 0.07);
        text = windowText;
        muted = mapdetail::mix(windowText, window, 0.4);
        panel = mapdetail::withAlpha(base, 232);
        panelBorder = mapdetail::mix(base, windowText, 0.25);
        outline = dark ? QColor(255, 255, 255, 200) : QColor(0, 0, 0, 170);
        highlight = p.color(QPalette::Highlight);
        idle = mapdetail::mix(windowText, window, 0.35);
        down = dark ? QColor(0xff, 0x5a, 0x4f) : QColor(0xc8, 0x1e, 0x1e);
        edge[0] = mapdetail::withAlpha(muted, 200);
        edge[1] = dark ? QColor(0x7f, 0xb0, 0xd8) : QColor(0x3b, 0x6f, 0xa0);
        edge[2] = dark ? QColor(0xf5, 0xa6, 0x23) : QColor(0xd9, 0x82, 0x00);
        edge[3] = down;
        cardBase = p.color(QPalette::ToolTipBase);
        cardText = p.color(QPalette::ToolTipText);
    }
};

} // namespace fleetscope::widgets
