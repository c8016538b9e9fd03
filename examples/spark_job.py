"""newsframe on Spark: a crawl bigger than one machine, on an engine that retries.

Reads a folder of article files (JSONL, JSON, text, WARC; `.gz` too) with Spark's
`binaryFile` source, runs `newsframe.analyze` on each partition with `mapInArrow` (each
file read by the CLI's own readers, so rows and rejects are the CLI's), writes each
table as a Parquet dataset with Spark's writer, partitioned by published day like
`newsframe run --partition-by published:day`, then runs `newsframe.compare` on it.

    # on a laptop (pyspark from pip, Java 17):
    python examples/spark_job.py corpora out-spark --master 'local[2]'
    # on a cluster, the module shipped in a packed environment (a native library cannot
    # be imported from --py-files; see README, Python and Spark):
    PYSPARK_PYTHON=./env/bin/python spark-submit --master yarn --archives env.tar.gz#env \\
        examples/spark_job.py s3a://bucket/crawl/2023-09-28 s3a://bucket/newsframe/2023-09-28

Differences from the CLI's folder: Spark names parts its own way, writes no
manifest.json (Spark's commit protocol and `_SUCCESS` take its place), and stores the
CLI's unsigned integer columns as int64 (Spark has no unsigned types) and `published` as
a millisecond timestamp. Duplicates (`duplicate_of`) are marked over the whole input
after the per-partition analysis, first in path and record order, as the CLI does.

Speed (README, Speed): each task caches its tables as LZ4 Arrow IPC values, not rows;
duplicates are found over four narrow columns and joined back; the five writes run
together, one task per core.
"""

from __future__ import annotations

import argparse
import gzip
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor
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


def table_schemas() -> dict:
    """Each table's Arrow schema as Spark takes it, with `published_day` (the article's
    day, the partition column) after the columns of the tables that are partitioned."""
    empty = newsframe.analyze([])
    schemas = {}
    for name in newsframe.TABLES:
        fields = [pa.field(f.name, spark_type(f.type)) for f in empty[name].schema]
        if name != "rejects":
            fields.append(pa.field("published_day", pa.string()))
        schemas[name] = pa.schema(fields)
    return schemas


#: What the analysis step caches: each table of each analyze call as Arrow IPC bytes.
#: Spark then holds a few large binary values per input file instead of millions of
#: rows, and each table is turned into rows once, when it is written.
PARTS_SCHEMA = pa.schema([pa.field("table", pa.string()), pa.field("data", pa.binary())])
#: Arrow IPC bytes per cached value at most (Spark's binary values stay far below 2 GB).
PART_BYTES = 64 << 20
#: A batch of cached values holds at most about this many bytes (32-bit offsets).
BATCH_BYTES = 1 << 30
#: LZ4 frames: the tables repeat sentences and names, so the cached values shrink
#: several-fold, and with them the JVM's copies of them (the frames are read back
#: faster than the bytes they save would be copied).
IPC_COMPRESSION = "lz4"
#: Duplicates joined to the articles by broadcast (no shuffle of the articles) up to
#: this many; more are joined by Spark's own choice of join.
BROADCAST_DUPLICATES = 2_000_000


def to_parts(tables: dict, schemas: dict):
    """The five tables of one analyze call as record batches of `PARTS_SCHEMA`."""
    articles = tables["articles"]
    days = pc.strftime(articles["published"], format="%Y-%m-%d")
    article_ids = articles["article_id"].cast(pa.string())
    options = pa.ipc.IpcWriteOptions(compression=IPC_COMPRESSION)
    # IPC streams written one after the other into one buffer: the data of a binary
    # array, with their ends as its offsets (32-bit: a new batch past BATCH_BYTES).
    names, ends, sink = [], [0], pa.BufferOutputStream()
    for name in newsframe.TABLES:
        table = tables[name]
        if table.num_rows == 0:
            continue
        schema = schemas[name]
        columns = [table[f.name].cast(f.type) for f in schema if f.name != "published_day"]
        if name == "articles":
            columns.append(days)
        elif name != "rejects":
            # The day of the row's article (the first with its id in this call).
            index = pc.index_in(table["article_id"].cast(pa.string()), value_set=article_ids)
            columns.append(pc.take(days, index))
        table = pa.Table.from_arrays(columns, schema=schema)
        per_part = max(1, table.num_rows * PART_BYTES // max(table.nbytes, 1))
        for start in range(0, table.num_rows, per_part):
            with pa.ipc.new_stream(sink, schema, options=options) as writer:
                writer.write_table(table.slice(start, per_part))
            names.append(name)
            ends.append(sink.tell())
            if ends[-1] >= BATCH_BYTES:
                yield _parts_batch(names, ends, sink)
                names, ends, sink = [], [0], pa.BufferOutputStream()
    if names:
        yield _parts_batch(names, ends, sink)


def _parts_batch(names: list, ends: list, sink) -> pa.RecordBatch:
    offsets = pa.array(ends, pa.int32()).buffers()[1]
    data = pa.Array.from_buffers(pa.binary(), len(names), [None, offsets, sink.getvalue()])
    return pa.RecordBatch.from_arrays([pa.array(names, pa.string()), data], schema=PARTS_SCHEMA)


def parts_reader(columns=None):
    """A mapInArrow function: the rows of one table back from its cached Arrow IPC
    values (only `columns`, when given)."""

    def read(batches):
        for batch in batches:
            for blob in batch.column("data"):
                table = pa.ipc.open_stream(blob.as_buffer()).read_all()
                yield from (table.select(columns) if columns else table).to_batches()

    return read


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
    if (args.master or "").startswith("local"):
        # A short-lived local JVM spends more CPU compiling than it gains from the
        # optimising compiler: the quick one alone (see README, Speed).
        builder = builder.config("spark.driver.extraJavaOptions", os.environ.get(
            "NEWSFRAME_SPARK_JAVA_OPTIONS", "-XX:TieredStopAtLevel=1"))
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
        # A Parquet writer open per day in a task, instead of sorting the task's rows by
        # day first (Spark sorts again only past this many days in one task).
        .config("spark.sql.maxConcurrentOutputFileWriters", "64")
        # zstd, as the CLI writes its tables (smaller than Spark's snappy default, and
        # no slower to write here).
        .config("spark.sql.parquet.compression.codec", os.environ.get("NEWSFRAME_PARQUET_CODEC", "zstd"))
        .config("spark.ui.enabled", os.environ.get("NEWSFRAME_SPARK_UI", "false"))
        .getOrCreate()
    )
    clock.append(("session", time.perf_counter()))
    threads = args.threads or int(spark.conf.get("spark.task.cpus", "1"))
    files = (
        spark.read.format("binaryFile").option("recursiveFileLookup", "true").load(args.input)
    )
    # The CLI's rule (an article extension, optionally .gz/.zst; src/ingest/inputs.rs)
    # as a Spark expression, so that no Python worker is needed for it. Case is ignored
    # by the pattern, not by `lower()`: Spark 4's `lower` builds ICU case tables on first
    # use, several seconds of CPU before the first file reaches a worker.
    files = files.where(F.col("path").rlike("(?i)" + ARTICLE_PATH))
    if args.partitions:
        files = files.repartition(args.partitions)
    root_uri = files.sparkSession.sparkContext._jvm.org.apache.hadoop.fs.Path(args.input)
    root_uri = str(root_uri.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration()).makeQualified(root_uri).toUri())
    schemas = table_schemas()
    write_tasks = int(os.environ.get("NEWSFRAME_WRITE_TASKS", spark.sparkContext.defaultParallelism))
    concurrent_writes = int(os.environ.get("NEWSFRAME_CONCURRENT_WRITES", len(newsframe.TABLES)))
    root_arg = args.input

    def analyze_partition(batches):
        for batch in batches:
            paths = batch.column("path").to_pylist()
            contents = batch.column("content").to_pylist()
            names = [display_name(p, root_uri, root_arg) for p in paths]
            data = pa.table(
                {"path": names, "content": [uncompressed(n, c) for n, c in zip(names, contents)]},
            )
            yield from to_parts(newsframe.analyze(data, threads=threads), schemas)

    rows = files.select("path", "content").mapInArrow(analyze_partition, from_arrow_schema(PARTS_SCHEMA))
    # Each table is written from the same analysed parts; analyze is deterministic, so
    # a recomputed (evicted, retried) partition gives the same rows.
    rows = rows.persist(StorageLevel.MEMORY_AND_DISK)
    rows.count()
    clock.append(("analyze", time.perf_counter()))
    # Duplicates over the whole input: the first article with the same text, in input
    # order (path, record), as the CLI marks them. The window runs over four narrow
    # columns, not the articles' text; the few duplicates found are then joined back.
    keys = ["content_hash", "input_file", "input_record", "article_id"]
    narrow = rows.where(F.col("table") == "articles").mapInArrow(
        parts_reader(keys), from_arrow_schema(pa.schema([schemas["articles"].field(k) for k in keys]))
    )
    first = Window.partitionBy("content_hash").orderBy("input_file", "input_record")
    duplicates = (
        narrow.select(
            "input_file",
            "input_record",
            F.row_number().over(first).alias("nth"),
            F.first("article_id").over(first).alias("first_id"),
        )
        .where(F.col("nth") > 1)
        .drop("nth")
        .persist(StorageLevel.MEMORY_AND_DISK)
    )
    joined = F.broadcast(duplicates) if duplicates.count() <= BROADCAST_DUPLICATES else duplicates
    clock.append(("duplicates", time.perf_counter()))
    # The write tasks: as many as the cores (each task reads whole cached parts, so the
    # writes need no more; fewer tasks, fewer Python worker round trips).
    parts = rows.coalesce(write_tasks) if write_tasks else rows

    def write(name):
        start = time.perf_counter()
        schema = schemas[name]
        table = parts.where(F.col("table") == name).mapInArrow(parts_reader(), from_arrow_schema(schema))
        if name == "articles":
            table = table.drop("duplicate_of").join(joined, ["input_file", "input_record"], "left")
            table = table.select(
                *[F.col("first_id").alias(c) if c == "duplicate_of" else F.col(c) for c in schema.names]
            )
        writer = table.write.mode("overwrite")
        if name != "rejects":
            writer = writer.partitionBy("published_day")
        writer.parquet(os.path.join(args.out, name))
        return f"{name} {time.perf_counter() - start:.1f} s"

    # The five writes are independent jobs: submitted together, Spark's scheduler keeps
    # both cores busy through each job's start and its last, uneven tasks.
    with ThreadPoolExecutor(max_workers=concurrent_writes) as pool:
        written = list(pool.map(write, newsframe.TABLES))
    clock.append(("write", time.perf_counter()))
    rows.unpersist()
    duplicates.unpersist()
    spark.stop()
    result = newsframe.compare(args.out, by=args.by)
    clock.append(("compare", time.perf_counter()))
    print(f"newsframe compare by {args.by}: {result['compare']['rows']} -> {args.out}/compare")
    steps = ", ".join(f"{name} {t - before:.1f} s" for (_, before), (name, t) in zip(clock, clock[1:]))
    print(f"seconds: {steps} ({', '.join(written)})")


if __name__ == "__main__":
    main()
