"""Atomic file output: a reader never sees a half-written file at the target path.

Writing goes to a hidden temp file in the same directory (so `os.replace` is a rename
on one filesystem), which is fsynced and renamed onto the target only on success and
removed on any exception.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO, Any


def _discard(tmp: Path) -> None:
    # duckdb leaves a write-ahead log beside an unclosed database
    for p in (tmp, tmp.with_name(tmp.name + ".wal")):
        with suppress(FileNotFoundError):
            p.unlink()


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temp path for libraries that want a filename (pyarrow, duckdb); replaced onto `path` on success."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    _discard(tmp)  # a stale temp of a crashed run with the same pid would be reopened by duckdb
    try:
        yield tmp
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        _discard(tmp)
        raise


@contextmanager
def atomic_output(path: Path, mode: str = "w", **open_kwargs: Any) -> Iterator[IO[Any]]:
    """`open(path, mode)` whose content appears at `path` only once the block has finished."""
    with atomic_path(path) as tmp, open(tmp, mode, **open_kwargs) as fh:
        yield fh
