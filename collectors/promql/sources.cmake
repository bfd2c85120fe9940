# promql/: the Prometheus HTTP API source for large fleets (PromQL per region instead of scraping
# every node).
target_sources(fleetscope_collectors PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/promclient.cpp
    ${CMAKE_CURRENT_LIST_DIR}/promclient.h
    ${CMAKE_CURRENT_LIST_DIR}/promsource.cpp
    ${CMAKE_CURRENT_LIST_DIR}/promsource.h
)
