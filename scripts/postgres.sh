#!/usr/bin/env bash
# A throwaway PostgreSQL server on loopback, for the test suite and for trying `--database-url`.
#
#   scripts/postgres.sh install          install PostgreSQL with apt when initdb/pg_ctl are missing
#   scripts/postgres.sh bindir           print the folder holding initdb and pg_ctl (exit 1: none)
#   scripts/postgres.sh start DIR PORT   make a cluster in DIR (first time) and start it on
#                                        127.0.0.1:PORT; prints its URL (trust auth: loopback only)
#   scripts/postgres.sh stop DIR         stop the cluster in DIR
#
# postgres refuses to run as root, so under root the cluster belongs to and runs as the `postgres`
# user the Debian package creates (or `nobody`); DIR must then be a folder that user can reach.
set -euo pipefail

bindir() {
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then echo "$dir"; return 0; fi
  done
  if command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then
    dirname "$(readlink -f "$(command -v pg_ctl)")"
    return 0
  fi
  return 1
}

install() {
  if bindir >/dev/null; then return 0; fi
  if [ "$(id -u)" -ne 0 ]; then
    echo "error: PostgreSQL is not installed and only root can apt-get install it" >&2
    return 1
  fi
  echo "installing PostgreSQL (apt) for the store tests" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  bindir >/dev/null
}

# The cluster's owner under root: postgres refuses to run as root.
owner() {
  if id postgres >/dev/null 2>&1; then echo postgres; else echo nobody; fi
}

as_owner() {
  if [ "$(id -u)" -ne 0 ]; then "$@"; else runuser -u "$(owner)" -- "$@"; fi
}

start() {
  local dir=$1 port=$2 bin
  bin=$(bindir) || { echo "error: PostgreSQL is not installed (run: $0 install)" >&2; return 1; }
  mkdir -p "$dir"
  if [ "$(id -u)" -eq 0 ]; then chown "$(owner)" "$dir"; fi
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --no-locale -E UTF8 --no-sync \
      >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; return 1; }
  fi
  # Durability is traded for speed: this server holds test data only.
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -o \
    "-h 127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null || { cat "$dir/server.log" >&2; return 1; }
  echo "postgresql://postgres@127.0.0.1:$port/postgres"
}

stop() {
  local dir=$1 bin
  bin=$(bindir)
  as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
}

case "${1:-}" in
  install) install ;;
  bindir) bindir ;;
  start) start "${2:?usage: $0 start DIR PORT}" "${3:?usage: $0 start DIR PORT}" ;;
  stop) stop "${2:?usage: $0 stop DIR}" ;;
  *) sed -n '2,11p' "$0" >&2; exit 2 ;;
esac
