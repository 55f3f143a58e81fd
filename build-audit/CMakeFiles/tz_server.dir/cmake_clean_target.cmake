file(REMOVE_RECURSE
  "libtz_server.a"
)
