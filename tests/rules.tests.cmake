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
