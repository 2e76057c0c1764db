"""Read every archive format a researcher has into `Article`s, never stopping the stream.

Whatever cannot be read becomes a `Problem` and reading goes on; whatever was repaired
is reported as a warning `Problem` and the article still comes through. Every article
from every reader passes the same checks here, so a new format needs no new checks.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from pathlib import Path

from pipeline.document import Article, Problem
from pipeline.ingest.readers import (
    Found,
    open_bytes,
    read_csv,
    read_html,
    read_jsonl,
    read_txt,
    read_warc,
    url_id,
)

__all__ = ["estimate_count", "iso_date", "read_articles"]

_READERS: dict[str, Callable[[Path, str], Iterator[Found]]] = {
    ".txt": read_txt, ".html": read_html, ".htm": read_html, ".jsonl": read_jsonl,
    ".json": read_jsonl, ".csv": read_csv, ".warc": read_warc,
}
_ONE_PER_FILE = {".txt", ".html", ".htm"}
_CONTROL = re.compile("[\x01-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffd]")
_YMD = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")
_DMY = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?!\d)")
_YEAR_MONTH = re.compile(r"\d{4}(?:-\d{2})?")


def _kind(path: Path) -> str:
    """The format suffix, looking through a .gz ("a.jsonl.gz" -> ".jsonl")."""
    name = path.name.lower()
    return Path(name.removesuffix(".gz")).suffix


def _file_id(relative: str) -> str:
    """The doc_id of a one-article file: its path without the format suffix."""
    cut = len(_kind(Path(relative))) + (3 if relative.lower().endswith(".gz") else 0)
    return relative[:-cut]


def _walk(root: Path, folder: Path) -> Iterator[tuple[Path, str] | Problem]:
    try:
        entries = sorted(folder.iterdir())
    except OSError as e:
        yield Problem(str(folder), f"cannot list folder: {e.strerror or e}")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir() and not entry.is_symlink():
            yield from _walk(root, entry)
        elif _kind(entry) in _READERS:  # not is_file(): a dangling link must be reported, not skipped
            yield entry, _file_id(entry.relative_to(root).as_posix())


def _files(paths: Iterable[str | Path]) -> Iterator[tuple[Path, str] | Problem]:
    for path in map(Path, paths):
        if path.is_dir():
            yield from _walk(path, path)
        elif not path.exists():
            yield Problem(str(path), "no such file")
        elif _kind(path) in _READERS:
            yield path, _file_id(path.name)
        else:
            yield Problem(str(path), "unsupported file type")


def iso_date(value: str) -> str | None:
    """YYYY-MM-DD from ISO dates and datetimes or Vietnamese day-first dates; a year or a
    month alone ("2017", "2017-06") is kept as the reduced ISO date it is."""
    value = value.strip()
    if _YEAR_MONTH.fullmatch(value):
        month = int(value[5:7] or 1)
        return value if 1 <= month <= 12 else None
    if m := _YMD.match(value):
        y, mo, d = m.groups()
    elif m := _DMY.match(value):
        d, mo, y = m.groups()
    else:
        return None
    try:
        return date(int(y), int(mo), int(d)).isoformat()
    except ValueError:
        return None


def _rejection(text: str, max_chars: int) -> str | None:
    if not text.strip():
        return "empty text"
    if len(text) > max_chars:
        return f"text too long: {len(text)} chars > {max_chars}"
    if "\x00" in text:
        return "binary content: NUL characters"
    sample = text[:2_000]  # junk shows at the start; scanning it all costs a third of the time
    share = len(_CONTROL.findall(sample)) / len(sample)
    return f"binary content: {share:.0%} control or replacement characters" if share > 0.05 else None


def _check(article: Article, warnings: list[str], seen: dict[str, str],
           max_chars: int, default: str | None = None) -> Iterator[Article | Problem]:
    """`default`: the ISO date given to an article that carries none."""
    if reason := _rejection(article.text, max_chars):
        yield Problem(article.origin, reason, article.doc_id or None)
        return
    if not article.doc_id:
        article.doc_id = url_id(article.url) if article.url else article.origin
        warnings.append(f"no doc_id, derived {article.doc_id}")
    if first := seen.get(article.doc_id):
        yield Problem(article.origin, f"duplicate doc_id, first read at {first}", article.doc_id)
        return
    seen[article.doc_id] = article.origin
    if article.published is not None:
        published, article.published = article.published, iso_date(article.published)
        if article.published is None:
            warnings.append(f"unparseable published date {published!r}, dropped")
    if article.published is None:
        article.published = default
    for warning in warnings:
        yield Problem(article.origin, warning, article.doc_id, "warning")
    yield article


def read_articles(paths: Iterable[str | Path], *, max_chars: int = 2_000_000,
                  published: str | None = None) -> Iterator[Article | Problem]:
    """Articles from files and folders (walked recursively in sorted order), with their problems;
    `published` dates the articles that carry no date of their own (an archive of one year)."""
    default = iso_date(published) if published is not None else None
    if published is not None and default is None:
        raise ValueError(f"not a date: {published!r} (give YYYY, YYYY-MM or YYYY-MM-DD)")
    seen: dict[str, str] = {}
    for item in _files(paths):
        if isinstance(item, Problem):
            yield item
            continue
        path, file_id = item
        try:
            for found in _READERS[_kind(path)](path, file_id):
                if isinstance(found, Problem):
                    yield found
                else:
                    yield from _check(*found, seen, max_chars, default)
        except Exception as e:  # one unreadable file must not end the run
            yield Problem(str(path), f"cannot read: {e}")


def _count_lines(path: Path) -> int:
    with open_bytes(path) as f:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b""))


def estimate_count(paths: Iterable[str | Path]) -> int | None:
    """Roughly how many articles `read_articles` will yield, for a progress bar; None for WARC."""
    total = 0
    for item in _files(paths):
        if isinstance(item, Problem):
            continue
        kind = _kind(item[0])
        if kind == ".warc":
            return None
        try:
            total += 1 if kind in _ONE_PER_FILE else _count_lines(item[0])
        except (OSError, EOFError, zlib.error):
            continue
    return total
