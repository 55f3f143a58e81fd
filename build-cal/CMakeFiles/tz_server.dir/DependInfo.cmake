
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/main/src/app/version.c" "CMakeFiles/tz_server.dir/src/app/version.c.o" "gcc" "CMakeFiles/tz_server.dir/src/app/version.c.o.d"
  "/work/main/src/store/store_sqlite.c" "CMakeFiles/tz_server.dir/src/store/store_sqlite.c.o" "gcc" "CMakeFiles/tz_server.dir/src/store/store_sqlite.c.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  "/work/main/build-cal/CMakeFiles/tz_core.dir/DependInfo.cmake"
  "/work/main/build-cal/CMakeFiles/tz_util.dir/DependInfo.cmake"
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")
