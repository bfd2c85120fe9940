target_sources(fleetscope_collectors PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/dump.cpp
    ${CMAKE_CURRENT_LIST_DIR}/dump.h
    ${CMAKE_CURRENT_LIST_DIR}/exposition.h
    ${CMAKE_CURRENT_LIST_DIR}/flatindex.h
    ${CMAKE_CURRENT_LIST_DIR}/numbers.cpp
    ${CMAKE_CURRENT_LIST_DIR}/numbers.h
    ${CMAKE_CURRENT_LIST_DIR}/openmetrics.cpp
    ${CMAKE_CURRENT_LIST_DIR}/parser.cpp
    ${CMAKE_CURRENT_LIST_DIR}/parserimpl.h
    ${CMAKE_CURRENT_LIST_DIR}/stringarena.h
)
