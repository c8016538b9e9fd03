#!/usr/bin/env bash
# Entity quality on the development sets, through the pipeline as a run sees them
# (README's table): typed PER/ORG/LOC on exact spans, per label and overall.
# Usage: bash benches/eval_ner.sh [DATA_DIR]   (default ../shared/data/ner)
set -euo pipefail
cd "$(dirname "$0")/.."
data=${1:-../shared/data/ner}
bin=target/release/newsframe
[ -x "$bin" ] || cargo build --release --quiet
for pair in en:en/conll2003-dev.conll hy:hy/armner-dev.jsonl hy:hy/pioner-silver-dev.conll \
            az:az/wikiann-dev.tsv; do
  lang=${pair%%:*} file=${pair#*:}
  "$bin" eval-ner --lang "$lang" "$data/$file"
done
