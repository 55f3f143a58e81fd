# CMake generated Testfile for 
# Source directory: /work/main
# Build directory: /work/main/build-audit
# 
# This file includes the relevant testing commands required for 
# testing this directory and lists subdirectories to be tested as well.
add_test(unit_test_audit "/work/main/build-audit/test_audit")
set_tests_properties(unit_test_audit PROPERTIES  ENVIRONMENT "TZ_SOURCE_DIR=/work/main" _BACKTRACE_TRIPLES "/work/main/CMakeLists.txt;74;add_test;/work/main/CMakeLists.txt;0;")
add_test(unit_test_calendar "/work/main/build-audit/test_calendar")
set_tests_properties(unit_test_calendar PROPERTIES  ENVIRONMENT "TZ_SOURCE_DIR=/work/main" _BACKTRACE_TRIPLES "/work/main/CMakeLists.txt;74;add_test;/work/main/CMakeLists.txt;0;")
add_test(unit_test_date "/work/main/build-audit/test_date")
set_tests_properties(unit_test_date PROPERTIES  ENVIRONMENT "TZ_SOURCE_DIR=/work/main" _BACKTRACE_TRIPLES "/work/main/CMakeLists.txt;74;add_test;/work/main/CMakeLists.txt;0;")
add_test(unit_test_password "/work/main/build-audit/test_password")
set_tests_properties(unit_test_password PROPERTIES  ENVIRONMENT "TZ_SOURCE_DIR=/work/main" _BACKTRACE_TRIPLES "/work/main/CMakeLists.txt;74;add_test;/work/main/CMakeLists.txt;0;")
