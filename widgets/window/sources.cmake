target_sources(fleetscope_widgets PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/dashboardview.cpp
    ${CMAKE_CURRENT_LIST_DIR}/dashboardview.h
    ${CMAKE_CURRENT_LIST_DIR}/dashboardwindow.cpp
    ${CMAKE_CURRENT_LIST_DIR}/dashboardwindow.h
    ${CMAKE_CURRENT_LIST_DIR}/dashboardwindowactions.cpp
    ${CMAKE_CURRENT_LIST_DIR}/elidinglabel.cpp
    ${CMAKE_CURRENT_LIST_DIR}/elidinglabel.h
)
