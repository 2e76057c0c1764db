"""`vnsec crawl` and `vnsec sites`; registered by pipeline.cli. Heavy imports stay inside the commands."""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

    from scrapers.crawl import Crawler, Summary

_DATE = ["%Y-%m-%d"]


def crawl(
    target: Annotated[str, typer.Argument(help="a site from `vnsec sites`, a site definition .toml, or any URL")],
    output: Annotated[Path, typer.Option("-o", "--output", help="folder for warc/, articles.jsonl, errors.jsonl "
                                         "and state.sqlite; a crawl into it again resumes or re-crawls")],
    since: Annotated[datetime | None, typer.Option(formats=_DATE, help="skip articles published before")] = None,
    until: Annotated[datetime | None, typer.Option(formats=_DATE, help="skip articles published after")] = None,
    max_pages: Annotated[int | None, typer.Option(help="stop after this many pages in the run")] = None,
    max_articles: Annotated[int | None, typer.Option(help="stop after this many articles in the run")] = None,
    politeness: Annotated[bool, typer.Option(help="per-host rate limit and Crawl-delay; turn off only for "
                                             "servers you run (robots.txt is obeyed regardless)")] = True,
    rate: Annotated[float | None, typer.Option(help="requests per second per host [config: 1]")] = None,
    concurrency: Annotated[int | None, typer.Option(help="requests in flight per host [config: 2]")] = None,
    base_url: Annotated[str | None, typer.Option(help="fetch the site from here instead: a mirror, a test server")]
        = None,
    contact: Annotated[str, typer.Option(envvar="VNSEC_CONTACT", help="e-mail or URL for the User-Agent, so that "
                                         "site operators can reach you")] = "",
    progress: Annotated[bool, typer.Option(help="show live progress")] = True,
) -> None:
    """Crawl a news site politely into a WARC archive and a JSONL of articles."""
    import contextlib
    import logging

    from rich.live import Live
    from rich.logging import RichHandler

    from pipeline.cli import console
    from pipeline.resources import read_toml
    from scrapers.crawl import Crawler, Limits
    from scrapers.engine import Policy
    from scrapers.sites import SiteError, load_site
    from scrapers.state import StateError

    logging.basicConfig(level=logging.INFO, format="%(message)s", force=True,
                        handlers=[RichHandler(console=console, show_path=False, markup=False)])
    for noisy in ("httpx", "httpcore", "trafilatura", "htmldate"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    try:
        site = load_site(target, base_url)
        policy = Policy.configured(contact or read_toml("config", "crawl.toml")["contact"], polite=politeness,
                                   rate=rate, concurrency=concurrency)
    except (SiteError, ValueError) as exc:
        _fail(console, str(exc))
    if since and until and since > until:
        _fail(console, "--since is after --until")
    limits = Limits(since.date() if since else None, until.date() if until else None, max_pages, max_articles)
    crawler = Crawler(site, output, policy, limits)
    try:
        live = Live(_Display(crawler), console=console, refresh_per_second=4, transient=True)
        with live if progress else contextlib.nullcontext():
            summary = crawler.run()
    except StateError as exc:
        _fail(console, str(exc))
    except KeyboardInterrupt:
        console.print(f"[yellow]interrupted[/yellow]: everything fetched is saved; the same command resumes "
                      f"into {output}")
        raise typer.Exit(130) from None
    console.print(summary_table(summary))


def sites() -> None:
    """List the site definitions under data/sites/ and how each finds its articles."""
    from rich.table import Table

    from pipeline.cli import console
    from scrapers.sites import SiteError, all_sites

    try:
        found = all_sites()
    except SiteError as exc:
        _fail(console, str(exc))
    table = Table(title="vnsec sites", title_justify="left")
    for column in ("name", "source", "base URL", "discovery"):
        table.add_column(column)
    for site in found:
        table.add_row(site.name, site.title, site.base_url, ", ".join(site.methods()))
    console.print(table)
    console.print("Any other site: [bold]vnsec crawl https://… -o DIR[/bold] (sitemaps, feeds, main-text extraction).")


class _Display:
    """The live view: refreshed by rich from its own thread, reading the crawler's counters."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler, self.started = crawler, time.monotonic()

    def __rich__(self) -> Table:
        from rich.table import Table

        s = self.crawler.summary
        elapsed = time.monotonic() - self.started
        table = Table.grid(padding=(0, 2))
        table.add_row(f"[bold]crawl {s.site}[/bold]", f"pages {s.pages:,}", f"[green]articles {s.articles:,}",
                      f"not modified {s.not_modified:,}", f"[red]errors {s.errors:,}", f"{elapsed:,.0f} s")
        for host, stats in list(s.hosts.items()):
            table.add_row(f"  {host}", f"{stats.requests:,} requests", f"{stats.rate:.2f}/s now",
                          f"{stats.mean_rate:.2f}/s mean", "", "")
        return table


def summary_table(summary: Summary) -> Table:
    from rich.table import Table

    table = Table(title=f"vnsec crawl {summary.site}", show_header=False, title_justify="left")
    table.add_column(style="bold")
    table.add_column(justify="right")
    state = "finished" if summary.finished else "interrupted (run again to resume)"
    table.add_row("run", f"{summary.run}{' (resumed)' if summary.resumed else ''}, {state}")
    table.add_row("pages", f"{summary.pages:,}  ({summary.bytes / 1e6:,.1f} MB)")
    table.add_row("articles", f"{summary.articles:,}")
    table.add_row("not modified", f"{summary.not_modified:,}")
    table.add_row("outside dates", f"{summary.out_of_range:,}")
    table.add_row("errors", f"{summary.errors:,}" + (f"  (see {summary.output / 'errors.jsonl'})"
                                                     if summary.errors else ""))
    table.add_row("left in queue", f"{summary.queued:,}")
    table.add_row("speed", f"{summary.pages_per_second:,.1f} pages/s in {summary.seconds:,.1f} s")
    for host, stats in summary.hosts.items():
        table.add_row(f"  {host}", f"{stats.requests:,} requests, {stats.mean_rate:.2f}/s, "
                      f"≤{stats.max_in_flight} in flight")
    table.add_row("written", f"{summary.output}/warc/, articles.jsonl, errors.jsonl, state.sqlite")
    return table


def _fail(console: Console, message: str) -> NoReturn:
    console.print(f"[red]error:[/red] {message}")
    raise typer.Exit(2)
