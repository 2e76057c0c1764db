"""Where articles are found: listing pages, RSS/Atom feeds, sitemaps; all as canonical URLs.

One article is linked in many ways (tracking parameters, fragments, host case), so every
URL is canonicalised before it reaches the frontier and is fetched once.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from functools import cache
from typing import TYPE_CHECKING, Literal
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

from bs4 import BeautifulSoup, Tag
from lxml import etree

from pipeline.ingest import iso_date
from pipeline.resources import read_toml

if TYPE_CHECKING:
    from scrapers.sites import Site

Kind = Literal["home", "listing", "xml", "article"]  # xml: a feed or a sitemap, told apart by its root
_DEFAULT_PORTS = {"http": ":80", "https": ":443"}
_SAFE = "/%:@!$&'()*+,;=-._~"
# strptime codes a site's date_format may use, and what each matches in running text
DATE_CODES = {"d": r"\d{1,2}", "m": r"\d{1,2}", "Y": r"\d{4}", "y": r"\d{2}", "H": r"\d{1,2}", "M": r"\d{1,2}",
              "S": r"\d{1,2}", "p": "[AaPp][Mm]"}
_DAY_FIRST = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")


@dataclass(frozen=True, slots=True)
class Link:
    url: str
    kind: Kind
    published: date | None = None  # when the source says the article appeared
    modified: date | None = None  # sitemap lastmod: an upper bound on the content's age


@dataclass(frozen=True, slots=True)
class Bounds:
    since: date | None = None
    until: date | None = None

    def admits(self, published: date | None, modified: date | None = None) -> bool:
        """False only when the dates prove the page is outside the bounds."""
        if published:
            return (self.since is None or published >= self.since) and (self.until is None or published <= self.until)
        return not (modified and self.since and modified < self.since)


@cache
def _drop_params() -> tuple[str, ...]:
    return tuple(read_toml("config", "crawl.toml")["urls"]["drop_params"])


def canonicalise(url: str) -> str:
    """One spelling per page: lower-case scheme and host, no default port, fragment or tracking."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    netloc = parts.netloc.lower().removesuffix(_DEFAULT_PORTS.get(scheme, "\0"))
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                   if not any(fnmatch.fnmatchcase(k.lower(), p) for p in _drop_params()))
    path = re.sub(r"%[0-9a-f]{2}", lambda m: m.group().upper(), quote(parts.path or "/", safe=_SAFE))
    return parts._replace(scheme=scheme, netloc=netloc, path=path, query=urlencode(query), fragment="").geturl()


def parse_when(text: str | None) -> date | None:
    """A date from ISO 8601, RFC 822 (RSS) or Vietnamese day-first writing."""
    if not text or not (text := text.strip()):
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        pass
    found = iso_date(text)
    return date.fromisoformat(found) if found else None


def date_pattern(fmt: str) -> re.Pattern[str]:
    """A regex finding text written in strptime format `fmt` in running text; one named group per code.

    Spaces in the format match any run of spaces (or none), so "12/05/2025-08:30" is read
    with "%d/%m/%Y - %H:%M". Raises KeyError for a code not in DATE_CODES.
    """
    pattern = []
    for part in re.split(r"(%.)", fmt):
        if part == "%%":
            pattern.append("%")
        elif len(part) == 2 and part.startswith("%"):
            pattern.append(f"(?P<{part[1]}>{DATE_CODES[part[1]]})")
        else:
            pattern.append(r"\s*".join(map(re.escape, re.split(r"\s+", part))))
    return re.compile("".join(pattern))


def find_date(text: str, fmt: str | None = None) -> date | None:
    """The first date in `text`, as `fmt` writes it, else ISO, RFC 822 or day-first."""
    if fmt is None and (found := parse_when(text)):
        return found
    for candidate in (fmt,) if fmt else _DAY_FIRST:
        for match in date_pattern(candidate).finditer(text):
            parts = match.groupdict()
            year = int(parts["Y"]) if parts.get("Y") else 2000 + int(parts["y"])
            try:
                return date(year, int(parts["m"]), int(parts["d"]))
            except ValueError:
                continue
    return None


def _is_article(site: Site, url: str) -> bool:
    pattern = site.article.url_pattern
    return pattern is None or bool(pattern.search(url))


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _child(element: etree._Element, *names: str) -> etree._Element | None:
    """The first descendant with one of these local names (any namespace), in the order given."""
    for name in names:
        for found in element.iter(f"{{*}}{name}"):
            return found
    return None


def _text(element: etree._Element, *names: str) -> str | None:
    found = _child(element, *names)
    return found.text.strip() if found is not None and found.text else None


def _feed_link(item: etree._Element) -> str | None:
    for link in item.iter("{*}link"):
        if link.get("href") and link.get("rel", "alternate") == "alternate":
            return link.get("href")
        if link.text and link.text.strip():
            return link.text.strip()
    return item.get("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about")


def parse_xml(data: bytes, page_url: str, site: Site) -> list[Link]:
    """Links of a sitemap index, a sitemap (news extension included), an RSS, RDF or Atom feed."""
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=True)
    root = etree.fromstring(data.lstrip(), parser)
    if root is None:
        return []
    kind = _local(root)
    links: list[Link] = []
    if kind in ("sitemapindex", "urlset"):
        for entry in root.iter("{*}sitemap", "{*}url"):
            loc = _text(entry, "loc")
            url = site.url(loc, page_url) if loc else None
            modified = parse_when(_text(entry, "lastmod"))
            if url and _local(entry) == "sitemap":
                links.append(Link(url, "xml", modified=modified))
            elif url and _is_article(site, url):
                links.append(Link(url, "article", parse_when(_text(entry, "publication_date")), modified))
    else:
        for item in (e for e in root.iter() if _local(e) in ("item", "entry")):
            href = _feed_link(item)
            url = site.url(href, page_url) if href else None
            if url and _is_article(site, url):
                published = parse_when(_text(item, "pubDate", "published", "date", "issued"))
                links.append(Link(url, "article", published, parse_when(_text(item, "updated"))))
    return links


def soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "lxml")


def _href(element: Tag) -> str | None:
    anchor = element if element.name == "a" else element.find("a", href=True)
    href = anchor.get("href") if isinstance(anchor, Tag) else None
    return href if isinstance(href, str) else None


def parse_listing(html: str, page_url: str, site: Site, page: int) -> tuple[list[Link], str | None]:
    """Article links of a listing page and the URL of its next page, if there is one to follow."""
    assert site.listing is not None
    rules, doc = site.listing, soup(html)
    links = []
    for element in doc.select(rules.links):
        url = (href := _href(element)) and site.url(href, page_url)
        if url and _is_article(site, url):
            links.append(Link(url, "article"))
    following = None
    if page < rules.max_pages:
        if rules.next and (anchor := doc.select_one(rules.next)) and (href := _href(anchor)):
            following = site.url(href, page_url)
        elif rules.page_url:
            following = site.url(rules.page_url.format(n=page + 1), page_url)
    return list(dict.fromkeys(links)), following if following != page_url else None


def parse_home(html: str, page_url: str, site: Site) -> list[Link]:
    """The feeds a home page announces with <link rel="alternate">, for generic crawls."""
    selector = 'link[rel~="alternate"][type*="rss"], link[rel~="alternate"][type*="atom"]'
    found = (site.url(link["href"], page_url) for link in soup(html).select(selector) if link.get("href"))
    return [Link(url, "xml") for url in dict.fromkeys(found) if url]
