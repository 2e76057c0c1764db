from __future__ import annotations

import json
import shutil
import struct
import subprocess
import zlib
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from bs4 import BeautifulSoup
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.document import Count, Event, Location, Record, TimeSpan
from pipeline.findings.clusters import ClusterConfig
from pipeline.findings.report import Findings, ReportSettings, context, find, write_report
from pipeline.findings.tables import counts_table
from pipeline.write import write_records

CONFIG = ClusterConfig.load()
SETTINGS = ReportSettings.load()
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
needs_chromium = pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                    reason="Chromium not installed (Debian: apt-get install chromium; .ci/run does)")
EVIL = "<script>alert('xss')</script><img src=https://evil.example/x.png onerror=alert(1)>"


def event(type_: str, evidence: str, province: str | None, district: str | None = None, day: str | None = None,
          kind: str = "incident", end: str | None = None, counts: tuple[Count, ...] = ()) -> Event:
    return Event(type_, kind, evidence, 0, len(evidence), 0,  # type: ignore[arg-type]
                 location=Location(text=district or province or "", province=province, district=district),
                 time=TimeSpan(text=day or "", start=day, end=end or day), counts=list(counts))


def record(doc_id: str, *events: Event, source: str = "vnexpress.net", published: str | None = None,
           title: str | None = None, url: str | None = None) -> Record:
    return Record(doc_id, bool(events), sorted({e.type for e in events}), [], list(events), title=title,
                  url=url or f"https://{source}/{doc_id}.html", published=published, source=source)


def corpus() -> list[Record]:
    """One strike told by three outlets, two strikes a district apart, a strike in each of the two
    provinces that merged into Bắc Ninh, events in Thanh Hóa and Khánh Hòa, an official statistic,
    an article trying to inject markup, and articles without events."""
    pouyuen = [("Sáng 3/5, khoảng 2.600 công nhân Công ty TNHH Pouyuen Việt Nam ở quận Bình Tân đã ngừng việc tập thể "
                "để phản đối việc cắt giảm thưởng.", "2024-05-03", "vnexpress.net"),
               ("Ngày 3-5, hàng nghìn công nhân Công ty Pouyuen (quận Bình Tân, TP.HCM) đình công, đòi tăng thưởng.",
                "2024-05-03", "tuoitre.vn"),
               ("Hơn 2.000 người lao động của Công ty Pouyuen Việt Nam ngừng việc từ sáng 4/5 vì bức xúc chuyện cắt "
                "thưởng.", "2024-05-04", "laodong.vn")]
    hansae = "Sáng 3/5, khoảng 300 công nhân Công ty TNHH Hansae ở quận {} đã ngừng việc tập thể đòi tăng lương."
    return [
        *(record(f"pouyuen-{k}", event("strike", text, "Hồ Chí Minh", "Bình Tân", day,
                                       counts=(Count(2600 - 300 * k, "people", "approx"),)),
                 source=source, published=day, title=f"Công nhân Pouyuen ngừng việc ({k})")
          for k, (text, day, source) in enumerate(pouyuen)),
        record("hansae-12", event("strike", hansae.format("12"), "Hồ Chí Minh", "12", "2024-05-03")),
        record("hansae-tp", event("strike", hansae.format("Tân Phú"), "Hồ Chí Minh", "Tân Phú", "2024-05-03"),
               source="tuoitre.vn"),
        record("bac-giang", event("strike", "Công nhân Công ty Sao Vàng ngừng việc tập thể.", "Bắc Giang", None,
                                  "2024-03-11")),
        record("bac-ninh", event("strike", "Công nhân Công ty Canon ngừng việc tập thể.", "Bắc Ninh", None,
                                 "2024-04-02")),
        record("thanh-hoa", event("wage_arrears", "Hơn 400 công nhân Công ty giày Sao Mai bị nợ lương hai tháng.",
                                  "Thanh Hóa", "Bỉm Sơn", "2024-03-20"),
               event("traffic_accident", "Xe khách lật trên quốc lộ 1A qua Thanh Hóa, 2 người tử vong.", "Thanh Hóa",
                     None, "2024-06-15", counts=(Count(2, "deaths"),)), source="baothanhhoa.vn"),
        record("khanh-hoa", event("fire_explosion", "Cháy kho hàng ở thành phố Nha Trang, Khánh Hòa.", "Khánh Hòa",
                                  "Nha Trang", "2024-04-20"), source="nld.com.vn"),
        record("summary", event("strike", "Trong 8 tháng, trên địa bàn tỉnh Thanh Hóa xảy ra 6 vụ ngừng việc tập thể.",
                                "Thanh Hóa", None, "2024-01", kind="aggregate", end="2024-08",
                                counts=(Count(6, "incidents", text="6 vụ"),)), source="baothanhhoa.vn"),
        record("evil", event("theft", f"Kẻ trộm {EVIL} đột nhập nhà dân ở Đà Nẵng.", "Đà Nẵng", None, "2024-05-20"),
               source="evil.example", title=EVIL, url="javascript:alert(1)"),
        *(record(f"other-{k}", source="vnexpress.net", title="Thời tiết") for k in range(3)),
    ]


def findings_of(records: list[Record]) -> Findings:
    return find(records, CONFIG)


# ---- a real browser ---------------------------------------------------------------------------


def chromium(page: Path, work: Path) -> tuple[BeautifulSoup, np.ndarray, list[str]]:
    """The DOM after the page loaded, a screenshot's pixels and the URLs the page itself requested."""
    net = work / "net.json"
    result = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={work / 'profile'}", "--window-size=1200,2000", f"--screenshot={work / 'shot.png'}",
         f"--log-net-log={net}", "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    log = json.loads(net.read_text(encoding="utf-8"))
    start = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    # requests of the page carry its file:// origin; the browser's own (updates, time) do not
    requested = [e["params"]["url"] for e in log["events"] if e["type"] == start
                 and "file://" in e["params"].get("network_isolation_key", "") and not
                 e["params"]["url"].startswith("file:")]
    return BeautifulSoup(result.stdout, "html.parser"), png_rgb((work / "shot.png").read_bytes()), requested


def png_rgb(data: bytes) -> np.ndarray:
    """Pixels of the 8-bit RGB(A) PNG Chromium writes, without an image library."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height, depth, colour = struct.unpack(">IIBB", data[16:26])
    assert depth == 8 and colour in (2, 6)
    bpp, idat, pos = 3 if colour == 2 else 4, [], 8
    while pos < len(data):
        size, kind = struct.unpack(">I4s", data[pos:pos + 8])
        idat += [data[pos + 8:pos + 8 + size]] if kind == b"IDAT" else []
        pos += 12 + size
    raw = np.frombuffer(zlib.decompress(b"".join(idat)), np.uint8).reshape(height, 1 + width * bpp)
    out, prev = np.empty((height, width * bpp), np.uint8), np.zeros(width * bpp, np.int64)
    for y in range(height):
        kind, line = raw[y, 0], raw[y, 1:].astype(np.int64)
        if kind == 0:
            row = line
        elif kind == 1:
            row = line.reshape(-1, bpp).cumsum(axis=0).ravel() % 256
        elif kind == 2:
            row = (line + prev) % 256
        else:  # average and Paeth depend on the pixel just decoded: byte by byte
            r, p = line.tolist(), prev.tolist()
            for x in range(len(r)):
                a, b, c = (r[x - bpp] if x >= bpp else 0), p[x], (p[x - bpp] if x >= bpp else 0)
                if kind == 3:
                    r[x] = (r[x] + (a + b) // 2) & 255
                else:
                    pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                    r[x] = (r[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
            row = np.array(r, np.int64)
        out[y], prev = row, row
    return out.reshape(height, width, bpp)[:, :, :3]


def province_table(dom: BeautifulSoup, mapping: str) -> dict[str, list[str]]:
    table = dom.select_one(f"table.provinces[data-map='{mapping}']")
    header = [th.get_text(" ", strip=True) for th in table.select("thead th")]
    return {"header": header} | {tr.td.get_text(strip=True): [td.get_text(strip=True) for td in tr.find_all("td")[1:]]
                                 for tr in table.select("tbody tr")}


@needs_chromium
def test_report_renders_in_a_browser_with_counts_once_per_incident(tmp_path: Path) -> None:
    records = corpus()
    findings = findings_of(records)
    page = write_report(findings, tmp_path / "report.html", SETTINGS, "Báo cáo an ninh công nhân", ["records.jsonl"])
    dom, pixels, requested = chromium(page, tmp_path)

    assert dom.title.get_text() == "Báo cáo an ninh công nhân"
    figures = {f.span.get_text(): f.b.get_text() for f in dom.select(".figure")}
    # 11 incident events, but the Pouyuen strike is one incident told by three articles
    assert figures == {"articles": "14", "relevant articles": "11", "incident events": "11",
                       "incidents (clusters)": "9", "articles merged into 1 cluster": "3",
                       "aggregate statistics, kept apart": "1"}

    # charts: the timeline's bars add up to the dated incidents, May 2024 holds three strikes
    charts = dom.select("svg.chart")
    assert len(charts) == 3
    timeline = dom.select("#timeline rect.bar")
    assert sum(int(r["data-value"]) for r in timeline) == 9
    assert {(r["data-category"], r["data-series"], r["data-value"]) for r in timeline} >= {
        ("2024-05", "strike", "3"), ("2024-03", "wage_arrears", "1"), ("2024-06", "traffic_accident", "1")}
    assert [t.get_text() for t in dom.select("#provinces-pre2025 svg text.label")][:1] == ["Hồ Chí Minh"]

    # province tables: clusters, never events or statistics; Bắc Giang and Bắc Ninh merge in 2025
    named, merged = province_table(dom, "pre2025"), province_table(dom, "2025")
    assert named["header"][:2] == ["Province", "strike"]
    totals = {name: int(cells[-2]) for name, cells in named.items() if name != "header"}
    assert totals == {"Hồ Chí Minh": 3, "Thanh Hóa": 2, "Bắc Giang": 1, "Bắc Ninh": 1, "Khánh Hòa": 1, "Đà Nẵng": 1}
    assert totals == {r["province"]: r["incidents"] for r in counts_table(findings.clusters, ["province"]).rows}
    assert named["Hồ Chí Minh"][0] == "3" and named["Hồ Chí Minh"][-1] == "5"  # 3 strikes from 5 articles
    assert int(merged["Bắc Ninh"][-2]) == 2 and "Bắc Giang" not in merged

    sources = {tr.td.get_text(): [td.get_text() for td in tr.find_all("td")[1:]] for tr in dom.select(
        "table.sources tbody tr")}
    assert sources["tuoitre.vn"] == ["2", "2", "2", "2", "0"]
    [stat] = dom.select("table.statistics tbody tr")
    assert [td.get_text(" ", strip=True) for td in stat.find_all("td")][:6] == [
        "strike", "Thanh Hóa", "2024-01 – 2024-08", "6", "incidents", "6 vụ"]

    # traceability: the row of the Pouyuen strike opens onto its three articles and their sentences
    [strike] = [c for c in findings.clusters if c.n_articles == 3]
    row = dom.select_one(f"tbody#{strike.cluster_id}")
    assert row.select_one("a")["href"] == f"#{strike.cluster_id}-articles"
    articles = row.select(f"ol#{strike.cluster_id}-articles li")
    assert [li.code.get_text() for li in articles] == ["pouyuen-0", "pouyuen-1", "pouyuen-2"]
    assert [li.a["href"] for li in articles] == [r.url for r in records[:3]]
    assert "2.600 công nhân" in articles[0].select_one(".evidence").get_text()
    assert dom.select("tbody.cluster")[0]["id"] == strike.cluster_id  # the most widely reported first

    # nothing from an article became markup, and nothing but article links points off the page
    assert not dom.find_all(["script", "img", "link", "iframe", "object", "embed"])
    assert not [t for t in dom.find_all(True) if any(a.startswith("on") for a in t.attrs)]
    assert EVIL in dom.get_text()
    links = [t.get("href") or t.get("src") for t in dom.find_all(True) if t.get("href") or t.get("src")]
    external = [u for u in links if not u.startswith("#")]
    assert set(external) == {r.url for r in records if r.events and r.url.startswith("https:")}
    assert all(a.get("class") == ["article"] for a in dom.find_all("a", href=lambda h: h and not h.startswith("#")))
    assert "url(" not in dom.style.get_text() and "@import" not in dom.style.get_text()
    assert requested == []

    # the screenshot shows the page and its charts: the colour of the top type (strike) is drawn
    assert pixels.shape == (2000, 1200, 3)
    assert (pixels < 200).any(axis=2).mean() > 0.02
    strike_colour = np.array([int(SETTINGS.palette[0][k:k + 2], 16) for k in (1, 3, 5)])
    assert (np.abs(pixels.astype(int) - strike_colour).max(axis=2) <= 4).sum() > 500


@needs_chromium
def test_the_network_check_sees_a_page_that_fetches(tmp_path: Path) -> None:
    page = tmp_path / "fetches.html"
    page.write_text('<!DOCTYPE html><meta charset="utf-8"><img src="http://127.0.0.1:9/x.png">', encoding="utf-8")
    assert chromium(page, tmp_path)[2] == ["http://127.0.0.1:9/x.png"]


# ---- what the page says when data are thin ----------------------------------------------------


def test_undated_incidents_give_no_timeline_and_say_so() -> None:
    records = [replace(r, published=None, events=[replace(e, time=TimeSpan()) for e in r.events]) for r in corpus()]
    assert context(findings_of(records), SETTINGS)["timeline"] | {"chart": None, "undated": 9} == {
        "grain": None, "fallback": None, "chart": None, "undated": 9, "outside": 0}
    # dated to the year only: too vague to cluster by, enough for a yearly timeline
    years = [replace(r, events=[replace(e, time=TimeSpan("năm 2023", "2023", "2023")) for e in r.events])
             for r in records]
    timeline = context(findings_of(years), SETTINGS)["timeline"]
    assert (timeline["grain"], timeline["fallback"], timeline["first"], timeline["undated"]) == (
        "year", "precision", "2023", 0)


def test_a_stray_date_does_not_stretch_the_timeline_and_long_spans_go_by_quarter() -> None:
    records = corpus()
    records[10].events[0].time = TimeSpan("ngày 2/5/1012", "1012-05-02", "1012-05-02")  # a misread year
    timeline = context(findings_of(records), SETTINGS)["timeline"]
    assert (timeline["grain"], timeline["first"], timeline["last"], timeline["outside"]) == (
        "month", "2024-03", "2024-06", 1)
    assert "1012" not in timeline["chart"]
    quarters = context(findings_of(corpus()), replace(SETTINGS, max_bars=3))["timeline"]
    assert (quarters["grain"], quarters["fallback"], quarters["first"], quarters["last"], quarters["outside"]) == (
        "quarter", "span", "2024-Q1", "2024-Q2", 0)


def test_the_cluster_listing_is_capped_with_a_note(tmp_path: Path) -> None:
    findings = findings_of(corpus())
    page = write_report(findings, tmp_path / "r.html", replace(SETTINGS, max_clusters=2), "t", ["x"])
    dom = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    assert len(dom.select("tbody.cluster")) == 2
    assert "The 2 most widely reported of 9 incidents" in dom.select_one("#clusters").get_text(" ", strip=True)


# ---- the command --------------------------------------------------------------------------------


def test_cli_writes_one_self_contained_page(tmp_path: Path) -> None:
    records = tmp_path / "records.jsonl"
    write_records(corpus(), records)
    runner = CliRunner()
    result = runner.invoke(app, ["report", str(records), "-o", str(tmp_path / "report.html")])
    assert result.exit_code == 0, result.output
    assert "14 articles, 11 relevant, 11 incident events in 9 incidents, 1 statistics" in result.output
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert '<meta charset="utf-8">' in html and "Khánh Hòa" in html
    assert sorted(p.name for p in tmp_path.iterdir()) == ["records.jsonl", "report.html"]  # no temp file left
    bad = runner.invoke(app, ["report", str(records), "-o", str(tmp_path / "report.pdf")])
    assert bad.exit_code == 2 and ".html" in bad.output
    missing = runner.invoke(app, ["report", str(tmp_path / "none.jsonl"), "-o", str(tmp_path / "r.html")])
    assert missing.exit_code == 2 and "no such records file" in missing.output
    (tmp_path / "empty.jsonl").write_text("", encoding="utf-8")
    empty = runner.invoke(app, ["report", str(tmp_path / "empty.jsonl"), "-o", str(tmp_path / "empty.html")])
    assert empty.exit_code == 0, empty.output
    assert "No timeline" in (tmp_path / "empty.html").read_text(encoding="utf-8")
