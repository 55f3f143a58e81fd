file(REMOVE_RECURSE
  "CMakeFiles/test_password.dir/tests/unit/test_password.c.o"
  "CMakeFiles/test_password.dir/tests/unit/test_password.c.o.d"
  "test_password"
  "test_password.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_password.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
