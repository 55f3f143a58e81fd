file(REMOVE_RECURSE
  "CMakeFiles/tz_util.dir/embedded.c.o"
  "CMakeFiles/tz_util.dir/embedded.c.o.d"
  "CMakeFiles/tz_util.dir/src/util/arena.c.o"
  "CMakeFiles/tz_util.dir/src/util/arena.c.o.d"
  "CMakeFiles/tz_util.dir/src/util/date.c.o"
  "CMakeFiles/tz_util.dir/src/util/date.c.o.d"
  "CMakeFiles/tz_util.dir/src/util/embed.c.o"
  "CMakeFiles/tz_util.dir/src/util/embed.c.o.d"
  "CMakeFiles/tz_util.dir/src/util/err.c.o"
  "CMakeFiles/tz_util.dir/src/util/err.c.o.d"
  "CMakeFiles/tz_util.dir/src/util/json.c.o"
  "CMakeFiles/tz_util.dir/src/util/json.c.o.d"
  "CMakeFiles/tz_util.dir/src/util/log.c.o"
  "CMakeFiles/tz_util.dir/src/util/log.c.o.d"
  "CMakeFiles/tz_util.dir/src/util/strbuf.c.o"
  "CMakeFiles/tz_util.dir/src/util/strbuf.c.o.d"
  "CMakeFiles/tz_util.dir/src/util/xalloc.c.o"
  "CMakeFiles/tz_util.dir/src/util/xalloc.c.o.d"
  "embedded.c"
  "libtz_util.a"
  "libtz_util.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/tz_util.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
