"""Flaky and hostile servers: each fault is logged, the crawl goes on, nothing fetched is lost."""

import gzip
import json
import logging
from pathlib import Path

import pytest
from sites.server import Reply, Server, html
from test_crawl_sites import articles, crawl
from test_ingest import cp1258
from warcio.archiveiterator import ArchiveIterator

from pipeline.document import Article
from pipeline.ingest import read_articles
from scrapers.sites import load_file

RATE, CONCURRENCY = 20.0, 2
DEFINITION = """title = "Fault site"
base_url = "{base}"
[discovery]
listings = ["/tin"]
[listing]
links = "ul.tin a"
[article]
url_pattern = '/bai/'
title = "h1"
date = "time"
date_attr = "datetime"
body = "div.noi-dung"
"""


def page(name: str, charset: str = "utf-8") -> str:
    return (f'<html><head><meta charset="{charset}"><title>{name}</title></head><body><h1>Bài {name}</h1>'
            f'<time datetime="2025-05-06T08:00:00+07:00">6/5/2025</time><div class="noi-dung">'
            f"<p>Công an tỉnh Đắk Lắk khởi tố {len(name)} bị can về tội đánh bạc ({name}).</p></div></body></html>")


def once(fault: Reply, name: str) -> object:
    return lambda n: fault if n == 0 else html(page(name))


GOOD = ["ok-1", "ok-2", "ok-3", "429", "burst500", "slow", "timeout", "cut-once", "cp1258", "moved", "gzip"]
BAD = {  # article -> what the crawl must say about it, in the log and in errors.jsonl
    "always500": "given up after 3 attempts: 500",
    "cut": "connection cut",
    "loop": "redirect loop",
    "huge": "over the 10,000,000-byte limit",
    "empty": "no article body",
    "pdf": "content type 'application/pdf'",
}


def fault_site(server: Server) -> None:
    routes = server.routes
    links = [*GOOD, *BAD, "hidden"]
    routes["/tin"] = html("<ul class='tin'>" + "".join(
        f"<li><a href='{'/private' if name == 'hidden' else ''}/bai/{name}'>{name}</a></li>" for name in links)
        + "</ul>")
    routes["/robots.txt"] = Reply(body=b"User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    for name in GOOD:
        routes[f"/bai/{name}"] = html(page(name))
    routes["/bai/429"] = once(Reply(429, b"slow down", headers={"Retry-After": "1"}), "429")
    routes["/bai/burst500"] = lambda n: Reply(500, b"oops") if n < 2 else html(page("burst500"))
    routes["/bai/slow"] = Reply(body=page("slow").encode(), delay=0.3)
    routes["/bai/timeout"] = once(Reply(body=page("timeout").encode(), delay=1.5), "timeout")
    routes["/bai/cut-once"] = once(Reply(body=page("cut-once").encode(), cut=120), "cut-once")
    routes["/bai/cp1258"] = Reply(body=cp1258(page("cp1258", charset="utf-8")))  # the header says utf-8 too
    routes["/bai/gzip"] = Reply(body=gzip.compress(page("gzip").encode()), headers={"Content-Encoding": "gzip"})
    routes["/bai/moved"] = Reply(301, headers={"Location": "/bai/moved-here"})
    routes["/bai/moved-here"] = html(page("moved"))
    routes["/bai/always500"] = Reply(500, b"down")
    routes["/bai/cut"] = Reply(body=page("cut").encode(), cut=100)
    routes["/bai/loop"] = Reply(302, headers={"Location": "/bai/loop-2"})
    routes["/bai/loop-2"] = Reply(302, headers={"Location": "/bai/loop"})
    routes["/bai/huge"] = Reply(filler=20_000_000)
    routes["/bai/empty"] = html("<html><body><h1>Trang không tồn tại</h1><p>Bài viết đã bị gỡ.</p></body></html>")
    routes["/bai/pdf"] = Reply(body=b"%PDF-1.4", content_type="application/pdf")


def max_per_second(starts: list[float]) -> int:
    return max(sum(t <= u < t + 1 for u in starts) for t in starts)


@pytest.fixture(scope="module")
def faulty(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Server, str]:
    out = tmp_path_factory.mktemp("faults")
    handler, logger = _Collect(), logging.getLogger("scrapers")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        with Server() as server:
            fault_site(server)
            definition = out / "faults.toml"
            definition.write_text(DEFINITION.format(base=server.base), encoding="utf-8")
            summary = crawl(load_file(definition), out / "crawl", polite=True, rate=RATE, concurrency=CONCURRENCY,
                            retries=2, backoff=0.05, timeout=0.5)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(logging.NOTSET)
    assert summary.finished
    return out / "crawl", server, "\n".join(handler.lines)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def test_transient_faults_are_retried_and_the_articles_kept(faulty: tuple[Path, Server, str]) -> None:
    out, _, log = faulty
    titles = {r["title"] for r in articles(out)}
    assert titles == {f"Bài {name}" for name in GOOD}
    assert "429 Too Many Requests; retry 1/2 in 1.0 s" in log
    assert "500 Internal Server Error; retry 2/2" in log
    assert "timed out" in log and "connection cut" in log


def test_lasting_faults_end_with_a_clear_line_and_an_error_entry(faulty: tuple[Path, Server, str]) -> None:
    out, server, log = faulty
    errors = {e["url"].rsplit("/", 1)[1]: e["reason"] for e in map(json.loads, (out / "errors.jsonl").open())}
    assert set(errors) == {*BAD, "hidden"}
    for name, said in {**BAD, "hidden": "disallowed by robots.txt"}.items():
        assert said in errors[name]
        assert any(said in line and name in line for line in log.splitlines()), f"no log line for {name}"
    assert not server.served("/private", status=None), "robots.txt was obeyed"


def test_wrong_charset_header_is_decoded_as_windows_1258(faulty: tuple[Path, Server, str]) -> None:
    out, _, log = faulty
    record = next(r for r in articles(out) if r["title"] == "Bài cp1258")
    assert "Công an tỉnh Đắk Lắk khởi tố 6 bị can về tội đánh bạc" in record["text"]
    assert "not valid UTF-8, decoded as cp1258 (header said utf-8)" in log


def test_retry_after_pauses_the_host_and_politeness_holds(faulty: tuple[Path, Server, str]) -> None:
    _, server, _ = faulty
    refused = next(h for h in server.hits if h.status == 429)
    after = [h.start for h in server.hits if h.start > refused.end]
    assert min(after) - refused.end >= 0.9, "Retry-After: 1 held every request to the host back"
    assert max_per_second([h.start for h in server.hits]) <= RATE + 1
    assert server.max_in_flight <= CONCURRENCY


def test_the_warc_holds_every_article_for_ingest(faulty: tuple[Path, Server, str]) -> None:
    out, _, _ = faulty
    found = list(read_articles([out / "warc"]))
    read = {a.doc_id for a in found if isinstance(a, Article)}
    assert read == {r["doc_id"] for r in articles(out)} | {_doc_id(out, "empty")}
    assert not [p for p in found if not isinstance(p, Article) and p.severity == "error"]


def test_the_warc_keeps_the_bytes_the_server_sent(faulty: tuple[Path, Server, str]) -> None:
    out, server, _ = faulty
    sent = server.routes["/bai/gzip"].body  # type: ignore[union-attr]
    with next((out / "warc").iterdir()).open("rb") as fh:
        stored = next(r.raw_stream.read() for r in ArchiveIterator(fh)
                      if r.rec_type == "response" and r.rec_headers.get_header("WARC-Target-URI").endswith("/gzip"))
    assert stored == sent, "content coding kept: the archive is what came over the wire"


def _doc_id(out: Path, name: str) -> str:
    from pipeline.ingest.readers import url_id

    url = next(e["url"] for e in map(json.loads, (out / "errors.jsonl").open()) if e["url"].endswith(name))
    return url_id(url)

