"""Native half of newsframe (Rust, pyo3). Use the wrappers in `newsframe` instead."""
from typing import Optional, Sequence

import pyarrow as pa

__version__: str

class NewsframeError(Exception):
    """A run could not complete (the CLI's exit code 1), e.g. a locked output folder."""

class UsageError(NewsframeError):
    """Bad arguments (the CLI's exit code 2): missing input, bad lexicon folder or model."""

def analyze(
    columns: Sequence[tuple[str, Sequence[pa.Array]]],
    lexicons: Optional[str] = None,
    models: Optional[str] = None,
    extract: Optional[Sequence[str]] = None,
    threads: Optional[int] = None,
) -> dict[str, pa.Table]: ...
def run(
    inputs: Sequence[str],
    out: str,
    threads: Optional[int] = None,
    lexicons: Optional[str] = None,
    models: Optional[str] = None,
    run_id: Optional[str] = None,
    extract: Optional[Sequence[str]] = None,
    overwrite: bool = False,
    shard: Optional[str] = None,
    partition_by: Optional[str] = None,
    max_record_bytes: Optional[int] = None,
) -> str: ...
def compare(out: str, by: str = "lang", report: bool = False) -> list[tuple[str, int]]: ...
def analyze_files(
    files: Sequence[tuple[str, bytes]],
    lexicons: Optional[str] = None,
    models: Optional[str] = None,
    extract: Optional[Sequence[str]] = None,
    threads: Optional[int] = None,
) -> dict[str, pa.Table]: ...
