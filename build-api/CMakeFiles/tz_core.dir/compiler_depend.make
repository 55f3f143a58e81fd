# Empty compiler generated dependencies file for tz_core.
# This may be replaced when dependencies are built.
