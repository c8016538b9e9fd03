"""Checks that the readers analysts use open a newsframe output folder with the
column types README documents. Usage: python check_tables.py OUT_DIR"""
import json
import sys
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import pyarrow.dataset as ds

out = Path(sys.argv[1])

# Columns every mention table starts with.
MENTION = {
    "article_id": pl.String, "lang": pl.String, "sentence": pl.UInt32,
    "start": pl.UInt32, "end": pl.UInt32, "surface": pl.String, "context": pl.String,
}

EXPECTED = {
    "articles": {
        "article_id": pl.String, "source": pl.String, "url": pl.String,
        "published": pl.Datetime("ms"), "title": pl.String, "text": pl.String,
        "lang": pl.String, "lang_confidence": pl.Float32, "script": pl.String,
        "n_chars": pl.UInt32, "n_tokens": pl.UInt32, "n_sentences": pl.UInt32,
        "content_hash": pl.String, "duplicate_of": pl.String,
        "input_file": pl.String, "input_record": pl.UInt64,
    },
    "frames": {
        **MENTION,
        "frame_id": pl.String, "category": pl.String, "matched_form": pl.String,
        "quoted": pl.Boolean, "attributed_to": pl.String,
        "speaker_entity_id": pl.String, "negated": pl.Boolean, "distanced": pl.Boolean,
        "in_title": pl.Boolean,
    },
    "entities": {
        **MENTION,
        "entity_id": pl.String, "label": pl.String, "canonical_name": pl.String,
        "matched_form": pl.String, "perspective": pl.String, "method": pl.String,
        "in_title": pl.Boolean,
    },
    "figures": {
        **MENTION,
        "value": pl.Float64, "lower": pl.Float64, "upper": pl.Float64,
        "qualifier": pl.String, "qualifier_surface": pl.String,
        "approximate": pl.Boolean, "vague": pl.Boolean, "range": pl.Boolean,
        "unit_surface": pl.String, "unit": pl.String, "category": pl.String,
        "quoted": pl.Boolean, "attributed_to": pl.String,
        "speaker_entity_id": pl.String, "negated": pl.Boolean, "distanced": pl.Boolean,
        "in_title": pl.Boolean,
    },
    "rejects": {
        "input_file": pl.String, "input_record": pl.UInt64, "reason": pl.String,
        "detail": pl.String, "raw_prefix": pl.String,
    },
}

manifest = json.loads((out / "manifest.json").read_text())
failures = 0
for table, columns in EXPECTED.items():
    lf = pl.scan_parquet(out / table / "*.parquet")
    schema = dict(lf.collect_schema())
    assert schema == columns, f"{table}: polars schema {schema} != {columns}"
    n_polars = lf.select(pl.len()).collect().item()
    n_pandas = len(pd.read_parquet(out / table))
    n_arrow = ds.dataset(out / table, format="parquet").count_rows()
    n_duck = duckdb.sql(f"select count(*) from read_parquet('{out / table}/*.parquet')").fetchall()[0][0]
    assert n_polars == n_pandas == n_arrow == n_duck, (table, n_polars, n_pandas, n_arrow, n_duck)
    print(f"{table}: {n_polars} rows, {len(columns)} columns, same in polars, pandas, pyarrow, DuckDB")

articles = pl.read_parquet(out / "articles" / "*.parquet")
counts = manifest["counts"]
assert counts["records_read"] == counts["articles"] + counts["rejects"]
assert counts["articles"] == articles.height
langs = dict(articles.group_by("lang").len().iter_rows())
for lang in ("en", "hy", "az"):
    assert langs.get(lang, 0) >= 8, langs
assert set(articles.filter(pl.col("article_id").str.starts_with("tr-") | pl.col("article_id").str.starts_with("ru-"))["lang"]) == {"tr", "ru"}
duck_types = {r[0]: r[1] for r in duckdb.sql(f"describe select * from read_parquet('{out}/articles/*.parquet')").fetchall()}
assert duck_types["published"] == "TIMESTAMP", duck_types["published"]
assert duck_types["n_tokens"] == "UINTEGER", duck_types["n_tokens"]
# Offsets are in Unicode scalar values: Python slicing gives back the surface.
texts = articles.select("article_id", "text")
checked = {}
for table in ("frames", "entities", "figures"):
    mentions = pl.read_parquet(out / table / "*.parquet").join(texts, on="article_id")
    for row in mentions.iter_rows(named=True):
        assert row["text"][row["start"]:row["end"]] == row["surface"], (table, row)
    checked[table] = mentions.height
print(f"ok: languages {langs}; text[start:end] == surface for {checked}")
