file(REMOVE_RECURSE
  "CMakeFiles/tz_server.dir/src/app/version.c.o"
  "CMakeFiles/tz_server.dir/src/app/version.c.o.d"
  "CMakeFiles/tz_server.dir/src/store/store_sqlite.c.o"
  "CMakeFiles/tz_server.dir/src/store/store_sqlite.c.o.d"
  "libtz_server.a"
  "libtz_server.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/tz_server.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
