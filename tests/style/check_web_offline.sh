#!/usr/bin/env bash
# check_web_offline.sh - the web UI must work on an intranet with no internet
# (SPEC 6): no file under web/ (the UI's own, not node_modules) may load anything
# from another origin — no http(s):// or protocol-relative // URL in src, href,
# url(), import, fetch or EventSource, and no CDN. Text that merely mentions a
# site in prose is not what this looks for: only loading constructs are.
#
# Usage: bash tests/style/check_web_offline.sh REPO_ROOT
set -euo pipefail
root=${1:?usage: check_web_offline.sh REPO_ROOT}
cd "$root"
[ -d web ] || { echo "check_web_offline: no web/ directory" >&2; exit 1; }
files=$(find web -path web/node_modules -prune -o -type f \( -name '*.html' -o -name '*.js' -o -name '*.css' -o -name '*.svg' \) -print)
[ -n "$files" ] || { echo "check_web_offline: no UI files found" >&2; exit 1; }
pattern='(src|href|action)[[:space:]]*=[[:space:]]*["'"'"']?(https?:)?//|url\([[:space:]]*["'"'"']?(https?:)?//|import[^;]*["'"'"'](https?:)?//|(fetch|EventSource|XMLHttpRequest|import)[[:space:]]*\([[:space:]]*["'"'"'`](https?:)?//|@import[[:space:]]+(url\()?["'"'"']?(https?:)?//'
bad=0
for f in $files; do
    if grep -nE "$pattern" "$f" | grep -v 'xmlns' ; then
        echo "  ^ in $f: loads from another origin" >&2
        bad=1
    fi
done
n=$(echo "$files" | wc -l)
if [ "$bad" -ne 0 ]; then
    echo "check_web_offline: the UI loads something from outside (see above)" >&2
    exit 1
fi
echo "check_web_offline: $n UI file(s), nothing loaded from outside"
