
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/main/src/core/audit.c" "CMakeFiles/tz_core.dir/src/core/audit.c.o" "gcc" "CMakeFiles/tz_core.dir/src/core/audit.c.o.d"
  "/work/main/src/core/calendar.c" "CMakeFiles/tz_core.dir/src/core/calendar.c.o" "gcc" "CMakeFiles/tz_core.dir/src/core/calendar.c.o.d"
  "/work/main/src/core/item.c" "CMakeFiles/tz_core.dir/src/core/item.c.o" "gcc" "CMakeFiles/tz_core.dir/src/core/item.c.o.d"
  "/work/main/src/core/light.c" "CMakeFiles/tz_core.dir/src/core/light.c.o" "gcc" "CMakeFiles/tz_core.dir/src/core/light.c.o.d"
  "/work/main/src/core/loop.c" "CMakeFiles/tz_core.dir/src/core/loop.c.o" "gcc" "CMakeFiles/tz_core.dir/src/core/loop.c.o.d"
  "/work/main/src/core/password.c" "CMakeFiles/tz_core.dir/src/core/password.c.o" "gcc" "CMakeFiles/tz_core.dir/src/core/password.c.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  "/work/main/build-audit/CMakeFiles/tz_util.dir/DependInfo.cmake"
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")
