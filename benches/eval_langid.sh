#!/usr/bin/env bash
# Language ID as a user meets it: every line of a langid folder (lingua's test sets,
# <set>/<lang>.txt) becomes one article with an empty title, `newsframe run` labels
# them, and the `articles` table is scored per set and language (accuracy, false
# claims of en/hy/az, und), then against the issue's targets.
# Usage: bash benches/eval_langid.sh LANGID_DIR [--show N]
#   NEWSFRAME_BIN=path/to/newsframe   binary to judge (default: target/release/newsframe)
#   NEWSFRAME_CI_VENV=dir             Python with pyarrow (default: target/ci-venv, made
#                                     with pip as .ci/run does when missing)
#   NEWSFRAME_RUN_ARGS="--lexicons DIR"  more arguments for `newsframe run`, e.g. a
#                                     lexicon folder with another langid.tsv
set -euo pipefail
cd "$(dirname "$0")/.."
data=${1:?usage: bash benches/eval_langid.sh LANGID_DIR [--show N]}
shift
bin=${NEWSFRAME_BIN:-target/release/newsframe}
. benches/python_env.sh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 benches/eval_langid.py build "$data" "$work/langid.jsonl"
# shellcheck disable=SC2086
"$bin" run "$work/langid.jsonl" --out "$work/out" --extract frames --no-progress ${NEWSFRAME_RUN_ARGS:-}
"$venv/bin/python" benches/eval_langid.py score "$data" "$work/out" "$@"
