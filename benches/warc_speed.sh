#!/usr/bin/env bash
# What HTML extraction costs per page: a bench-corpus of MB megabytes (default 20) is
# run once as JSONL and once as a synthetic crawl of the same articles
# (benches/warc_corpus.py: pages with menus, share widgets, comments and footers, plus
# requests, images and 404s), one thread, frames only; the difference in CPU time
# divided by the pages is the extraction cost (HTTP parsing, charset decoding, HTML
# parsing and main-text extraction). Several binaries are measured side by side,
# alternating, REPS times (default 2).
# Usage: bash benches/warc_speed.sh [MB] [BIN ...]   (default BIN: target/release/newsframe)
#   REPS=n
set -euo pipefail
cd "$(dirname "$0")/.."
mb=${1:-20}
shift || true
bins=("$@")
[ ${#bins[@]} -eq 0 ] && bins=(target/release/newsframe)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"${bins[0]}" bench-corpus --mb "$mb" --out "$work/bench.jsonl" >/dev/null
python3 benches/warc_corpus.py "$work/bench.jsonl" "$work/bench.warc.gz"
cpu() { # seconds of user+system CPU of one run
  local t="$work/time.txt"
  /usr/bin/time -f "%U %S" -o "$t" "$1" run "$2" --out "$work/out" --overwrite \
    --threads 1 --extract frames --no-progress 2>/dev/null >/dev/null
  awk '{print $1 + $2}' "$t"
}
for rep in $(seq 1 "${REPS:-2}"); do
  for bin in "${bins[@]}"; do
    jsonl=$(cpu "$bin" "$work/bench.jsonl")
    warc=$(cpu "$bin" "$work/bench.warc.gz")
    pages=$(python3 -c "import json; print(json.load(open('$work/out/manifest.json'))['counts']['articles'])")
    python3 -c "print(f'$bin: {$pages} pages, JSONL {$jsonl:.2f} s, WARC {$warc:.2f} s CPU: {($warc - $jsonl) / $pages * 1000:.3f} ms per page')"
  done
done
