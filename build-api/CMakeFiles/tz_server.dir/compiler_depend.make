# Empty compiler generated dependencies file for tz_server.
# This may be replaced when dependencies are built.
