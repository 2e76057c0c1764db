"""Records to files and back; the output path's suffix picks the format.

JSON Lines is the contract format (spec/RECORDS.md); Parquet, CSV and DuckDB give the
same content as three tables (articles, events, counts) for analysis. Every output is
written atomically, so an interrupted run never leaves a half-written file behind.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from pipeline.document import Record
from pipeline.write import formats
from pipeline.write.atomic import atomic_output, atomic_path

Writer = Callable[[Iterable[Record], Path], list[Path]]
Reader = Callable[[Path], Iterator[Record]]

FORMATS: dict[str, Writer] = {
    ".jsonl": formats.write_jsonl,
    ".jsonl.gz": formats.write_jsonl_gz,
    ".parquet": formats.write_parquet,
    ".csv": formats.write_csv,
    ".duckdb": formats.write_duckdb,
    ".db": formats.write_duckdb,
}
# CSV is write-only: an empty string and a missing value look the same in it.
READERS: dict[str, Reader] = {
    ".jsonl": formats.read_jsonl,
    ".jsonl.gz": formats.read_jsonl,
    ".parquet": formats.read_parquet,
    ".duckdb": formats.read_duckdb,
    ".db": formats.read_duckdb,
}

__all__ = ["FORMATS", "READERS", "atomic_output", "atomic_path", "output_format", "read_records",
           "write_records"]


def output_format(path: Path) -> str:
    """The FORMATS key (suffix) that `path` ends with."""
    name = Path(path).name.lower()
    for suffix in sorted(FORMATS, key=len, reverse=True):
        if name.endswith(suffix) and len(name) > len(suffix):
            return suffix
    raise ValueError(f"{path}: unsupported output format; supported suffixes: {', '.join(FORMATS)}")


def write_records(records: Iterable[Record], path: Path) -> list[Path]:
    """Write `records` to `path` in the format its suffix names; returns every file written."""
    path = Path(path)
    return FORMATS[output_format(path)](records, path)


def read_records(path: Path) -> Iterator[Record]:
    """Records back from a file written by `write_records` (JSONL, Parquet or DuckDB), or from the partitioned
    Parquet dataset folder of a Dask run."""
    path = Path(path)
    suffix = output_format(path)
    if suffix not in READERS:
        raise ValueError(f"{path}: records cannot be read back from {suffix} (an empty string and a missing "
                         f"value look the same); readable suffixes: {', '.join(READERS)}")
    return READERS[suffix](path)
