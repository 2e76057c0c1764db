from __future__ import annotations

import csv
import gzip
import json
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from pipeline.document import Count, Event, Location, Record, TimeSpan
from pipeline.write import FORMATS, atomic_output, formats, output_format, read_records, write_records
from pipeline.write.schema import SCHEMAS

TEXT = "Ngày 3/5, khoảng 2.600 công nhân Công ty X ở phường Hòa Lợi, TP Bến Cát ngừng việc tập thể."


def _records() -> list[Record]:
    strike = Event(
        "strike", "incident", TEXT, 0, len(TEXT), 0,
        location=Location("phường Hòa Lợi, TP Bến Cát", "Bình Dương", "Bến Cát", "Hòa Lợi", False, "74",
                          "Thành phố Hồ Chí Minh", "79", 47, 73),
        time=TimeSpan("Ngày 3/5", "2024-05-03", "2024-05-03", 0, 8),
        counts=[Count(2600, "people", "approx", "khoảng 2.600 công nhân", 11, 33)],
        confidence=0.876543,
    )
    arrears = Event("wage_arrears", "aggregate", "nợ lương", 5, 13, 1,
                    counts=[Count(1.5e9, "money_vnd", "at_least", "hơn 1,5 tỷ đồng", 20, 35),
                            Count(7, "incidents", text="07 vụ", start=40, end=45)])
    outreach = Event("prevention_outreach", "aggregate", "tuyên truyền", 0, 12, 2,
                     time=TimeSpan("năm 2023", "2023", "2023", 3, 11))
    foreign = Event("protest", "incident", "biểu tình ở Seoul", 0, 17, 0,
                    location=Location("Seoul", foreign=True, start=12, end=17))
    return [
        Record("baomoi-1", True, ["strike", "wage_arrears", "prevention_outreach"], ["Bình Dương"],
               [strike, arrears, outreach], title="Công nhân ngừng việc; đòi \"lương\",\nthưởng",
               url="https://baomoi.com/a.epi", published="2024-05-04", source="baomoi",
               extractor="vnsec 0.1.0"),
        Record("baomoi-2", False, extractor="vnsec 0.1.0"),
        Record("baomoi-3", True, ["protest"], [], [foreign], title="Tin thế giới"),
        Record("baomoi-4", True, ["drugs"], ["Khánh Hòa"],
               [Event("drugs", "incident", "tàng trữ ma túy", 0, 15, 4, Location("Nha Trang", "Khánh Hòa"))]),
    ]


@pytest.mark.parametrize("suffix", [".jsonl", ".jsonl.gz", ".parquet", ".duckdb", ".db"])
def test_round_trip(tmp_path: Path, suffix: str) -> None:
    records = _records()
    written = write_records(iter(records), tmp_path / f"out{suffix}")
    assert sorted(tmp_path.iterdir()) == sorted(written)  # no temp file left behind
    assert [r.to_json() for r in read_records(written[0])] == [r.to_json() for r in records]


@pytest.mark.parametrize("suffix", [".jsonl", ".jsonl.gz"])
def test_jsonl_is_byte_identical_to_json_dumps(tmp_path: Path, suffix: str) -> None:
    records = _records()
    [path] = write_records(records, tmp_path / f"out{suffix}")
    data = path.read_bytes()
    text = (gzip.decompress(data) if suffix.endswith(".gz") else data).decode("utf-8")
    assert text == "".join(json.dumps(r.to_json(), ensure_ascii=False) + "\n" for r in records)
    assert "Hòa Lợi" in text


def test_parquet_siblings_and_schemas(tmp_path: Path) -> None:
    written = write_records(_records(), tmp_path / "out.parquet")
    assert [p.name for p in written] == ["out.parquet", "out-events.parquet", "out-counts.parquet"]
    for table, path in zip(("articles", "events", "counts"), written, strict=True):
        assert pq.read_schema(path).remove_metadata() == SCHEMAS[table]
    events = pq.read_table(written[1]).to_pylist()
    assert [e["event_id"] for e in events][:3] == ["baomoi-1#0", "baomoi-1#1", "baomoi-1#2"]
    assert events[0]["province_2025"] == "Thành phố Hồ Chí Minh"


def test_duckdb_counts_by_type(tmp_path: Path) -> None:
    [path] = write_records(_records(), tmp_path / "out.duckdb")
    with duckdb.connect(str(path), read_only=True) as con:
        def query(sql: str) -> list[tuple]:
            return con.execute(sql).fetchall()

        assert query("SELECT type, unit, sum(value) FROM counts GROUP BY ALL ORDER BY ALL") == [
            ("strike", "people", 2600.0), ("wage_arrears", "incidents", 7.0),
            ("wage_arrears", "money_vnd", 1.5e9)]
        assert query("SELECT province, published, value FROM event_counts WHERE unit = 'people'") == [
            ("Bình Dương", "2024-05-04", 2600.0)]
        assert query("SELECT provinces FROM articles WHERE doc_id = 'baomoi-4'") == [(["Khánh Hòa"],)]
        assert query("SELECT count(*) FROM events") == [(5,)]


def test_csv_tables(tmp_path: Path) -> None:
    written = write_records(_records(), tmp_path / "out.csv")
    assert [p.name for p in written] == ["out.csv", "out-events.csv", "out-counts.csv"]
    tables = {}
    for name, path in zip(("articles", "events", "counts"), written, strict=True):
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            assert reader.fieldnames == SCHEMAS[name].names
            tables[name] = list(reader)
    first = tables["articles"][0]
    assert first["title"] == "Công nhân ngừng việc; đòi \"lương\",\nthưởng"
    assert first["event_types"] == "strike;wage_arrears;prevention_outreach"
    assert [a["doc_id"] for a in tables["articles"]] == ["baomoi-1", "baomoi-2", "baomoi-3", "baomoi-4"]
    assert len(tables["events"]) == 5
    assert {(c["event_id"], c["unit"], float(c["value"])) for c in tables["counts"]} == {
        ("baomoi-1#0", "people", 2600.0), ("baomoi-1#1", "money_vnd", 1.5e9),
        ("baomoi-1#1", "incidents", 7.0)}
    with pytest.raises(ValueError, match="readable suffixes"):
        read_records(written[0])


def _failing(records: list[Record]) -> Iterator[Record]:
    yield from records
    raise RuntimeError("extractor crashed")


@pytest.mark.parametrize("suffix", list(FORMATS))
def test_failure_leaves_nothing_behind(tmp_path: Path, suffix: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(formats, "BATCH", 2)  # so that tabular writers have flushed batches before the crash
    with pytest.raises(RuntimeError, match="extractor crashed"):
        write_records(_failing(_records()), tmp_path / f"new{suffix}")
    assert list(tmp_path.iterdir()) == []

    [old] = write_records(_records()[:1], tmp_path / f"old{suffix}")[:1]
    before = {p: p.read_bytes() for p in tmp_path.iterdir()}
    with pytest.raises(RuntimeError):
        write_records(_failing(_records()), old)
    assert {p: p.read_bytes() for p in tmp_path.iterdir()} == before  # the previous output survives intact


def test_atomic_output_hides_file_until_done(tmp_path: Path) -> None:
    target = tmp_path / "x.txt"
    with atomic_output(target, encoding="utf-8") as fh:
        fh.write("Hòa")
        assert not target.exists()
    assert target.read_text(encoding="utf-8") == "Hòa"
    assert list(tmp_path.iterdir()) == [target]


def test_unsupported_suffix(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"\.jsonl, \.jsonl\.gz, \.parquet, \.csv, \.duckdb"):
        write_records(_records(), tmp_path / "out.xlsx")
    with pytest.raises(ValueError, match="supported suffixes"):
        output_format(Path(".parquet"))
    assert output_format(Path("runs/OUT.JSONL.GZ")) == ".jsonl.gz"
    assert not list(tmp_path.iterdir())


def test_parquet_memory_stays_flat(tmp_path: Path) -> None:
    def many(n: int) -> Iterator[Record]:
        for i in range(n):
            events = [Event("theft", "incident", f"Trộm cắp số {i}.", 0, 10, 0,
                            counts=[Count(i, "suspects")])] if i % 10 == 0 else []
            yield Record(f"baomoi-{i}", bool(events), title=f"Bài báo số {i} về an ninh trật tự " * 8,
                         events=events)

    tracemalloc.start()
    try:
        write_records(many(30_000), tmp_path / "big.parquet")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # holding all 30,000 records (or their rows) at once peaks above 50 MB
    assert peak < 20_000_000
    assert pq.ParquetFile(tmp_path / "big.parquet").metadata.num_rows == 30_000
    assert pq.ParquetFile(tmp_path / "big.parquet").num_row_groups == 30


GOLD = Path(__file__).resolve().parents[1] / ".." / "shared" / "gold" / "dev.jsonl"


@pytest.mark.skipif(not GOLD.exists(), reason="shared gold records not available")
@pytest.mark.parametrize("suffix", [".jsonl.gz", ".parquet", ".duckdb"])
def test_gold_records_round_trip(tmp_path: Path, suffix: str) -> None:
    with GOLD.open(encoding="utf-8") as fh:
        records = [Record.from_json(json.loads(line)) for line in fh if line.strip()]
    [path, *_] = write_records(records, tmp_path / f"gold{suffix}")
    assert [r.to_json() for r in read_records(path)] == [r.to_json() for r in records]
