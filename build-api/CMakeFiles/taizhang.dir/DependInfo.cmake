
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/main/src/cli/cmd_audit.c" "CMakeFiles/taizhang.dir/src/cli/cmd_audit.c.o" "gcc" "CMakeFiles/taizhang.dir/src/cli/cmd_audit.c.o.d"
  "/work/main/src/cli/cmd_backup.c" "CMakeFiles/taizhang.dir/src/cli/cmd_backup.c.o" "gcc" "CMakeFiles/taizhang.dir/src/cli/cmd_backup.c.o.d"
  "/work/main/src/cli/cmd_demo.c" "CMakeFiles/taizhang.dir/src/cli/cmd_demo.c.o" "gcc" "CMakeFiles/taizhang.dir/src/cli/cmd_demo.c.o.d"
  "/work/main/src/cli/cmd_init.c" "CMakeFiles/taizhang.dir/src/cli/cmd_init.c.o" "gcc" "CMakeFiles/taizhang.dir/src/cli/cmd_init.c.o.d"
  "/work/main/src/cli/cmd_serve.c" "CMakeFiles/taizhang.dir/src/cli/cmd_serve.c.o" "gcc" "CMakeFiles/taizhang.dir/src/cli/cmd_serve.c.o.d"
  "/work/main/src/cli/cmd_user.c" "CMakeFiles/taizhang.dir/src/cli/cmd_user.c.o" "gcc" "CMakeFiles/taizhang.dir/src/cli/cmd_user.c.o.d"
  "/work/main/src/cli/main.c" "CMakeFiles/taizhang.dir/src/cli/main.c.o" "gcc" "CMakeFiles/taizhang.dir/src/cli/main.c.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  "/work/main/build-api/CMakeFiles/tz_server.dir/DependInfo.cmake"
  "/work/main/build-api/CMakeFiles/tz_core.dir/DependInfo.cmake"
  "/work/main/build-api/CMakeFiles/tz_util.dir/DependInfo.cmake"
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")
