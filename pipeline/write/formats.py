"""One writer and one reader per output format; all writes go through temp files.

Tabular formats stream records in batches (one Parquet row group, one DuckDB insert
per batch) so that memory does not grow with the number of records. A partitioned Parquet
dataset (a folder OUT.parquet/ with articles/, events/, counts/ of part-NNNNN.parquet, as
written by the Dask engine) reads back like a single Parquet output, parts in order.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import IO, Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.document import Record
from pipeline.write.atomic import atomic_output, atomic_path
from pipeline.write.schema import EVENT_COUNTS_VIEW, SCHEMAS, TABLES, batches, unflatten

BATCH = 1000


def _jsonl_lines(records: Iterable[Record], fh: IO[str]) -> None:
    # default separators on purpose: byte-identical to json.dumps(rec.to_json(), ensure_ascii=False)
    for rec in records:
        fh.write(json.dumps(rec.to_json(), ensure_ascii=False) + "\n")


def write_jsonl(records: Iterable[Record], path: Path) -> list[Path]:
    with atomic_output(path, "w", encoding="utf-8", newline="\n") as fh:
        _jsonl_lines(records, fh)
    return [path]


def write_jsonl_gz(records: Iterable[Record], path: Path) -> list[Path]:
    with (atomic_output(path, "wb") as raw,
          gzip.GzipFile(filename=path.name, mode="wb", fileobj=raw, mtime=0) as gz,  # no temp name, no clock
          io.TextIOWrapper(gz, encoding="utf-8", newline="\n") as fh):
        _jsonl_lines(records, fh)
    return [path]


def read_jsonl(path: Path) -> Iterator[Record]:
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield Record.from_json(json.loads(line))


def table_paths(path: Path, tables: tuple[str, ...] = TABLES) -> dict[str, Path]:
    """OUT.parquet holds the first table (articles); the others (events, counts) go to OUT-events.parquet ..."""
    stem, suffix = path.name[: -len(path.suffix)], path.suffix
    return {t: path if t == tables[0] else path.with_name(f"{stem}-{t}{suffix}") for t in tables}


Sink = Callable[[pa.Table], None]


def _write_tables(records: Iterable[Record], paths: dict[str, Path],
                  open_sink: Callable[[str, Path, ExitStack], Sink]) -> list[Path]:
    """Every table's file is complete before any of them replaces its target."""
    with ExitStack() as temps:
        tmp = {t: temps.enter_context(atomic_path(p)) for t, p in paths.items()}
        with ExitStack() as files:
            sinks = {t: open_sink(t, tmp[t], files) for t in TABLES}
            for batch in batches(records, BATCH):
                for t, table in batch.items():
                    if table.num_rows:
                        sinks[t](table)
    return list(paths.values())


def _parquet_sink(table: str, tmp: Path, files: ExitStack) -> Sink:
    return files.enter_context(pq.ParquetWriter(tmp, SCHEMAS[table])).write_table


def _csv_cell(value: Any) -> Any:
    return ";".join(value) if isinstance(value, list) else value


def _csv_sink(table: str, tmp: Path, files: ExitStack) -> Sink:
    writer = csv.writer(files.enter_context(tmp.open("w", encoding="utf-8", newline="")))
    writer.writerow(SCHEMAS[table].names)

    def write(t: pa.Table) -> None:
        writer.writerows([_csv_cell(v) for v in row.values()] for row in t.to_pylist())
    return write


def write_parquet(records: Iterable[Record], path: Path) -> list[Path]:
    return _write_tables(records, table_paths(path), _parquet_sink)


def part_paths(folder: Path, index: int) -> dict[str, Path]:
    """Partition `index` of a partitioned dataset: FOLDER/articles/part-00007.parquet and so on."""
    return {t: folder / t / f"part-{index:05d}.parquet" for t in TABLES}


def write_parquet_part(records: Iterable[Record], folder: Path, index: int) -> list[Path]:
    """One partition of a dataset whose table folders exist: all the rows of its records, an empty
    part included, so that every table has the same part names."""
    return _write_tables(records, part_paths(folder, index), _parquet_sink)


def write_csv(records: Iterable[Record], path: Path) -> list[Path]:
    return _write_tables(records, table_paths(path), _csv_sink)


def write_duckdb(records: Iterable[Record], path: Path) -> list[Path]:
    with atomic_path(path) as tmp:
        con = duckdb.connect(str(tmp))
        try:
            for t in TABLES:  # column types come from the shared Arrow schema
                con.register("batch", SCHEMAS[t].empty_table())
                con.execute(f"CREATE TABLE {t} AS SELECT * FROM batch")
            for batch in batches(records, BATCH):
                for t, table in batch.items():
                    con.register("batch", table)
                    con.execute(f"INSERT INTO {t} SELECT * FROM batch")
            con.unregister("batch")
            con.execute(EVENT_COUNTS_VIEW)
        finally:
            con.close()
    return [path]


def _rows(reader: Iterable[pa.RecordBatch]) -> Iterator[dict[str, Any]]:
    for b in reader:
        yield from b.to_pylist()


def _parquet_rows(paths: Iterable[Path]) -> Iterator[dict[str, Any]]:
    for path in paths:
        with pq.ParquetFile(path) as f:
            yield from _rows(f.iter_batches(BATCH))


def read_parquet(path: Path) -> Iterator[Record]:
    """Records from OUT.parquet and its -events/-counts files, or from a partitioned dataset folder."""
    if path.is_dir():
        parts = sorted((p.name for p in (path / TABLES[0]).glob("part-*.parquet")),
                       key=lambda name: int(name[5:-8]))  # numerically: part-100000 follows part-99999
        files = {t: [path / t / name for name in parts] for t in TABLES}
    else:
        files = {t: [p] for t, p in table_paths(path).items()}
    yield from unflatten(*(_parquet_rows(files[t]) for t in TABLES))


def _duckdb_rows(con: duckdb.DuckDBPyConnection, table: str) -> Iterator[dict[str, Any]]:
    # a plain scan keeps insertion order (duckdb's preserve_insertion_order is on by default)
    cur = con.cursor().execute(f"SELECT * FROM {table}")
    names = [d[0] for d in cur.description]
    while rows := cur.fetchmany(BATCH):
        yield from (dict(zip(names, row, strict=True)) for row in rows)


def read_duckdb(path: Path) -> Iterator[Record]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        yield from unflatten(*(_duckdb_rows(con, t) for t in TABLES))
    finally:
        con.close()
