from __future__ import annotations

import csv
import random
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.document import Count, Event, Location, Record, TimeSpan
from pipeline.findings.clusters import Cluster, ClusterConfig, cluster_incidents, collect, near_duplicates
from pipeline.findings.tables import (
    cluster_events_table,
    clusters_table,
    counts_table,
    statistics_table,
    write_tables,
)
from pipeline.resources import read_tsv
from pipeline.write import write_records

CONFIG = ClusterConfig.load()


def event(type_: str, evidence: str, province: str | None, district: str | None = None, day: str | None = None,
          kind: str = "incident", counts: tuple[Count, ...] = (), end: str | None = None) -> Event:
    return Event(type_, kind, evidence, 0, len(evidence), 0,  # type: ignore[arg-type]
                 location=Location(text=district or province or "", province=province, district=district),
                 time=TimeSpan(text=day or "", start=day, end=end or day), counts=list(counts))


def record(doc_id: str, *events: Event, source: str = "vnexpress.net", published: str | None = "2024-05-04",
           title: str | None = None) -> Record:
    return Record(doc_id, True, sorted({e.type for e in events}), [], list(events), title=title,
                  published=published, source=source)


def clusters_of(*records: Record, config: ClusterConfig = CONFIG) -> list[Cluster]:
    return cluster_incidents(collect(records, config).incidents, config)


# Background articles: other strikes and crimes, so that the evidence vectors see a corpus.
BACKGROUND = [
    record("bg-1", event("strike", "Khoảng 500 công nhân Công ty may Đức Giang ở Gia Lâm ngừng việc đòi tăng lương.",
                         "Hà Nội", "Gia Lâm", "2024-05-03")),
    record("bg-2", event("drugs", "Công an quận Bình Tân bắt đối tượng tàng trữ 2 kg ma túy đá tại nhà trọ.",
                         "Hồ Chí Minh", "Bình Tân", "2024-05-03")),
    record("bg-3", event("traffic_accident", "Xe tải tông xe máy trên quốc lộ 1A làm hai người tử vong.",
                         "Đồng Nai", None, "2024-05-02")),
    record("bg-4", event("fire_explosion", "Cháy xưởng gỗ ở thị xã Tân Uyên, thiệt hại hàng tỷ đồng.",
                         "Bình Dương", "Tân Uyên", "2024-05-04")),
    record("bg-5", event("wage_arrears", "Hơn 400 công nhân Công ty giày Hữu Nghị bị nợ lương hai tháng.",
                         "Nam Định", None, "2024-05-02")),
    record("bg-6", event("fraud", "Đối tượng giả danh công an gọi điện lừa đảo chiếm đoạt 1,2 tỷ đồng của "
                                  "một phụ nữ.", "Đà Nẵng", None, "2024-05-01")),
    record("bg-7", event("labor_protest", "Hàng trăm người lao động tập trung trước cổng công ty đòi "
                                          "thanh toán tiền thưởng.", "Long An", None, "2024-05-03")),
    record("bg-8", event("food_poisoning", "Hơn 100 công nhân Công ty điện tử phải nhập viện sau bữa ăn "
                                           "trưa.", "Thái Nguyên", None, "2024-05-03")),
]
POUYUEN = [
    ("Sáng 3/5, khoảng 2.600 công nhân Công ty TNHH Pouyuen Việt Nam ở quận Bình Tân đã ngừng việc tập thể "
     "để phản đối việc cắt giảm thưởng.", "Bình Tân", "2024-05-03", 2600),
    ("Ngày 3-5, hàng nghìn công nhân Công ty Pouyuen (quận Bình Tân, TP.HCM) đình công, đòi tăng thưởng.",
     "Bình Tân", "2024-05-03", 1000),
    ("Hơn 2.000 người lao động của Công ty Pouyuen Việt Nam ngừng việc từ sáng 4/5 vì bức xúc chuyện cắt "
     "thưởng.", None, "2024-05-04", 2000),
]


def pouyuen_reports() -> list[Record]:
    return [record(f"pouyuen-{k}", event("strike", text, "Hồ Chí Minh", district, day,
                                         counts=(Count(people, "people", "approx"),)),
                   source=source, published=day)
            for k, ((text, district, day, people), source) in enumerate(
                zip(POUYUEN, ("vnexpress.net", "tuoitre.vn", "laodong.vn"), strict=True))]


def test_one_strike_in_three_differently_worded_articles_is_counted_once() -> None:
    clusters = clusters_of(*pouyuen_reports(), *BACKGROUND)
    strikes = [c for c in clusters if c.type == "strike" and c.province == "Hồ Chí Minh"]
    assert len(strikes) == 1
    [strike] = strikes
    assert strike.doc_ids == ["pouyuen-0", "pouyuen-1", "pouyuen-2"]
    assert strike.sources == ["vnexpress.net", "tuoitre.vn", "laodong.vn"]
    assert (strike.district, strike.date, strike.date_end) == ("Bình Tân", "2024-05-03", "2024-05-04")
    assert len(clusters) == len(BACKGROUND) + 1
    # people: the largest figure any outlet gave, not the sum of three reports of it
    [row] = [r for r in counts_table(clusters, ["province", "type"]).rows
             if (r["province"], r["type"]) == ("Hồ Chí Minh", "strike")]
    assert (row["incidents"], row["articles"], row["people"]) == (1, 3, 2600)
    assert row["cluster_ids"] == [strike.cluster_id]


def test_two_strikes_on_one_day_in_different_districts_are_two() -> None:
    text = "Sáng 3/5, khoảng 300 công nhân Công ty TNHH Hansae ở quận {} đã ngừng việc tập thể đòi tăng lương."
    records = [record("q12", event("strike", text.format("12"), "Hồ Chí Minh", "12", "2024-05-03")),
               record("tp", event("strike", text.format("Tân Phú"), "Hồ Chí Minh", "Tân Phú", "2024-05-03"),
                      source="tuoitre.vn")]
    assert [len(c.events) for c in clusters_of(*records, *BACKGROUND) if c.type == "strike"] == [1, 1, 1]
    # a report that names no district is like both, but cannot bridge them into one
    vague = record("vague", event("strike", text.format("").replace(" ở quận ", " "), "Hồ Chí Minh", None,
                                  "2024-05-03"), source="laodong.vn")
    strikes = [c for c in clusters_of(*records, vague, *BACKGROUND)
               if (c.province, c.type) == ("Hồ Chí Minh", "strike")]
    assert sorted(c.district for c in strikes) == ["12", "Tân Phú"]
    assert sorted(len(c.events) for c in strikes) == [1, 2]


def test_same_type_in_two_provinces_is_two() -> None:
    text = "Hàng trăm công nhân ngừng việc tập thể đòi tăng lương."
    records = [record("bn", event("strike", text, "Bắc Ninh", None, "2024-05-03")),
               record("bg", event("strike", text, "Bắc Giang", None, "2024-05-03"), source="tuoitre.vn")]
    clusters = clusters_of(*records)
    assert sorted(c.province for c in clusters) == ["Bắc Giang", "Bắc Ninh"]


def test_a_strike_reported_either_side_of_the_2025_merger_is_one() -> None:
    text = "Hàng nghìn công nhân Công ty Canon ở khu công nghiệp Quế Võ ngừng việc tập thể sáng {}."
    before = record("before", event("strike", text.format("30/6"), "Bắc Ninh", None, "2025-06-30"),
                    published="2025-06-30")
    after = record("after", event("strike", text.format("30/6"), "Bắc Ninh", None, "2025-06-30"),
                   source="tuoitre.vn", published="2025-07-01")
    elsewhere = record("bg", event("strike", text.format("30/6"), "Bắc Giang", None, "2025-06-30"),
                       source="laodong.vn", published="2025-06-30")
    # "Bắc Ninh" after the merger also covers the former Bắc Giang, but Bắc Giang and Bắc Ninh
    # named before it are two places: the post-merger report may join either, not both
    clusters = clusters_of(before, after, elsewhere)
    assert sorted(c.doc_ids for c in clusters) == [["before", "after"], ["bg"]]


def test_same_place_a_month_apart_is_two() -> None:
    text = "Hàng trăm công nhân Công ty Pouyuen ở quận Bình Tân ngừng việc tập thể."
    records = [record("may", event("strike", text, "Hồ Chí Minh", "Bình Tân", "2024-05-03")),
               record("jun", event("strike", text, "Hồ Chí Minh", "Bình Tân", "2024-06-03"),
                      source="tuoitre.vn", published="2024-06-04")]
    assert [c.date for c in clusters_of(*records)] == ["2024-05-03", "2024-06-03"]


def test_an_undated_event_is_dated_by_its_article_or_merges_only_with_a_near_duplicate() -> None:
    story = ("Công an huyện Quế Võ bắt giữ Nguyễn Văn A về hành vi trộm cắp 12 xe máy tại khu công nghiệp "
             "Quế Võ trong đêm 2/5.")
    title = "Bắt kẻ trộm 12 xe máy ở khu công nghiệp Quế Võ"
    dup = [record(f"dup-{k}", event("theft", story, "Bắc Ninh"), source=s, published=None, title=title)
           for k, s in enumerate(("baomoi.com", "dantri.com.vn"))]
    other = record("other", event("theft", "Công an huyện Quế Võ bắt đối tượng trộm cắp tài sản.", "Bắc Ninh"),
                   published=None, title="Trộm cắp")
    cows = ["Rạng sáng 3/5, kẻ gian đột nhập chuồng trại ở xã Việt Hùng, huyện Quế Võ, trộm 5 con bò.",
            "Một hộ dân ở xã Việt Hùng (Quế Võ) bị kẻ trộm lấy mất 5 con bò trong đêm.",
            "Rạng sáng 3/5, kẻ gian đột nhập chuồng trại ở xã Việt Hùng, huyện Quế Võ, trộm 5 con bò."]
    by_publication = [record(f"pub-{k}", event("theft", text, "Bắc Ninh"), published=day, title=f"Tin {k}")
                      for k, (text, day) in enumerate(zip(cows, ("2024-05-03", "2024-05-04", "2024-06-20"),
                                                          strict=True))]
    clusters = clusters_of(*dup, other, *by_publication)
    assert sorted(c.doc_ids for c in clusters) == [["dup-0", "dup-1"], ["other"], ["pub-0", "pub-1"], ["pub-2"]]


def test_two_events_of_one_article_never_merge_through_a_third() -> None:
    a = "Công nhân Công ty Pouyuen ở quận Bình Tân ngừng việc tập thể sáng 3/5."
    b = "Công nhân Công ty Freetrend ở quận Bình Tân ngừng việc tập thể sáng 3/5."
    both = record("both", event("strike", a, "Hồ Chí Minh", "Bình Tân", "2024-05-03"),
                  event("strike", b, "Hồ Chí Minh", "Bình Tân", "2024-05-03"))
    vague = record("vague", event("strike", "Công nhân hai công ty ở quận Bình Tân ngừng việc tập thể sáng 3/5.",
                                  "Hồ Chí Minh", "Bình Tân", "2024-05-03"), source="tuoitre.vn")
    clusters = clusters_of(both, vague)
    assert len(clusters) == 2 and all(c.doc_ids.count("both") <= 1 for c in clusters)
    apart = clusters_of(both, vague, config=replace(CONFIG, keep_article_events_apart=False))
    assert len(apart) == 1  # the constraint, not dissimilar evidence, kept them apart


def test_aggregate_statistics_are_kept_apart_from_incident_counts() -> None:
    summary = event("strike", "Trong 8 tháng, trên địa bàn tỉnh xảy ra 6 vụ ngừng việc tập thể.", "Hồ Chí Minh",
                    None, "2024-01", kind="aggregate", end="2024-08",
                    counts=(Count(6, "incidents", text="6 vụ"), Count(3000, "people", "at_least")))
    abroad = event("strike", "Công nhân Samsung ở Hàn Quốc đình công.", None)
    abroad.location.foreign = True
    records = [*pouyuen_reports(), record("summary", summary, abroad, source="nld.com.vn")]
    collected = collect(records, CONFIG)
    assert (len(collected.incidents), len(collected.statistics), collected.foreign) == (3, 1, 1)
    [row] = counts_table(cluster_incidents(collected.incidents, CONFIG), ["type"]).rows
    assert (row["incidents"], row["people"]) == (1, 2600)
    stats = statistics_table(collected.statistics).rows
    assert [(s["value"], s["unit"], s["period_start"], s["period_end"], s["doc_id"]) for s in stats] == [
        (6, "incidents", "2024-01", "2024-08", "summary"), (3000, "people", "2024-01", "2024-08", "summary")]


def test_grouping_by_2025_provinces_merges_the_merged_provinces() -> None:
    text = "Công nhân Công ty {} ngừng việc tập thể."
    records = [record("bg", event("strike", text.format("Sao Vàng"), "Bắc Giang", None, "2024-05-03")),
               record("bn", event("strike", text.format("Canon"), "Bắc Ninh", None, "2024-05-03")),
               record("hn", event("strike", text.format("Đức Giang"), "Hà Nội", None, "2024-05-03"))]
    clusters = clusters_of(*records)
    named = {r["province"]: r["incidents"] for r in counts_table(clusters, ["province"]).rows}
    merged = {r["province"]: r["incidents"] for r in counts_table(clusters, ["province"], "2025").rows}
    assert named == {"Bắc Giang": 1, "Bắc Ninh": 1, "Hà Nội": 1}
    assert merged == {"Bắc Ninh": 2, "Hà Nội": 1}


def test_periods_and_sources_group_clusters() -> None:
    clusters = clusters_of(*pouyuen_reports(), *BACKGROUND)
    rows = counts_table(clusters, ["quarter", "type"]).rows
    assert rows[0] == rows[0] | {"quarter": "2024-Q2", "type": "strike", "incidents": 2}
    by_source = {r["source"]: r["incidents"] for r in counts_table(clusters, ["source"]).rows}
    # each outlet's coverage: the shared strike counts for each of its three sources
    assert by_source == {"vnexpress.net": len(BACKGROUND) + 1, "tuoitre.vn": 1, "laodong.vn": 1}
    with pytest.raises(ValueError, match="weekday"):
        counts_table(clusters, ["weekday"])


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".duckdb"])
def test_each_output_format_is_written_and_traceable(tmp_path: Path, suffix: str) -> None:
    collected = collect([*pouyuen_reports(), *BACKGROUND], CONFIG)
    clusters = cluster_incidents(collected.incidents, CONFIG)
    tables = {"counts": counts_table(clusters, ["province", "month", "type"]), "clusters": clusters_table(clusters),
              "cluster_events": cluster_events_table(clusters), "statistics": statistics_table(collected.statistics)}
    written = write_tables(tables, tmp_path / f"findings{suffix}")
    assert sorted(tmp_path.iterdir()) == sorted(written)  # no temp file left
    query = """SELECT list(doc_id ORDER BY doc_id) FROM count_articles
               WHERE province = 'Hồ Chí Minh' AND type = 'strike' AND month = '2024-05'"""
    if suffix == ".duckdb":
        con = duckdb.connect(str(written[0]), read_only=True)
        assert con.execute(query).fetchone() == (["pouyuen-0", "pouyuen-1", "pouyuen-2"],)
        assert con.execute("SELECT count(*) FROM clusters").fetchone() == (len(clusters),)
        con.close()
        return
    if suffix == ".csv":
        with written[0].open(encoding="utf-8", newline="") as fh:
            counts = list(csv.DictReader(fh))
        with written[1].open(encoding="utf-8", newline="") as fh:
            cluster_rows = {r["cluster_id"]: r for r in csv.DictReader(fh)}
        ids = next(r["cluster_ids"] for r in counts if r["type"] == "strike" and r["province"] == "Hồ Chí Minh")
        assert cluster_rows[ids]["doc_ids"] == "pouyuen-0;pouyuen-1;pouyuen-2"
    else:
        counts = pq.read_table(written[0]).to_pylist()
        cluster_rows = {r["cluster_id"]: r for r in pq.read_table(written[1]).to_pylist()}
        ids = next(r["cluster_ids"] for r in counts if r["type"] == "strike" and r["province"] == "Hồ Chí Minh")
        assert cluster_rows[ids[0]]["doc_ids"] == ["pouyuen-0", "pouyuen-1", "pouyuen-2"]
    assert [p.name for p in written] == [f"findings{suffix}", f"findings-clusters{suffix}",
                                         f"findings-cluster_events{suffix}", f"findings-statistics{suffix}"]


def test_cli_summarises_and_writes_the_counts(tmp_path: Path) -> None:
    records = tmp_path / "records.jsonl"
    write_records([*pouyuen_reports(), *BACKGROUND], records)
    runner = CliRunner()
    result = runner.invoke(app, ["aggregate", str(records), "-o", str(tmp_path / "counts.csv"),
                                 "--by", "province,type", "--provinces", "2025"])
    assert result.exit_code == 0, result.output
    for line in ("records", "incident events", "clusters", "merged", "statistics"):
        assert line in result.output
    assert "3 articles in 1 clusters" in result.output
    with (tmp_path / "counts.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert sum(int(r["incidents"]) for r in rows) == len(BACKGROUND) + 1
    bad = runner.invoke(app, ["aggregate", str(records), "-o", str(tmp_path / "x.csv"), "--by", "weekday"])
    assert bad.exit_code == 2 and "weekday" in bad.output


def test_near_duplicates_are_checked_on_exact_shingles() -> None:
    base = "công an tỉnh bắt giữ đối tượng trộm cắp xe máy tại khu công nghiệp vào rạng sáng nay"
    texts = [base, base + " theo báo tuổi trẻ", "hoàn toàn khác một câu chuyện về bóng đá và thời tiết hôm nay", ""]
    assert [(a, b) for a, b, _ in near_duplicates(texts, CONFIG)] == [(0, 1)]


# ---- scale -----------------------------------------------------------------------------------


def synthetic(occurrences: int, seed: int = 7) -> tuple[list[Record], int]:
    """Occurrences reported by 1-4 outlets with reworded evidence; returns records and how many occurred."""
    rng = random.Random(seed)
    types = [r["label"] for r in read_tsv("taxonomy", "events.tsv")]
    provinces = [r["short"] for r in read_tsv("gazetteer", "provinces.tsv") if r["era"] == "pre2025"]
    weights = [1 / (k + 1) for k in range(len(provinces))]  # a few provinces report most
    letters = "bcdghklmnpqrstvx"
    vocab = ["".join(rng.choice(letters) + rng.choice("aeiouy") + rng.choice(["", "n", "ng", "t", "c"]))
             for _ in range(3000)]
    records = []
    for k in range(occurrences):
        type_, province = rng.choice(types), rng.choices(provinces, weights)[0]
        day = 738000 + rng.randrange(730)
        district = rng.choice([None, f"D{rng.randrange(12)}"])
        words = [rng.choice(vocab) for _ in range(18)] + [f"Cty{k}"]
        for r in range(rng.choice([1, 1, 2, 3, 4])):
            reworded = [w if rng.random() > 0.25 else rng.choice(vocab) for w in words]
            published = date.fromordinal(day + rng.randrange(3)).isoformat()
            when = date.fromordinal(day).isoformat() if rng.random() < 0.7 else None
            ev = event(type_, " ".join(reworded), province, district if rng.random() < 0.6 else None, when)
            records.append(record(f"s{k}-{r}", ev, source=f"outlet{r}", published=published))
    return records, occurrences


def test_twenty_thousand_incidents_cluster_quickly_and_correctly() -> None:
    records, occurred = synthetic(9_200)
    collected = collect(records, CONFIG)
    assert len(collected.incidents) > 19_500
    started = time.perf_counter()
    clusters = cluster_incidents(collected.incidents, CONFIG)
    assert time.perf_counter() - started < 20
    assert abs(len(clusters) - occurred) < 0.03 * occurred


def test_sums_are_written_as_a_person_would() -> None:
    """Half a person and float noise in money do not leak into the counts table."""
    figures = [(0.5, 0.1e9), (1.5, 0.2e9), (2, 3.8e9)]
    thefts = [record(f"theft-{k}", event("theft", f"Vụ trộm thứ {k} tại phường {k}.", "Cần Thơ", f"Phường {k}",
                                         f"2024-0{k + 1}-01", counts=(Count(n, "people"), Count(v, "money_vnd"))))
              for k, (n, v) in enumerate(figures)]
    [row] = [r for r in counts_table(clusters_of(*thefts), ["province"]).rows if r["province"] == "Cần Thơ"]
    assert row["incidents"] == 3
    assert (row["people"], row["money_vnd"]) == (4, 4_100_000_000)
    assert isinstance(row["people"], int) and isinstance(row["money_vnd"], int)
