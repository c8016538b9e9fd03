#!/usr/bin/env bash
# Two binaries, same input, same tables: the check behind "every table is identical to
# the previous binary's output" (issue 14). Runs both on each input (2 threads), then
# compares the Parquet bytes and masked manifests (benches/same_tables.sh) and, to show
# where a difference is, every column row by row.
# Usage: bash benches/identical_runs.sh OLD_BINARY NEW_BINARY [INPUT...]
#        (default input: corpora/ and a 20 MB bench-corpus)
set -euo pipefail
cd "$(dirname "$0")/.."
old=$1 new=$2
shift 2
. benches/python_env.sh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
inputs=("$@")
if [ ${#inputs[@]} -eq 0 ]; then
  "$new" bench-corpus --mb "${MB:-20}" --out "$work/bench.jsonl" >/dev/null
  inputs=(corpora "$work/bench.jsonl")
fi
status=0
for input in "${inputs[@]}"; do
  for which in old new; do
    bin=$old; [ "$which" = new ] && bin=$new
    rm -rf "$work/$which"
    "$bin" run "$input" --out "$work/$which" --threads 2 --no-progress 2>/dev/null
  done
  echo "== $input"
  bash benches/same_tables.sh "$work/old" "$work/new" | grep -v '^same' || true
  "$venv/bin/python" - "$work/old" "$work/new" <<'PY' || status=1
import sys, pathlib
import pyarrow.dataset as ds
old, new = map(pathlib.Path, sys.argv[1:3])
per_run = {"run_id", "ingested_at", "processed_at"}
bad = 0
for table in ["articles", "rejects", "frames", "entities", "figures"]:
    if not (old / table).exists() and not (new / table).exists():
        continue
    a = ds.dataset(old / table, format="parquet").to_table()
    b = ds.dataset(new / table, format="parquet").to_table()
    cols = [c for c in a.column_names if c not in per_run]
    if a.column_names != b.column_names:
        print(f"{table}: columns differ: {a.column_names} vs {b.column_names}")
        bad += 1
        continue
    diff = [c for c in cols if not a.column(c).equals(b.column(c))]
    print(f"{table}: {a.num_rows} vs {b.num_rows} rows, "
          + ("identical" if not diff and a.num_rows == b.num_rows else f"DIFFER in {diff}"))
    if diff or a.num_rows != b.num_rows:
        bad += 1
        for c in diff[:3]:
            x, y = a.column(c).to_pylist(), b.column(c).to_pylist()
            shown = 0
            for i, (u, v) in enumerate(zip(x, y)):
                if u != v and shown < 3:
                    print(f"  row {i} {c}: {u!r} != {v!r}")
                    shown += 1
sys.exit(1 if bad else 0)
PY
done
exit $status
