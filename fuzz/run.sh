#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 120), seeded from fuzz/seeds, under
# the shared build lock when one exists. Crashes land in fuzz/artifacts/<target>/.
# Usage: bash fuzz/run.sh [SECONDS] [TARGET ...]
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-120}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(jsonl json warc html prepare frames entities figures)
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t"
  echo "== $t: ${seconds}s"
  cargo +nightly fuzz run --sanitizer none "$t" "corpus/$t" "seeds/$t" -- \
    -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=4096 -print_final_stats=1 2>&1 \
    | grep -E "^#[0-9]+.*(DONE|pulse)|stat::number_of_executed_units|stat::peak_rss|panicked|ERROR|SUMMARY|Test unit written" || true
done
