#!/usr/bin/env bash
# Main-text extraction as a user meets it: the pages of an article-extraction
# benchmark folder (html/<key>.html.gz, ground-truth.json, evaluate.py) are wrapped as
# one WARC of response records, `newsframe run` extracts them, and the benchmark's own
# evaluate.py scores each article's text without its title line (a page without an
# article scores as empty).
# Usage: bash benches/eval_extraction.sh PAGES_DIR
#   NEWSFRAME_BIN=path/to/newsframe   binary to judge (default: target/release/newsframe)
#   NEWSFRAME_CI_VENV=dir             Python with pyarrow (default: target/ci-venv, made
#                                     with pip as .ci/run does when missing)
set -euo pipefail
cd "$(dirname "$0")/.."
pages=$(cd "${1:?usage: bash benches/eval_extraction.sh PAGES_DIR}" && pwd)
bin=${NEWSFRAME_BIN:-target/release/newsframe}
. benches/python_env.sh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 benches/eval_extraction.py warc "$pages" "$work/pages.warc.gz"
"$bin" run "$work/pages.warc.gz" --out "$work/out" --extract frames --no-progress
mkdir -p "$work/eval/output"
cp "$pages/ground-truth.json" "$pages/evaluate.py" "$work/eval/"
"$venv/bin/python" benches/eval_extraction.py predictions "$pages" "$work/out" \
  "$work/eval/output/newsframe.json"
(cd "$work/eval" && python3 evaluate.py --n-bootstrap 1000)
