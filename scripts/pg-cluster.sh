#!/usr/bin/env bash
# pg-cluster.sh start|stop DIR - a throwaway PostgreSQL cluster for the tests.
#
#   start DIR  initializes a cluster (trust authentication, UTF8, fsync off, small
#              buffers, 200 connections), starts it on 127.0.0.1 on a free port and
#              writes DIR/conninfo: "host=127.0.0.1 port=N user=postgres" (no dbname;
#              the tests add their own). Nothing is listening anywhere but loopback.
#   stop DIR   stops it (fast mode) and removes DIR.
#
# PG_CLUSTER_DURABLE=1 (environment, read by start) keeps PostgreSQL's durable defaults instead:
# fsync, synchronous_commit and full_page_writes on, and shared_buffers 128MB (the default size).
# The benchmark (bench/run.sh) uses it: a commit is then on disk when it returns, as with SQLite's
# synchronous=FULL, and write figures are comparable.
#
# Both are idempotent and quiet: start on a running cluster does nothing, stop on
# no cluster does nothing. An error is one line on stderr and exit status 1.
#
# PostgreSQL refuses to run as root, so as root the cluster belongs to the `postgres`
# system user (Debian's postgresql package creates it) and every server command runs
# through runuser. The data directory is DIR/data when that user can reach it, else
# (e.g. a clone under /root, mode 700, or a path too long for a unix socket) a fresh
# directory under /tmp, recorded in DIR/datadir and removed by stop. The unix socket
# is in the data directory, so the machine's /var/run/postgresql is never touched,
# and Debian's own cluster service (postgresql@15-main) is neither needed nor used.
set -euo pipefail

die() {
  echo "pg-cluster: $*" >&2
  exit 1
}

case "${1:-}" in
start | stop | halt | resume) ;;
*) die "usage: pg-cluster.sh start|stop|halt|resume DIR" ;;
esac
[ $# -eq 2 ] || die "usage: pg-cluster.sh start|stop|halt|resume DIR"
cmd=$1
if [ "$cmd" = stop ] && [ ! -d "$2" ]; then
  exit 0
fi
mkdir -p "$2" 2>/dev/null || die "cannot create '$2'"
dir=$(cd "$2" && pwd)
# the server's commands run from / so that postgres never lacks access to the cwd
cd /

# bindir: pg_config's when it has the server binaries, else Debian's newest
bindir=""
if command -v pg_config >/dev/null && [ -x "$(pg_config --bindir)/initdb" ]; then
  bindir=$(pg_config --bindir)
else
  for d in $(printf '%s\n' /usr/lib/postgresql/*/bin | sort -t/ -k5 -n); do
    if [ -x "$d/initdb" ]; then
      bindir=$d
    fi
  done
fi
[ -n "$bindir" ] || die "no PostgreSQL server binaries (initdb) found: run scripts/deps.sh"

as_pg=()
if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || die "running as root, but there is no 'postgres' user to run the server"
  as_pg=(runuser -u postgres --)
fi

datadir() {
  if [ -f "$dir/datadir" ]; then
    cat "$dir/datadir"
  else
    echo "$dir/data"
  fi
}

running() {
  local d
  d=$(datadir)
  [ -f "$d/PG_VERSION" ] && "${as_pg[@]}" "$bindir/pg_ctl" status -D "$d" >/dev/null 2>&1
}

stop() {
  local d
  d=$(datadir)
  if running; then
    "${as_pg[@]}" "$bindir/pg_ctl" stop -D "$d" -m fast -w -t 60 >/dev/null 2>&1 ||
      die "could not stop the cluster in '$d' (see $d/log)"
  fi
  if [ "$d" != "$dir/data" ]; then
    rm -rf "$d"
  fi
  rm -rf "$dir"
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start() {
  if running && [ -f "$dir/conninfo" ]; then
    return 0
  fi
  # a stale directory from an interrupted run: start over
  stop
  mkdir -p "$dir"
  local d=$dir/data
  # the socket's path (d/.s.PGSQL.NNNNN) must fit in 107 bytes
  if [ ${#d} -gt 90 ] || { [ ${#as_pg[@]} -gt 0 ] &&
    ! { install -d -o postgres -g postgres -m 700 "$d" &&
      "${as_pg[@]}" test -w "$d"; }; }; then
    rm -rf "$d"
    d=$(mktemp -d /tmp/tz-pg.XXXXXX) || die "cannot create a directory under /tmp"
    echo "$d" >"$dir/datadir"
    if [ ${#as_pg[@]} -gt 0 ]; then
      chown postgres:postgres "$d"
    fi
  fi
  mkdir -p "$d"

  local locale=C
  if locale -a 2>/dev/null | grep -qix 'c\.utf-\?8'; then
    locale=C.UTF-8
  fi
  "${as_pg[@]}" "$bindir/initdb" -D "$d" -U postgres -A trust -E UTF8 --locale="$locale" \
    >"$dir/initdb.log" 2>&1 || die "initdb failed: $(tail -n 1 "$dir/initdb.log")"

  # listen on loopback only, socket in the data directory; durability is not wanted for the
  # tests, but is for the benchmark (PG_CLUSTER_DURABLE=1)
  local durable=off buffers=32MB
  if [ "${PG_CLUSTER_DURABLE:-0}" = 1 ]; then
    durable=on
    buffers=128MB
  fi
  cat >>"$d/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$d'
fsync = $durable
synchronous_commit = $durable
full_page_writes = $durable
shared_buffers = $buffers
max_connections = 200
logging_collector = off
CONF

  # a free port: the kernel's choice for a socket just closed; retried if taken meanwhile
  local port="" _try
  for _try in 1 2 3; do
    port=$(free_port) || die "python3 could not find a free port"
    if "${as_pg[@]}" "$bindir/pg_ctl" start -D "$d" -o "-p $port" -l "$d/log" -w -t 60 \
      >/dev/null 2>&1; then
      break
    fi
    port=""
  done
  [ -n "$port" ] || die "the server did not start: $(tail -n 1 "$d/log" 2>/dev/null)"

  "$bindir/pg_isready" -q -h 127.0.0.1 -p "$port" -t 30 ||
    die "the server on 127.0.0.1:$port does not accept connections"
  echo "$port" >"$dir/port"
  echo "host=127.0.0.1 port=$port user=postgres" >"$dir/conninfo.tmp"
  mv "$dir/conninfo.tmp" "$dir/conninfo"
}

# The tests of a database going away: halt stops the server and keeps its data,
# resume starts it again on the same port.
halt() {
  if running; then
    "${as_pg[@]}" "$bindir/pg_ctl" stop -D "$(datadir)" -m fast -w -t 60 >/dev/null 2>&1 ||
      die "could not halt the cluster"
  fi
}

resume() {
  [ -f "$dir/port" ] || die "no cluster was started in '$dir'"
  if ! running; then
    "${as_pg[@]}" "$bindir/pg_ctl" start -D "$(datadir)" -o "-p $(cat "$dir/port")" -l "$(datadir)/log" \
      -w -t 60 >/dev/null 2>&1 || die "the server did not start again: $(tail -n 1 "$(datadir)/log")"
  fi
}

"$cmd"
