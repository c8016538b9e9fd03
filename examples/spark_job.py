"""newsframe on Spark: a crawl bigger than one machine, on an engine that retries.

Reads a folder of article files (JSONL, JSON, text, WARC; `.gz` too) with Spark's
`binaryFile` source, runs `newsframe.analyze` on each partition with `mapInArrow` (each
file read by the CLI's own readers, so rows and rejects are the CLI's), writes each
table as a Parquet dataset with Spark's writer, partitioned by published day like
`newsframe run --partition-by published:day`, then runs `newsframe.compare` on it.

    # on a laptop (pyspark from pip, Java 17):
    python examples/spark_job.py corpora out-spark --master 'local[2]'
    # on a cluster, the wheel shipped with the job (see README, Python and Spark):
    spark-submit --master yarn --py-files newsframe-0.1.0-cp39-abi3-manylinux_2_35_x86_64.whl \\
        examples/spark_job.py s3a://bucket/crawl/2023-09-28 s3a://bucket/newsframe/2023-09-28

Differences from the CLI's folder: Spark names parts its own way, writes no
manifest.json (Spark's commit protocol and `_SUCCESS` take its place), and stores the
CLI's unsigned integer columns as int64 (Spark has no unsigned types) and `published` as
a millisecond timestamp. Duplicates (`duplicate_of`) are marked over the whole input
after the per-partition analysis, first in path and record order, as the CLI does.
"""

from __future__ import annotations

import argparse
import gzip
import os
import sys
import time
from urllib.parse import unquote, urlparse

import pyarrow as pa
import pyarrow.compute as pc

import newsframe

ARTICLE_EXTENSIONS = ("jsonl", "ndjson", "json", "txt", "warc")
COMPRESSED = ("gz", "zst")
ARTICLE_PATH = rf"\.({'|'.join(ARTICLE_EXTENSIONS)})(\.({'|'.join(COMPRESSED)}))?$"


def display_name(uri: str, root_uri: str, root_arg: str) -> str:
    """`input_file` as the CLI records it: the folder as given, then the path below it."""
    path, root = unquote(urlparse(uri).path), unquote(urlparse(root_uri).path).rstrip("/")
    relative = path[len(root) + 1 :] if path.startswith(root + "/") else os.path.basename(path)
    return f"{root_arg.rstrip('/')}/{relative}"


def uncompressed(name: str, content: bytes) -> bytes:
    if name.lower().endswith(".gz"):
        return gzip.decompress(content)
    if name.lower().endswith(".zst"):
        import zstandard  # optional: pip install zstandard

        return zstandard.ZstdDecompressor().decompressobj().decompress(content)
    return content


def spark_type(t: pa.DataType) -> pa.DataType:
    """The Arrow type Spark takes for a column of newsframe's tables."""
    if pa.types.is_string_view(t) or pa.types.is_large_string(t):
        return pa.string()
    if pa.types.is_unsigned_integer(t):
        return pa.int64()
    if pa.types.is_timestamp(t):
        return pa.timestamp("us", tz="UTC")
    return t


def union_schema() -> pa.Schema:
    """One row per table row: its table's name, its article's published day, and one
    struct column per table (null except for the row's own table)."""
    empty = newsframe.analyze([])
    fields = [pa.field("table", pa.string()), pa.field("published_day", pa.string())]
    for name in newsframe.TABLES:
        struct = pa.struct([pa.field(f.name, spark_type(f.type)) for f in empty[name].schema])
        fields.append(pa.field(name, struct))
    return pa.schema(fields)


def to_union(tables: dict, schema: pa.Schema):
    """The five tables of one analyze call as record batches of `schema`."""
    articles = tables["articles"]
    days = pc.strftime(articles["published"], format="%Y-%m-%d").to_pylist()
    day_of = dict(zip(articles["article_id"].to_pylist(), days))
    for name in newsframe.TABLES:
        table = tables[name]
        if table.num_rows == 0:
            continue
        if name == "articles":
            row_days = days
        elif name == "rejects":
            row_days = [None] * table.num_rows
        else:
            row_days = [day_of.get(a) for a in table["article_id"].to_pylist()]
        columns = []
        for field in schema:
            if field.name == "table":
                columns.append(pa.array([name] * table.num_rows, pa.string()))
            elif field.name == "published_day":
                columns.append(pa.array(row_days, pa.string()))
            elif field.name == name:
                arrays = [table[f.name].combine_chunks().cast(f.type) for f in field.type]
                columns.append(pa.StructArray.from_arrays(arrays, fields=list(field.type)))
            else:
                columns.append(pa.nulls(table.num_rows, field.type))
        yield pa.RecordBatch.from_arrays(columns, schema=schema)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("input", help="folder (or file) of article files; any Hadoop path")
    parser.add_argument("out", help="output folder: one Parquet dataset per table")
    parser.add_argument("--master", help="e.g. local[2]; default: spark-submit's")
    parser.add_argument("--partitions", type=int, help="repartition the files first")
    parser.add_argument("--by", default="lang", help="compare grouping (see newsframe compare --by)")
    parser.add_argument("--threads", type=int, help="analyze threads per task (default spark.task.cpus)")
    args = parser.parse_args(argv)

    from pyspark.sql import SparkSession, Window
    from pyspark.sql import functions as F
    from pyspark.sql.pandas.types import from_arrow_schema
    from pyspark.storagelevel import StorageLevel

    # Local mode: the workers use this interpreter (with newsframe and pyarrow); on a
    # cluster spark-submit's PYSPARK_PYTHON or the shipped environment decides.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    clock = [("start", time.perf_counter())]
    builder = SparkSession.builder.appName("newsframe")
    if args.master:
        builder = builder.master(args.master)
    spark = (
        builder.config("spark.sql.session.timeZone", "UTC")
        # Local mode: the driver is the executor and caches the analysed rows.
        .config("spark.driver.memory", os.environ.get("NEWSFRAME_SPARK_MEMORY", "4g"))
        # Millisecond timestamps, as in the CLI's tables (Spark's default is INT96).
        .config("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MILLIS")
        # Whole files per row: keep Arrow batches small.
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", "64")
        # Files are not split; small partitions (a file each, or small files grouped up
        # to this size) keep the cores busy to the end instead of one large last task.
        .config("spark.sql.files.maxPartitionBytes", os.environ.get("NEWSFRAME_PARTITION_BYTES", "16m"))
        # The only shuffle is the duplicates window over articles: not 200 tiny tasks.
        .config("spark.sql.shuffle.partitions", os.environ.get("NEWSFRAME_SHUFFLE_PARTITIONS", "8"))
        .getOrCreate()
    )
    clock.append(("session", time.perf_counter()))
    threads = args.threads or int(spark.conf.get("spark.task.cpus", "1"))
    files = (
        spark.read.format("binaryFile").option("recursiveFileLookup", "true").load(args.input)
    )
    # The CLI's rule (an article extension, optionally .gz/.zst; src/ingest/inputs.rs)
    # as a Spark expression, so that no Python worker is needed for it.
    files = files.where(F.lower(F.col("path")).rlike(ARTICLE_PATH))
    if args.partitions:
        files = files.repartition(args.partitions)
    root_uri = files.sparkSession.sparkContext._jvm.org.apache.hadoop.fs.Path(args.input)
    root_uri = str(root_uri.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration()).makeQualified(root_uri).toUri())
    schema = union_schema()
    root_arg = args.input

    def analyze_partition(batches):
        for batch in batches:
            paths = batch.column("path").to_pylist()
            contents = batch.column("content").to_pylist()
            names = [display_name(p, root_uri, root_arg) for p in paths]
            data = pa.table(
                {"path": names, "content": [uncompressed(n, c) for n, c in zip(names, contents)]},
            )
            yield from to_union(newsframe.analyze(data, threads=threads), schema)

    rows = files.select("path", "content").mapInArrow(analyze_partition, from_arrow_schema(schema))
    # Each table is written from the same analysed rows; analyze is deterministic, so
    # a recomputed (evicted, retried) partition gives the same rows.
    rows = rows.persist(StorageLevel.MEMORY_AND_DISK)
    rows.count()
    clock.append(("analyze", time.perf_counter()))
    for name in newsframe.TABLES:
        columns = [f.name for f in schema.field(name).type]
        table = rows.where(F.col("table") == name).select(F.col(f"{name}.*"), "published_day")
        if name == "articles":
            # Duplicates over the whole input: the first article with the same text, in
            # input order (path, record), as the CLI marks them.
            first = Window.partitionBy("content_hash").orderBy("input_file", "input_record")
            table = table.withColumn(
                "duplicate_of",
                F.when(F.row_number().over(first) > 1, F.first("article_id").over(first)),
            )
        writer = table.select(*columns, "published_day").write.mode("overwrite")
        if name == "rejects":
            writer = table.select(*columns).write.mode("overwrite")
        else:
            writer = writer.partitionBy("published_day")
        writer.parquet(os.path.join(args.out, name))
        clock.append((name, time.perf_counter()))
    rows.unpersist()
    spark.stop()
    result = newsframe.compare(args.out, by=args.by)
    clock.append(("compare", time.perf_counter()))
    print(f"newsframe compare by {args.by}: {result['compare']['rows']} -> {args.out}/compare")
    steps = ", ".join(f"{name} {t - before:.1f} s" for (_, before), (name, t) in zip(clock, clock[1:]))
    print(f"seconds: {steps}")


if __name__ == "__main__":
    main()
