"""Politeness measured at the server: requests per second and in flight per host, Crawl-delay,
and the date and count bounds that keep a crawl from fetching more than asked."""

from datetime import date
from itertools import pairwise
from pathlib import Path
from urllib.parse import urlsplit

from sites.server import NewsSite, Reply, Server
from test_crawl_faults import max_per_second
from test_crawl_sites import articles, crawl

from scrapers.crawl import Limits
from scrapers.sites import load_site


def test_rate_and_concurrency_per_host_are_kept(tmp_path: Path) -> None:
    with Server(latency=0.15) as server:
        site = load_site("cand", server.base)
        NewsSite(server, site, per_listing=5)
        summary = crawl(site, tmp_path, polite=True, rate=10.0, concurrency=2)
    starts = sorted(h.start for h in server.hits)
    assert max_per_second(starts) <= 11
    assert server.max_in_flight == 2, "the limit is used and never exceeded"
    assert 6 <= (len(starts) - 1) / (starts[-1] - starts[0]) <= 10.5
    assert summary.hosts[urlsplit(server.base).netloc].max_in_flight <= 2


def test_crawl_delay_slows_the_host_down(tmp_path: Path) -> None:
    with Server() as server:
        site = load_site("nld", server.base)
        news = NewsSite(server, site, per_listing=3)
        server.routes["/robots.txt"] = Reply(body=b"User-agent: *\nCrawl-delay: 0.25\n", content_type="text/plain")
        crawl(site, tmp_path, polite=True, rate=50.0)
    starts = sorted(h.start for h in server.hits)
    assert len(starts) >= 8 and len(articles(tmp_path)) == len(news.stories)
    # the crawler spaces its requests by their start; the server sees each a little later, by
    # as much as a new connection takes, so single gaps are judged with that slack
    gaps = [b - a for a, b in pairwise(starts)]
    assert min(gaps) >= 0.15
    assert sum(gaps) / len(gaps) >= 0.245


def test_feed_and_sitemap_dates_bound_what_is_fetched(tmp_path: Path) -> None:
    with Server() as server:
        site = load_site("nld", server.base)
        news = NewsSite(server, site)  # six stories from 1 to 3 May 2025
        crawl(site, tmp_path, Limits(since=date(2025, 5, 2), until=date(2025, 5, 2)))
    inside = {s.path for s in news.stories if s.published.date() == date(2025, 5, 2)}
    assert {urlsplit(r["url"]).path for r in articles(tmp_path)} == inside
    assert {p for p in server.served() if p in news.paths()} == inside, "dated links outside are never fetched"


def test_undated_listing_stops_paging_past_since(tmp_path: Path) -> None:
    with Server() as server:
        site = load_site("congan_quangninh", server.base)
        news = NewsSite(server, site, per_listing=12)  # four pages of three per listing, 1 to 8 May 2025
        summary = crawl(site, tmp_path, Limits(since=date(2025, 5, 7)))
    inside = {s.path for s in news.stories if s.published.date() >= date(2025, 5, 7)}
    assert {urlsplit(r["url"]).path for r in articles(tmp_path)} == inside
    assert summary.out_of_range == 2 * 2 * 3 - len(inside)  # the older ones of pages 1 and 2 of both listings
    assert not [p for p in server.served() if p.endswith(("?page=3", "?page=4"))]


def test_max_pages_bounds_a_run_and_the_next_run_goes_on(tmp_path: Path) -> None:
    with Server() as server:
        site = load_site("laodong", server.base)
        news = NewsSite(server, site)
        first = crawl(site, tmp_path, Limits(max_pages=5))
        assert first.pages == 5 and first.finished
        second = crawl(site, tmp_path)
    assert sorted(urlsplit(r["url"]).path for r in articles(tmp_path)) == sorted(news.paths())
    assert first.articles + second.articles == len(news.stories)
