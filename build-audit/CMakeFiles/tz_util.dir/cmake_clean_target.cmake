file(REMOVE_RECURSE
  "libtz_util.a"
)
