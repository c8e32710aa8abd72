#!/usr/bin/env bash
# An app on ferrapi's default features (`.ci/default-features`): what its build holds, that
# a command in a feature it lacks names the feature, and that it serves its docs and logs
# access. The workspace cannot check these: its members turn on `full`.
set -euo pipefail
cd "$(dirname "$0")/default-features"
export CARGO_TARGET_DIR=../../target/default-features
fail() { echo "default-features: $*" >&2; exit 1; }

# Crates a default build must not compile (each was taken out of it on purpose).
tree=$(cargo tree -q -e normal --prefix none)
for crate in tracing-subscriber similar uuid getrandom regex chrono; do
  if grep -q "^$crate v" <<<"$tree"; then fail "a default build compiles $crate"; fi
done

cargo build -q
bin=$CARGO_TARGET_DIR/debug/default-features

# A command of a feature the app lacks: a usage error (2) that names the feature.
for args in "openapi diff old.json:openapi-diff" "dev:dev" "help openapi diff:openapi-diff" "asyncapi:asyncapi"; do
  feature=${args#*:}
  set +e
  # shellcheck disable=SC2086
  out=$("$bin" ${args%%:*} 2>&1); code=$?
  set -e
  [ "$code" = 2 ] || fail "'${args%%:*}' without its feature exited $code: $out"
  grep -q "\`$feature\` feature" <<<"$out" || fail "'${args%%:*}' does not name its feature: $out"
done

"$bin" openapi | python3 -c 'import json,sys; d=json.load(sys.stdin); assert "/items/{item_id}" in d["paths"], d'
# OpenAPI 3.0 is the feature `openapi-30`: asked for without it, the error says so.
set +e
out=$("$bin" openapi --spec-version 3.0 2>&1); code=$?
set -e
[ "$code" = 2 ] || fail "'openapi --spec-version 3.0' without openapi-30 exited $code: $out"
grep -q '`openapi-30`' <<<"$out" || fail "'openapi --spec-version 3.0' does not name its feature: $out"

port=18765
log=$(mktemp)
"$bin" serve --port $port >"$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:$port/openapi.json" && break; sleep 0.1; done
[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/docs/")" = 200 ] || fail "no /docs/"
# Without `redoc`, /redoc is FastAPI's page on jsDelivr, pinned by version and hash, and
# the script is not served (nor Swagger UI's standalone preset, which is not shipped).
redoc=$(curl -sf "http://127.0.0.1:$port/redoc") || fail "no /redoc"
grep -q '<script src="https://cdn.jsdelivr.net/npm/redoc@2.5.4/bundles/redoc.standalone.js" integrity="sha384-' <<<"$redoc" \
  || fail "/redoc does not load the pinned script: $redoc"
for path in redoc/redoc.standalone.js docs/swagger-ui-standalone-preset.js asyncapi.json; do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/$path")" = 404 ] || fail "/$path is served"
done
[ "$(curl -s "http://127.0.0.1:$port/items/7")" = 7 ] || fail "GET /items/7"
[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/items/seven")" = 422 ] || fail "no 422"
kill $pid; wait $pid 2>/dev/null || true
trap - EXIT
grep -q 'INFO ferrapi::access: 127.0.0.1:[0-9]* - "GET /items/7 HTTP/1.1" 200 OK' "$log" || fail "no access line: $(cat "$log")"
echo "default-features: ok"
