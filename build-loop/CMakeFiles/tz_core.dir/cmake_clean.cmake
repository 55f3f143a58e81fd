file(REMOVE_RECURSE
  "CMakeFiles/tz_core.dir/src/core/audit.c.o"
  "CMakeFiles/tz_core.dir/src/core/audit.c.o.d"
  "CMakeFiles/tz_core.dir/src/core/calendar.c.o"
  "CMakeFiles/tz_core.dir/src/core/calendar.c.o.d"
  "CMakeFiles/tz_core.dir/src/core/item.c.o"
  "CMakeFiles/tz_core.dir/src/core/item.c.o.d"
  "CMakeFiles/tz_core.dir/src/core/light.c.o"
  "CMakeFiles/tz_core.dir/src/core/light.c.o.d"
  "CMakeFiles/tz_core.dir/src/core/loop.c.o"
  "CMakeFiles/tz_core.dir/src/core/loop.c.o.d"
  "CMakeFiles/tz_core.dir/src/core/password.c.o"
  "CMakeFiles/tz_core.dir/src/core/password.c.o.d"
  "libtz_core.a"
  "libtz_core.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/tz_core.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
