# The rules room's own tiers: the DMN conformance suite at compliance level 2 (must pass
# 100%) and the example area's clinical cases through `waymark rules test`.
add_test(NAME rules.tck-level-2
         COMMAND $<TARGET_FILE:waymark> dmn tck ${CMAKE_SOURCE_DIR}/../shared/dmn-tck/TestCases/compliance-level-2
                 --out ${CMAKE_BINARY_DIR}/tck-level-2.csv)
add_test(NAME rules.clinical-cases
         COMMAND $<TARGET_FILE:waymark> rules test --area example
         WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})
set_tests_properties(rules.tck-level-2 rules.clinical-cases PROPERTIES LABELS fast
  ENVIRONMENT "ASAN_OPTIONS=detect_leaks=1")
# The model opens in dmn-js / Camunda Modeler (their reader, dmn-moddle, from web/'s npm
# packages) with no warnings.
find_program(WAYMARK_NODE_FOR_RULES node)
if(WAYMARK_NODE_FOR_RULES)
  add_test(NAME rules.dmn-tools-read-model
           COMMAND ${WAYMARK_NODE_FOR_RULES} ${CMAKE_SOURCE_DIR}/tests/rules/dmn_tools_read_model.mjs)
  set_tests_properties(rules.dmn-tools-read-model PROPERTIES LABELS fast)
endif()
