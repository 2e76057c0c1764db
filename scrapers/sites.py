"""Sources as data: one TOML file per site under data/sites/, checked when loaded.

A definition names where articles are listed (listing pages, feeds, sitemaps) and how
to read a page (CSS selectors). A site with no discovery section, or any URL with no
definition at all, is crawled generically: sitemaps from robots.txt or /sitemap.xml and
feeds announced by the home page, pages read by trafilatura and htmldate.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import soupsieve

from pipeline.resources import data_path
from scrapers.discovery import canonicalise, date_pattern

_TOP = {"title", "base_url", "hosts", "discovery", "listing", "article"}
_SECTIONS = {
    "discovery": {"listings", "feeds", "sitemaps"},
    "listing": {"links", "next", "page_url", "max_pages"},
    "article": {"url_pattern", "title", "date", "date_attr", "date_format", "author", "body", "drop"},
}
_SELECTORS = {"listing": ("links", "next"), "article": ("title", "date", "author", "body", "drop")}
_XML_PATH = re.compile(r"(\.xml|\.rss|\.atom|\.xml\.gz|/feeds?|/rss)/?$", re.I)


class SiteError(ValueError):
    """A definition that cannot be crawled as written."""


@dataclass(frozen=True, slots=True)
class ListingRules:
    links: str  # anchors (or elements holding one) that lead to articles
    next: str | None = None  # the "next page" anchor
    page_url: str | None = None  # or a page URL template with {n}, for script-driven pagination
    max_pages: int = 50


@dataclass(frozen=True, slots=True)
class ArticleRules:
    url_pattern: re.Pattern[str] | None = None
    title: str | None = None
    date: str | None = None
    date_attr: str | None = None  # read the date from this attribute instead of the text
    date_format: str | None = None  # strptime format of the date as the page writes it
    author: str | None = None
    body: str | None = None  # without it, the main text is found by trafilatura
    drop: str | None = None  # removed from the body first: related links, captions, ads


@dataclass(frozen=True, slots=True)
class Site:
    name: str
    base_url: str
    title: str = ""
    hosts: tuple[str, ...] = ()  # host names of the real site; links to them stay inside the crawl
    listings: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()  # feeds and sitemaps are read by one parser; kept apart for `vnsec sites`
    listing: ListingRules | None = None
    article: ArticleRules = field(default_factory=ArticleRules)

    @property
    def generic(self) -> bool:
        return not (self.listings or self.feeds or self.sitemaps)

    def methods(self) -> list[str]:
        found = [name for name, urls in (("listing", self.listings), ("rss", self.feeds), ("sitemap", self.sitemaps))
                 if urls]
        return found or ["generic: robots.txt sitemaps, /sitemap.xml, home-page feeds"]

    def url(self, href: str, page: str | None = None) -> str | None:
        """The canonical absolute URL of a link, moved to the base URL; None when it leaves the site."""
        try:
            absolute = urljoin(page or self.base_url + "/", href.strip())
            parts = urlsplit(absolute)
        except ValueError:  # "http://[broken": one bad link, not a bad page
            return None
        if parts.scheme not in ("http", "https"):
            return None
        base = urlsplit(self.base_url)
        if parts.netloc.lower() == base.netloc.lower():
            return canonicalise(absolute)
        if (parts.hostname or "") in self.hosts:  # an absolute link to the real host while testing elsewhere
            return canonicalise(parts._replace(scheme=base.scheme, netloc=base.netloc).geturl())
        return None

    def rebase(self, base_url: str) -> Site:
        """The same site served from elsewhere (a mirror, a local test server)."""
        return replace(self, base_url=_base(base_url))


def _base(url: str) -> str:
    parts = urlsplit(url if "://" in url else f"https://{url}")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SiteError(f"not an http(s) URL: {url!r}")
    return f"{parts.scheme}://{parts.netloc.lower()}"


def _hosts(base_url: str, given: list[str] | None) -> tuple[str, ...]:
    host = urlsplit(base_url).hostname or ""
    bare = host.removeprefix("www.")
    return tuple(dict.fromkeys([*(given or []), bare, f"www.{bare}"]))


def _check_keys(where: str, table: dict[str, Any], allowed: set[str]) -> None:
    if unknown := sorted(set(table) - allowed):
        raise SiteError(f"{where}: unknown key(s) {', '.join(unknown)}; expected some of {', '.join(sorted(allowed))}")


def _checked(path: Path, raw: dict[str, Any]) -> dict[str, Any]:
    """The raw tables after every selector, pattern and format was tried once."""
    _check_keys(str(path), raw, _TOP)
    if "base_url" not in raw:
        raise SiteError(f"{path}: base_url is required")
    try:
        _base(raw["base_url"])
    except SiteError as exc:
        raise SiteError(f"{path}: {exc}") from None
    for section, allowed in _SECTIONS.items():
        table = raw.get(section, {})
        if not isinstance(table, dict):
            raise SiteError(f"{path}: [{section}] must be a table")
        _check_keys(f"{path} [{section}]", table, allowed)
        for key in _SELECTORS.get(section, ()):
            if key in table:
                try:
                    soupsieve.compile(table[key])
                except Exception as exc:
                    raise SiteError(f"{path} [{section}] {key}: bad CSS selector {table[key]!r}: {exc}") from exc
    if pattern := raw.get("article", {}).get("url_pattern"):
        try:
            re.compile(pattern)
        except re.error as exc:
            raise SiteError(f"{path} [article] url_pattern: {exc}") from exc
    if fmt := raw.get("article", {}).get("date_format"):
        try:
            groups = set(date_pattern(fmt).groupindex)
        except (KeyError, re.error) as exc:
            raise SiteError(f"{path} [article] date_format {fmt!r}: unsupported code {exc}") from exc
        if not {"d", "m"} <= groups or not groups & {"Y", "y"}:
            raise SiteError(f"{path} [article] date_format {fmt!r} needs %d, %m and %Y or %y")
    listing = raw.get("listing", {})
    if raw.get("discovery", {}).get("listings") and "links" not in listing:
        raise SiteError(f"{path}: listing pages need a [listing] links selector")
    if listing.get("page_url") and "{n}" not in listing["page_url"]:
        raise SiteError(f"{path} [listing] page_url must contain {{n}}")
    return raw


def load_file(path: Path) -> Site:
    try:
        raw = _checked(path, tomllib.loads(path.read_text(encoding="utf-8")))
    except tomllib.TOMLDecodeError as exc:
        raise SiteError(f"{path}: {exc}") from exc
    base = _base(raw["base_url"])
    discovery, article = raw.get("discovery", {}), raw.get("article", {})
    pattern = article.get("url_pattern")
    return Site(
        name=path.stem, base_url=base, title=raw.get("title", ""), hosts=_hosts(base, raw.get("hosts")),
        listings=tuple(discovery.get("listings", ())), feeds=tuple(discovery.get("feeds", ())),
        sitemaps=tuple(discovery.get("sitemaps", ())),
        listing=ListingRules(**raw["listing"]) if raw.get("listing") else None,
        article=ArticleRules(**{**article, "url_pattern": re.compile(pattern) if pattern else None}),
    )


def sites_dir() -> Path:
    return data_path("sites")


def all_sites() -> list[Site]:
    return [load_file(path) for path in sorted(sites_dir().glob("*.toml"))]


def load_site(spec: str, base_url: str | None = None) -> Site:
    """A site by definition name, definition file, or URL (its definition if one claims the host)."""
    path = Path(spec)
    if path.suffix == ".toml" and path.is_file():
        site = load_file(path)
    elif (named := sites_dir() / f"{spec}.toml").is_file():
        site = load_file(named)
    elif "." in spec or "://" in spec:
        base = _base(spec)
        host = urlsplit(base).hostname or ""
        site = next((s for s in all_sites() if host in s.hosts), None) or Site(
            name=host, base_url=base, hosts=_hosts(base, None),
            feeds=(spec,) if _XML_PATH.search(urlsplit(spec).path) else ())
    else:
        known = ", ".join(p.stem for p in sorted(sites_dir().glob("*.toml")))
        raise SiteError(f"no site definition {spec!r} (known: {known}); give a URL to crawl generically")
    return site.rebase(base_url) if base_url else site
