#!/bin/sh
# build.sh - compiles the data generator bench/tz_gen against the static libraries of an
# existing CMake build (default build/, or $1), with the project's warning flags.
#
#   cmake -S . -B build && cmake --build build   # first, once
#   bench/build.sh [BUILD_DIR]                   # then: BUILD_DIR/tz_gen
set -eu
cd "$(dirname "$0")/.."
B=${1:-build}
for lib in libtz_server.a libtz_report.a libtz_core.a libtz_util.a; do
    if [ ! -f "$B/$lib" ]; then
        echo "bench/build.sh: $B/$lib is missing: run 'cmake --build $B' first" >&2
        exit 1
    fi
done
CC=${CC:-cc}
# shellcheck disable=SC2046 # pkg-config prints several words on purpose
$CC -O2 -g -std=c11 -D_GNU_SOURCE \
    -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wvla -Wformat=2 \
    -Wno-format-nonliteral -I include bench/gen.c \
    "$B/libtz_server.a" "$B/libtz_report.a" "$B/libtz_core.a" "$B/libtz_util.a" \
    $(pkg-config --libs libmicrohttpd json-c sqlite3 libsodium libcrypto xlsxwriter cairo pangocairo \
        fontconfig libcurl libzip expat libpq) -lpthread -lm \
    -o "$B/tz_gen"
echo "bench/build.sh: built $B/tz_gen" >&2
