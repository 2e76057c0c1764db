"""The crawl's memory in one SQLite file: frontier, seen set, validators, runs.

A page is marked done in the same transaction that records how far the WARC and JSONL
files had been written, so after a kill the files are cut back to the last commit and the
resumed run fetches exactly what was not committed: nothing twice, nothing lost. A run
that ended starts the next one: discovery pages are asked again (conditionally) and only
articles never seen before are fetched.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from scrapers.discovery import Kind, Link

_SCHEMA = """
CREATE TABLE IF NOT EXISTS urls (
    url TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'queued',  -- queued, done, failed (tried again next run), skipped
    run INTEGER NOT NULL,                   -- the run that last queued it
    priority INTEGER NOT NULL,              -- articles first, so a listing's articles precede its next page
    page INTEGER NOT NULL DEFAULT 1,        -- listing page number
    parent TEXT,                            -- the listing page that linked it
    published TEXT,                         -- from the feed or sitemap, then from the article itself
    modified TEXT,
    etag TEXT,
    last_modified TEXT,
    note TEXT
);
CREATE INDEX IF NOT EXISTS frontier ON urls(status, priority);
CREATE INDEX IF NOT EXISTS children ON urls(parent);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    site TEXT NOT NULL,
    started TEXT NOT NULL,
    finished TEXT,
    warc TEXT NOT NULL,                     -- the WARC file being written, under DIR/warc/
    warc_offset INTEGER NOT NULL DEFAULT 0, -- committed lengths of the files
    articles_offset INTEGER NOT NULL DEFAULT 0,
    errors_offset INTEGER NOT NULL DEFAULT 0,
    pages INTEGER NOT NULL DEFAULT 0,
    articles INTEGER NOT NULL DEFAULT 0,
    errors INTEGER NOT NULL DEFAULT 0
);
"""


class StateError(RuntimeError):
    """The output folder holds another site's crawl."""


@dataclass(slots=True)
class Run:
    id: int
    warc: str
    warc_offset: int = 0
    articles_offset: int = 0
    errors_offset: int = 0
    pages: int = 0
    articles: int = 0
    errors: int = 0
    resumed: bool = False


@dataclass(frozen=True, slots=True)
class Item:
    url: str
    kind: Kind
    page: int
    parent: str | None
    etag: str | None
    last_modified: str | None


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


class State:
    def __init__(self, path: Path) -> None:
        self.db = sqlite3.connect(path)
        self.db.executescript("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;" + _SCHEMA)
        self.run = Run(0, "")

    def begin(self, site: str) -> Run:
        """The unfinished run to resume, or a new one; failed pages of earlier runs are queued again."""
        other = self.db.execute("SELECT site FROM runs WHERE site != ? LIMIT 1", (site,)).fetchone()
        if other:
            raise StateError(f"this folder holds a crawl of {other[0]!r}, not {site!r}; use another output folder")
        last = self.db.execute("SELECT id, warc, warc_offset, articles_offset, errors_offset, pages, articles, errors "
                               "FROM runs WHERE finished IS NULL ORDER BY id DESC LIMIT 1").fetchone()
        if last:
            self.run = Run(*last, resumed=True)
        else:
            cursor = self.db.execute("INSERT INTO runs (site, started, warc) VALUES (?, ?, '')", (site, _now()))
            assert cursor.lastrowid is not None
            self.run = Run(cursor.lastrowid, f"run-{cursor.lastrowid:05d}-001.warc.gz")
            ends = self.db.execute("SELECT articles_offset, errors_offset FROM runs WHERE id < ? ORDER BY id DESC "
                                   "LIMIT 1", (self.run.id,)).fetchone()
            self.run.articles_offset, self.run.errors_offset = ends or (0, 0)  # JSONL files go on across runs
            self.db.execute("UPDATE urls SET status = 'queued', run = ? WHERE status = 'failed'", (self.run.id,))
            self.save()
        return self.run

    def add(self, link: Link, *, page: int = 1, parent: str | None = None) -> bool:
        """Queue a link; True unless it is an article an earlier run already fetched.

        Known discovery pages are asked again, once per run.
        """
        self.db.execute(
            "INSERT OR IGNORE INTO urls (url, kind, run, priority, page, parent, published, modified) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (link.url, link.kind, self.run.id, int(link.kind != "article"), page, parent, _iso(link.published),
             _iso(link.modified)))
        if link.kind != "article":
            self.db.execute("UPDATE urls SET status = 'queued', run = ?, page = ?, parent = ? "
                            "WHERE url = ? AND run < ? AND status != 'queued'",
                            (self.run.id, page, parent, link.url, self.run.id))
        status, run = self.db.execute("SELECT status, run FROM urls WHERE url = ?", (link.url,)).fetchone()
        return status == "queued" or run == self.run.id

    def next(self, busy: set[str]) -> Item | None:
        """The first queued page not already being fetched."""
        rows = self.db.execute("SELECT url, kind, page, parent, etag, last_modified FROM urls WHERE status = 'queued' "
                               "ORDER BY priority, rowid LIMIT ?", (len(busy) + 1,))
        return next((Item(*row) for row in rows if row[0] not in busy), None)

    def seen(self, url: str) -> bool:
        return self.db.execute("SELECT 1 FROM urls WHERE url = ? AND status = 'done'", (url,)).fetchone() is not None

    def finish(self, url: str, status: str, *, kind: Kind, etag: str | None = None, last_modified: str | None = None,
               published: str | None = None, note: str | None = None) -> None:
        """Record the outcome of a page (inserting it when it was reached by a redirect)."""
        self.db.execute(
            "INSERT INTO urls (url, kind, status, run, priority, published, etag, last_modified, note) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT (url) DO UPDATE SET status = ?3, "
            "published = coalesce(?6, published), etag = coalesce(?7, etag), "
            "last_modified = coalesce(?8, last_modified), note = ?9",
            (url, kind, status, self.run.id, int(kind != "article"), published, etag, last_modified, note))

    def older_than(self, parent: str | None, since: date) -> bool:
        """Every article a listing page led to was fetched and is dated before `since`."""
        if parent is None:
            return False
        total, open_ = self.db.execute(
            "SELECT count(*), coalesce(sum(status = 'queued' OR published IS NULL OR published >= ?), 0) "
            "FROM urls WHERE parent = ? AND kind = 'article'", (since.isoformat(), parent)).fetchone()
        return total > 0 and open_ == 0

    def queued(self) -> int:
        return self.db.execute("SELECT count(*) FROM urls WHERE status = 'queued'").fetchone()[0]

    def save(self) -> None:
        """Commit everything since the last save together with the run's file offsets and counters."""
        r = self.run
        self.db.execute("UPDATE runs SET warc = ?, warc_offset = ?, articles_offset = ?, errors_offset = ?, "
                        "pages = ?, articles = ?, errors = ? WHERE id = ?",
                        (r.warc, r.warc_offset, r.articles_offset, r.errors_offset, r.pages, r.articles, r.errors,
                         r.id))
        self.db.commit()

    def end(self) -> None:
        self.db.execute("UPDATE runs SET finished = ? WHERE id = ?", (_now(), self.run.id))
        self.save()

    def close(self) -> None:
        self.db.close()
