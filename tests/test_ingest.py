"""Every archive format becomes Articles; every bad input becomes exactly one Problem."""

from __future__ import annotations

import gzip
import io
import json
import os
import unicodedata
from itertools import islice
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from pipeline.document import Article, Problem
from pipeline.ingest import estimate_count, iso_date, read_articles
from pipeline.ingest.encoding import decode

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "baomoi-2017.jsonl.gz"
TITLE = "Hơn 1.000 công nhân ở Thanh Hóa đình công đòi tăng lương"
BODY = [
    "Sáng 14/3, khoảng 1.200 công nhân Công ty TNHH giày da Phúc Lâm tại khu công nghiệp Lễ Môn, "
    "TP Thanh Hóa đã ngừng việc tập thể, tập trung trước cổng công ty đòi tăng lương và cải thiện bữa ăn ca.",
    "Theo phản ánh của người lao động, từ đầu năm đến nay công ty chưa điều chỉnh lương theo mức tối thiểu "
    "vùng mới, đồng thời thường xuyên yêu cầu công nhân làm thêm giờ nhưng chậm trả tiền tăng ca.",
    "Nhận tin báo, Liên đoàn Lao động tỉnh cùng Sở Lao động - Thương binh và Xã hội đã có mặt, đối thoại "
    "với đại diện doanh nghiệp. Đến chiều cùng ngày, công ty cam kết tăng lương 5% từ tháng 4.",
    "Đây là vụ đình công thứ ba trên địa bàn tỉnh kể từ đầu năm. Cơ quan chức năng đề nghị doanh nghiệp "
    "chủ động đối thoại, tránh để xảy ra tranh chấp lao động tập thể.",
]
TEXT = "\n".join([TITLE, *BODY])
URL = "https://tinnhanh.vn/thanh-hoa/dinh-cong.html"
BOILERPLATE = ["Trang chủ", "Giá xăng tăng mạnh từ chiều nay", "Bản quyền thuộc về Báo Tin Nhanh",
               "Công nhân vất vả quá"]


def page(charset: str = "utf-8", published: str = "2019-03-14") -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in BODY)
    return f"""<!DOCTYPE html><html><head><meta charset="{charset}"><title>{TITLE} | Báo Tin Nhanh</title>
<meta property="article:published_time" content="{published}T09:30:00+07:00"></head><body>
<nav><ul><li><a href="/">{BOILERPLATE[0]}</a></li><li><a href="/thoi-su">Thời sự</a></li>
<li><a href="/phap-luat">Pháp luật</a></li></ul></nav>
<article><h1>{TITLE}</h1><div class="content">{paragraphs}</div></article>
<aside class="related"><h3>Tin liên quan</h3><ul><li><a href="/a">{BOILERPLATE[1]}</a></li></ul></aside>
<section id="comments"><h3>Bình luận</h3><div class="comment">Nguyễn Văn An: {BOILERPLATE[3]}</div></section>
<footer><p>{BOILERPLATE[2]}. Ghi rõ nguồn khi phát hành lại thông tin.</p></footer></body></html>"""


def cp1258(text: str) -> bytes:
    """Windows-1258 as legacy Vietnamese software wrote it: base letter, then a combining tone mark."""
    letters: list[list[str]] = []
    for ch in unicodedata.normalize("NFD", text):
        if not unicodedata.combining(ch):
            letters.append([ch, ""])
        else:  # tone marks stay separate, the other marks (ơ, ư, â, ...) are precomposed in cp1258
            letters[-1][ch in "\u0300\u0301\u0303\u0309\u0323"] += ch
    return "".join(unicodedata.normalize("NFC", base) + tone for base, tone in letters).encode("cp1258")


def read(*paths: Path, **kw: int) -> tuple[list[Article], list[Problem]]:
    found = list(read_articles(paths, **kw))
    return [a for a in found if isinstance(a, Article)], [p for p in found if isinstance(p, Problem)]


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def check_page(a: Article) -> None:
    assert a.title == TITLE and a.published == "2019-03-14"
    assert a.text.split("\n")[0] == TITLE and BODY[2] in a.text
    assert not any(b in a.text for b in BOILERPLATE)


def test_jsonl_reads_records_and_reports_bad_lines(tmp_path: Path) -> None:
    lines = [
        json.dumps({"doc_id": "a1", "text": TEXT, "title": TITLE, "published": "14/03/2019",
                    "source": "tn.vn"}),
        '{"doc_id": "a2", "text": "Công an',  # malformed in the middle
        json.dumps({"doc_id": "a3", "text": "  \n "}),
        json.dumps({"text": BODY[1], "url": "https://tn.vn/b", "published": "2019-03-15T08:00:00+07:00"}),
        json.dumps({"doc_id": "a1", "text": BODY[0]}),
        json.dumps({"doc_id": "a5", "text": BODY[3], "published": "hôm qua"}),
    ]
    path = tmp_path / "news.jsonl"
    path.write_bytes("\n".join(lines).encode() + b"\n" + cp1258(json.dumps({"doc_id": "a6", "text": BODY[0]},
                                                                           ensure_ascii=False)))
    articles, problems = read(path)
    assert [a.doc_id for a in articles] == ["a1", articles[1].doc_id, "a5", "a6"]
    a1, derived, a5, a6 = articles
    assert (a1.title, a1.published, a1.source, a1.origin) == (TITLE, "2019-03-14", "tn.vn", f"{path}:1")
    assert derived.doc_id.startswith("web-") and derived.published == "2019-03-15"
    assert a5.published is None and a6.text == BODY[0]
    assert [(p.origin, p.reason.split(":")[0]) for p in errors(problems)] == [
        (f"{path}:2", "malformed JSON"), (f"{path}:3", "empty text"),
        (f"{path}:5", f"duplicate doc_id, first read at {path}")]
    assert [p.doc_id for p in problems if p.severity == "warning"] == [derived.doc_id, "a5", "a6"]


def test_jsonl_gz_and_truncated_gzip(tmp_path: Path) -> None:
    def records(prefix: str) -> bytes:
        lines = (json.dumps({"doc_id": f"{prefix}{i}", "text": f"{BODY[i % 4]} ({i})"}) for i in range(400))
        return "".join(f"{line}\n" for line in lines).encode()

    good, cut = tmp_path / "a.jsonl.gz", tmp_path / "b.jsonl.gz"
    good.write_bytes(gzip.compress(records("a")))
    cut.write_bytes(gzip.compress(records("b"))[:-300])
    assert estimate_count([good]) == 400
    articles, problems = read(good, cut)
    assert len(problems) == 1 and problems[0].reason.startswith("truncated gzip after line ")
    assert len(articles) == 400 + int(problems[0].reason.rsplit(" ", 1)[1]) > 400


def test_csv_with_semicolons_and_huge_field(tmp_path: Path) -> None:
    huge = " ".join(BODY) * 400  # > 128 kB, the csv module's default field limit
    path = tmp_path / "export.csv"
    path.write_text(f'ID;Title;Content;Date;Link\nc1;{TITLE};"{TEXT}";14-3-2019;https://tn.vn/c1\n;;\n'
                    f'c2;Dài;"{huge}";2019-03-16;\n', encoding="utf-8")
    articles, problems = read(path)
    assert problems == [] and [a.doc_id for a in articles] == ["c1", "c2"]
    assert (articles[0].title, articles[0].text, articles[0].published) == (TITLE, TEXT, "2019-03-14")
    assert articles[0].url == "https://tn.vn/c1" and articles[1].text == huge


def test_folder_of_txt_and_html_with_bad_files(tmp_path: Path) -> None:
    root = tmp_path / "archive"
    for folder in ("2019/03", "cu"):
        (root / folder).mkdir(parents=True)
    (root / "2019" / "03" / "dinh-cong.html").write_text(page(), encoding="utf-8")
    (root / "2019" / "tin.txt").write_text(f"\n{TEXT}\n", encoding="utf-8")
    (root / "bom.txt").write_bytes(b"\xef\xbb\xbf" + TEXT.encode())
    (root / "legacy.txt").write_bytes(cp1258(TEXT))
    (root / "cu" / "legacy.htm").write_bytes(cp1258(page(charset="windows-1258")))
    (root / "lying.html").write_bytes(page(charset="iso-8859-1").encode())
    (root / "junk.txt").write_bytes(bytes(range(256)) * 40)
    (root / "empty.txt").write_text(" \n\n")
    (root / "notes.pdf").write_bytes(b"%PDF-1.4")
    (root / ".hidden.txt").write_text(TEXT)
    locked = root / "locked.txt"
    if os.geteuid() == 0:  # root reads anything: a link whose target vanished is unreadable too
        locked.symlink_to(root / "gone.txt")
    else:
        locked.write_text(TEXT)
        locked.chmod(0)
    articles, problems = read(root)
    by_id = {a.doc_id: a for a in articles}
    assert list(by_id) == ["2019/03/dinh-cong", "2019/tin", "bom", "cu/legacy", "legacy", "lying"]
    for doc_id in ("2019/03/dinh-cong", "cu/legacy", "lying"):
        check_page(by_id[doc_id])
    assert by_id["2019/tin"].title == TITLE and by_id["bom"].text == TEXT and by_id["bom"].title == TITLE
    legacy = nfc(by_id["legacy"].text)
    assert legacy == TEXT and "Thanh Hóa" in legacy and "đình công" in legacy
    assert [(Path(p.origin).name, p.reason.split(":")[0], p.severity) for p in problems] == [
        ("legacy.htm", "not valid UTF-8, decoded as cp1258", "warning"),
        ("empty.txt", "empty text", "error"), ("junk.txt", "binary content", "error"),
        ("legacy.txt", "not valid UTF-8, decoded as cp1258", "warning"),
        ("locked.txt", "cannot read", "error")]
    assert estimate_count([root]) == 9


def write_warc(path: Path, truncate: int = 0) -> None:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)

    def response(url: str, content_type: str, body: bytes, status: str = "200 OK") -> None:
        http = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                      http_headers=http))

    request = io.BytesIO(b"GET /thanh-hoa/dinh-cong.html HTTP/1.1\r\nHost: tinnhanh.vn\r\n\r\n")
    writer.write_record(writer.create_warc_record(URL, "request", payload=request))
    response(URL, "text/html; charset=iso-8859-1", page().encode())  # the header lies: it is UTF-8
    response("https://tinnhanh.vn/logo.png", "image/png", b"\x89PNG\r\n\x1a\n" + bytes(500))
    response("https://tinnhanh.vn/missing.html", "text/html", b"<html>Not found</html>", "404 Not Found")
    response("https://tinnhanh.vn/cu/legacy.html", "text/html; charset=utf-8", cp1258(page()))
    data = buffer.getvalue()
    path.write_bytes(data[: len(data) - truncate])


def test_warc_keeps_html_responses_only(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    write_warc(path)
    articles, problems = read(path)
    assert [p.reason for p in problems] == ["not valid UTF-8, decoded as cp1258"]
    page_article, legacy = articles
    check_page(page_article)
    check_page(legacy)
    assert page_article.doc_id.startswith("web-") and len(page_article.doc_id) == 20
    assert (page_article.url, page_article.source) == (URL, "tinnhanh.vn")
    assert page_article.origin.startswith(f"{path}@") and estimate_count([path]) is None


def test_truncated_warc_keeps_what_was_read(tmp_path: Path) -> None:
    path = tmp_path / "cut.warc.gz"
    write_warc(path, truncate=200)
    articles, problems = read(path)
    assert [a.url for a in articles] == [URL]
    assert len(errors(problems)) == 1 and "WARC" in errors(problems)[0].reason


def test_too_long_and_missing_paths(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    big = (BODY[0] + "\n") * (10_000_000 // len(BODY[0]))
    path.write_text("\n".join(json.dumps({"doc_id": i, "text": t}) for i, t in (("big", big), ("ok", TEXT))))
    (tmp_path / "data.parquet").write_bytes(b"PAR1")
    articles, problems = read(path, tmp_path / "nowhere.jsonl", tmp_path / "data.parquet")
    assert [a.doc_id for a in articles] == ["ok"]
    assert [p.reason for p in problems] == [f"text too long: {len(big)} chars > 2000000", "no such file",
                                            "unsupported file type"]


@pytest.mark.parametrize(("data", "declared"), [
    (cp1258(TEXT), None), (cp1258(TEXT), "utf-8"), (cp1258(TEXT), "windows-1252"),
    (TEXT.encode(), "iso-8859-1"), (b"\xef\xbb\xbf" + TEXT.encode(), None),
    # UTF-8 read as windows-1252 (bytes it lacks become C1 controls, as on Windows) and saved as UTF-8
    ("".join(chr(b) if b in b"\x81\x8d\x8f\x90\x9d" else bytes([b]).decode("cp1252") for b in TEXT.encode())
     .encode(), None),
])
def test_decode_recovers_vietnamese(data: bytes, declared: str | None) -> None:
    text, warning = decode(data, declared)
    assert nfc(text) == TEXT
    assert (warning is None) == (data.startswith(b"\xef\xbb\xbf") or data == TEXT.encode())


@pytest.mark.parametrize(("value", "iso"), [
    ("2019-03-14", "2019-03-14"), ("14/03/2019", "2019-03-14"), ("2019-03-14T09:30:00+07:00", "2019-03-14"),
    ("14-3-2019", "2019-03-14"), ("31/02/2019", None), ("tháng 3", None),
    ("2017", "2017"), ("2017-06", "2017-06"), ("2017-13", None),
])
def test_iso_date(value: str, iso: str | None) -> None:
    assert iso_date(value) == iso


def test_an_archives_date_goes_to_its_undated_articles_only(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"doc_id": "a", "text": "Tin"}) + "\n"
                    + json.dumps({"doc_id": "b", "text": "Tin", "published": "2019-03-14"}) + "\n")
    found = [a.published for a in read_articles([path], published="2017") if isinstance(a, Article)]
    assert found == ["2017", "2019-03-14"]
    with pytest.raises(ValueError, match="not a date"):
        list(read_articles([path], published="năm ngoái"))


@pytest.mark.skipif(not CORPUS.exists(), reason="shared corpus absent")
def test_shared_corpus_reads() -> None:
    found = list(islice(read_articles([CORPUS]), 50))
    assert len(found) == 50 and all(isinstance(a, Article) and a.text and a.doc_id for a in found)
