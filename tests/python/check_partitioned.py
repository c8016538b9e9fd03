"""Checks that polars, pandas (pyarrow) and DuckDB read a dataset written with
`--partition-by published:day` (over several runs) with its `published_day` partition
column, and that every row sits in the folder of its publication day.
Usage: python check_partitioned.py OUT_DIR"""
import sys
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import pyarrow.dataset as ds

out = Path(sys.argv[1])
articles = out / "articles"
days = sorted(p.name for p in articles.iterdir() if p.is_dir())
assert days and all(d.startswith("published_day=") for d in days), days

# polars: hive partitioning is detected from the folder names.
df = pl.read_parquet(articles / "**/*.parquet", hive_partitioning=True)
assert "published_day" in df.columns, df.columns
dated = df.filter(pl.col("published").is_not_null())
assert dated.height > 0
mismatch = dated.filter(
    pl.col("published").dt.date().cast(pl.String) != pl.col("published_day").cast(pl.String)
)
assert mismatch.height == 0, mismatch
assert df.filter(pl.col("published").is_null())["published_day"].null_count() == \
    df.filter(pl.col("published").is_null()).height, "null dates go to the null partition"

# DuckDB
con = duckdb.connect()
n, n_days = con.execute(
    f"select count(*), count(distinct published_day) from read_parquet('{articles}/**/*.parquet', hive_partitioning = true)"
).fetchone()
assert n == df.height, (n, df.height)
assert n_days >= 2, n_days
mentions = con.execute(
    f"select count(*) from read_parquet('{out}/frames/**/*.parquet', hive_partitioning = true) where published_day is not null"
).fetchone()[0]
assert mentions > 0

# pandas (pyarrow dataset): the folder as a whole.
# pyarrow infers a dictionary type for partition columns and cannot convert one with
# nulls to pandas; a plain (string) Hive partitioning avoids that.
pdf = pd.read_parquet(articles, partitioning=ds.partitioning(flavor="hive"))
assert "published_day" in pdf.columns, pdf.columns
assert len(pdf) == df.height

print(f"partitioned dataset ok: {df.height} articles in {len(days)} day folders; polars, pandas, DuckDB")
