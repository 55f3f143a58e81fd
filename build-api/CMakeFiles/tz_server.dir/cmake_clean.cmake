file(REMOVE_RECURSE
  "CMakeFiles/tz_server.dir/src/app/app_auth.c.o"
  "CMakeFiles/tz_server.dir/src/app/app_auth.c.o.d"
  "CMakeFiles/tz_server.dir/src/app/app_ctx.c.o"
  "CMakeFiles/tz_server.dir/src/app/app_ctx.c.o.d"
  "CMakeFiles/tz_server.dir/src/app/app_evidence.c.o"
  "CMakeFiles/tz_server.dir/src/app/app_evidence.c.o.d"
  "CMakeFiles/tz_server.dir/src/app/app_items.c.o"
  "CMakeFiles/tz_server.dir/src/app/app_items.c.o.d"
  "CMakeFiles/tz_server.dir/src/app/app_misc.c.o"
  "CMakeFiles/tz_server.dir/src/app/app_misc.c.o.d"
  "CMakeFiles/tz_server.dir/src/app/app_setup.c.o"
  "CMakeFiles/tz_server.dir/src/app/app_setup.c.o.d"
  "CMakeFiles/tz_server.dir/src/app/app_units.c.o"
  "CMakeFiles/tz_server.dir/src/app/app_units.c.o.d"
  "CMakeFiles/tz_server.dir/src/http/metrics.c.o"
  "CMakeFiles/tz_server.dir/src/http/metrics.c.o.d"
  "CMakeFiles/tz_server.dir/src/http/respond.c.o"
  "CMakeFiles/tz_server.dir/src/http/respond.c.o.d"
  "CMakeFiles/tz_server.dir/src/http/server.c.o"
  "CMakeFiles/tz_server.dir/src/http/server.c.o.d"
  "CMakeFiles/tz_server.dir/src/store/store_sqlite.c.o"
  "CMakeFiles/tz_server.dir/src/store/store_sqlite.c.o.d"
  "libtz_server.a"
  "libtz_server.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/tz_server.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
