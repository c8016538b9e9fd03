#!/usr/bin/env bash
# Throughput of the Python module and the Spark job next to the CLI (README, Python
# and Spark). Needs a Python with the newsframe wheel and pyspark (PY), and Java.
# Usage: bash benches/python_throughput.sh [MB] [ROUNDS] [PY]
set -euo pipefail
cd "$(dirname "$0")/.."
mb=${1:-100} rounds=${2:-2} py=${3:-target/py-ci/bin/python}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
target/release/newsframe bench-corpus --mb "$mb" --out "$work/bench.jsonl"
"$py" benches/python_throughput.py target/release/newsframe "$work/bench.jsonl" "$rounds"
