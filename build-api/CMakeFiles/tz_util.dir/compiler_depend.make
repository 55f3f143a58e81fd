# Empty compiler generated dependencies file for tz_util.
# This may be replaced when dependencies are built.
