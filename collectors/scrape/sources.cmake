# scrape/: HTTP polling of targets and their health. Gzip bodies are inflated here (zlib), not by
# Qt, so the body limit can count decompressed bytes as they stream in.
if(NOT TARGET ZLIB::ZLIB)
    find_package(ZLIB REQUIRED)
endif()
target_link_libraries(fleetscope_collectors PRIVATE ZLIB::ZLIB)
target_sources(fleetscope_collectors PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/bodydecoder.cpp
    ${CMAKE_CURRENT_LIST_DIR}/bodydecoder.h
    ${CMAKE_CURRENT_LIST_DIR}/health.cpp
    ${CMAKE_CURRENT_LIST_DIR}/health.h
    ${CMAKE_CURRENT_LIST_DIR}/scrapejob.cpp
    ${CMAKE_CURRENT_LIST_DIR}/scraper.cpp
    ${CMAKE_CURRENT_LIST_DIR}/scraper.h
    ${CMAKE_CURRENT_LIST_DIR}/scraperprivate.h
    ${CMAKE_CURRENT_LIST_DIR}/scraperesult.h
    ${CMAKE_CURRENT_LIST_DIR}/scrapetarget.h
)
