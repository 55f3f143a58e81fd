#!/usr/bin/env bash
# check_banned.sh - guards against the C library functions we do not call, as
# curl's checksrc does (STYLE.md "Formatting and checks"). Each has a safer form
# we use instead:
#   strcpy strcat sprintf vsprintf strncpy  -> struct tz_strbuf, snprintf (no overflow,
#                                              always terminated)
#   gets                                    -> fgets (bounded)
#   strtok                                  -> strtok_r or slices (strtok keeps hidden state)
#   atoi atol atof                          -> strtol/strtoll/strtod with error checks
#   tmpnam mktemp                           -> mkstemp (no race)
#   rand srand                              -> the random source in struct tz_ctx (OpenSSL/
#                                              libsodium), so tests can fix it
#   asctime ctime gmtime localtime          -> the _r forms (no shared static buffer)
#
# Scans every *.c and *.h under src/ and include/. A hit is a call: the name as a
# whole identifier followed by '(' (so snprintf, localtime_r, strtok_r, my_rand pass),
# outside comments, string and character literals, and not a member call through a
# function pointer (ctx->rand(...), ops.read(...)). Prints file:line of each hit.
#
# Usage: bash tests/style/check_banned.sh REPO_ROOT
set -euo pipefail

root=${1:?usage: check_banned.sh REPO_ROOT}
cd "$root"

python3 - "$@" <<'PY'
import os
import re
import sys

BANNED = """strcpy strcat sprintf vsprintf gets strtok atoi atol atof strncpy tmpnam mktemp
            rand srand asctime ctime gmtime localtime""".split()
DIRS = ["src", "include"]

# A call: the whole identifier, optional space, '('. Member calls are filtered below.
CALL = re.compile(r"\b(" + "|".join(BANNED) + r")\s*\(")


def strip_c(text):
    """Blanks comments and string/char literals, keeping newlines so line numbers hold."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        nxt = text[i + 1] if i + 1 < n else ""
        if c == "/" and nxt == "*":
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif c == "/" and nxt == "/":
            j = i
            # a line comment ends at a newline not escaped by a backslash
            while j < n and not (text[j] == "\n" and text[j - 1] != "\\"):
                j += 1
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            j = min(j + 1, n)
            out.append(c + re.sub(r"[^\n]", " ", text[i + 1:j - 1]) + c)
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def c_files():
    for d in DIRS:
        for base, subdirs, files in os.walk(d):
            subdirs.sort()
            for f in sorted(files):
                if f.endswith((".c", ".h")):
                    yield os.path.join(base, f)


hits = 0
checked = 0
for path in c_files():
    checked += 1
    with open(path, encoding="utf-8", errors="replace") as fh:
        text = strip_c(fh.read())
    for lineno, line in enumerate(text.split("\n"), 1):
        for m in CALL.finditer(line):
            if line[: m.start()].rstrip().endswith((".", "->")):
                continue  # a function pointer of ours, e.g. ctx->rand(...)
            print("%s:%d: banned function '%s'" % (path, lineno, m.group(1)))
            hits += 1

if hits:
    print("check_banned: %d call(s) of banned functions in %d file(s) scanned" % (hits, checked))
    sys.exit(1)
print("check_banned: %d file(s) clean" % checked)
PY
