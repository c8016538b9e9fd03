#!/usr/bin/env bash
# Whole-pipeline throughput: builds a synthetic corpus of MB megabytes (default 200)
# from the bundled corpora and runs newsframe on it, printing MB/s and peak RSS.
# Usage: bash benches/throughput.sh [MB] [THREADS]
set -euo pipefail
cd "$(dirname "$0")/.."
mb=${1:-200}
threads=${2:-$(nproc)}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cargo build --release --quiet
bin=target/release/newsframe
"$bin" bench-corpus --mb "$mb" --out "$work/bench.jsonl"
"$bin" run "$work/bench.jsonl" --out "$work/out" --threads "$threads" --no-progress
python3 - "$work/out/manifest.json" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
mb = m["bytes_read"] / 1e6
print(f"input {mb:.1f} MB, {m['counts']['articles']} articles, {m['elapsed_seconds']:.1f} s, "
      f"{mb / m['elapsed_seconds']:.1f} MB/s, peak RSS {m['peak_rss_bytes'] / 1e6:.0f} MB, threads {m['threads']}")
PY
