"""One writer and one reader per output format; all writes go through temp files.

Tabular formats stream records in batches (one Parquet row group, one DuckDB insert
per batch) so that memory does not grow with the number of records.
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


def _write_tables(records: Iterable[Record], path: Path,
                  open_sink: Callable[[str, Path, ExitStack], Sink]) -> list[Path]:
    """Every table's file is complete before any of them replaces its target."""
    paths = table_paths(path)
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
    return _write_tables(records, path, _parquet_sink)


def write_csv(records: Iterable[Record], path: Path) -> list[Path]:
    return _write_tables(records, path, _csv_sink)


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


def read_parquet(path: Path) -> Iterator[Record]:
    files = {t: pq.ParquetFile(p) for t, p in table_paths(path).items()}
    try:
        yield from unflatten(*(_rows(files[t].iter_batches(BATCH)) for t in TABLES))
    finally:
        for f in files.values():
            f.close()


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
