target_sources(fleetscope_widgets PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/compareexport.cpp
    ${CMAKE_CURRENT_LIST_DIR}/compareexport.h
    ${CMAKE_CURRENT_LIST_DIR}/comparewindow.cpp
    ${CMAKE_CURRENT_LIST_DIR}/comparewindow.h
)
