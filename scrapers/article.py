"""Read one article page with its site's selectors, or generically without them.

A site's body selector is trusted: when it matches nothing the page holds no article
(a removed story, a gallery, an error page served with 200), and nothing is guessed.
Without a body selector the main text is found by trafilatura, as ingest does for WARCs.
"""

from __future__ import annotations

from dataclasses import dataclass

from bs4 import BeautifulSoup
from htmldate import find_date as htmldate_find

from pipeline.ingest.html import _DATE_PARAMS, parse_html
from scrapers.discovery import find_date, soup
from scrapers.sites import ArticleRules

_BLOCKS = ["p", "h2", "h3", "h4", "h5", "li", "blockquote", "pre"]


@dataclass(slots=True)
class Page:
    title: str | None
    published: str | None  # ISO date
    author: str | None
    text: str  # the title on the first line, then the body, as ingest gives it; "" without an article
    missing: str | None = None  # why there is no article


def _clean(text: str) -> str:
    return " ".join(text.split())


def _text(doc: BeautifulSoup, selector: str | None) -> str | None:
    element = doc.select_one(selector) if selector else None
    return (_clean(element.get_text(" ")) or None) if element else None


def _body(doc: BeautifulSoup, rules: ArticleRules) -> str:
    assert rules.body
    if rules.drop:
        for element in doc.select(rules.drop):
            element.decompose()
    paragraphs = []
    for container in doc.select(rules.body):
        blocks = [b for b in container.find_all(_BLOCKS) if not b.find(_BLOCKS)] or [container]
        paragraphs += [text for b in blocks if (text := _clean(b.get_text(" ")))]
    return "\n".join(dict.fromkeys(paragraphs))


def _published(doc: BeautifulSoup, rules: ArticleRules) -> str | None:
    element = doc.select_one(rules.date) if rules.date else None
    if element is None:
        return None
    raw = element.get(rules.date_attr) if rules.date_attr else element.get_text(" ")
    found = find_date(raw, rules.date_format) if isinstance(raw, str) else None
    return found.isoformat() if found else None


def _with_title(title: str | None, body: str) -> str:
    return f"{title}\n{body}" if title and body and body.split("\n", 1)[0] != title else body


def read_article(html: str, url: str, rules: ArticleRules) -> Page:
    doc = soup(html)
    title, published, author = _text(doc, rules.title), _published(doc, rules), _text(doc, rules.author)
    if rules.body is None:
        page = parse_html(html, url)
        title, published = title or page.title, published or page.published
        body, missing = page.text, None if page.text else "no main text found"
    else:
        body = _body(doc, rules)
        missing = None if body else f"no article body: {rules.body!r} matched no text"
        title = title or _text(doc, "h1") or _text(doc, "title")
        if body and not published:
            published = htmldate_find(html, url=url, **_DATE_PARAMS)  # as ingest dates pages
    return Page(title, published, author, _with_title(title, body) if body else "", missing)
