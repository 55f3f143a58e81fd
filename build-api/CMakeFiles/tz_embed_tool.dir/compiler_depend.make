# Empty compiler generated dependencies file for tz_embed_tool.
# This may be replaced when dependencies are built.
