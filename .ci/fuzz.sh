#!/usr/bin/env bash
# A bounded run of every fuzz target (cargo-fuzz, libFuzzer, no sanitizer so it builds on
# the stable toolchain). Usage: .ci/fuzz.sh [SECONDS_PER_TARGET]
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
seconds=${1:-15}
if ! command -v cargo-fuzz >/dev/null 2>&1; then
  cargo install --locked cargo-fuzz@0.13.2
fi
cargo fuzz build -s none --release
for target in query path json_body form multipart jwt; do
  mkdir -p "corpus/$target"
  echo "--- $target (${seconds}s)"
  cargo fuzz run -s none --release "$target" "corpus/$target" "seeds/$target" -- \
    -max_total_time="$seconds" -max_len=4096 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 2>&1 \
    | grep -E "^(Done|stat::number_of_executed_units|stat::peak_rss_mb)|panicked|SUMMARY|crash-" || true
  if ls "artifacts/$target"/crash-* >/dev/null 2>&1; then
    echo "a crash was found: copy it to fuzz/regressions/$target/ and fix it" >&2
    exit 1
  fi
done
