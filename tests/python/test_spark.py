"""examples/spark_job.py on the corpora with PySpark in local mode (local[2]): its
tables equal the CLI's `--partition-by published:day` tables as sets of rows (Spark
orders and names parts its own way, and stores unsigned columns as int64)."""
import json
import os
import shutil
import subprocess
import sys
from collections import Counter

import pyarrow as pa
import pyarrow.dataset as ds
import pytest

from corpus import REPO, TABLES


def _spark_or_skip():
    # CI sets NEWSFRAME_REQUIRE_SPARK=1 so that a missing pyspark or Java fails the run
    # instead of skipping the check.
    missing = None
    try:
        import pyspark  # noqa: F401
    except ImportError:
        missing = "pyspark is not installed"
    if missing is None and shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        missing = "no Java (apt-get install openjdk-17-jre-headless)"
    if missing:
        if os.environ.get("NEWSFRAME_REQUIRE_SPARK") == "1":
            pytest.fail(missing)
        pytest.skip(missing)


def rows(path):
    """Every row of a (hive-partitioned) Parquet dataset as canonical JSON strings:
    strings as strings, integers as integers, timestamps as ms since the epoch."""
    if not path.exists():
        return Counter()
    table = ds.dataset(path, format="parquet", partitioning="hive").to_table()
    columns = {}
    for name in table.column_names:
        column = table[name]
        if pa.types.is_dictionary(column.type):
            column = column.cast(column.type.value_type)
        if pa.types.is_timestamp(column.type):
            column = column.cast(pa.timestamp(column.type.unit, column.type.tz)).cast(pa.int64())
        columns[name] = column.to_pylist()
    names = sorted(columns)
    return Counter(
        json.dumps({n: columns[n][i] for n in names}, sort_keys=True, default=str)
        for i in range(table.num_rows)
    )


@pytest.fixture(scope="module")
def spark_and_cli(tmp_path_factory, cli):
    _spark_or_skip()
    base = tmp_path_factory.mktemp("spark")
    subprocess.run(
        [cli, "run", "corpora", "--out", str(base / "cli"), "--partition-by", "published:day",
         "--no-progress"],
        cwd=REPO, check=True, capture_output=True,
    )
    job = subprocess.run(
        [sys.executable, "examples/spark_job.py", "corpora", str(base / "spark"), "--master", "local[2]"],
        cwd=REPO, capture_output=True, text=True, timeout=900,
    )
    assert job.returncode == 0, job.stderr[-4000:]
    return base / "spark", base / "cli"


@pytest.mark.parametrize("table", TABLES)
def test_spark_tables_equal_the_cli_tables_as_sets_of_rows(spark_and_cli, table):
    spark, cli = spark_and_cli
    got, want = rows(spark / table), rows(cli / table)
    assert sum(want.values()) == sum(got.values())
    assert got == want
    if table != "rejects":
        assert sum(want.values()) > 0


def test_spark_output_is_compared_like_the_cli_output(spark_and_cli):
    spark, cli = spark_and_cli
    names = sorted(p.name for p in (cli / "compare").glob("*.parquet"))
    assert names and names == sorted(p.name for p in (spark / "compare").glob("*.parquet"))
    for name in names:
        assert rows(spark / "compare" / name) == rows(cli / "compare" / name), name
