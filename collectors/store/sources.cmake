target_sources(fleetscope_collectors PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/seriesstore.cpp
    ${CMAKE_CURRENT_LIST_DIR}/seriesstore.h
)
