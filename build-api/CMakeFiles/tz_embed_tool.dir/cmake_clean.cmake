file(REMOVE_RECURSE
  "CMakeFiles/tz_embed_tool.dir/tools/embed.c.o"
  "CMakeFiles/tz_embed_tool.dir/tools/embed.c.o.d"
  "tz_embed_tool"
  "tz_embed_tool.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/tz_embed_tool.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
