"""The crawl's output files: WARC.gz of every exchange, JSONL of articles, JSONL of errors.

Each WARC record is its own gzip member, written as the exchange ends. A response record
names what the crawl took the page for (CRAWL_KIND), so that ingest reads articles
and not listing pages. The files are only ever appended to; on resume they are cut back
to the lengths the state database committed, which drops whatever a killed run wrote
after its last commit and would otherwise be written twice.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import datetime_to_iso_date
from warcio.warcwriter import WARCWriter

from pipeline.ingest.readers import CRAWL_KIND
from scrapers.engine import Exchange
from scrapers.state import Run

log = logging.getLogger("scrapers")


def _open_at(path: Path, offset: int) -> IO[bytes]:
    """`path` for appending from `offset`, cutting off what was written after it."""
    fh = path.open("r+b" if path.exists() else "w+b")
    size = fh.seek(0, 2)
    if size > offset:
        log.info("%s: dropping %d bytes written after the last checkpoint", path.name, size - offset)
        fh.truncate(offset)
    elif size < offset:
        log.warning("%s is shorter than the crawl state says (%d < %d bytes): it was changed outside the crawl",
                    path, size, offset)
    fh.seek(0, 2)
    return fh


class Archive:
    def __init__(self, folder: Path, run: Run, info: dict[str, str], max_warc_bytes: int) -> None:
        self.folder, self.run, self.info, self.max_warc_bytes = folder, run, info, max_warc_bytes
        (folder / "warc").mkdir(parents=True, exist_ok=True)
        for later in sorted((folder / "warc").glob(run.warc.rsplit("-", 1)[0] + "-*.warc.gz")):
            if later.name > run.warc:  # rotated to after the last commit
                log.info("%s: written after the last checkpoint, removed", later.name)
                later.unlink()
        self._warc = _open_at(folder / "warc" / run.warc, run.warc_offset)
        self._writer = WARCWriter(self._warc, gzip=True)
        self._articles = _open_at(folder / "articles.jsonl", run.articles_offset)
        self._errors = _open_at(folder / "errors.jsonl", run.errors_offset)
        if self._warc.tell() == 0:
            self._warcinfo()

    @property
    def warc_path(self) -> Path:
        return self.folder / "warc" / self.run.warc

    def _warcinfo(self) -> None:
        self._writer.write_record(self._writer.create_warcinfo_record(self.run.warc, self.info))

    def exchange(self, exchange: Exchange, kind: str) -> str:
        """Write the request and response records; the response's "file@offset"."""
        parts = urlsplit(exchange.url)
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        date = {"WARC-Date": datetime_to_iso_date(exchange.date)}
        request = self._writer.create_warc_record(
            exchange.url, "request", warc_headers_dict=date,
            http_headers=StatusAndHeaders(f"GET {target} HTTP/1.1", exchange.request_headers, is_http_request=True))
        response = self._writer.create_warc_record(
            exchange.url, "response", payload=BytesIO(exchange.body), warc_headers_dict={**date, CRAWL_KIND: kind},
            http_headers=StatusAndHeaders(f"{exchange.status} {exchange.reason}", exchange.headers,
                                          protocol="HTTP/1.1"))
        request.rec_headers.add_header("WARC-Concurrent-To", response.rec_headers.get_header("WARC-Record-ID"))
        self._writer.write_record(request)
        where = f"{self.run.warc}@{self._warc.tell()}"
        self._writer.write_record(response)
        if self._warc.tell() > self.max_warc_bytes:
            self._rotate()
        return where

    def _rotate(self) -> None:
        self._warc.close()
        stem, part = self.run.warc.removesuffix(".warc.gz").rsplit("-", 1)
        self.run.warc, self.run.warc_offset = f"{stem}-{int(part) + 1:03d}.warc.gz", 0
        self._warc = _open_at(self.warc_path, 0)
        self._writer = WARCWriter(self._warc, gzip=True)
        self._warcinfo()

    def article(self, record: dict[str, Any]) -> None:
        self._articles.write(json.dumps(record, ensure_ascii=False).encode() + b"\n")

    def error(self, url: str, kind: str, reason: str) -> None:
        entry = {"url": url, "kind": kind, "reason": reason, "time": datetime.now(UTC).isoformat(timespec="seconds")}
        self._errors.write(json.dumps(entry, ensure_ascii=False).encode() + b"\n")

    def checkpoint(self) -> None:
        """Flush the files and put their lengths in the run, for the state to commit."""
        for fh in (self._warc, self._articles, self._errors):
            fh.flush()
        self.run.warc_offset, self.run.articles_offset = self._warc.tell(), self._articles.tell()
        self.run.errors_offset = self._errors.tell()

    def close(self) -> None:
        for fh in (self._warc, self._articles, self._errors):
            fh.close()
