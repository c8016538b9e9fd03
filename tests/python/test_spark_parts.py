"""examples/spark_job.py's cache format, without Spark: each analyze call's tables as
Arrow IPC values (`to_parts`) come back as the same rows (`parts_reader`), each row
with its article's published day, also when the tables are cut into many values and
batches."""
import sys

import pyarrow as pa
import pyarrow.compute as pc
import pytest

import newsframe
from corpus import REPO, TABLES, corpus_rows

sys.path.insert(0, str(REPO / "examples"))
import spark_job  # noqa: E402


@pytest.fixture(scope="module")
def analysed():
    return newsframe.analyze(corpus_rows(), threads=2), spark_job.table_schemas()


def read_back(batches, schemas, name):
    parts = pa.Table.from_batches(list(batches))
    mine = parts.filter(pc.equal(parts["table"], name))
    return pa.Table.from_batches(list(spark_job.parts_reader()(mine.to_batches())), schema=schemas[name])


def expected(tables, schemas, name):
    table, schema = tables[name], schemas[name]
    columns = [table[f.name].cast(f.type) for f in schema if f.name != "published_day"]
    if name != "rejects":
        days = dict(zip(tables["articles"]["article_id"].to_pylist(),
                        pc.strftime(tables["articles"]["published"], format="%Y-%m-%d").to_pylist()))
        columns.append(pa.array([days[a] for a in table["article_id"].to_pylist()], pa.string()))
    return pa.Table.from_arrays(columns, schema=schema)


@pytest.mark.parametrize("small", [False, True])
def test_parts_give_back_every_table_with_its_published_day(analysed, monkeypatch, small):
    tables, schemas = analysed
    if small:
        # Many values (one per few rows) and many batches: the cuts lose no row.
        monkeypatch.setattr(spark_job, "PART_BYTES", 4096)
        monkeypatch.setattr(spark_job, "BATCH_BYTES", 20_000)
    batches = list(spark_job.to_parts(tables, schemas))
    assert (len(batches) > 1) == small
    for name in TABLES:
        got = read_back(batches, schemas, name)
        if tables[name].num_rows == 0:
            assert got.num_rows == 0
            continue
        assert got.equals(expected(tables, schemas, name)), name
    days = read_back(batches, schemas, "figures")["published_day"]
    assert days.null_count < len(days)


def test_narrow_reader_keeps_only_the_columns_asked_for(analysed):
    tables, schemas = analysed
    parts = pa.Table.from_batches(list(spark_job.to_parts(tables, schemas)))
    articles = parts.filter(pc.equal(parts["table"], "articles")).to_batches()
    keys = ["content_hash", "input_file", "input_record", "article_id"]
    got = pa.Table.from_batches(list(spark_job.parts_reader(keys)(articles)))
    assert got.column_names == keys and got.num_rows == tables["articles"].num_rows
