file(REMOVE_RECURSE
  "CMakeFiles/taizhang.dir/src/cli/cmd_audit.c.o"
  "CMakeFiles/taizhang.dir/src/cli/cmd_audit.c.o.d"
  "CMakeFiles/taizhang.dir/src/cli/cmd_backup.c.o"
  "CMakeFiles/taizhang.dir/src/cli/cmd_backup.c.o.d"
  "CMakeFiles/taizhang.dir/src/cli/cmd_demo.c.o"
  "CMakeFiles/taizhang.dir/src/cli/cmd_demo.c.o.d"
  "CMakeFiles/taizhang.dir/src/cli/cmd_init.c.o"
  "CMakeFiles/taizhang.dir/src/cli/cmd_init.c.o.d"
  "CMakeFiles/taizhang.dir/src/cli/cmd_serve.c.o"
  "CMakeFiles/taizhang.dir/src/cli/cmd_serve.c.o.d"
  "CMakeFiles/taizhang.dir/src/cli/cmd_user.c.o"
  "CMakeFiles/taizhang.dir/src/cli/cmd_user.c.o.d"
  "CMakeFiles/taizhang.dir/src/cli/main.c.o"
  "CMakeFiles/taizhang.dir/src/cli/main.c.o.d"
  "taizhang"
  "taizhang.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/taizhang.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
