target_sources(fleetscope_collectors PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/duration.cpp
    ${CMAKE_CURRENT_LIST_DIR}/duration.h
    ${CMAKE_CURRENT_LIST_DIR}/fleet.cpp
    ${CMAKE_CURRENT_LIST_DIR}/fleet.h
    ${CMAKE_CURRENT_LIST_DIR}/fleetfile.cpp
    ${CMAKE_CURRENT_LIST_DIR}/fleetfile.h
    ${CMAKE_CURRENT_LIST_DIR}/logging.h
    ${CMAKE_CURRENT_LIST_DIR}/metricroles.cpp
    ${CMAKE_CURRENT_LIST_DIR}/metricroles.h
    ${CMAKE_CURRENT_LIST_DIR}/populationcentres.cpp
    ${CMAKE_CURRENT_LIST_DIR}/populationcentres.h
    ${CMAKE_CURRENT_LIST_DIR}/regioncatalogue.cpp
    ${CMAKE_CURRENT_LIST_DIR}/regioncatalogue.h
    ${CMAKE_CURRENT_LIST_DIR}/suggest.cpp
    ${CMAKE_CURRENT_LIST_DIR}/suggest.h
)
