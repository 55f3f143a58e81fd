file(REMOVE_RECURSE
  "libtz_core.a"
)
