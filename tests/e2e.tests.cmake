# Slow tier: browser tests (tests/e2e/run.mjs). The real `waymark` binary serves web/dist on a
# free port with a temporary database and demo accounts; playwright-core drives Debian's
# chromium (never a downloaded browser); axe checks every page at WCAG 2.2 AA at 375 px and
# desktop. Screenshots go to <build>/e2e-artifacts. Exit 77 (skipped) when chromium or the
# npm packages are missing (WAYMARK_BROWSER_TESTS=0 machines).
find_program(WAYMARK_NODE node)
if(WAYMARK_NODE)
  add_test(NAME e2e.browser COMMAND ${WAYMARK_NODE} ${CMAKE_SOURCE_DIR}/tests/e2e/run.mjs
           WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})
  set_tests_properties(e2e.browser PROPERTIES LABELS "e2e;slow" TIMEOUT 1800 SKIP_RETURN_CODE 77
    ENVIRONMENT "WAYMARK_BIN=$<TARGET_FILE:waymark>;E2E_ARTIFACTS=${CMAKE_BINARY_DIR}/e2e-artifacts;PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1;ASAN_OPTIONS=detect_leaks=1")
else()
  message(STATUS "node not found: browser tests (e2e) not registered")
endif()
