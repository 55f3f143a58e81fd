#!/usr/bin/env bash
# bulletin.sh - how long the 通报 (GET /reports/bulletin.pdf, `taizhang report bulletin`) takes
# for a large district, and how much memory it needs. The target (issue 5): a 100 000-item
# district's bulletin in at most 1 s, measured on a Release build (build/).
#
# Steps: build Release into build/ and the generator build/tz_gen; generate BENCH_ITEMS items
# (or copy BENCH_DB); ANALYZE; open it once with the command line (schema and one-time search
# backfill, not measured); then
#   1. the command line, BENCH_RUNS times: a fresh process each time, so it includes the
#      process start and the first-render font loading; wall time and peak RSS from
#      /usr/bin/time -v;
#   2. the server: one supervisor, the first GET (fonts loaded by it) and BENCH_RUNS more
#      (warm), wall time from curl, the server's VmHWM after.
# Prints Markdown tables; docs/PERFORMANCE.md has the figures and the machine.
#
# Settings (environment): BENCH_ITEMS=100000, BENCH_DB=FILE, BENCH_RUNS=5, BENCH_PORT=18437,
# BENCH_NO_BUILD=1 (use build/ as it is), BENCH_KEEP=1 (keep the temporary directory).
# Only 127.0.0.1 is used; the server gets 30 s to start.
set -euo pipefail

cd "$(dirname "$0")/.."
ITEMS=${BENCH_ITEMS:-100000}
RUNS=${BENCH_RUNS:-5}
PORT=${BENCH_PORT:-18437}
TODAY=2026-11-30
URL="http://127.0.0.1:$PORT"
BIN=$PWD/build/taizhang
GEN=$PWD/build/tz_gen
USERNAME=bench_sup
PASSWORD='Bench@2026x'
say() { echo "bulletin.sh: $*" >&2; }

if [ "${BENCH_NO_BUILD:-0}" != 1 ]; then
    cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
    cmake --build build -j "$(nproc)" >/dev/null
    bench/build.sh build
fi
WORK=$(mktemp -d "${TMPDIR:-/tmp}/tz-bulletin-XXXXXX")
SERVER_PID=""
cleanup() {
    if [ -n "$SERVER_PID" ]; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    if [ "${BENCH_KEEP:-0}" = 1 ]; then say "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
DB=$WORK/tz.db
if [ -n "${BENCH_DB:-}" ]; then
    cp "$BENCH_DB" "$DB"
else
    say "generating $ITEMS items"
    TAIZHANG_TODAY=$TODAY "$GEN" --db "$DB" --items "$ITEMS" >"$WORK/gen.log" 2>&1
fi
sqlite3 "$DB" 'ANALYZE'
export TAIZHANG_TODAY=$TODAY TAIZHANG_LOG=warn
"$BIN" user add --db "$DB" --username "$USERNAME" --password "$PASSWORD" --roles supervisor \
    --unit ROOT >/dev/null
say "first open (migrations, search backfill): not measured"
"$BIN" report bulletin --db "$DB" --out "$WORK/warm.pdf" >/dev/null 2>&1

# ---- 1. the command line ------------------------------------------------------------------
echo "| run | wall s | peak RSS MB | pages | bytes |"
echo "|---|---:|---:|---:|---:|"
for i in $(seq 1 "$RUNS"); do
    /usr/bin/time -v "$BIN" report bulletin --db "$DB" --from 2026-11-23 --to 2026-11-29 \
        --out "$WORK/b$i.pdf" >"$WORK/cli$i.out" 2>"$WORK/cli$i.err"
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0;
        for (k = 1; k <= n; k++) s = s * 60 + t[k]; printf "%.3f", s }' "$WORK/cli$i.err")
    rss=$(awk -F': ' '/Maximum resident set size/ { printf "%.1f", $2 / 1024 }' "$WORK/cli$i.err")
    pages=$(pdfinfo "$WORK/b$i.pdf" 2>/dev/null | awk '/^Pages:/ { print $2 }')
    echo "| cli $i | $wall | $rss | ${pages:-?} | $(stat -c %s "$WORK/b$i.pdf") |"
done

# ---- 2. the server ------------------------------------------------------------------------
"$BIN" serve --db "$DB" --listen "127.0.0.1:$PORT" >"$WORK/server.out" 2>"$WORK/server.err" &
SERVER_PID=$!
for _ in $(seq 1 300); do
    curl -fsS -o /dev/null --max-time 1 "$URL/healthz" 2>/dev/null && break
    sleep 0.1
done
TOKEN=$(curl -fsS -H 'Content-Type: application/json' \
    -d "{\"username\":\"$USERNAME\",\"password\":\"$PASSWORD\"}" "$URL/api/v1/auth/login" |
    sed -n 's/.*"token" *: *"\([^"]*\)".*/\1/p')
echo
echo "| request | wall s | PDF bytes |"
echo "|---|---:|---:|"
for i in $(seq 0 "$RUNS"); do
    out=$(curl -fsS -o "$WORK/s$i.pdf" -w '%{time_total} %{size_download}' \
        -H "Authorization: Bearer $TOKEN" \
        "$URL/api/v1/reports/bulletin.pdf?from=2026-11-23&to=2026-11-29")
    label=$([ "$i" = 0 ] && echo "first (loads the fonts)" || echo "warm $i")
    echo "| $label | ${out% *} | ${out#* } |"
done
echo
echo "server: VmRSS $(awk '/^VmRSS/ { printf "%.1f MB", $2 / 1024 }' /proc/$SERVER_PID/status)," \
    "VmHWM $(awk '/^VmHWM/ { printf "%.1f MB", $2 / 1024 }' /proc/$SERVER_PID/status)" \
    "($ITEMS items, $(stat -c %s "$DB") bytes of database)"
