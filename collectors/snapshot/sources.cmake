target_sources(fleetscope_collectors PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/analysis.cpp
    ${CMAKE_CURRENT_LIST_DIR}/analysis.h
    ${CMAKE_CURRENT_LIST_DIR}/aggregatorstate.h
    ${CMAKE_CURRENT_LIST_DIR}/fleetaggregator.cpp
    ${CMAKE_CURRENT_LIST_DIR}/fleetaggregator.h
    ${CMAKE_CURRENT_LIST_DIR}/fleetbuild.cpp
    ${CMAKE_CURRENT_LIST_DIR}/fleetmonitor.cpp
    ${CMAKE_CURRENT_LIST_DIR}/fleetmonitor.h
    ${CMAKE_CURRENT_LIST_DIR}/fleetsnapshot.cpp
    ${CMAKE_CURRENT_LIST_DIR}/fleetsnapshot.h
    ${CMAKE_CURRENT_LIST_DIR}/replay.cpp
    ${CMAKE_CURRENT_LIST_DIR}/replay.h
    ${CMAKE_CURRENT_LIST_DIR}/snapshotfile.cpp
    ${CMAKE_CURRENT_LIST_DIR}/snapshotfile.h
)
