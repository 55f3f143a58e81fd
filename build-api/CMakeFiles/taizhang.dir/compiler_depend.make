# Empty compiler generated dependencies file for taizhang.
# This may be replaced when dependencies are built.
