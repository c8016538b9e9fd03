"""newsframe from Python: the pipeline of the `newsframe` CLI as a native module.

- :func:`analyze` runs ingest-to-tables on articles held in memory (a pyarrow.Table, a
  polars or pandas DataFrame, or a list of dicts) and returns the tables as
  pyarrow.Tables, with the columns and types of the CLI's Parquet tables.
- :func:`run` and :func:`compare` are ``newsframe run`` and ``newsframe compare``:
  the same code, the same output folder, the manifest returned as a dict.

Errors raise :class:`UsageError` (the CLI's exit code 2: bad arguments, a bad lexicon
folder or model) or :class:`NewsframeError` (exit code 1: e.g. a locked output folder),
with the CLI's messages.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from typing import Any, Iterable, Optional, Sequence, Union

import pyarrow as pa
import pyarrow.compute as pc

from ._newsframe import NewsframeError, UsageError, __version__
from ._newsframe import analyze as _analyze
from ._newsframe import analyze_files as _analyze_files
from ._newsframe import compare as _compare
from ._newsframe import run as _run

__all__ = [
    "analyze",
    "run",
    "compare",
    "TABLES",
    "NewsframeError",
    "UsageError",
    "__version__",
]

#: The tables :func:`analyze` returns, in the order of the data dictionary.
TABLES = ("articles", "rejects", "frames", "entities", "figures")

_PathLike = Union[str, "os.PathLike[str]"]


def analyze(
    articles: Any,
    *,
    lexicons: Optional[_PathLike] = None,
    models: Optional[_PathLike] = None,
    extract: Optional[Union[str, Sequence[str]]] = None,
    threads: Optional[int] = None,
) -> dict[str, pa.Table]:
    """Analyse articles held in memory; returns ``{table name: pyarrow.Table}``.

    ``articles`` is a ``pyarrow.Table`` (or RecordBatch), a ``polars.DataFrame``, a
    ``pandas.DataFrame`` or a list of dicts, one article per row, with the fields the
    CLI reads from JSON and their aliases (``text``/``body``/``content``/``maintext``,
    ``title``/``headline``, ``published``/``date``/``published_at``, ``source``, ``url``,
    ``id``, ``language``...). Only a text field is required; a row without one becomes a
    row of ``rejects`` (reason ``empty_text``), as a JSONL line without one does.

    Returns ``articles``, ``rejects``, ``frames``, ``entities`` and ``figures`` with
    exactly the columns and Arrow types of the Parquet tables of ``newsframe run`` (see
    the data dictionary in README), rows in input order whatever ``threads`` is. Tables
    of extractors left out by ``extract`` come back empty.

    Files: a table with a string ``path`` and a binary ``content`` column (and no text
    field), as Spark's ``binaryFile`` source gives, is a table of whole files: each is
    read by the CLI's own readers (JSONL, JSON, text or WARC, uncompressed), so the
    rows, rejects included, are those ``newsframe run`` gives for those files, with
    ``path`` as ``input_file``.

    Provenance: ``input_file`` is ``"<memory>"`` and ``input_record`` the 0-based row
    number (a table is read like a JSON array), unless the input has ``input_file`` /
    ``input_record`` columns, which are then kept.

    ``lexicons`` / ``models``: folders to use instead of the bundled ones (as ``--lexicons``
    / ``--models``); ``extract``: extractors to run (``"frames,entities"`` or a list;
    default all); ``threads``: worker threads (default all cores). The GIL is released
    while the pipeline runs.
    """
    table = _to_table(articles)
    options = dict(lexicons=_path(lexicons), models=_path(models), extract=_names(extract), threads=threads)
    if _is_files_table(table):
        names = [str(p) for p in table.column("path").to_pylist()]
        contents = table.column("content").to_pylist()
        return _analyze_files(list(zip(names, contents)), **options)
    return _analyze(_columns(table), **options)


def run(
    inputs: Union[_PathLike, Iterable[_PathLike]],
    out: _PathLike,
    *,
    threads: Optional[int] = None,
    lexicons: Optional[_PathLike] = None,
    models: Optional[_PathLike] = None,
    run_id: Optional[str] = None,
    extract: Optional[Union[str, Sequence[str]]] = None,
    overwrite: bool = False,
    shard: Optional[str] = None,
    partition_by: Optional[str] = None,
    max_record_bytes: Optional[int] = None,
) -> dict[str, Any]:
    """``newsframe run INPUTS --out OUT [options]``; returns the run's manifest as a dict.

    ``inputs``: files or folders (``-`` is not supported from Python). Options are the
    CLI's flags with ``_`` for ``-``: ``shard="0/4"``, ``partition_by="published:day"``,
    ``extract="frames,figures"``... The output folder is the same incremental dataset
    the CLI writes (locked while the run writes, inputs already committed skipped).
    Raises :class:`UsageError` or :class:`NewsframeError` with the CLI's message.
    """
    if isinstance(inputs, (str, os.PathLike)):
        inputs = [inputs]
    manifest = _run(
        [os.fspath(i) for i in inputs],
        os.fspath(out),
        threads=threads,
        lexicons=_path(lexicons),
        models=_path(models),
        run_id=run_id,
        extract=_names(extract),
        overwrite=overwrite,
        shard=shard,
        partition_by=partition_by,
        max_record_bytes=max_record_bytes,
    )
    return json.loads(manifest)


def compare(out: _PathLike, *, by: str = "lang", report: bool = False) -> dict[str, Any]:
    """``newsframe compare OUT --by BY [--report]``: rewrites ``OUT/compare/*.parquet``.

    ``out`` is an output folder of :func:`run`, of the CLI, or a folder of the same
    tables written by another engine (the Spark example). ``by``: grouping keys,
    comma-separated (``lang``, ``source``, ``published:day|week|month``).

    Returns ``OUT/manifest.json`` as a dict (empty when there is none, e.g. after
    Spark) with a ``compare`` entry: ``{"by": ..., "rows": {table: row count}}``.
    """
    written = _compare(os.fspath(out), by=by, report=report)
    path = os.path.join(os.fspath(out), "manifest.json")
    manifest: dict[str, Any] = {}
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            manifest = json.load(f)
    manifest["compare"] = {"by": by, "rows": dict(written)}
    return manifest


_TEXT_FIELDS = ("text", "body", "content", "maintext", "article_text")


def _is_files_table(table: pa.Table) -> bool:
    """Spark's binaryFile rows (path, content bytes), not articles."""
    names = set(table.column_names)
    if "path" not in names or "content" not in names:
        return False
    content = table.schema.field("content").type
    is_binary = pa.types.is_binary(content) or pa.types.is_large_binary(content) or pa.types.is_binary_view(content)
    return is_binary and not (names & (set(_TEXT_FIELDS) - {"content"}))


def _path(p: Optional[_PathLike]) -> Optional[str]:
    return None if p is None else os.fspath(p)


def _names(extract: Optional[Union[str, Sequence[str]]]) -> Optional[list[str]]:
    if extract is None:
        return None
    if isinstance(extract, str):
        return [n.strip() for n in extract.split(",") if n.strip()]
    return list(extract)


def _to_table(articles: Any) -> pa.Table:
    """The input as a pyarrow.Table, without importing pandas or polars ourselves."""
    if isinstance(articles, pa.Table):
        return articles
    if isinstance(articles, pa.RecordBatch):
        return pa.Table.from_batches([articles])
    module = type(articles).__module__.split(".")[0]
    if module == "polars" and hasattr(articles, "to_arrow"):
        return articles.to_arrow()
    if module == "pandas" and hasattr(articles, "columns"):
        return pa.Table.from_pandas(articles, preserve_index=False)
    if isinstance(articles, (list, tuple)):
        return _from_records(articles)
    raise TypeError(
        "articles must be a pyarrow.Table, a polars.DataFrame, a pandas.DataFrame "
        f"or a list of dicts, not {type(articles).__name__}"
    )


def _from_records(rows: Sequence[Any]) -> pa.Table:
    for i, row in enumerate(rows):
        if not isinstance(row, Mapping):
            raise TypeError(f"articles[{i}] is a {type(row).__name__}, not a dict")
    # Column by column over the keys of every row (pa.Table.from_pylist would take the
    # first row's keys only). Values of one field with different types (ids that are
    # numbers in some rows and strings in others, text as a string or a list of
    # paragraphs) become strings the way the CLI reads them: numbers as their digits,
    # paragraph lists joined by blank lines, {"name": ...} objects as the name.
    names: dict[str, None] = {}
    for row in rows:
        names.update(dict.fromkeys(row))
    columns = {}
    for name in names:
        values = [row.get(name) for row in rows]
        try:
            columns[name] = pa.array(values)
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            columns[name] = pa.array([_as_string(v) for v in values], pa.large_string())
    return pa.table(columns)


def _as_string(v: Any) -> Optional[str]:
    if v is None or isinstance(v, bool):
        return None
    if isinstance(v, str):
        return v
    if isinstance(v, (int, float)):
        return json.dumps(v)
    if isinstance(v, (list, tuple)):
        parts = [p for p in v if isinstance(p, str)]
        return "\n\n".join(parts) if parts else None
    if isinstance(v, Mapping) and isinstance(v.get("name"), str):
        return v["name"]
    return None


def _columns(table: pa.Table) -> list[tuple[str, list[pa.Array]]]:
    """``[(name, chunks)]`` of the columns Rust reads: strings, numbers, booleans and
    lists of those; dates as ISO strings, dictionary columns decoded, structs with a
    ``name`` field as that name. Other columns cannot hold an article field and are
    left out."""
    out = []
    for name, column in zip(table.column_names, table.columns):
        column = _normalise(column)
        if column is None:
            continue
        chunks = column.chunks or [pa.array([], column.type)]
        out.append((name, chunks))
    return out


def _normalise(column: pa.ChunkedArray) -> Optional[pa.ChunkedArray]:
    t = column.type
    if pa.types.is_dictionary(t):
        column = column.cast(t.value_type)
        t = column.type
    if (
        pa.types.is_string(t)
        or pa.types.is_large_string(t)
        or pa.types.is_string_view(t)
        or pa.types.is_integer(t)
        or pa.types.is_boolean(t)
    ):
        return column
    if pa.types.is_floating(t):
        return column.cast(pa.float64())
    if pa.types.is_timestamp(t):
        if t.tz is not None:
            utc = column.cast(pa.timestamp(t.unit, "UTC")).cast(pa.timestamp("s", "UTC"), safe=False)
            return pc.strftime(utc, format="%Y-%m-%dT%H:%M:%SZ")
        return pc.strftime(column.cast(pa.timestamp("s"), safe=False), format="%Y-%m-%dT%H:%M:%S")
    if pa.types.is_date(t):
        return column.cast(pa.string())
    if pa.types.is_struct(t):
        index = t.get_field_index("name")
        if index < 0:
            return None
        return _normalise(pc.struct_field(column, [index]))
    if pa.types.is_list(t) or pa.types.is_large_list(t) or pa.types.is_list_view(t):
        value = t.value_type
        if pa.types.is_dictionary(value):
            value = value.value_type
        if pa.types.is_string(value) or pa.types.is_large_string(value) or pa.types.is_string_view(value):
            return column.cast(pa.large_list(pa.large_string()))
        return None
    if pa.types.is_decimal(t):
        return column.cast(pa.string())
    return None
