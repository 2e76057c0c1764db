"""The three tables a Record becomes in tabular outputs, defined once.

Each column names the path of its value in `Record.to_json()` (or `Event.to_json()`,
or a count), so flattening and rebuilding are both driven by the same table and a
round trip through Parquet or DuckDB gives back exactly the JSON record. Columns
without a path are keys or conveniences derived on writing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

import pyarrow as pa

from pipeline.document import Record

STR, INT, FLOAT, BOOL = pa.string(), pa.int64(), pa.float64(), pa.bool_()
LIST = pa.list_(pa.string())

Column = tuple[str, pa.DataType, tuple[str, ...]]  # name, type, path of at most two keys (empty: derived)

_KEYS: list[Column] = [("doc_id", STR, ()), ("event_id", STR, ())]

ARTICLE_COLUMNS: list[Column] = [
    ("doc_id", STR, ("doc_id",)),
    ("relevant", BOOL, ("relevant",)),
    ("event_types", LIST, ("event_types",)),
    ("provinces", LIST, ("provinces",)),
    ("n_events", INT, ()),
    *((name, STR, (name,)) for name in ("title", "url", "published", "source", "extractor")),
]
EVENT_COLUMNS: list[Column] = [
    *_KEYS,
    ("type", STR, ("type",)),
    ("kind", STR, ("kind",)),
    ("evidence", STR, ("evidence",)),
    ("evidence_start", INT, ("evidence_start",)),
    ("evidence_end", INT, ("evidence_end",)),
    ("sentence", INT, ("sentence",)),
    ("confidence", FLOAT, ("confidence",)),
    ("location_text", STR, ("location", "text")),
    *((name, STR, ("location", name)) for name in (
        "province", "province_code", "province_2025", "province_2025_code", "district", "commune")),
    ("foreign", BOOL, ("location", "foreign")),
    ("location_start", INT, ("location", "start")),
    ("location_end", INT, ("location", "end")),
    ("time_text", STR, ("time", "text")),
    ("time_start", STR, ("time", "start")),
    ("time_end", STR, ("time", "end")),
    ("time_text_start", INT, ("time", "text_start")),
    ("time_text_end", INT, ("time", "text_end")),
]
COUNT_COLUMNS: list[Column] = [
    *_KEYS,
    ("type", STR, ()),
    ("kind", STR, ()),
    ("value", FLOAT, ("value",)),
    ("unit", STR, ("unit",)),
    ("qualifier", STR, ("qualifier",)),
    ("text", STR, ("text",)),
    ("start", INT, ("start",)),
    ("end", INT, ("end",)),
]
COLUMNS: dict[str, list[Column]] = {
    "articles": ARTICLE_COLUMNS, "events": EVENT_COLUMNS, "counts": COUNT_COLUMNS}
SCHEMAS: dict[str, pa.Schema] = {t: pa.schema([(n, ty) for n, ty, _ in cols]) for t, cols in COLUMNS.items()}
TABLES = tuple(COLUMNS)

# The view a DuckDB output offers for counting: each count with its event's place and time.
EVENT_COUNTS_VIEW = """
CREATE VIEW event_counts AS
SELECT c.*, e.province, e.province_code, e.province_2025, e.province_2025_code, e.district, e.commune,
       e."foreign", e.time_start, e.time_end, e.confidence, e.evidence,
       a.published, a.source, a.url, a.title
FROM counts c JOIN events e ON e.event_id = c.event_id JOIN articles a ON a.doc_id = c.doc_id
"""


def _pick(columns: list[Column], d: dict[str, Any]) -> dict[str, Any]:
    return {name: d[path[0]] if len(path) == 1 else d[path[0]][path[1]] for name, _, path in columns if path}


def _nest(columns: list[Column], row: dict[str, Any]) -> dict[str, Any]:
    d: dict[str, Any] = {}
    for name, _, path in columns:
        if path:
            node = d
            for key in path[:-1]:
                node = node.setdefault(key, {})
            node[path[-1]] = row[name]
    return d


def flatten(record: Record) -> dict[str, list[dict[str, Any]]]:
    """The rows of each table for one record."""
    d = record.to_json()
    article = _pick(ARTICLE_COLUMNS, d) | {"n_events": len(d["events"])}
    rows: dict[str, list[dict[str, Any]]] = {"articles": [article], "events": [], "counts": []}
    for k, e in enumerate(d["events"]):
        key = {"doc_id": record.doc_id, "event_id": f"{record.doc_id}#{k}"}
        rows["events"].append(key | _pick(EVENT_COLUMNS, e))
        rows["counts"] += [key | {"type": e["type"], "kind": e["kind"]} | _pick(COUNT_COLUMNS, c)
                           for c in e["counts"]]
    return rows


def batches(records: Iterable[Record], size: int = 1000) -> Iterator[dict[str, pa.Table]]:
    """Records as one Arrow table per table name, `size` records at a time, so memory stays flat."""
    it = iter(records)
    while chunk := list(islice(it, size)):
        rows: dict[str, list[dict[str, Any]]] = {t: [] for t in TABLES}
        for rec in chunk:
            for t, r in flatten(rec).items():
                rows[t] += r
        yield {t: pa.Table.from_pylist(rows[t], schema=SCHEMAS[t]) for t in TABLES}


def _peek_group(rows: Iterator[dict[str, Any]], pending: list[dict[str, Any]], key: str,
                value: str) -> list[dict[str, Any]]:
    """Consecutive rows whose `key` is `value`; `pending` holds the one row read too far."""
    group = []
    while True:
        row = pending.pop() if pending else next(rows, None)
        if row is None:
            return group
        if row[key] != value:
            pending.append(row)
            return group
        group.append(row)


def unflatten(articles: Iterable[dict[str, Any]], events: Iterable[dict[str, Any]],
              counts: Iterable[dict[str, Any]]) -> Iterator[Record]:
    """Records rebuilt from rows in the order written: an article's events and counts follow it."""
    ev_rows, c_rows = iter(events), iter(counts)
    c_pending: list[dict[str, Any]] = []
    for a in articles:
        d = _nest(ARTICLE_COLUMNS, a)
        d["events"] = [
            _nest(EVENT_COLUMNS, e) | {"counts": [_nest(COUNT_COLUMNS, c) for c in
                                                  _peek_group(c_rows, c_pending, "event_id", e["event_id"])]}
            for e in islice(ev_rows, a["n_events"])
        ]
        yield Record.from_json(d)
