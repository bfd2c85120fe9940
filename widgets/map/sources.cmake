# The region latency map: Equal Earth basemap, colour scale, label placement and the widget.
target_sources(fleetscope_widgets PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/basemap.cpp
    ${CMAKE_CURRENT_LIST_DIR}/basemap.h
    ${CMAKE_CURRENT_LIST_DIR}/equalearth.cpp
    ${CMAKE_CURRENT_LIST_DIR}/equalearth.h
    ${CMAKE_CURRENT_LIST_DIR}/labelplacement.cpp
    ${CMAKE_CURRENT_LIST_DIR}/labelplacement.h
    ${CMAKE_CURRENT_LIST_DIR}/latencyscale.cpp
    ${CMAKE_CURRENT_LIST_DIR}/latencyscale.h
    ${CMAKE_CURRENT_LIST_DIR}/regionmappainting.cpp
    ${CMAKE_CURRENT_LIST_DIR}/regionmapprivate.h
    ${CMAKE_CURRENT_LIST_DIR}/regionmaptext.cpp
    ${CMAKE_CURRENT_LIST_DIR}/regionmapwidget.cpp
    ${CMAKE_CURRENT_LIST_DIR}/regionmapwidget.h
    ${CMAKE_CURRENT_LIST_DIR}/spritecache.cpp
    ${CMAKE_CURRENT_LIST_DIR}/spritecache.h
)
