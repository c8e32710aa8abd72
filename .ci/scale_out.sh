#!/usr/bin/env bash
# The scale-out check (issue 14.5): PostgreSQL, Redis and haproxy from Debian's packages,
# three shops and three chats behind haproxy, all on 127.0.0.1. Usage: scale_out.sh VENV
# [--measure]. Bounded in time: every wait inside has a deadline; the whole run is killed
# after 6 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=$1
shift
export DEBIAN_FRONTEND=noninteractive
need=()
command -v haproxy >/dev/null 2>&1 || need+=(haproxy)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v wrk >/dev/null 2>&1 || need+=(wrk)
if [ ${#need[@]} -gt 0 ]; then
  timeout 600 sh -c "apt-get update -qq >/dev/null && apt-get install -y -qq ${need[*]} >/dev/null"
fi
"$venv/bin/pip" install -q --disable-pip-version-check websockets==15.0.1
cargo build -q -p shop -p chat
pg_url=$(bash .ci/postgres.sh 55434)
redis_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no >/dev/null 2>&1 &
redis=$!
cleanup() {
  kill "$redis" 2>/dev/null || true
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  if [ "$(id -u)" = 0 ]; then
    su postgres -s /bin/sh -c "$bin/pg_ctl -D /tmp/ferrapi-pg-55434 stop -m fast" >/dev/null 2>&1 || true
  else
    "$bin/pg_ctl" -D /tmp/ferrapi-pg-55434 stop -m fast >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT
timeout 360 "$venv/bin/python" .ci/scale_out.py "$pg_url" "redis://127.0.0.1:$redis_port/" target/debug "$@"
