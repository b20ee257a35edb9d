# Test tiers. Labels: fast (units, API, rules cases), slow (fuzz, load, browser).
include(GoogleTest)
find_package(GTest REQUIRED)
find_package(Python3 REQUIRED COMPONENTS Interpreter)

file(GLOB_RECURSE WAYMARK_UNIT_TESTS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/unit/*.cc)
add_executable(waymark_unit_tests ${WAYMARK_UNIT_TESTS})
target_link_libraries(waymark_unit_tests PRIVATE waymark_lib GTest::gtest GTest::gmock GTest::gtest_main)
target_compile_definitions(waymark_unit_tests PRIVATE
  WAYMARK_SOURCE_DIR="${CMAKE_SOURCE_DIR}" WAYMARK_SHARED_DIR="${CMAKE_SOURCE_DIR}/../shared")
gtest_discover_tests(waymark_unit_tests DISCOVERY_MODE PRE_TEST PROPERTIES LABELS fast
  WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})

# API tests: the real `waymark` binary on a free port, spoken to over real HTTP.
file(GLOB WAYMARK_API_TESTS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/api/test_*.py)
foreach(t IN LISTS WAYMARK_API_TESTS)
  get_filename_component(name ${t} NAME_WE)
  add_test(NAME api.${name} COMMAND ${Python3_EXECUTABLE} ${t}
           WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})
  set_tests_properties(api.${name} PROPERTIES LABELS fast
    ENVIRONMENT "WAYMARK_BIN=$<TARGET_FILE:waymark>;ASAN_OPTIONS=detect_leaks=1")
endforeach()

# Extra test registrations from rooms that own them (rules cases, TCK, e2e, fuzz).
file(GLOB WAYMARK_TEST_FRAGMENTS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/*.tests.cmake)
foreach(f IN LISTS WAYMARK_TEST_FRAGMENTS)
  include(${f})
endforeach()
