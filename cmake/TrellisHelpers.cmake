# trellis_module(NAME DIR DEPS...) — a static library from every .cc under src/DIR (not its
# subfolders named in EXCLUDE), with src/ on the include path. Modules link PRIVATE where a
# dependency must not leak (STYLE.md: sqlite3.h only under storage/sqlite, JSON only in formats,
# web and cli).
function(trellis_module name dir)
  cmake_parse_arguments(M "" "" "PUBLIC_DEPS;PRIVATE_DEPS" ${ARGN})
  file(GLOB srcs CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/src/${dir}/*.cc)
  if(NOT srcs)  # a module with headers only (so far)
    add_library(${name} INTERFACE)
    target_include_directories(${name} INTERFACE ${CMAKE_SOURCE_DIR}/src)
    target_link_libraries(${name} INTERFACE ${M_PUBLIC_DEPS})
    return()
  endif()
  add_library(${name} STATIC ${srcs})
  target_include_directories(${name} PUBLIC ${CMAKE_SOURCE_DIR}/src)
  target_link_libraries(${name} PUBLIC ${M_PUBLIC_DEPS} PRIVATE ${M_PRIVATE_DEPS})
endfunction()

# trellis_test(NAME DIR DEPS...) — one GoogleTest binary from every *_test.cc under tests/DIR.
function(trellis_test name dir)
  file(GLOB srcs CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/${dir}/*_test.cc)
  if(NOT srcs)
    return()
  endif()
  add_executable(${name} ${srcs})
  target_include_directories(${name} PRIVATE ${CMAKE_SOURCE_DIR}/src ${CMAKE_SOURCE_DIR}/tests)
  target_link_libraries(${name} PRIVATE ${ARGN} GTest::gtest GTest::gtest_main)
  target_compile_definitions(${name} PRIVATE
    TRELLIS_SOURCE_DIR="${CMAKE_SOURCE_DIR}" TRELLIS_BINARY_DIR="${CMAKE_BINARY_DIR}")
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60
    PROPERTIES ENVIRONMENT "TRELLIS_SOURCE_DIR=${CMAKE_SOURCE_DIR}")
endfunction()
