"""The `vnsec` command: one sub-command per job a researcher does."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from pipeline import __version__

if TYPE_CHECKING:
    from pipeline.batch import Summary

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Vietnamese security and labour news into countable, traceable event records.")
console = Console(stderr=True)


@app.callback()
def main() -> None:
    """vnsec: crawl, extract, evaluate and count security and labour events in Vietnamese news."""


@app.command()
def version() -> None:
    """Print the version of vnsec and of its default extractor."""
    from pipeline.extractor import Extractor

    typer.echo(f"vnsec {__version__}, extractor {Extractor.load().version}")


@app.command()
def extract(
    inputs: Annotated[list[Path], typer.Argument(help="JSONL(.gz), CSV, WARC(.gz), HTML/TXT files or folders")],
    output: Annotated[Path, typer.Option("-o", "--output", help="records file: .jsonl, .jsonl.gz, .parquet, "
                                          ".csv or .duckdb (tables articles, events, counts)")],
    workers: Annotated[int, typer.Option(help="processes to extract with")] = 1,
    resume: Annotated[bool, typer.Option(help="continue a run that was killed, from its checkpoints")] = False,
    model: Annotated[str | None, typer.Option(help="model name under models/ or a model folder")] = None,
    max_chars: Annotated[int, typer.Option(help="longer articles are reported, not extracted")] = 2_000_000,
    progress: Annotated[bool, typer.Option(help="show a progress bar")] = True,
) -> None:
    """Extract one event record per article."""
    from pipeline import batch
    from pipeline.ingest import estimate_count

    missing = [str(p) for p in inputs if not p.exists()]
    if missing:
        _fail(f"no such input: {', '.join(missing)}")
    columns = (TextColumn("[bold]extract"), BarColumn(), MofNCompleteColumn(), TextColumn("[cyan]{task.fields[rate]}"),
               TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn())
    with Progress(*columns, console=console, disable=not progress, transient=False) as bar:
        task = bar.add_task("extract", total=estimate_count(inputs), rate="")

        def advance(n: int) -> None:
            bar.advance(task, n)
            speed = bar.tasks[task].speed
            bar.update(task, rate=f"{speed:,.1f} docs/s" if speed else "")

        try:
            summary = batch.run(inputs, output, model=model, workers=workers, resume=resume,
                                max_chars=max_chars, on_progress=advance)
        except (batch.RunConflict, FileNotFoundError, ValueError) as exc:
            _fail(str(exc))
        except KeyboardInterrupt:
            _fail(f"interrupted; finished work is checkpointed: rerun with --resume to continue into {output}")
    console.print(summary_table(summary))


def summary_table(summary: Summary) -> Table:
    table = Table(title="vnsec extract", show_header=False, title_justify="left")
    table.add_column(style="bold")
    table.add_column(justify="right")
    table.add_row("articles", f"{summary.articles:,}")
    table.add_row("relevant", f"{summary.relevant:,}")
    table.add_row("events", f"{sum(summary.events.values()):,}"
                  + (f"  ({summary.kinds['incident']:,} incidents, {summary.kinds['aggregate']:,} aggregates)"
                     if summary.events else ""))
    for label, n in summary.events.most_common():
        table.add_row(f"  {label}", f"{n:,}")
    table.add_row("counts", f"{summary.counts:,}")
    table.add_row("errors", f"{summary.errors:,}" + (f"  (see {summary.errors_file})" if summary.errors else ""))
    table.add_row("warnings", f"{summary.warnings:,}")
    if summary.resumed:
        table.add_row("resumed", f"{summary.resumed:,} done before")
    table.add_row("speed", f"{summary.docs_per_second:,.1f} docs/s in {summary.seconds:,.1f} s")
    table.add_row("written", "\n".join(str(p) for p in summary.outputs))
    return table


def _fail(message: str) -> None:
    console.print(f"[red]error:[/red] {message}")
    raise typer.Exit(2)


def _register_commands() -> None:
    """Commands that live with their stage: crawling in scrapers/, findings in pipeline/findings/."""
    import importlib

    for module, names in (("scrapers.cli", ("crawl", "sites")),
                          ("pipeline.findings.cli", ("aggregate", "report"))):
        try:
            commands = importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if not module.startswith(exc.name or "?"):
                raise
            continue
        for name in names:
            app.command(name)(getattr(commands, name))


_register_commands()

if __name__ == "__main__":
    app()
