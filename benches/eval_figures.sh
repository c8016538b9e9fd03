#!/usr/bin/env bash
# Figure quality on the Armenian development sets, through the pipeline as a run sees
# them (README's figures table): recall per numeric type, precision of the rows, and
# values of matched digit spans, per file and over both files together.
# Usage: bash benches/eval_figures.sh [DATA_DIR] [--errors]   (default ../shared/data/ner)
set -euo pipefail
cd "$(dirname "$0")/.."
data=${1:-../shared/data/ner}
shift || true
bin=target/release/newsframe
[ -x "$bin" ] || { echo "build first: cargo test --release --no-run" >&2; exit 2; }
"$bin" eval-figures --lang hy "$@" "$data/hy/armner-train.jsonl" "$data/hy/armner-dev.jsonl"
