#!/usr/bin/env bash
# Byte-identity check for refactors: two output folders of `newsframe run` must hold the
# same Parquet bytes table by table. Part files are named after the run id (per run by
# design), so parts are compared in order; the tables themselves carry no run id,
# timestamp or absolute path. The manifests are compared too, with their per-run fields
# (run id and part names, times, arguments, peak RSS) masked. Prints one line per file
# and exits 1 on any difference.
# Usage: bash benches/same_tables.sh OUT_A OUT_B
#   e.g. target/release/newsframe run corpora --out /tmp/a --no-progress   (old binary)
#        target/release/newsframe run corpora --out /tmp/b --no-progress   (new binary)
#        bash benches/same_tables.sh /tmp/a /tmp/b
set -euo pipefail
a=$1 b=$2
list() { (cd "$1" && find . -name '*.parquet' | sed -E 's/part-[0-9TZ]+/part-RUN/' | sort); }
if ! diff <(list "$a") <(list "$b") >/dev/null; then
  echo "different table files:"; diff <(list "$a") <(list "$b") || true; exit 1
fi
status=0
for dir in $(cd "$a" && find . -name '*.parquet' -printf '%h\n' | sort -u); do
  mapfile -t pa < <(find "$a/$dir" -maxdepth 1 -name '*.parquet' | sort)
  mapfile -t pb < <(find "$b/$dir" -maxdepth 1 -name '*.parquet' | sort)
  for i in "${!pa[@]}"; do
    if cmp -s "${pa[$i]}" "${pb[$i]}"; then
      echo "same  ${pa[$i]#"$a"/}"
    else
      echo "DIFF  ${pa[$i]#"$a"/} vs ${pb[$i]#"$b"/}"; status=1
    fi
  done
done
python3 - "$a/manifest.json" "$b/manifest.json" <<'PY' || status=1
import json, re, sys
PER_RUN = {"run_id", "started_at", "finished_at", "elapsed_seconds", "arguments", "peak_rss_bytes"}
def mask(v):
    if isinstance(v, dict):
        return {k: mask(x) for k, x in v.items() if k not in PER_RUN}
    if isinstance(v, list):
        return [mask(x) for x in v]
    return re.sub(r"\d{8}T\d{9}Z", "RUN", v) if isinstance(v, str) else v
a, b = (mask(json.load(open(p))) for p in sys.argv[1:])
for key in sorted(set(a) | set(b)):
    if a.get(key) != b.get(key):
        print(f"DIFF  manifest.json {key}: {a.get(key)} vs {b.get(key)}"[:400])
sys.exit(a != b)
PY
[ "$status" = 0 ] && echo "all tables byte-identical, manifests equal" || echo "outputs differ"
exit "$status"
