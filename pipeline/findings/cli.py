"""`vnsec` commands over records: plain typer functions registered by pipeline/cli.py."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, NoReturn

import typer

RecordsArg = Annotated[list[Path], typer.Argument(help="records files: .jsonl(.gz), .parquet or .duckdb")]
WindowOption = Annotated[int | None, typer.Option(help="most days between the dates of one occurrence "
                                                  "(default in data/config/aggregate.toml)")]


def _fail(message: str) -> NoReturn:
    from rich.console import Console

    Console(stderr=True).print(f"[red]error:[/red] {message}")
    raise typer.Exit(2)


def _require(records: list[Path]) -> None:
    missing = [str(p) for p in records if not p.exists()]
    if missing:
        _fail(f"no such records file: {', '.join(missing)}")


def aggregate(
    records: RecordsArg,
    output: Annotated[Path, typer.Option("-o", "--output", help="counts table: .csv, .parquet or .duckdb (with "
                                          "clusters, cluster_events and statistics beside it)")],
    by: Annotated[str, typer.Option(help="comma-separated: province, district, month, quarter, year, type, "
                                    "source")] = "province,month,type",
    provinces: Annotated[str, typer.Option(help="pre2025: provinces as named when written; 2025: the 34 units "
                                           "after the July 2025 merger")] = "pre2025",
    window_days: WindowOption = None,
    top: Annotated[int, typer.Option(help="rows of the counts table to print")] = 20,
) -> None:
    """Count incidents once however many articles report them; statistics stay apart."""
    import time

    from rich.console import Console
    from rich.table import Table as RichTable

    from pipeline.findings import clusters as cl
    from pipeline.findings import tables as tb
    from pipeline.write import read_records

    console = Console(stderr=True)
    dims = [d.strip() for d in by.split(",") if d.strip()]
    if provinces not in ("pre2025", "2025"):
        _fail(f"--provinces must be pre2025 or 2025, not {provinces!r}")
    if output.suffix.lower() not in tb.SUFFIXES:
        _fail(f"{output}: unsupported output format; supported suffixes: {', '.join(tb.SUFFIXES)}")
    _require(records)
    try:
        dims = tb.dimensions(dims)
        config = cl.ClusterConfig.load(window_days=window_days)
        started = time.perf_counter()
        collected = cl.collect((r for path in records for r in read_records(path)), config)
        read_s = time.perf_counter() - started
        clusters = cl.cluster_incidents(collected.incidents, config)
        cluster_s = time.perf_counter() - started - read_s
    except ValueError as exc:
        _fail(str(exc))
    counts = tb.counts_table(clusters, dims, provinces)  # type: ignore[arg-type]
    written = tb.write_tables({"counts": counts, "clusters": tb.clusters_table(clusters),
                               "cluster_events": tb.cluster_events_table(clusters),
                               "statistics": tb.statistics_table(collected.statistics)}, output)

    shared = [c for c in clusters if c.n_articles > 1]
    summary = RichTable(title="vnsec aggregate", show_header=False, title_justify="left")
    summary.add_column(style="bold")
    summary.add_column(justify="right")
    summary.add_row("records", f"{collected.records:,}")
    summary.add_row("incident events", f"{len(collected.incidents):,}"
                    + (f"  ({collected.foreign:,} events abroad not counted)" if collected.foreign else ""))
    summary.add_row("clusters", f"{len(clusters):,}  (incidents counted once)")
    summary.add_row("merged", f"{sum(c.n_articles for c in shared):,} articles in {len(shared):,} clusters "
                    f"of 2+ articles")
    summary.add_row("statistics", f"{len(collected.statistics):,} aggregate events kept apart")
    summary.add_row("time", f"read {read_s:,.1f} s, clustered {cluster_s:,.1f} s")
    summary.add_row("written", "\n".join(str(p) for p in written))
    console.print(summary)

    rows = RichTable(title=f"top {min(top, len(counts.rows))} of {len(counts.rows):,} rows", title_justify="left")
    shown = [*dims, "incidents", "articles", *(u for u in tb.sum_units() if any(r[u] for r in counts.rows[:top]))]
    for name in shown:
        rows.add_column(name, justify="right" if name not in dims else "left")
    for r in counts.rows[:top]:
        rows.add_row(*("" if r[n] is None else f"{r[n]:,.0f}" if isinstance(r[n], float) else str(r[n])
                       for n in shown))
    console.print(rows)


def report(
    records: RecordsArg,
    output: Annotated[Path, typer.Option("-o", "--output", help="the HTML page to write (.html)")],
    title: Annotated[str | None, typer.Option(help="page title (default: the records files' names)")] = None,
    window_days: WindowOption = None,
    clusters: Annotated[int | None, typer.Option(help="incidents listed with their articles, the most widely "
                                                 "reported first (default in data/config/report.toml)")] = None,
) -> None:
    """One self-contained HTML page of the findings, readable offline: incidents per month and per province
    (counted once however many articles report them), sources, statistics kept apart, and the articles
    behind each incident."""
    from pipeline.findings import report as rp
    from pipeline.findings.clusters import ClusterConfig
    from pipeline.write import read_records

    _require(records)
    if output.suffix.lower() not in (".html", ".htm"):
        _fail(f"{output}: the report is an HTML page; name it .html")
    try:
        config = ClusterConfig.load(window_days=window_days)
        settings = rp.ReportSettings.load(max_clusters=clusters)
        findings = rp.find((r for path in records for r in read_records(path)), config)
    except ValueError as exc:
        _fail(str(exc))
    names = [p.name for p in records]
    rp.write_report(findings, output, settings, title or f"vnsec report: {', '.join(names)}", names)
    f = findings
    typer.echo(f"{output} ({output.stat().st_size / 1e6:,.2f} MB): {f.tally.articles:,} articles, "
               f"{f.tally.relevant:,} relevant, {len(f.collected.incidents):,} incident events in "
               f"{len(f.clusters):,} incidents, {len(f.collected.statistics):,} statistics kept apart")
