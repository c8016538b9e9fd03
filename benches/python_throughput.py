"""Side by side on one synthetic corpus: `newsframe run` (CLI), `newsframe.analyze` on
the same articles in memory, and examples/spark_job.py on Spark local[2]; alternating,
so that all see the same machine load. Prints seconds and MB/s of input for each.
Usage: python benches/python_throughput.py CLI_BINARY CORPUS.jsonl [ROUNDS] [FILES]
(the corpus is split into FILES line-aligned files, default 8, which the CLI and Spark
read as one folder; analyze gets all rows as one pyarrow.Table)."""
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyarrow.json as pj

import newsframe

REPO = Path(__file__).resolve().parents[1]
cli, corpus = sys.argv[1], Path(sys.argv[2])
rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 2
n_files = int(sys.argv[4]) if len(sys.argv) > 4 else 8
work = Path(tempfile.mkdtemp(prefix="nf-pybench-"))
folder = work / "in"
folder.mkdir()
lines = corpus.read_bytes().splitlines(keepends=True)
per = -(-len(lines) // n_files)
for i in range(n_files):
    (folder / f"part-{i:02}.jsonl").write_bytes(b"".join(lines[i * per : (i + 1) * per]))
mb = sum(p.stat().st_size for p in folder.iterdir()) / 1e6
print(f"{mb:.1f} MB, {len(lines)} articles in {n_files} files; load average {os.getloadavg()[0]:.2f}")


def report(name, seconds, extra=""):
    print(f"  {name:<34} {seconds:7.1f} s  {mb / seconds:5.2f} MB/s {extra}", flush=True)


for r in range(1, rounds + 1):
    print(f"round {r} (load average {os.getloadavg()[0]:.2f})")
    out = work / "cli"
    start = time.perf_counter()
    subprocess.run([cli, "run", str(folder), "--out", str(out), "--threads", "2", "--no-progress",
                    "--overwrite"], check=True, capture_output=True)
    wall = time.perf_counter() - start
    m = json.loads((out / "manifest.json").read_text())
    report("CLI run (wall, incl. compare)", wall, f"(pipeline {m['elapsed_seconds']:.1f} s: "
           f"{mb / m['elapsed_seconds']:.2f} MB/s, {m['counts']['articles']} articles)")

    start = time.perf_counter()
    table = pj.read_json(corpus)
    read = time.perf_counter() - start
    start = time.perf_counter()
    tables = newsframe.analyze(table, threads=2)
    seconds = time.perf_counter() - start
    assert tables["articles"].num_rows == m["counts"]["articles"]
    report("analyze(pyarrow.Table)", seconds, f"(+ {read:.1f} s pyarrow.json.read_json)")
    del tables, table

    # NEWSFRAME_BENCH_SPARK_BEFORE=old_spark_job.py also times an earlier version of the
    # job in the same rounds (before/after figures under the same load).
    jobs = [("Spark job local[2] (wall)", REPO / "examples/spark_job.py")]
    if os.environ.get("NEWSFRAME_BENCH_SPARK_BEFORE"):
        jobs.append(("Spark job before (wall)", Path(os.environ["NEWSFRAME_BENCH_SPARK_BEFORE"])))
    for name, job in jobs:
        spark_out = work / "spark"
        start = time.perf_counter()
        done = subprocess.run([sys.executable, str(job), str(folder), str(spark_out), "--master", "local[2]"],
                              check=True, capture_output=True, text=True)
        steps = [line for line in done.stdout.splitlines() if line.startswith("seconds:")]
        report(name, time.perf_counter() - start, f"(ratio to CLI {(time.perf_counter() - start) / wall:.2f}; "
               f"{steps[-1] if steps else ''})")
