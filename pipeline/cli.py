"""The `vnsec` command: one sub-command per job a researcher does."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

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

import scrapers.cli
from pipeline import __version__
from pipeline.document import Problem
from pipeline.evaluation import extra_lines, headline, metric_lines
from pipeline.findings import cli as findings_cli

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
    published: Annotated[str | None, typer.Option(help="when undated articles were written: YYYY, YYYY-MM or "
                                                  "YYYY-MM-DD (an archive of 2017: 2017); dates their "
                                                  "yearless days and picks the provinces in force")] = None,
    progress: Annotated[bool, typer.Option(help="show a progress bar")] = True,
    engine: Annotated[Literal["local", "dask"], typer.Option(help="dask: on a Dask cluster, into a partitioned "
                                                             "Parquet folder OUT.parquet")] = "local",
    scheduler: Annotated[str | None, typer.Option(help="with --engine dask: the scheduler, e.g. tcp://host:8786 "
                                                  "(default: a local cluster of --workers processes)")] = None,
) -> None:
    """Extract one event record per article."""
    from pipeline import batch
    from pipeline.ingest import estimate_count, iso_date

    missing = [str(p) for p in inputs if not p.exists()]
    if missing:
        _fail(f"no such input: {', '.join(missing)}")
    if scheduler and engine != "dask":
        _fail("--scheduler goes with --engine dask")
    if published is not None and iso_date(published) is None:
        _fail(f"--published {published!r} is no date: give YYYY, YYYY-MM or YYYY-MM-DD")
    columns = (TextColumn("[bold]extract"), BarColumn(), MofNCompleteColumn(), TextColumn("[cyan]{task.fields[rate]}"),
               TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn())
    with Progress(*columns, console=console, disable=not progress, transient=False) as bar:
        task = bar.add_task("extract", total=estimate_count(inputs), rate="")

        def advance(n: int) -> None:
            bar.advance(task, n)
            speed = bar.tasks[task].speed
            bar.update(task, rate=f"{speed:,.1f} docs/s" if speed else "")

        try:
            if engine == "dask":
                from pipeline import distributed

                summary = distributed.run(inputs, output, model=model, workers=workers, scheduler=scheduler,
                                          resume=resume, max_chars=max_chars, published=published,
                                          on_progress=advance)
            else:
                summary = batch.run(inputs, output, model=model, workers=workers, resume=resume,
                                    max_chars=max_chars, published=published, on_progress=advance)
        except (batch.RunConflict, FileNotFoundError, ValueError) as exc:
            _fail(str(exc))
        except KeyboardInterrupt:
            _fail(f"interrupted; finished work is checkpointed: rerun with --resume to continue into {output}")
    console.print(summary_table(summary))


@app.command()
def train(
    files: Annotated[list[Path], typer.Argument(help="labelled records (spec format) and the articles they label")],
    output: Annotated[Path, typer.Option("-o", "--output", help="model folder to write, e.g. models/mine")],
    folds: Annotated[int | None, typer.Option(help="cross-validation folds (default: learned.toml)")] = None,
) -> None:
    """Retrain the learned components on labelled articles; settings chosen by cross-validation."""
    from models.training import train as train_model

    missing = [str(p) for p in files if not p.exists()]
    if missing:
        _fail(f"no such file: {', '.join(missing)}")
    try:
        meta = train_model(files, output, folds=folds, on_progress=lambda m: console.print(f"[dim]{m}"))
    except ValueError as exc:
        _fail(str(exc))
    console.print(f"[bold]model written to {output}[/bold] (trained on {meta['articles']} articles, "
                  f"settings {meta['params']})")
    console.print(f"cross-validated scores ({meta['cross_validation']['folds']} folds, no article scored "
                  "by a model trained on it):")
    scores = meta["cross_validation"]["metrics"]
    typer.echo("\n".join(metric_lines(scores) + extra_lines(scores)))
    interval_lines(scores, meta["cross_validation"]["intervals"])


@app.command()
def evaluate(
    gold: Annotated[Path, typer.Argument(help="labelled records in the spec's format")],
    articles: Annotated[Path, typer.Option(help="the labelled articles (JSONL with doc_id and text)")],
    model: Annotated[str | None, typer.Option(help="model name under models/ or a model folder")] = None,
    cv: Annotated[int, typer.Option(help="instead of a saved model, train and score in K folds")] = 0,
    extra: Annotated[list[Path] | None, typer.Option(help="with --cv: more labelled records and articles to "
                                                     "train on in every fold, never scored")] = None,
    predictions: Annotated[Path | None, typer.Option(help="also write the predicted records here")] = None,
    misses: Annotated[int, typer.Option(help="how many missed or spurious events to list")] = 30,
    as_json: Annotated[bool, typer.Option("--json", help="print the report as JSON")] = False,
    intervals: Annotated[bool, typer.Option(help="add 95% bootstrap intervals over the articles: how much "
                                            "the figures could move on another sample like this one")] = False,
) -> None:
    """Extract the labelled articles and score them as the official scorer does, with the detail to act on."""
    import json

    from pipeline.evaluation import intervals as bootstrap_intervals
    from pipeline.evaluation import load_jsonl, score

    golds = {r["doc_id"]: r for r in load_jsonl(gold)}
    if cv:
        from models.training import LEARNED, Labelled, Stages, _params, cross_validate, learned_config

        config = learned_config()
        params = _params(config, LEARNED)
        scored = Labelled.read([gold, articles])
        background = Labelled.read(extra) if extra else None
        stages = Stages(config)
        report, predicted = cross_validate(stages.prepare(scored.articles), scored.golds, stages, params, cv,
                                           background=background and (stages.prepare(background.articles),
                                                                      background.golds))
    else:
        from pipeline.extractor import Extractor
        from pipeline.ingest import read_articles

        extractor = Extractor.load(model)
        predicted = {a.doc_id: extractor(a).to_json() for a in read_articles([articles])
                     if not isinstance(a, Problem) and a.doc_id in golds}
        report = score(golds, predicted)
    spread = bootstrap_intervals(report) if intervals else None
    if predictions:
        with predictions.open("w", encoding="utf-8") as fh:
            fh.writelines(json.dumps(predicted[d], ensure_ascii=False) + "\n" for d in golds if d in predicted)
    if as_json:
        typer.echo(json.dumps({"metrics": report.metrics, "per_label": report.per_label,
                               "confusions": [[g, p, n] for (g, p), n in report.confusions.most_common()],
                               "misses": report.misses, **({"intervals": spread} if spread else {})},
                              ensure_ascii=False))
        return
    typer.echo("\n".join(metric_lines(report.metrics) + extra_lines(report.metrics)))
    if spread:
        interval_lines(report.metrics, spread)
    labels = Table(title="per event type", title_justify="left")
    for column in ("label", "P", "R", "F1", "tp", "fp", "fn"):
        labels.add_column(column, justify="left" if column == "label" else "right")
    for label, m in sorted(report.per_label.items(), key=lambda kv: kv[1]["f1"]):
        labels.add_row(label, *(f"{m[k]:.2f}" for k in ("p", "r", "f1")), *(str(m[k]) for k in ("tp", "fp", "fn")))
    console.print(labels)
    console.print("[bold]confusions[/bold] (gold label -> predicted instead): " + ", ".join(
        f"{g} -> {p} ({n})" for (g, p), n in report.confusions.most_common(12)))
    for miss in report.misses[:misses]:
        console.print(f"[yellow]{miss['what']}[/yellow] {miss['type']} in {miss['doc_id']}: {miss['sentence'][:200]}")


def interval_lines(metrics: dict[str, Any], spread: dict[str, tuple[float, float]]) -> None:
    figures = headline(metrics)
    typer.echo("95% bootstrap intervals over the articles (1000 resamples):")
    typer.echo("\n".join(f"  {k:<22} {figures[k]:.3f}  [{lo:.3f}, {hi:.3f}]" for k, (lo, hi) in spread.items()))


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


# Commands that live with their stage: crawling in scrapers/, findings in pipeline/findings/.
app.command("crawl")(scrapers.cli.crawl)
app.command("sites")(scrapers.cli.sites)
app.command("aggregate")(findings_cli.aggregate)
app.command("report")(findings_cli.report)

if __name__ == "__main__":
    app()
