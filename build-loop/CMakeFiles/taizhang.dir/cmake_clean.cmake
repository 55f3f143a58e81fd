file(REMOVE_RECURSE
  "CMakeFiles/taizhang.dir/src/cli/main.c.o"
  "CMakeFiles/taizhang.dir/src/cli/main.c.o.d"
  "taizhang"
  "taizhang.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/taizhang.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
