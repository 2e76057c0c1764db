"""Counts tables a researcher can publish, and the tables that trace them back to articles.

A counts row is a number of clusters (occurrences), never of events or articles, and it
lists its cluster ids; the clusters table gives each cluster's place, date and articles,
and cluster_events each article's event behind it. Aggregate statistics get a table of
their own so that an official "6 vụ trong 8 tháng" is never added to the incidents it sums.

Sums of counts (people, deaths, ...) take, per cluster, the largest value any of its
articles reports for the unit, and add those maxima over the row's clusters
(data/config/aggregate.toml [tables] names the units summed).
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import pyarrow as pa

from pipeline.findings.clusters import Cluster, EventRow
from pipeline.resources import read_toml
from pipeline.write.atomic import atomic_output, atomic_path
from pipeline.write.formats import table_paths

ProvinceMap = Literal["pre2025", "2025"]
# `--by` keys; "district" is always grouped with its province, as district names repeat across provinces
DIMENSIONS = ("province", "district", "month", "quarter", "year", "type", "source")
STR, FLOAT, INT, LIST = pa.string(), pa.float64(), pa.int64(), pa.list_(pa.string())
TABLES = ("counts", "clusters", "cluster_events", "statistics")  # the first is written at OUT itself


def sum_units() -> list[str]:
    return list(read_toml("config", "aggregate.toml")["tables"]["sum_units"])


@dataclass(slots=True)
class Table:
    schema: pa.Schema
    rows: list[dict[str, Any]]

    def arrow(self) -> pa.Table:
        return pa.Table.from_pylist(self.rows, schema=self.schema)


def _period(iso: str | None, dimension: str) -> str | None:
    """'2017-02-07' -> month '2017-02', quarter '2017-Q1', year '2017'; None when too coarse."""
    if not iso:
        return None
    if dimension == "year":
        return iso[:4]
    if len(iso) < 7:
        return None
    return iso[:7] if dimension == "month" else f"{iso[:4]}-Q{(int(iso[5:7]) - 1) // 3 + 1}"


def _keys(cluster: Cluster, by: Sequence[str], provinces: ProvinceMap) -> list[tuple[str | None, ...]]:
    """The group keys of a cluster: one per source that reported it when grouping by source."""
    province = cluster.province_2025 if provinces == "2025" else cluster.province
    values: dict[str, list[str | None]] = {
        "province": [province], "district": [cluster.district], "type": [cluster.type],
        "source": list(cluster.sources) or [None]}
    keys: list[tuple[str | None, ...]] = [()]
    for d in by:
        options = values[d] if d in values else [_period(cluster.date, d)]
        keys = [(*k, v) for k in keys for v in options]
    return keys


def dimensions(by: Sequence[str]) -> list[str]:
    """`by` checked and completed: district brings its province along."""
    unknown = [d for d in by if d not in DIMENSIONS]
    if unknown or not by:
        raise ValueError(f"cannot group by {', '.join(unknown) or 'nothing'}; choose from {', '.join(DIMENSIONS)}")
    dims = list(dict.fromkeys(by))
    if "district" in dims and "province" not in dims:
        dims.insert(dims.index("district"), "province")
    return dims


def counts_table(clusters: Iterable[Cluster], by: Sequence[str], provinces: ProvinceMap = "pre2025",
                 units: Sequence[str] | None = None) -> Table:
    """Clusters grouped by `by`, most incidents first. By source, a cluster counts once for each
    source that reported it, so that column answers "what did each outlet cover"."""
    dims, units = dimensions(by), list(sum_units() if units is None else units)
    groups: dict[tuple[str | None, ...], list[Cluster]] = {}
    for c in clusters:
        for key in _keys(c, dims, provinces):
            groups.setdefault(key, []).append(c)
    rows = []
    for key, members in groups.items():
        row: dict[str, Any] = dict(zip(dims, key, strict=True))
        row["incidents"] = len(members)
        row["articles"] = len({d for c in members for d in c.doc_ids})
        for unit in units:
            values = [c.maxima[unit] for c in members if unit in c.maxima]
            row[unit] = _total(values) if values else None
        row["cluster_ids"] = [c.cluster_id for c in members]
        rows.append(row)
    rows.sort(key=lambda r: (-r["incidents"], *((r[d] is None, r[d] or "") for d in dims)))
    schema = pa.schema([*((d, STR) for d in dims), ("incidents", INT), ("articles", INT),
                        *((u, FLOAT) for u in units), ("cluster_ids", LIST)])
    return Table(schema, rows)


def _total(values: list[float]) -> float | int:
    """A sum as a person writes it: 1.5 + 2.5 people are 4, and float noise (4099999999.9999995
    đồng) is rounded away."""
    total = round(math.fsum(values), 3)
    return int(total) if total.is_integer() else total


def clusters_table(clusters: Iterable[Cluster], units: Sequence[str] | None = None) -> Table:
    units = list(sum_units() if units is None else units)
    rows = [{"cluster_id": c.cluster_id, "type": c.type, "province": c.province, "province_2025": c.province_2025,
             "district": c.district, "date": c.date, "date_end": c.date_end, "n_events": len(c.events),
             "n_articles": c.n_articles, "doc_ids": c.doc_ids, "sources": c.sources,
             "evidence": c.events[0].evidence, **{u: c.maxima.get(u) for u in units}} for c in clusters]
    schema = pa.schema([("cluster_id", STR), ("type", STR), ("province", STR), ("province_2025", STR),
                        ("district", STR), ("date", STR), ("date_end", STR), ("n_events", INT), ("n_articles", INT),
                        ("doc_ids", LIST), ("sources", LIST), ("evidence", STR), *((u, FLOAT) for u in units)])
    return Table(schema, rows)


_EVENT_COLUMNS = [("event_id", STR), ("doc_id", STR), ("source", STR), ("published", STR), ("title", STR),
                  ("type", STR), ("province", STR), ("province_2025", STR), ("district", STR), ("date", STR),
                  ("evidence", STR)]


def _event_cells(e: EventRow) -> dict[str, Any]:
    return {name: getattr(e, name) for name, _ in _EVENT_COLUMNS}


def cluster_events_table(clusters: Iterable[Cluster]) -> Table:
    rows = [{"cluster_id": c.cluster_id, **_event_cells(e)} for c in clusters for e in c.events]
    return Table(pa.schema([("cluster_id", STR), *_EVENT_COLUMNS]), rows)


def statistics_table(statistics: Iterable[EventRow]) -> Table:
    """One row per number an aggregate statistic states (a statistic without a number keeps one row)."""
    rows = []
    for s in statistics:
        base = _event_cells(s) | {"period_start": s.time_start, "period_end": s.time_end, "time_text": s.time_text}
        for c in s.counts or [None]:
            rows.append(base | ({"value": c.value, "unit": c.unit, "qualifier": c.qualifier, "count_text": c.text}
                                if c else {"value": None, "unit": None, "qualifier": None, "count_text": None}))
    schema = pa.schema([*_EVENT_COLUMNS, ("period_start", STR), ("period_end", STR), ("time_text", STR),
                        ("value", FLOAT), ("unit", STR), ("qualifier", STR), ("count_text", STR)])
    return Table(schema, rows)


# Each counts row with the clusters and articles behind it.
TRACE_VIEW = """
CREATE VIEW count_articles AS
SELECT c.* EXCLUDE (cluster_ids), u.cluster_id, e.event_id, e.doc_id, e.source AS article_source, e.title,
       e.date AS event_date, e.evidence
FROM counts c, unnest(c.cluster_ids) AS u(cluster_id) JOIN cluster_events e ON e.cluster_id = u.cluster_id
"""
SUFFIXES = (".csv", ".parquet", ".duckdb", ".db")


def write_tables(tables: dict[str, Table], path: Path) -> list[Path]:
    """The tables of TABLES in the format `path`'s suffix names; returns every file written.

    CSV and Parquet give one file per table (OUT.csv holds the counts, OUT-clusters.csv ...);
    DuckDB one file with the tables and the view count_articles.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ValueError(f"{path}: unsupported output format; supported suffixes: {', '.join(SUFFIXES)}")
    if suffix in (".duckdb", ".db"):
        import duckdb

        with atomic_path(path) as tmp:
            con = duckdb.connect(str(tmp))
            try:
                for name in TABLES:
                    con.register("batch", tables[name].arrow())
                    con.execute(f"CREATE TABLE {name} AS SELECT * FROM batch")
                con.unregister("batch")
                con.execute(TRACE_VIEW)
            finally:
                con.close()
        return [path]
    paths = table_paths(path, TABLES)
    for name, target in paths.items():
        if suffix == ".parquet":
            import pyarrow.parquet as pq

            with atomic_path(target) as tmp:
                pq.write_table(tables[name].arrow(), tmp)
        else:
            with atomic_output(target, "w", encoding="utf-8", newline="") as fh:
                writer = csv.writer(fh)
                writer.writerow(tables[name].schema.names)
                names = tables[name].schema.names
                writer.writerows([";".join(v) if isinstance(v, list) else v for v in map(row.get, names)]
                                 for row in tables[name].rows)
    return list(paths.values())
