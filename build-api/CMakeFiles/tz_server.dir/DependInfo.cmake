
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/main/src/app/app_auth.c" "CMakeFiles/tz_server.dir/src/app/app_auth.c.o" "gcc" "CMakeFiles/tz_server.dir/src/app/app_auth.c.o.d"
  "/work/main/src/app/app_ctx.c" "CMakeFiles/tz_server.dir/src/app/app_ctx.c.o" "gcc" "CMakeFiles/tz_server.dir/src/app/app_ctx.c.o.d"
  "/work/main/src/app/app_evidence.c" "CMakeFiles/tz_server.dir/src/app/app_evidence.c.o" "gcc" "CMakeFiles/tz_server.dir/src/app/app_evidence.c.o.d"
  "/work/main/src/app/app_items.c" "CMakeFiles/tz_server.dir/src/app/app_items.c.o" "gcc" "CMakeFiles/tz_server.dir/src/app/app_items.c.o.d"
  "/work/main/src/app/app_misc.c" "CMakeFiles/tz_server.dir/src/app/app_misc.c.o" "gcc" "CMakeFiles/tz_server.dir/src/app/app_misc.c.o.d"
  "/work/main/src/app/app_setup.c" "CMakeFiles/tz_server.dir/src/app/app_setup.c.o" "gcc" "CMakeFiles/tz_server.dir/src/app/app_setup.c.o.d"
  "/work/main/src/app/app_units.c" "CMakeFiles/tz_server.dir/src/app/app_units.c.o" "gcc" "CMakeFiles/tz_server.dir/src/app/app_units.c.o.d"
  "/work/main/src/http/api_auth.c" "CMakeFiles/tz_server.dir/src/http/api_auth.c.o" "gcc" "CMakeFiles/tz_server.dir/src/http/api_auth.c.o.d"
  "/work/main/src/http/api_items.c" "CMakeFiles/tz_server.dir/src/http/api_items.c.o" "gcc" "CMakeFiles/tz_server.dir/src/http/api_items.c.o.d"
  "/work/main/src/http/api_misc.c" "CMakeFiles/tz_server.dir/src/http/api_misc.c.o" "gcc" "CMakeFiles/tz_server.dir/src/http/api_misc.c.o.d"
  "/work/main/src/http/api_units.c" "CMakeFiles/tz_server.dir/src/http/api_units.c.o" "gcc" "CMakeFiles/tz_server.dir/src/http/api_units.c.o.d"
  "/work/main/src/http/metrics.c" "CMakeFiles/tz_server.dir/src/http/metrics.c.o" "gcc" "CMakeFiles/tz_server.dir/src/http/metrics.c.o.d"
  "/work/main/src/http/respond.c" "CMakeFiles/tz_server.dir/src/http/respond.c.o" "gcc" "CMakeFiles/tz_server.dir/src/http/respond.c.o.d"
  "/work/main/src/http/routes.c" "CMakeFiles/tz_server.dir/src/http/routes.c.o" "gcc" "CMakeFiles/tz_server.dir/src/http/routes.c.o.d"
  "/work/main/src/http/server.c" "CMakeFiles/tz_server.dir/src/http/server.c.o" "gcc" "CMakeFiles/tz_server.dir/src/http/server.c.o.d"
  "/work/main/src/store/store_sqlite.c" "CMakeFiles/tz_server.dir/src/store/store_sqlite.c.o" "gcc" "CMakeFiles/tz_server.dir/src/store/store_sqlite.c.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  "/work/main/build-api/CMakeFiles/tz_core.dir/DependInfo.cmake"
  "/work/main/build-api/CMakeFiles/tz_util.dir/DependInfo.cmake"
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")
