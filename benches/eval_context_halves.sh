#!/usr/bin/env bash
# The dev set split in two halves (odd / even items of each file), scored separately:
# a rule that helps one half and hurts the other is fitted to sentences, not grammar.
# Usage: bash benches/eval_context_halves.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bin=target/release/newsframe
[ -x "$bin" ] || { echo "build first: cargo test --release --no-run" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for lang in en hy az; do
    awk -v o="$tmp/$lang-odd.jsonl" -v e="$tmp/$lang-even.jsonl" \
        '{ if (NR % 2) print > o; else print > e }' "tests/context/$lang.jsonl"
done
for half in odd even; do
    echo "== $half items"
    "$bin" eval-context "$tmp/en-$half.jsonl" "$tmp/hy-$half.jsonl" "$tmp/az-$half.jsonl" |
        grep -E 'jsonl|speaker accuracy|negated|distanced' | sed "s|$tmp/||"
done
