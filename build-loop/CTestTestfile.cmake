# CMake generated Testfile for 
# Source directory: /work/main
# Build directory: /work/main/build-loop
# 
# This file includes the relevant testing commands required for 
# testing this directory and lists subdirectories to be tested as well.
add_test(unit_test_audit "/work/main/build-loop/test_audit")
set_tests_properties(unit_test_audit PROPERTIES  ENVIRONMENT "TZ_SOURCE_DIR=/work/main" _BACKTRACE_TRIPLES "/work/main/CMakeLists.txt;74;add_test;/work/main/CMakeLists.txt;0;")
add_test(unit_test_calendar "/work/main/build-loop/test_calendar")
set_tests_properties(unit_test_calendar PROPERTIES  ENVIRONMENT "TZ_SOURCE_DIR=/work/main" _BACKTRACE_TRIPLES "/work/main/CMakeLists.txt;74;add_test;/work/main/CMakeLists.txt;0;")
add_test(unit_test_date "/work/main/build-loop/test_date")
set_tests_properties(unit_test_date PROPERTIES  ENVIRONMENT "TZ_SOURCE_DIR=/work/main" _BACKTRACE_TRIPLES "/work/main/CMakeLists.txt;74;add_test;/work/main/CMakeLists.txt;0;")
add_test(unit_test_light "/work/main/build-loop/test_light")
set_tests_properties(unit_test_light PROPERTIES  ENVIRONMENT "TZ_SOURCE_DIR=/work/main" _BACKTRACE_TRIPLES "/work/main/CMakeLists.txt;74;add_test;/work/main/CMakeLists.txt;0;")
add_test(unit_test_loop "/work/main/build-loop/test_loop")
set_tests_properties(unit_test_loop PROPERTIES  ENVIRONMENT "TZ_SOURCE_DIR=/work/main" _BACKTRACE_TRIPLES "/work/main/CMakeLists.txt;74;add_test;/work/main/CMakeLists.txt;0;")
add_test(unit_test_password "/work/main/build-loop/test_password")
set_tests_properties(unit_test_password PROPERTIES  ENVIRONMENT "TZ_SOURCE_DIR=/work/main" _BACKTRACE_TRIPLES "/work/main/CMakeLists.txt;74;add_test;/work/main/CMakeLists.txt;0;")
add_test(api_test_auth "/root/.pyenv/shims/python3" "/work/main/tests/api/test_auth.py")
set_tests_properties(api_test_auth PROPERTIES  ENVIRONMENT "TZ_BIN=/work/main/build-loop/taizhang;TZ_SOURCE_DIR=/work/main;PYTHONDONTWRITEBYTECODE=1" TIMEOUT "300" _BACKTRACE_TRIPLES "/work/main/CMakeLists.txt;83;add_test;/work/main/CMakeLists.txt;0;")
add_test(api_test_errors "/root/.pyenv/shims/python3" "/work/main/tests/api/test_errors.py")
set_tests_properties(api_test_errors PROPERTIES  ENVIRONMENT "TZ_BIN=/work/main/build-loop/taizhang;TZ_SOURCE_DIR=/work/main;PYTHONDONTWRITEBYTECODE=1" TIMEOUT "300" _BACKTRACE_TRIPLES "/work/main/CMakeLists.txt;83;add_test;/work/main/CMakeLists.txt;0;")
add_test(api_test_loop "/root/.pyenv/shims/python3" "/work/main/tests/api/test_loop.py")
set_tests_properties(api_test_loop PROPERTIES  ENVIRONMENT "TZ_BIN=/work/main/build-loop/taizhang;TZ_SOURCE_DIR=/work/main;PYTHONDONTWRITEBYTECODE=1" TIMEOUT "300" _BACKTRACE_TRIPLES "/work/main/CMakeLists.txt;83;add_test;/work/main/CMakeLists.txt;0;")
add_test(style_check_banned "bash" "/work/main/tests/style/check_banned.sh" "/work/main")
set_tests_properties(style_check_banned PROPERTIES  _BACKTRACE_TRIPLES "/work/main/CMakeLists.txt;93;add_test;/work/main/CMakeLists.txt;0;")
add_test(style_check_format "bash" "/work/main/tests/style/check_format.sh" "/work/main")
set_tests_properties(style_check_format PROPERTIES  _BACKTRACE_TRIPLES "/work/main/CMakeLists.txt;93;add_test;/work/main/CMakeLists.txt;0;")
