"""One crawl of one site into an output folder, resumable at any point.

Workers take pages from the SQLite frontier, fetch them through the engine, read them in a
thread, and then, with no await in between, archive the exchange, write the article or
queue the links, and commit: a kill at any moment leaves a consistent folder.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import httpx

from pipeline import __version__
from pipeline.ingest.encoding import decode
from pipeline.ingest.readers import url_id
from pipeline.resources import read_toml
from scrapers.archive import Archive
from scrapers.article import Page, read_article
from scrapers.discovery import Bounds, Kind, Link, parse_home, parse_listing, parse_xml
from scrapers.engine import FEED, HTML, Engine, HostStats, Policy, Result, host_stats, inflate
from scrapers.sites import Site
from scrapers.state import Item, State

log = logging.getLogger("scrapers")
_ACCEPT: dict[Kind, tuple[str, ...]] = {"article": HTML, "listing": HTML, "home": HTML, "xml": FEED}


@dataclass(frozen=True, slots=True)
class Limits:
    since: date | None = None
    until: date | None = None
    max_pages: int | None = None  # pages fetched in the run (a resumed run counts what it did before)
    max_articles: int | None = None


@dataclass
class Summary:
    site: str
    output: Path
    run: int = 0
    resumed: bool = False
    finished: bool = False  # False: interrupted, the next crawl into the folder resumes
    pages: int = 0  # in this invocation
    articles: int = 0
    not_modified: int = 0
    out_of_range: int = 0
    errors: int = 0
    bytes: int = 0
    queued: int = 0  # left in the frontier
    seconds: float = 0.0
    hosts: dict[str, HostStats] = field(default_factory=dict)

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0


@dataclass(slots=True)
class Made:
    """What reading a page gave."""

    page: Page | None = None
    links: list[Link] = field(default_factory=list)
    next: str | None = None
    error: str | None = None


class Crawler:
    def __init__(self, site: Site, output: Path, policy: Policy, limits: Limits | None = None) -> None:
        self.site, self.output, self.policy = site, Path(output), policy
        self.limits = limits or Limits()
        self.bounds = Bounds(self.limits.since, self.limits.until)
        self.summary = Summary(site.name, self.output)
        self._busy: dict[str, Kind] = {}
        self.engine: Engine | None = None

    def run(self) -> Summary:
        started = time.perf_counter()
        self.output.mkdir(parents=True, exist_ok=True)
        self.state = State(self.output / "state.sqlite")
        try:
            run = self.state.begin(self.site.name)
            self.summary.run, self.summary.resumed = run.id, run.resumed
            if run.resumed:
                log.info("resuming run %d of %s: %d pages and %d articles done before", run.id, self.site.name,
                         run.pages, run.articles)
            self.archive = Archive(self.output, run, self._warcinfo(),
                                   read_toml("config", "crawl.toml")["archive"]["warc_max_bytes"])
            try:
                asyncio.run(self._crawl())
                self.state.end()
                self.summary.finished = True
            finally:
                self.archive.close()
                self.summary.queued = self.state.queued()
        finally:
            self.state.close()
            self.summary.seconds = time.perf_counter() - started
        return self.summary

    def _warcinfo(self) -> dict[str, str]:
        return {"software": f"vnsec-crawler/{__version__} (warcio)", "format": "WARC File Format 1.1",
                "http-header-user-agent": self.policy.user_agent, "robots": "obey", "isPartOf": self.site.name,
                "description": f"{self.site.title or self.site.name} from {self.site.base_url}",
                "politeness": f"{self.policy.rate or 'unlimited'} requests/s, {self.policy.concurrency} in flight "
                              "per host"}

    async def _crawl(self) -> None:
        async with Engine(self.policy, self.archive.exchange) as self.engine:
            await self._seed()
            self._wake = asyncio.Condition()
            await asyncio.gather(*(self._worker() for _ in range(max(2, 2 * self.policy.concurrency))))

    async def _seed(self) -> None:
        site, engine = self.site, self.engine
        assert engine is not None
        seeds = [Link(url, "listing") for url in map(site.url, site.listings) if url]
        seeds += [Link(url, "xml") for url in map(site.url, (*site.feeds, *site.sitemaps)) if url]
        if site.generic:
            announced = (await engine.robots(site.base_url)).sitemaps
            sitemaps = [u for u in map(site.url, announced) if u] or [site.url("/sitemap.xml")]
            seeds += [Link(site.base_url + "/", "home"), *(Link(u, "xml") for u in sitemaps if u)]
        for seed in seeds:
            self.state.add(seed)
        self._commit()

    def _full(self) -> bool:
        run, limits = self.state.run, self.limits
        busy_articles = sum(kind == "article" for kind in self._busy.values())
        return bool((limits.max_pages and run.pages + len(self._busy) >= limits.max_pages)
                    or (limits.max_articles and run.articles + busy_articles >= limits.max_articles))

    async def _next(self) -> Item | None:
        async with self._wake:
            while True:
                item = None if self._full() else self.state.next(set(self._busy))
                if item or not self._busy:
                    if item:
                        self._busy[item.url] = item.kind
                    return item
                await self._wake.wait()

    async def _worker(self) -> None:
        while item := await self._next():
            try:
                await self._visit(item)
            finally:
                async with self._wake:
                    del self._busy[item.url]
                    self._wake.notify_all()

    async def _visit(self, item: Item) -> None:
        since = self.limits.since
        if item.kind == "listing" and since:
            async with self._wake:  # the previous page's articles decide whether this page is needed
                await self._wake.wait_for(lambda: "article" not in self._busy.values())
        if item.kind == "listing" and since and self.state.older_than(item.parent, since):
            log.info("%s: every article of the page before is older than --since; pagination stopped", item.url)
            self._settle(item, Result(item.url), Made(), skipped="older than --since")
            return
        validators = {}
        if item.kind != "article":  # asked again in each run: only a changed page is sent
            validators = {k: v for k, v in (("If-None-Match", item.etag), ("If-Modified-Since", item.last_modified))
                          if v}
        assert self.engine is not None
        try:
            result = await self.engine.fetch(item.url, item.kind, _ACCEPT[item.kind], validators=validators,
                                             seen=self._have if item.kind == "article" else None)
        except (httpx.HTTPError, httpx.InvalidURL) as exc:  # a URL httpx cannot send: that page only
            log.error("%s: cannot be fetched: %s", item.url, exc)
            result = Result(item.url, error=f"cannot be fetched: {exc}", lasting=True)
        made = await asyncio.to_thread(self._read, item, result)
        self._settle(item, result, made)

    def _have(self, url: str) -> bool:
        """The crawl has this article or is fetching it: a redirect to it must not fetch it again."""
        return url in self._busy or self.state.seen(url)

    def _read(self, item: Item, result: Result) -> Made:
        exchange = result.exchange
        if result.error or exchange is None or exchange.status != 200:
            return Made()
        try:
            if item.kind == "xml":
                data = exchange.content
                if data[:2] == b"\x1f\x8b":  # a .xml.gz sitemap: the file itself is compressed
                    data = inflate(data, "gzip", self.policy.max_body)
                return Made(links=parse_xml(data, result.url, self.site))
            text, warning = decode(exchange.content, exchange.charset)
            if warning:
                log.warning("%s: %s (header said %s)", result.url, warning, exchange.charset or "nothing")
            if item.kind == "article":
                return Made(page=read_article(text, result.url, self.site.article))
            if item.kind == "listing":
                links, following = parse_listing(text, result.url, self.site, item.page)
                return Made(links=links, next=following)
            return Made(links=parse_home(text, result.url, self.site))
        except Exception as exc:  # one unreadable page must not end the crawl
            return Made(error=f"unreadable {item.kind}: {type(exc).__name__}: {exc}")

    def _settle(self, item: Item, result: Result, made: Made, *, skipped: str | None = None) -> None:
        """Archive and commit one page's outcome; no await here, so a commit never splits a page."""
        exchange, summary, run = result.exchange, self.summary, self.state.run
        where = self.archive.exchange(exchange, item.kind) if exchange else None
        if exchange:
            run.pages += 1
            summary.pages += 1
            summary.bytes += len(exchange.body)
        status, note, published = "done", skipped, None
        error = result.error or made.error
        if exchange and not error and exchange.status not in (200, 304):
            error = f"{exchange.status} {exchange.reason}"
        if error and exchange and exchange.status == 404 and item.kind == "listing" and item.page > 1 \
                and self.site.listing and self.site.listing.page_url:
            skipped, error = "past the last page", None  # page URLs are made up, so the end is a 404
            log.info("%s: no page %d; end of the listing", item.url, item.page)
        if skipped:
            status = "skipped"
        elif result.seen:
            note = f"redirects to {result.url}, already crawled"
        elif error:
            status = "skipped" if result.lasting or (exchange and 400 <= exchange.status < 500) else "failed"
            if not result.error:  # the engine logs its own failures
                log.error("%s: %s", item.url, error)
        elif exchange and exchange.status == 304:
            summary.not_modified += 1
        elif made.page is not None:
            error, published = self._article(item, result, made.page, where)
        else:
            self._queue(item, made)
        if error:
            self.archive.error(item.url, item.kind, error)
            run.errors += 1
            summary.errors += 1
        keep = exchange is not None and exchange.status in (200, 304)
        self.state.finish(item.url, status, kind=item.kind, etag=exchange.header("ETag") if keep else None,
                          last_modified=exchange.header("Last-Modified") if keep else None,
                          published=published, note=note or error)
        self._commit()

    def _article(self, item: Item, result: Result, page: Page, where: str | None) -> tuple[str | None, str | None]:
        """Write the article if it is one and within the dates; the error and the date."""
        if result.url != item.url:
            self.state.finish(result.url, "done", kind="article", note=f"redirected from {item.url}")
        if page.missing:
            log.warning("%s: %s; no article recorded", result.url, page.missing)
            return page.missing, None
        if not self.bounds.admits(date.fromisoformat(page.published) if page.published else None):
            self.summary.out_of_range += 1
            return None, page.published
        assert result.exchange is not None
        self.archive.article({
            "doc_id": url_id(result.url), "url": result.url, "title": page.title, "published": page.published,
            "author": page.author, "text": page.text, "source": self.site.name,
            "fetched": result.exchange.date.isoformat(timespec="seconds"), "warc": where})
        self.state.run.articles += 1
        self.summary.articles += 1
        return None, page.published

    def _queue(self, item: Item, made: Made) -> None:
        parent = item.url if item.kind == "listing" else None
        fresh = sum(self.state.add(link, parent=parent) for link in made.links
                    if self.bounds.admits(link.published, link.modified))
        if made.next and fresh:
            self.state.add(Link(made.next, "listing"), page=item.page + 1, parent=item.url)
        elif made.next:
            log.info("%s: every article on page %d was fetched by an earlier run; pagination stopped",
                     item.url, item.page)

    def _commit(self) -> None:
        self.archive.checkpoint()
        self.state.save()
        if self.engine:
            self.summary.hosts = host_stats(self.engine)

