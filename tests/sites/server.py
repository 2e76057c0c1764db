"""Local news sites on 127.0.0.1 for the crawl tests.

`NewsSite` serves the pages a site definition expects (listing pages with their pagination,
articles, RSS feeds, a sitemap index of gzipped sitemaps, robots.txt) using the markup of
`tests/sites/<name>.toml`, written after the real site. `Server` is the HTTP side: routes,
faults (delays, cut bodies, huge bodies, status codes), ETag/304, and a log of every request
with its timing so tests can measure rates and concurrency.
"""

from __future__ import annotations

import gzip
import hashlib
import select
import socket
import threading
import time
import tomllib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urljoin
from xml.sax.saxutils import escape

from scrapers.sites import Site

HERE = Path(__file__).parent
SENTENCES = [
    "Ngày {day}/{month}, Công an huyện Thạch Thành, tỉnh Thanh Hóa bắt giữ {n} đối tượng mua bán trái phép "
    "chất ma túy.",
    "Khoảng {n}00 công nhân Công ty TNHH Minh An (KCN Quế Võ, tỉnh Bắc Ninh) ngừng việc tập thể, đề nghị tăng lương.",
    "Cơ quan điều tra đã thu giữ {n} bánh heroin cùng nhiều tang vật liên quan.",
    "Vụ việc đang được cơ quan chức năng tiếp tục điều tra, làm rõ.",
]


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # before the status line: a slow server, or a timeout
    cut: int | None = None  # close after this many body bytes, Content-Length promising all of them
    filler: int = 0  # stream this many bytes without Content-Length instead of `body`


Route = Reply | Callable[[int], Reply]  # a reply, or one chosen by how often the path was asked before


@dataclass
class Hit:
    path: str
    headers: dict[str, str]
    start: float
    end: float
    status: int


class Server:
    def __init__(self, latency: float = 0.0) -> None:
        self.latency = latency  # added to every reply: a distant server, so that requests overlap
        self.routes: dict[str, Route] = {}
        self.hits: list[Hit] = []
        self.asked: Counter[str] = Counter()
        self.in_flight = self.max_in_flight = 0
        self.lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self) -> Server:
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def served(self, prefix: str = "/", status: int | None = 200) -> list[str]:
        return [h.path for h in self.hits if h.path.startswith(prefix) and status in (None, h.status)]

    def _reply(self, path: str, headers: dict[str, str]) -> Reply:
        with self.lock:
            count = self.asked[path]
            self.asked[path] += 1
        route = self.routes.get(path, Reply(404, b"<html><body>Not found</body></html>"))
        reply = route(count) if callable(route) else route
        etag = f'"{hashlib.sha1(reply.body).hexdigest()[:16]}"'
        if reply.status == 200 and reply.body:
            reply.headers = {"ETag": etag, "Last-Modified": "Mon, 05 May 2025 08:00:00 GMT", **reply.headers}
            if headers.get("if-none-match") == etag:
                return Reply(304, content_type="", headers={"ETag": etag})
        return reply


def _handler(server: Server) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            start = time.monotonic()
            with server.lock:
                server.in_flight += 1
                server.max_in_flight = max(server.max_in_flight, server.in_flight)
            headers = {k.lower(): v for k, v in self.headers.items()}
            reply = server._reply(self.path, headers)
            try:
                if not self._wait(reply.delay + server.latency):
                    reply.status = 0  # the client gave up waiting
                    return
                self.send_response(reply.status)
                if reply.content_type:
                    self.send_header("Content-Type", reply.content_type)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                if not reply.filler:
                    self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                if reply.filler:
                    chunk = b"<p>" + b"x" * 65_530 + b"</p>"
                    for _ in range(reply.filler // len(chunk)):
                        self.wfile.write(chunk)
                else:
                    self.wfile.write(reply.body[: reply.cut])
            except (BrokenPipeError, ConnectionResetError):  # the crawler hung up: the point of some tests
                pass
            finally:
                with server.lock:
                    server.in_flight -= 1
                    server.hits.append(Hit(self.path, headers, start, time.monotonic(), reply.status))

        def _wait(self, seconds: float) -> bool:
            """Sleep, but notice a client that hung up (as a real server would), so that
            the test counts the requests the crawler really has open."""
            deadline = time.monotonic() + seconds
            while (left := deadline - time.monotonic()) > 0:
                if select.select([self.connection], [], [], min(left, 0.01))[0] \
                        and not self.connection.recv(1, socket.MSG_PEEK):
                    return False
            return True

    return Handler


def html(body: str) -> Reply:
    return Reply(body=body.encode())


def xml(body: str, gz: bool = False) -> Reply:
    data = ('<?xml version="1.0" encoding="UTF-8"?>\n' + body).encode()
    return Reply(body=gzip.compress(data, mtime=0) if gz else data,
                 content_type="application/x-gzip" if gz else "application/xml; charset=utf-8")


@dataclass
class Story:
    id: int
    section: str  # the listing path it is listed under
    path: str
    title: str
    published: datetime
    author: str
    paragraphs: list[str]


class NewsSite:
    """A site as its definition expects it: the definition's own listings, feeds and sitemaps."""

    def __init__(self, server: Server, site: Site, per_listing: int = 6, per_page: int = 3, feed_size: int = 4,
                 markup: str | None = None) -> None:
        self.server, self.site, self.per_page, self.feed_size = server, site, per_page, feed_size
        self.markup = tomllib.loads((HERE / f"{markup or site.name}.toml").read_text(encoding="utf-8"))
        self.stories: list[Story] = []
        sections = site.listings or ("/",)
        for i in range(per_listing * len(sections)):
            self.add(sections[i % len(sections)], publish=False)
        self.publish()

    def add(self, section: str, publish: bool = True) -> Story:
        """A new story, newest of all, and (unless told otherwise) the pages that change with it."""
        n = len(self.stories) + 1
        published = datetime(2025, 5, 1, 6, 0) + timedelta(hours=7 * n)
        slug = f"bat-giu-doi-tuong-so-{n}"
        path = self.markup["article_path"].format(section=section.strip("/"), slug=slug, id=100_000 + n)
        paragraphs = [s.format(day=published.day, month=published.month, n=n) for s in SENTENCES]
        story = Story(n, section, path, f"Bắt giữ đối tượng số {n} tại Thanh Hóa", published, f"Hoàng Văn {n}",
                      paragraphs)
        self.stories.append(story)
        if publish:
            self.publish()
        return story

    def link(self, path: str) -> str:
        """A link as the real site writes it: some sites link with their own absolute host."""
        return f"https://{self.site.hosts[0]}{path}" if self.markup.get("absolute_links") else path

    def publish(self) -> None:
        routes, m = self.server.routes, self.markup
        self.discovery: set[str] = set()  # every listing page, feed and sitemap
        newest = sorted(self.stories, key=lambda s: s.published, reverse=True)
        for section in self.site.listings:
            listed = [s for s in newest if s.section == section]
            pages = [listed[i:i + self.per_page] for i in range(0, len(listed), self.per_page)] or [[]]
            urls = [section] + [urljoin(section, m["page"].format(n=n)) for n in range(2, len(pages) + 1)]
            for n, (url, stories) in enumerate(zip(urls, pages, strict=True)):
                items = "".join(m["item"].format(href=self.link(s.path), title=s.title) for s in stories)
                following = m.get("next", "").format(href=self.link(urls[n + 1])) if n + 1 < len(urls) else ""
                routes[url] = html(m["listing"].format(items=items, next=following))
                self.discovery.add(url)
        for story in self.stories:
            body = "".join(f"<p>{p}</p>" for p in story.paragraphs)
            routes[story.path] = html(m["article"].format(title=story.title, date=story.published,
                                                          author=story.author, body=body))
        for feed in self.site.feeds:
            routes[feed] = xml(self.rss(newest[: self.feed_size]))
            self.discovery.add(feed)
        for index in self.site.sitemaps:
            months = {s.published.strftime("%Y-%m"): s.published for s in reversed(newest)}  # month -> its latest
            children = "".join(f"<sitemap><loc>{self.server.base}/sitemaps/{mo}.xml.gz</loc>"
                               f"<lastmod>{last:%Y-%m-%d}</lastmod></sitemap>" for mo, last in months.items())
            routes[index] = xml(f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{children}'
                                "</sitemapindex>")
            self.discovery |= {index, *(f"/sitemaps/{mo}.xml.gz" for mo in months)}
            for mo in months:
                routes[f"/sitemaps/{mo}.xml.gz"] = xml(self.urlset(s for s in newest if s.published.strftime("%Y-%m")
                                                                   == mo), gz=True)
        routes.setdefault("/robots.txt", Reply(body=b"User-agent: *\nDisallow: /admin/\n", content_type="text/plain"))

    def rss(self, stories: list[Story]) -> str:
        items = "".join(f"<item><title>{escape(s.title)}</title><link>{self.server.base}{s.path}</link>"
                        f"<pubDate>{format_datetime(s.published)} +0700</pubDate></item>" for s in stories)
        return f'<rss version="2.0"><channel><title>{self.site.title}</title>{items}</channel></rss>'

    def urlset(self, stories: object) -> str:
        urls = "".join(f"<url><loc>{self.server.base}{s.path}</loc><lastmod>{s.published:%Y-%m-%dT%H:%M:%S}+07:00"
                       f"</lastmod><news:news><news:publication_date>{s.published:%Y-%m-%dT%H:%M:%S}+07:00"
                       "</news:publication_date></news:news></url>" for s in stories)  # type: ignore[attr-defined]
        return ('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
                f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{urls}</urlset>')

    def paths(self) -> set[str]:
        return {s.path for s in self.stories}


def served_once(server: Server, paths: set[str]) -> bool:
    """Every path was answered with 200 exactly once."""
    counts = Counter(server.served())
    return all(counts[p] == 1 for p in paths)

