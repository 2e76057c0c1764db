"""Main text of a news page without its menus, related links, footers and comments."""

from __future__ import annotations

from dataclasses import dataclass

import trafilatura
from bs4 import BeautifulSoup

# htmldate's original (not last-modified) date; the extensive search is slow and mostly finds noise
_DATE_PARAMS = {"original_date": True, "outputformat": "%Y-%m-%d", "extensive_search": False}


@dataclass(slots=True)
class HtmlArticle:
    title: str | None
    text: str  # title on the first line, then the body, as in the shared corpus; "" without a body
    published: str | None


def _fallback(html: str) -> tuple[str | None, str]:
    """Title and paragraphs, for pages trafilatura finds too short or too odd to extract."""
    soup = BeautifulSoup(html, "html.parser")
    head = soup.find("h1") or soup.title
    title = head.get_text(" ", strip=True) if head else None
    paragraphs = (p.get_text(" ", strip=True) for p in soup.find_all("p"))
    return title, "\n".join(p for p in paragraphs if p)


def parse_html(html: str, url: str | None = None) -> HtmlArticle:
    doc = trafilatura.bare_extraction(html, url=url, favor_precision=True, include_comments=False,
                                      with_metadata=True, date_extraction_params=_DATE_PARAMS)
    title, body, published = (doc.title, doc.text or "", doc.date) if doc else (None, "", None)
    if not body.strip():
        fallback_title, body = _fallback(html)
        title = title or fallback_title
    title = title.strip() if title else None
    body = body.strip()
    if title and body and body.split("\n", 1)[0].strip() != title:
        body = f"{title}\n{body}"
    return HtmlArticle(title=title, text=body, published=published)
