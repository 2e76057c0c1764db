"""One reader per archive format; each yields raw articles with their repair warnings.

Readers only read: checking text and doc_ids is done once for all of them in
`pipeline.ingest`. Warnings travel with their article so that an article rejected
later is reported once, not once per repair.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import re
import zlib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from pipeline.document import Article, Problem
from pipeline.ingest.encoding import decode
from pipeline.ingest.html import parse_html

Found = Problem | tuple[Article, list[str]]

# archive column or key -> Article field, first present wins
_FIELDS = {
    "doc_id": ("doc_id", "id"),
    "text": ("text", "content", "body"),
    "title": ("title",),
    "url": ("url", "link"),
    "published": ("published", "date"),
    "source": ("source",),
}
_CHARSET = re.compile(r"charset=[\"']?([\w.:-]+)", re.I)
# set by `vnsec crawl` on each response record: "article", or a page that only lists articles
CRAWL_KIND = "WARC-Vnsec-Kind"


def open_bytes(path: Path) -> IO[bytes]:
    return gzip.open(path, "rb") if path.name.lower().endswith(".gz") else path.open("rb")


def url_id(url: str) -> str:
    """A doc_id that stays the same however often or wherever the page is crawled."""
    u = urlsplit(url.strip())
    canonical = u._replace(scheme=u.scheme.lower(), netloc=u.netloc.lower(), fragment="").geturl()
    return "web-" + hashlib.sha1(canonical.encode()).hexdigest()[:16]


def _article(record: Mapping[str, Any], origin: str) -> Article:
    values = {f: next((record[k] for k in keys if record.get(k) not in (None, "")), None)
              for f, keys in _FIELDS.items()}
    fields = {f: None if v is None else str(v) for f, v in values.items()}
    fields.update(doc_id=fields["doc_id"] or "", text=fields["text"] or "", origin=origin)
    return Article(**fields)


def _warnings(*warnings: str | None) -> list[str]:
    return [w for w in warnings if w]


def read_jsonl(path: Path, name: str) -> Iterator[Found]:
    n = 0
    try:
        with open_bytes(path) as f:
            for n, line in enumerate(f, 1):
                if not line.strip():
                    continue
                origin, warning = f"{path}:{n}", None
                try:
                    try:
                        record = json.loads(line)
                    except UnicodeDecodeError:
                        text, warning = decode(line)
                        record = json.loads(text)
                except ValueError as e:
                    yield Problem(origin, f"malformed JSON: {e}")
                    continue
                if not isinstance(record, dict):
                    yield Problem(origin, "not a JSON object")
                    continue
                yield _article(record, origin), _warnings(warning)
    except (EOFError, zlib.error) as e:
        yield Problem(f"{path}:{n}", f"truncated gzip after line {n}" if isinstance(e, EOFError)
                      else f"corrupt gzip after line {n}: {e}")


def read_csv(path: Path, name: str) -> Iterator[Found]:
    with open_bytes(path) as f:
        text, warning = decode(f.read())
    if warning:
        yield Problem(str(path), warning, severity="warning")
    header = text.split("\n", 1)[0]
    csv.field_size_limit(2**31 - 1)  # article bodies exceed the 128 kB default
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=max(",;\t", key=header.count))
    names = [h.strip().lower() for h in next(rows, [])]
    if not set(names) & set(_FIELDS["text"]):
        yield Problem(str(path), f"no text column in CSV header {names}")
        return
    line = rows.line_num
    for row in rows:
        origin, line = f"{path}:{line + 1}", rows.line_num
        if any(cell.strip() for cell in row):
            yield _article(dict(zip(names, row, strict=False)), origin), []


def read_txt(path: Path, name: str) -> Iterator[Found]:
    with open_bytes(path) as f:
        text, warning = decode(f.read())
    title = next((line.strip() for line in text.splitlines() if line.strip()), None)
    yield Article(doc_id=name, text=text, title=title, origin=str(path)), _warnings(warning)


def read_html(path: Path, name: str) -> Iterator[Found]:
    with open_bytes(path) as f:
        html, warning = decode(f.read())
    page = parse_html(html)
    yield (Article(doc_id=name, text=page.text, title=page.title, published=page.published, origin=str(path)),
           _warnings(warning))


def _html_payload(record: Any) -> tuple[bytes, str | None] | None:
    """Body and declared charset of a successful HTML response; None for any other record."""
    http = record.http_headers
    if record.rec_type != "response" or not http or http.get_statuscode() != "200":
        return None
    if record.rec_headers.get_header(CRAWL_KIND, "article") != "article":  # a listing page, a feed, robots.txt
        return None
    content_type = http.get_header("Content-Type") or ""
    if "html" not in content_type.lower():
        return None
    charset = _CHARSET.search(content_type)
    return record.content_stream().read(), charset and charset.group(1)


def read_warc(path: Path, name: str) -> Iterator[Found]:
    with path.open("rb") as f:
        records = ArchiveIterator(f)
        try:
            for record in records:
                payload = _html_payload(record)
                while record.raw_stream.read(1 << 16):  # warcio passes a cut record silently: check length
                    pass
                offset = records.get_record_offset()
                if record.raw_stream.limit > 0:
                    raise EOFError(f"record at offset {offset} ends early")
                if payload is None:
                    continue
                url = record.rec_headers.get_header("WARC-Target-URI") or ""
                html, warning = decode(*payload)
                page = parse_html(html, url or None)
                yield (Article(doc_id=url_id(url) if url else "", text=page.text, title=page.title,
                               url=url or None, published=page.published, source=urlsplit(url).hostname,
                               origin=f"{path}@{offset}"), _warnings(warning))
            if (rest := path.stat().st_size - records.offset) > 4:  # a record whose header was cut
                raise EOFError(f"{rest} bytes after offset {records.offset} are not a complete record")
        except (ArchiveLoadFailed, EOFError, zlib.error, ValueError) as e:
            yield Problem(str(path), f"corrupt or truncated WARC: {e}")
