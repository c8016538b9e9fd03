#!/usr/bin/env bash
# Where the time goes, per stage: one single-thread run under `perf record`, self time
# of each sampled function grouped by the module it belongs to (inlined code counts
# for the function it was inlined into). Needs Linux perf.
# Usage: bash benches/profile_stages.sh BINARY [MB] [BINARY2 ...]
set -euo pipefail
cd "$(dirname "$0")/.."
bins=("$1"); mb=${2:-10}; shift 2 || shift 1
bins+=("$@")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"${bins[0]}" bench-corpus --mb "$mb" --out "$work/bench.jsonl" >/dev/null
for bin in "${bins[@]}"; do
  rm -rf "$work/out"
  perf record -q -F 999 -o "$work/perf.data" "$bin" run "$work/bench.jsonl" --out "$work/out" \
    --threads 1 --no-progress >/dev/null 2>&1
  echo "== $bin ($mb MB, 1 thread)"
  perf report -i "$work/perf.data" --no-children --sort symbol -n --stdio 2>/dev/null \
    | python3 -c '
import re, sys
groups = [
    ("ingest (readers, JSON, decompression)", r"newsframe::ingest|serde_json|zstd|flate|miniz|warc"),
    ("prepare: language ID", r"whatlang|lingua|prepare::language|LetterStats"),
    ("prepare: segmentation, cleaning, folding", r"newsframe::prepare|unicode_segmentation|unicode_normalization|tokenizers|onig"),
    ("extract: NER labeller", r"extract::ner"),
    ("extract: term matching (vocabulary, matchers)", r"extract::terms|aho_corasick"),
    ("extract: figures", r"extract::figures"),
    ("extract: context, frames, entities", r"newsframe::extract"),
    ("tables, Parquet, pipeline", r"polars|newsframe::tables|newsframe::pipeline|newsframe::dataset|parquet|snap|lz4"),
    ("allocation and copies (libc)", r"malloc|free|memmove|memcpy|memcmp|memset|unlink_chunk|_int_|realloc"),
    ("Unicode tables (std)", r"core::unicode|char_count|from_utf8|to_lower"),
]
totals = {g: 0.0 for g, _ in groups}
other = 0.0
for line in sys.stdin:
    m = re.match(r"\s+[0-9.]+%\s+([0-9]+)\s+\[.\]\s+(.*)", line)
    if not m:
        continue
    # Samples at 999 Hz: seconds of CPU.
    pct, sym = int(m.group(1)) / 999, m.group(2)
    for g, pat in groups:
        if re.search(pat, sym):
            totals[g] += pct
            break
    else:
        other += pct
total = sum(totals.values()) + other
for g, _ in groups:
    print(f"  {totals[g]:5.2f} s  {100 * totals[g] / total:4.1f} %  {g}")
print(f"  {other:5.2f} s  {100 * other / total:4.1f} %  other (kernel, hashing, sorting, std)")
print(f"  {total:5.2f} s  CPU in all")
'
done
