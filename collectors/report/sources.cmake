target_sources(fleetscope_collectors PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/comparison.cpp
    ${CMAKE_CURRENT_LIST_DIR}/comparison.h
    ${CMAKE_CURRENT_LIST_DIR}/csvreport.cpp
    ${CMAKE_CURRENT_LIST_DIR}/csvreport.h
)
