# Test tiers. Labels: fast (units, API, rules cases), slow (fuzz, load, browser).
include(GoogleTest)
find_package(GTest REQUIRED)
find_package(Python3 REQUIRED COMPONENTS Interpreter)

# One GoogleTest binary per room (tests/unit/<room>/), linked to that room's library only,
# so a room's tests build even while another room is mid-change.
set(WAYMARK_ROOM_LIBS domain=waymark_domain rules=waymark_rules directory=waymark_directory)
file(GLOB WAYMARK_UNIT_ROOMS LIST_DIRECTORIES true ${CMAKE_SOURCE_DIR}/tests/unit/*)
foreach(roomdir IN LISTS WAYMARK_UNIT_ROOMS)
  if(NOT IS_DIRECTORY ${roomdir})
    continue()
  endif()
  get_filename_component(room ${roomdir} NAME)
  file(GLOB_RECURSE room_tests CONFIGURE_DEPENDS ${roomdir}/*.cc)
  if(NOT room_tests)
    continue()
  endif()
  set(lib waymark_lib)
  foreach(pair IN LISTS WAYMARK_ROOM_LIBS)
    string(REPLACE "=" ";" kv ${pair})
    list(GET kv 0 k)
    list(GET kv 1 v)
    if(k STREQUAL room)
      set(lib ${v})
    endif()
  endforeach()
  add_executable(unit_${room} ${room_tests})
  target_link_libraries(unit_${room} PRIVATE ${lib} GTest::gtest GTest::gmock GTest::gtest_main)
  target_compile_definitions(unit_${room} PRIVATE
    WAYMARK_SOURCE_DIR="${CMAKE_SOURCE_DIR}" WAYMARK_SHARED_DIR="${CMAKE_SOURCE_DIR}/../shared")
  gtest_discover_tests(unit_${room} DISCOVERY_MODE PRE_TEST TEST_PREFIX "${room}."
    PROPERTIES LABELS fast WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})
endforeach()

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
