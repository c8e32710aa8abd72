#!/usr/bin/env bash
# Starts a throwaway PostgreSQL on 127.0.0.1:$1 (data under /tmp) for the shop's
# PostgreSQL tests, and prints its URL. Installs the server from Debian when missing.
set -euo pipefail
port=${1:-55432}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$bin" ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null && apt-get install -y -qq postgresql >/dev/null
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
fi
data=/tmp/ferrapi-pg-$port
rm -rf "$data" && mkdir -p "$data" && chown postgres "$data"
run() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi; }
run "$bin/initdb -D $data -A trust -U postgres" >/dev/null
run "$bin/pg_ctl -D $data -o '-p $port -k /tmp -c listen_addresses=127.0.0.1' -l $data/log -w start" >/dev/null
run "$bin/createdb -h 127.0.0.1 -p $port -U postgres shop"
echo "postgres://postgres@127.0.0.1:$port/shop"
