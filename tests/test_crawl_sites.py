"""Every site definition crawls a local copy of its site (listings, pagination, feeds, sitemaps)."""

import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sites.server import NewsSite, Reply, Server, served_once

from pipeline.ingest.readers import url_id
from scrapers.crawl import Crawler, Limits, Summary
from scrapers.engine import Policy
from scrapers.sites import Site, all_sites, load_site

DEFINED = [site.name for site in all_sites() if not site.generic]
NOT_BODY = ("Tin liên quan", "Xem thêm", "Tin cùng chuyên mục", "Đọc thêm", "Ảnh minh họa", "Trang chủ", "Bản quyền")


def crawl(site: Site, out: Path, limits: Limits | None = None, **policy: object) -> Summary:
    settings = {"polite": False, "concurrency": 4, "backoff": 0.01, "timeout": 2.0, **policy}
    return Crawler(site, out, Policy.configured("crawl-tests@example.org", **settings), limits).run()


def articles(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "articles.jsonl").open(encoding="utf-8")]


def test_at_least_eight_real_sources_are_defined() -> None:
    assert len(DEFINED) >= 8
    methods = {m for site in all_sites() for m in site.methods()}
    assert {"listing", "rss", "sitemap"} <= methods


@pytest.mark.parametrize("name", DEFINED)
def test_definition_reads_every_article_of_its_site(name: str, tmp_path: Path) -> None:
    with Server() as server:
        site = load_site(name, server.base)
        news = NewsSite(server, site)
        summary = crawl(site, tmp_path)
    records = {urlsplit(r["url"]).path: r for r in articles(tmp_path)}
    assert set(records) == news.paths()
    for story in news.stories:
        record = records[story.path]
        assert record["doc_id"] == url_id(record["url"])
        assert record["title"] == story.title
        assert record["published"] == story.published.date().isoformat()
        assert record["author"] == story.author or site.article.author is None
        assert record["text"].startswith(story.title + "\n")
        assert all(p in record["text"] for p in story.paragraphs)
        assert not any(junk in record["text"] for junk in NOT_BODY)
    assert served_once(server, news.paths())
    assert news.discovery <= set(server.served()), "every listing page, feed and sitemap was read"
    assert set(summary.hosts) == {urlsplit(server.base).netloc}  # absolute links to the real host were kept local
    assert summary.finished and summary.errors == 0 and summary.articles == len(news.stories)


def test_generic_mode_needs_only_a_url(tmp_path: Path) -> None:
    """No definition: sitemaps from robots.txt and the Atom feed announced by the home page."""
    with Server() as server:
        site = load_site(server.base)
        news = NewsSite(server, site, markup="baoquangninh")
        by_sitemap, by_feed = news.stories[:3], news.stories[3:]
        server.routes["/robots.txt"] = Reply(body=f"User-agent: *\nSitemap: {server.base}/news.xml\n".encode(),
                                             content_type="text/plain")
        server.routes["/news.xml"] = Reply(body=news.urlset(by_sitemap).encode(), content_type="text/xml")
        server.routes["/"] = Reply(body=b'<html><head><link rel="alternate" type="application/atom+xml" '
                                        b'href="/feed.atom"></head><body>Trang chu</body></html>')
        entries = "".join(f'<entry><title>{s.title}</title><link rel="alternate" href="{s.path}"/>'
                          f"<published>{s.published:%Y-%m-%dT%H:%M:%S}+07:00</published></entry>" for s in by_feed)
        server.routes["/feed.atom"] = Reply(body=f'<feed xmlns="http://www.w3.org/2005/Atom">{entries}</feed>'.encode(),
                                            content_type="application/atom+xml")
        crawl(site, tmp_path)
    records = {urlsplit(r["url"]).path: r for r in articles(tmp_path)}
    assert set(records) == news.paths()
    for story in news.stories:
        assert records[story.path]["title"] == story.title
        assert records[story.path]["published"] == story.published.date().isoformat()
        assert all(p in records[story.path]["text"] for p in story.paragraphs)
        assert "Tin đọc nhiều" not in records[story.path]["text"]


def test_one_line_definition_is_generic() -> None:
    site = load_site("baoquangninh")
    assert site.generic and site.base_url == "https://baoquangninh.vn"

