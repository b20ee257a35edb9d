# Slow tier: every fuzz target for a bounded time (tests/fuzz/run.sh builds them with clang).
add_test(NAME fuzz.parsers COMMAND bash ${CMAKE_SOURCE_DIR}/tests/fuzz/run.sh 30
         WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})
set_tests_properties(fuzz.parsers PROPERTIES LABELS slow TIMEOUT 1800)
