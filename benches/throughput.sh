#!/usr/bin/env bash
# Whole-pipeline throughput: builds a synthetic corpus of MB megabytes (default 200)
# from the bundled corpora and runs newsframe on it, printing MB/s, peak RSS (the
# manifest's, during the run; and /usr/bin/time's, which includes the compare and
# report refresh after it) and CPU time per article.
# Usage: bash benches/throughput.sh [MB] [THREADS] [OTHER_BIN ...]
# Other binaries (e.g. a build of the previous commit) run on the same corpus, in
# turn with this one, REPS times (default 1), for a side-by-side comparison.
set -euo pipefail
cd "$(dirname "$0")/.."
mb=${1:-200}
threads=${2:-$(nproc)}
shift 2 || shift $#
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cargo build --release --quiet
bins=(target/release/newsframe "$@")
"${bins[0]}" bench-corpus --mb "$mb" --out "$work/bench.jsonl"
for rep in $(seq 1 "${REPS:-1}"); do
  for bin in "${bins[@]}"; do
    rm -rf "$work/out"
    /usr/bin/time -f "%U %S %M" -o "$work/time.txt" \
      "$bin" run "$work/bench.jsonl" --out "$work/out" --threads "$threads" --no-progress
    python3 - "$work/out/manifest.json" "$work/time.txt" "$bin" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
user, system, max_kb = open(sys.argv[2]).read().split()
mb = m["bytes_read"] / 1e6
n = m["counts"]["articles"]
cpu = float(user) + float(system)
print(f"{sys.argv[3]}: input {mb:.1f} MB, {n} articles, {m['elapsed_seconds']:.1f} s, "
      f"{mb / m['elapsed_seconds']:.1f} MB/s, peak RSS {m['peak_rss_bytes'] / 1e6:.0f} MB "
      f"(with compare and report {int(max_kb) / 1024:.0f} MB), "
      f"CPU {cpu:.1f} s = {cpu / n * 1000:.3f} ms per article, threads {m['threads']}")
PY
  done
done
