#!/usr/bin/env bash
# Whole pipeline, two binaries side by side on one synthetic corpus, alternating runs
# so that both see the same machine load. Prints MB/s and peak RSS (from /usr/bin/time)
# for each run.
# Usage: bash benches/side_by_side.sh OLD_BINARY NEW_BINARY [MB] [THREADS] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
old=$1 new=$2 mb=${3:-200} threads=${4:-2} rounds=${5:-2}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$new" bench-corpus --mb "$mb" --out "$work/bench.jsonl"
for round in $(seq "$rounds"); do
  for which in old new; do
    bin=$old; [ "$which" = new ] && bin=$new
    rm -rf "$work/out"
    /usr/bin/time -f "%M" -o "$work/rss" "$bin" run "$work/bench.jsonl" --out "$work/out" \
      --threads "$threads" --no-progress 2>/dev/null
    python3 - "$work/out/manifest.json" "$work/rss" "$which" "$round" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
rss_kb = int(open(sys.argv[2]).read().split()[-1])
mb = m["bytes_read"] / 1e6
print(f"round {sys.argv[4]} {sys.argv[3]:>3}: {mb:.0f} MB, {m['counts']['articles']} articles, "
      f"{m['elapsed_seconds']:.1f} s, {mb / m['elapsed_seconds']:.2f} MB/s, "
      f"peak RSS {rss_kb / 1024:.0f} MiB, entities {m['counts']['mentions'].get('entities', 0)}")
PY
  done
done
