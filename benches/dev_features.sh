#!/usr/bin/env bash
# Checks that dev-dependencies do not change the features of any crate the binary
# uses. If they do, `cargo test --release` after `cargo run --release` (or the other
# way round) recompiles polars and everything that shares a crate with it: ~15-30 min
# on 2 cores. Resolves features only (`cargo tree`), builds nothing.
# Usage: bash benches/dev_features.sh   (exit 1 and the differing crates on a mismatch)
set -euo pipefail
cd "$(dirname "$0")/.."
tree() { cargo tree --locked --prefix none -f '{p} {f}' -e "$1" | sed 's/ (\*)$//' | sort -u; }
without=$(tree no-dev)
with=$(tree normal,build,dev)
# Lines for crates the binary uses that differ once dev-dependencies are resolved too.
diff=$(comm -23 <(echo "$without") <(echo "$with"))
if [ -n "$diff" ]; then
  echo "dev-dependencies change the features of:"
  while read -r name version _; do
    echo "$with" | grep -E "^$name $version " | sed 's/^/  with dev:    /'
    echo "$without" | grep -E "^$name $version " | sed 's/^/  without dev: /'
  done <<<"$diff"
  exit 1
fi
echo "dev-dependencies leave every normal crate's features unchanged"
