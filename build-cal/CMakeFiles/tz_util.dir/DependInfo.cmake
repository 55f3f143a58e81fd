
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/main/build-cal/embedded.c" "CMakeFiles/tz_util.dir/embedded.c.o" "gcc" "CMakeFiles/tz_util.dir/embedded.c.o.d"
  "/work/main/src/util/arena.c" "CMakeFiles/tz_util.dir/src/util/arena.c.o" "gcc" "CMakeFiles/tz_util.dir/src/util/arena.c.o.d"
  "/work/main/src/util/date.c" "CMakeFiles/tz_util.dir/src/util/date.c.o" "gcc" "CMakeFiles/tz_util.dir/src/util/date.c.o.d"
  "/work/main/src/util/embed.c" "CMakeFiles/tz_util.dir/src/util/embed.c.o" "gcc" "CMakeFiles/tz_util.dir/src/util/embed.c.o.d"
  "/work/main/src/util/err.c" "CMakeFiles/tz_util.dir/src/util/err.c.o" "gcc" "CMakeFiles/tz_util.dir/src/util/err.c.o.d"
  "/work/main/src/util/json.c" "CMakeFiles/tz_util.dir/src/util/json.c.o" "gcc" "CMakeFiles/tz_util.dir/src/util/json.c.o.d"
  "/work/main/src/util/log.c" "CMakeFiles/tz_util.dir/src/util/log.c.o" "gcc" "CMakeFiles/tz_util.dir/src/util/log.c.o.d"
  "/work/main/src/util/strbuf.c" "CMakeFiles/tz_util.dir/src/util/strbuf.c.o" "gcc" "CMakeFiles/tz_util.dir/src/util/strbuf.c.o.d"
  "/work/main/src/util/xalloc.c" "CMakeFiles/tz_util.dir/src/util/xalloc.c.o" "gcc" "CMakeFiles/tz_util.dir/src/util/xalloc.c.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")
