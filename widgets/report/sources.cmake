# Reports: the snapshot rendered as PDF, PNG, HTML (and written as CSV or JSON), shared by
# `fleetscope report` and the dashboard's Export action.
target_sources(fleetscope_widgets PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/exporter.cpp
    ${CMAKE_CURRENT_LIST_DIR}/exporter.h
    ${CMAKE_CURRENT_LIST_DIR}/htmlreport.cpp
    ${CMAKE_CURRENT_LIST_DIR}/htmlreport.h
    ${CMAKE_CURRENT_LIST_DIR}/pdfreport.cpp
    ${CMAKE_CURRENT_LIST_DIR}/pdfreport.h
    ${CMAKE_CURRENT_LIST_DIR}/reportcontent.cpp
    ${CMAKE_CURRENT_LIST_DIR}/reportcontent.h
    ${CMAKE_CURRENT_LIST_DIR}/reportviews.cpp
    ${CMAKE_CURRENT_LIST_DIR}/reportviews.h
)
