target_sources(fleetscope_collectors PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/csvreport.cpp
    ${CMAKE_CURRENT_LIST_DIR}/csvreport.h
)
