"""A crawl killed half way resumes without fetching or writing anything twice; a re-crawl
asks only for what changed; the WARC goes straight into `vnsec extract`."""

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sites.server import NewsSite, Server
from test_crawl_sites import articles, crawl
from warcio.archiveiterator import ArchiveIterator

from pipeline import batch
from pipeline.ingest.readers import CRAWL_KIND
from scrapers.sites import load_site

ROOT = Path(__file__).resolve().parents[1]
WORKERS = 4  # --concurrency 2 gives four workers


def warc_articles(out: Path) -> Counter[str]:
    """Article responses (200) per URL path across every WARC of the crawl."""
    found: Counter[str] = Counter()
    for path in sorted((out / "warc").glob("*.warc.gz")):
        with path.open("rb") as fh:
            for record in ArchiveIterator(fh):
                if record.rec_type == "response" and record.rec_headers.get_header(CRAWL_KIND) == "article" \
                        and record.http_headers.get_statuscode() == "200":
                    found[urlsplit(record.rec_headers.get_header("WARC-Target-URI")).path] += 1
    return found


@pytest.fixture(scope="module")
def killed_and_resumed(tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("resume") / "crawl"
    with Server() as server:
        site = load_site("laodong", server.base)
        news = NewsSite(server, site, per_listing=150, per_page=20, feed_size=10)
        command = [sys.executable, "-m", "pipeline.cli", "crawl", "laodong", "--base-url", server.base, "-o", str(out),
                   "--no-politeness", "--concurrency", "2", "--contact", "crawl-tests@example.org", "--no-progress"]
        child = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while len(set(server.served("/cong-doan/")) | set(server.served("/phap-luat/"))) < 120:
            assert child.poll() is None and time.monotonic() < deadline, "the crawl ended before it could be killed"
            time.sleep(0.01)
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        before = len(articles(out))
        summary = crawl(site, out, concurrency=2)
        fetched = Counter(p for p in server.served() if p in news.paths())
        yield out, server, news, site, before, fetched, summary


def test_resumed_crawl_has_each_article_once(killed_and_resumed) -> None:
    out, _, news, _, before, fetched, summary = killed_and_resumed
    assert 0 < before < len(news.stories) == 300, "killed half way"
    assert summary.resumed and summary.finished
    assert warc_articles(out) == Counter(news.paths()), "every article's response once in the WARC"
    jsonl = [urlsplit(r["url"]).path for r in articles(out)]
    assert sorted(jsonl) == sorted(news.paths()), "and once in the JSONL"
    assert set(fetched) == news.paths()
    refetched = [p for p, n in fetched.items() if n > 1]
    assert len(refetched) <= WORKERS, "only pages in flight at the kill are fetched again"
    assert summary.articles == len(news.stories) - before
    print(f"killed after {before} articles; fetched again: {len(refetched)}")


def test_extract_reads_the_warc_directly(killed_and_resumed) -> None:
    out = killed_and_resumed[0]
    result = batch.run([out / "warc"], out / "records.jsonl")
    records = [json.loads(line) for line in (out / "records.jsonl").open(encoding="utf-8")]
    assert result.errors == 0
    assert sorted(r["doc_id"] for r in records) == sorted(r["doc_id"] for r in articles(out))
    assert result.relevant == len(records), "every story reports an arrest"


def test_recrawl_asks_conditionally_and_fetches_only_new_articles(killed_and_resumed) -> None:
    out, server, news, site, *_ = killed_and_resumed
    first = len(server.hits)
    new = {news.add("/cong-doan").path for _ in range(3)}
    summary = crawl(site, out, concurrency=2)
    hits = server.hits[first:]
    assert {h.path for h in hits if h.path in news.paths()} == new
    asked_again = [h for h in hits if h.path.startswith(("/cong-doan", "/phap-luat", "/rss"))
                   and h.path not in news.paths()]
    assert asked_again and all("if-none-match" in h.headers for h in asked_again)
    assert summary.not_modified >= 1 and "/phap-luat" in {h.path for h in hits if h.status == 304}
    assert len([h for h in asked_again if h.path.startswith("/cong-doan")]) == 2, "stopped at the first known page"
    assert summary.articles == 3 and len(articles(out)) == 303
    assert warc_articles(out) == Counter(news.paths())
    assert sorted(p.name for p in (out / "warc").iterdir()) == ["run-00001-001.warc.gz", "run-00002-001.warc.gz"]
