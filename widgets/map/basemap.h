#pragma once

// The world basemap decoded from the compiled-in Natural Earth TopoJSON (world-atlas 110m) and
// projected with Equal Earth once: land to fill, country borders and coastlines to stroke, the
// sphere outline and a graticule. Paths are in map units (see equalearth.h); draw them through a
// scale-and-translate transform with cosmetic pens. decodeBasemap() is a pure function (any
// thread); worldBasemap() decodes on first use and is meant for the GUI thread.

#include <QByteArray>
#include <QPainterPath>
#include <QString>

namespace fleetscope::widgets {

struct Basemap
{
    QPainterPath land; // filled, odd-even: lakes and inland seas are holes
    QPainterPath borders; // arcs shared by two countries
    QPainterPath sphere; // the outline of the projected world (the sea)
    QPainterPath graticule; // every 30 degrees
    bool valid = false;
};

// Decodes TopoJSON topologies (delta-encoded, quantised arcs): "land" from landJson and the
// country borders from the "countries" object of countriesJson. On failure returns what could be
// decoded, valid = false, and a message in *error.
Basemap decodeBasemap(const QByteArray &landJson, const QByteArray &countriesJson,
                      QString *error = nullptr);

// The compiled-in basemap, decoded once per process.
const Basemap &worldBasemap();

} // namespace fleetscope::widgets
