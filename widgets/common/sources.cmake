target_sources(fleetscope_widgets PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/figureformat.cpp
    ${CMAKE_CURRENT_LIST_DIR}/figureformat.h
    ${CMAKE_CURRENT_LIST_DIR}/palettes.cpp
    ${CMAKE_CURRENT_LIST_DIR}/palettes.h
)
