# Empty dependencies file for taizhang.
# This may be replaced when dependencies are built.
