"""The crawl's small parts: URL canonical forms, dates, site validation, limits, the CLI."""

import gzip
import random
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sites.server import NewsSite, Server
from typer.testing import CliRunner
from warcio.archiveiterator import ArchiveIterator

from pipeline.cli import app
from scrapers.archive import Archive
from scrapers.discovery import Bounds, canonicalise, find_date, parse_xml
from scrapers.engine import Exchange, Fault, Policy, _retry_after, inflate
from scrapers.sites import SiteError, load_file, load_site
from scrapers.state import Run


def test_one_article_is_one_url_however_linked() -> None:
    variants = ["HTTP://LaoDong.vn:80/phap-luat/bai-1.ldo?utm_source=zalo&zarsrc=1#binh-luan",
                "http://laodong.vn/phap-luat/bai-1.ldo", "http://laodong.vn/phap-luat/bai-1.ldo?fbclid=x"]
    assert {canonicalise(v) for v in variants} == {"http://laodong.vn/phap-luat/bai-1.ldo"}
    assert canonicalise("https://x.vn/tin?b=2&a=1") == canonicalise("https://x.vn/tin?a=1&b=2")
    assert canonicalise("https://x.vn/tin-tức") == canonicalise("https://x.vn/tin-t%e1%bb%a9c")
    assert canonicalise("https://x.vn/tin?page=2") != canonicalise("https://x.vn/tin?page=3")


@pytest.mark.parametrize(("text", "fmt", "expected"), [
    ("Thứ Hai, 12/05/2025 - 08:30 (GMT+7)", "%d/%m/%Y - %H:%M", date(2025, 5, 12)),
    ("Cập nhật 08:30 ngày 2-5-2025", "%H:%M ngày %d-%m-%Y", date(2025, 5, 2)),
    ("Mon, 12 May 2025 08:30:00 +0700", None, date(2025, 5, 12)),
    ("2025-05-12T08:30:00Z", None, date(2025, 5, 12)),
    ("Ngày đăng: 31/02/2025, sửa 01/03/2025", None, date(2025, 3, 1)),
    ("không có ngày", None, None),
])
def test_dates_as_sites_write_them(text: str, fmt: str | None, expected: date | None) -> None:
    assert find_date(text, fmt) == expected


def test_bounds_skip_only_what_the_dates_prove_outside() -> None:
    bounds = Bounds(date(2025, 5, 1), date(2025, 5, 31))
    assert bounds.admits(date(2025, 5, 1)) and not bounds.admits(date(2025, 6, 1))
    assert bounds.admits(None) and not bounds.admits(None, modified=date(2025, 4, 1))
    assert bounds.admits(None, modified=date(2025, 7, 1)), "a late change says nothing of the publication"


def test_feeds_and_sitemaps_with_and_without_namespaces() -> None:
    site = load_site("laodong")
    rdf = b"""<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
        xmlns:dc="http://purl.org/dc/elements/1.1/"><item rdf:about="https://laodong.vn/a/x-1.ldo">
        <dc:date>2025-05-02</dc:date></item><item rdf:about="https://laodong.vn/video/xem"/></rdf:RDF>"""
    links = parse_xml(rdf, "https://laodong.vn/rss", site)
    assert [(link.url, link.published) for link in links] == [("https://laodong.vn/a/x-1.ldo", date(2025, 5, 2))]
    index = b"<sitemapindex><sitemap><loc>https://laodong.vn/s/1.xml.gz</loc><lastmod>2025-01-31</lastmod>" \
            b"</sitemap><sitemap><loc>https://evil.example/s.xml</loc></sitemap></sitemapindex>"
    assert [(link.url, link.kind, link.modified) for link in parse_xml(index, "https://laodong.vn/", site)] == [
        ("https://laodong.vn/s/1.xml.gz", "xml", date(2025, 1, 31))]
    assert parse_xml(b"<html><body>not xml", "https://laodong.vn/", site) == []


@pytest.mark.parametrize(("toml", "said"), [
    ('base_url = "https://x.vn"\nlisting_links = "a"', "unknown key(s) listing_links"),
    ('base_url = "https://x.vn"\n[article]\nbody = "div..x"', "bad CSS selector"),
    ('base_url = "https://x.vn"\n[article]\ndate_format = "%d/%B/%Y"', "unsupported code"),
    ('base_url = "https://x.vn"\n[article]\ndate_format = "%H:%M"', "needs %d, %m and %Y"),
    ('base_url = "https://x.vn"\n[discovery]\nlistings = ["/tin"]', "need a [listing] links selector"),
    ('base_url = "https://x.vn"\n[article]\nurl_pattern = "(["', "url_pattern"),
    ('title = "no base"', "base_url is required"),
    ('base_url = "ftp://x.vn"', "not an http(s) URL"),
])
def test_bad_definitions_are_refused_with_the_reason(tmp_path: Path, toml: str, said: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(toml, encoding="utf-8")
    with pytest.raises(SiteError, match=r"bad\.toml") as error:
        load_file(path)
    assert said in str(error.value)


def test_sites_are_found_by_name_url_or_file() -> None:
    assert load_site("https://laodong.vn/cong-doan").name == "laodong"
    assert load_site("www.anninhthudo.vn").name == "anninhthudo"
    generic = load_site("https://baomoi-tinh.vn/rss/phap-luat.rss")
    assert generic.feeds == ("https://baomoi-tinh.vn/rss/phap-luat.rss",) and not generic.listings
    assert load_site("https://tin-tinh.vn").generic
    with pytest.raises(SiteError, match="known: anninhthudo"):
        load_site("khong-co")


def test_bodies_are_bounded_after_decompression_too() -> None:
    bomb = gzip.compress(b"\0" * 5_000_000)
    assert len(bomb) < 10_000
    with pytest.raises(Fault, match="limit once decompressed"):
        inflate(bomb, "gzip", 1_000_000)
    assert inflate(gzip.compress(b"<p>ok</p>"), "gzip", 100) == b"<p>ok</p>"


def test_retry_after_in_seconds_or_as_a_date() -> None:
    assert _retry_after("120") == 120
    assert _retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0  # in the past: no wait
    assert _retry_after("soon") is None


def test_a_crawl_needs_a_contact_in_its_user_agent() -> None:
    with pytest.raises(ValueError, match="contact"):
        Policy.configured("  ")
    policy = Policy.configured("ops@example.org", rate=3.0)
    assert policy.user_agent.startswith("vnsec-crawler/") and "ops@example.org" in policy.user_agent
    assert policy.rate == 3.0 and Policy.configured("x@y", polite=False).rate is None


def test_cli_lists_sites_and_crawls_with_a_summary(tmp_path: Path) -> None:
    runner = CliRunner()
    listed = runner.invoke(app, ["sites"], terminal_width=200)
    assert listed.exit_code == 0
    assert all(name in listed.output for name in ("cand", "laodong", "nld", "hepza", "ldld_hcm", "baothanhhoa"))
    no_contact = runner.invoke(app, ["crawl", "nld", "-o", str(tmp_path / "x")], env={"VNSEC_CONTACT": ""})
    assert no_contact.exit_code == 2 and "contact" in no_contact.output
    with Server() as server:
        NewsSite(server, load_site("nld", server.base))
        result = runner.invoke(app, ["crawl", "nld", "--base-url", server.base, "-o", str(tmp_path / "out"),
                                     "--no-politeness", "--contact", "t@example.org", "--no-progress"],
                               terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "articles" in result.output and "finished" in result.output
    assert {p.name for p in (tmp_path / "out").iterdir()} >= {"warc", "articles.jsonl", "errors.jsonl", "state.sqlite"}


def test_warc_rotates_and_a_resume_cuts_back_to_the_last_commit(tmp_path: Path) -> None:
    def exchange(n: int) -> Exchange:
        return Exchange(f"http://127.0.0.1/bai/{n}", [("Host", "127.0.0.1")], 200, "OK",
                        [("Content-Type", "text/html")], random.Random(n).randbytes(2500), b"", datetime.now(UTC))

    run = Run(7, "run-00007-001.warc.gz")
    archive = Archive(tmp_path, run, {"software": "test"}, max_warc_bytes=4000)
    for n in range(3):
        archive.exchange(exchange(n), "article")
    archive.checkpoint()
    committed = (run.warc, run.warc_offset)
    assert run.warc == "run-00007-002.warc.gz", "a full WARC makes way for the next"
    for n in range(3, 6):  # written, then killed before the commit: rotates to a third file
        archive.exchange(exchange(n), "article")
        archive.article({"doc_id": str(n)})
    archive.close()
    resumed = Archive(tmp_path, Run(7, *committed), {"software": "test"}, max_warc_bytes=4000)
    resumed.close()
    files = sorted(p.name for p in (tmp_path / "warc").iterdir())
    assert files == ["run-00007-001.warc.gz", "run-00007-002.warc.gz"]
    assert (tmp_path / "warc" / committed[0]).stat().st_size == committed[1]
    assert (tmp_path / "articles.jsonl").read_bytes() == b""
    urls = [r.rec_headers.get_header("WARC-Target-URI") for p in files
            for r in ArchiveIterator((tmp_path / "warc" / p).open("rb")) if r.rec_type == "response"]
    assert urls == [f"http://127.0.0.1/bai/{n}" for n in range(3)]
