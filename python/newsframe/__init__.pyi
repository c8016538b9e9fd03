"""newsframe from Python: the `newsframe` CLI's pipeline as a native module."""
import os
from typing import Any, Iterable, Optional, Sequence, Union

import pyarrow as pa

from ._newsframe import NewsframeError as NewsframeError
from ._newsframe import UsageError as UsageError

__version__: str
TABLES: tuple[str, str, str, str, str]

_PathLike = Union[str, os.PathLike[str]]

def analyze(
    articles: Any,
    *,
    lexicons: Optional[_PathLike] = None,
    models: Optional[_PathLike] = None,
    extract: Optional[Union[str, Sequence[str]]] = None,
    threads: Optional[int] = None,
) -> dict[str, pa.Table]:
    """Analyse articles held in memory (pyarrow.Table, polars or pandas DataFrame, list
    of dicts with the CLI's JSON fields and aliases). Returns the tables `articles`,
    `rejects`, `frames`, `entities`, `figures` as pyarrow.Tables with the Parquet
    tables' schemas, rows in input order. Rows without text are `rejects` rows.
    `input_file` is "<memory>" and `input_record` the 0-based row unless the input
    has those columns. Releases the GIL while it runs."""

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
    """`newsframe run INPUTS --out OUT [options]`; returns the manifest as a dict.
    Raises UsageError / NewsframeError with the CLI's messages."""

def compare(out: _PathLike, *, by: str = "lang", report: bool = False) -> dict[str, Any]:
    """`newsframe compare OUT --by BY [--report]`; returns OUT/manifest.json (empty
    dict when there is none) with a `compare` entry {"by", "rows": {table: count}}."""
