#!/usr/bin/env bash
# check_layers.sh - guards the one-way layering of STYLE.md, so that the rule
# keeps itself instead of living in reviewers' heads:
#
#   cli -> http -> app -> (core, store) -> util
#
#   * only src/store/store_sqlite.c includes sqlite3.h, only src/store/store_pg.c
#     includes libpq-fe.h, only files under src/http/ include microhttpd.h, only
#     src/notify/webclient.c includes curl/curl.h: each library stays behind the
#     one file (or layer) that adapts it;
#   * src/util/ and src/core/ include no header of the app, store or http layers
#     (tz/store.h, tz/app.h, tz/http.h, their tz/<layer>_*.h siblings, or a path
#     into src/app/, src/store/, src/http/): leaf code knows nothing of the server;
#   * src/report/ (the printed documents' layout) includes no header of the app,
#     store or http layers either: it draws what it is given and builds no SQL;
#     and only src/report/ includes cairo or pango headers;
#   * src/core/ is pure, so every rule is testable without a database or a disk:
#     it does no I/O (fopen, open, read, write, socket, printf, fprintf, puts and
#     their relatives; snprintf into a buffer is fine), does not log (tz/log.h), and
#     reads no hidden input (getenv, time, clock_gettime, gettimeofday): the clock and
#     config come in as values from struct tz_ctx.
#
# Scans *.c and *.h under src/ and include/, ignoring comments (and, for calls,
# string literals). Prints file:line and the rule of each violation.
#
# Usage: bash tests/style/check_layers.sh REPO_ROOT
set -euo pipefail

root=${1:?usage: check_layers.sh REPO_ROOT}
cd "$root"

python3 - <<'PY'
import os
import re
import sys

DIRS = ["src", "include"]

CORE_IO = """fopen freopen fdopen open openat creat read write pread pwrite fread fwrite fgets
             fgetc getc getchar getline fputs fputc putc putchar puts printf fprintf vprintf
             vfprintf dprintf perror socket popen system opendir unlink remove rename mkdir
             getenv time clock_gettime gettimeofday""".split()
CALL = re.compile(r"\b(" + "|".join(CORE_IO) + r")\s*\(")
INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]([^>"]+)[>"]')
LAYER_HEADER = re.compile(r"^(store|app|http)(_\w+)?\.h$")
LAYER_DIR = re.compile(r"(^|/)(app|store|http)/")


def strip_c(text, keep_strings):
    """Blanks comments (and string/char literals unless keep_strings), keeping newlines."""
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
            while j < n and not (text[j] == "\n" and text[j - 1] != "\\"):
                j += 1
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            j = min(j + 1, n)
            body = text[i + 1:j - 1]
            out.append(c + (body if keep_strings else re.sub(r"[^\n]", " ", body)) + c)
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out).split("\n")


def c_files():
    for d in DIRS:
        for base, subdirs, files in os.walk(d):
            subdirs.sort()
            for f in sorted(files):
                if f.endswith((".c", ".h")):
                    yield os.path.join(base, f).replace(os.sep, "/")


def is_layer_header(inc):
    return bool(LAYER_HEADER.match(os.path.basename(inc)) and
                (inc.startswith("tz/") or "/" not in inc)) or bool(LAYER_DIR.search(inc))


problems = []
checked = 0
for path in c_files():
    checked += 1
    with open(path, encoding="utf-8", errors="replace") as fh:
        raw = fh.read()
    in_core = path.startswith("src/core/")
    in_util = path.startswith("src/util/")
    in_report = path.startswith("src/report/")

    for lineno, line in enumerate(strip_c(raw, keep_strings=True), 1):
        m = INCLUDE.match(line)
        if not m:
            continue
        inc = m.group(1).strip()
        base = os.path.basename(inc)
        where = "%s:%d" % (path, lineno)
        if base == "sqlite3.h" and path != "src/store/store_sqlite.c":
            problems.append("%s: includes <%s>: only src/store/store_sqlite.c may" % (where, inc))
        if base == "libpq-fe.h" and path != "src/store/store_pg.c":
            problems.append("%s: includes <%s>: only src/store/store_pg.c may" % (where, inc))
        if inc == "curl/curl.h" and path != "src/notify/webclient.c":
            problems.append("%s: includes <%s>: only src/notify/webclient.c may" % (where, inc))
        if base == "microhttpd.h" and not path.startswith("src/http/"):
            problems.append("%s: includes <%s>: only files under src/http/ may" % (where, inc))
        if (in_core or in_util or in_report) and is_layer_header(inc):
            problems.append("%s: includes \"%s\": src/%s/ may not depend on app, store or http"
                            % (where, inc, "core" if in_core else "util" if in_util else "report"))
        if (inc.startswith(("cairo", "pango/")) or base.startswith("cairo")) and not in_report:
            problems.append("%s: includes <%s>: only files under src/report/ may" % (where, inc))
        if in_core and inc in ("tz/log.h", "log.h"):
            problems.append("%s: includes \"%s\": src/core/ is pure and does not log"
                            % (where, inc))

    if in_core:
        for lineno, line in enumerate(strip_c(raw, keep_strings=False), 1):
            if INCLUDE.match(line):
                continue
            for m in CALL.finditer(line):
                if line[: m.start()].rstrip().endswith((".", "->")):
                    continue  # a member function pointer, e.g. env->time(...)
                problems.append("%s:%d: calls %s(): src/core/ is pure (no I/O, no hidden input)"
                                % (path, lineno, m.group(1)))

for p in problems:
    print(p)
if problems:
    print("check_layers: %d layering violation(s) in %d file(s) scanned" % (len(problems), checked))
    sys.exit(1)
print("check_layers: %d file(s) respect the layers" % checked)
PY
