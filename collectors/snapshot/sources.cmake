target_sources(fleetscope_collectors PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/fleetsnapshot.cpp
    ${CMAKE_CURRENT_LIST_DIR}/fleetsnapshot.h
    ${CMAKE_CURRENT_LIST_DIR}/snapshotfile.cpp
    ${CMAKE_CURRENT_LIST_DIR}/snapshotfile.h
)
