#!/usr/bin/env bash
# Speaker and stance quality on the annotated dev set (tests/context, README's table):
# speaker accuracy, negated and distanced precision/recall per language, through the
# pipeline as a run sees it. Usage: bash benches/eval_context.sh [--errors]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=target/release/newsframe
[ -x "$bin" ] || { echo "build first: cargo test --release --no-run" >&2; exit 2; }
"$bin" eval-context "$@" tests/context/en.jsonl tests/context/hy.jsonl tests/context/az.jsonl
