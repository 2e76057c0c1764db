import json
import multiprocessing
import os
import signal
from pathlib import Path

import pytest

from pipeline import batch

STORIES = [
    "Sáng 12/3, khoảng 1.500 công nhân Công ty TNHH Điện tử Minh An (KCN Quế Võ, huyện Quế Võ, "
    "tỉnh Bắc Ninh) đã ngừng việc tập thể, đề nghị tăng tiền ăn ca.",
    "Công an huyện Thạch Thành, tỉnh Thanh Hóa bắt giữ 3 đối tượng mua bán trái phép chất ma túy, "
    "thu giữ 2 bánh heroin.",
    "Ngày 5/2, một vụ cháy lớn xảy ra tại chợ Đông Ba, TP Huế, thiêu rụi 20 ki-ốt.",
    "Đội tuyển bóng đá giành chiến thắng 2-0 trước đối thủ trong trận đấu tối qua.",
]


def write_archive(path: Path, n: int) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            story = STORIES[i % len(STORIES)]
            fh.write(json.dumps({"doc_id": f"d{i:04d}", "title": f"Tin số {i}",
                                 "text": f"Tin số {i}\n{story}"}, ensure_ascii=False) + "\n")
    return path


def doc_ids(path: Path) -> list[str]:
    return [json.loads(line)["doc_id"] for line in path.open(encoding="utf-8")]


def test_records_in_input_order_with_summary(tmp_path: Path) -> None:
    archive = write_archive(tmp_path / "in.jsonl", 12)
    summary = batch.run([archive], tmp_path / "out.jsonl")
    assert doc_ids(tmp_path / "out.jsonl") == [f"d{i:04d}" for i in range(12)]
    assert summary.articles == 12
    assert summary.relevant == 9  # every story but the football match
    assert summary.events["strike"] == 3 and summary.events["drugs"] == 3
    assert summary.errors == 0
    assert not (tmp_path / "out.jsonl.partial").exists()
    assert (tmp_path / "out.errors.jsonl").read_text() == ""


def test_an_archives_year_dates_the_yearless_days_of_its_undated_articles(tmp_path: Path) -> None:
    archive = write_archive(tmp_path / "in.jsonl", 3)
    batch.run([archive], tmp_path / "out.jsonl", published="2017")
    records = [json.loads(line) for line in (tmp_path / "out.jsonl").open(encoding="utf-8")]
    strike = next(e for e in records[0]["events"] if e["type"] == "strike")
    assert (records[0]["published"], strike["time"]["start"]) == ("2017", "2017-03-12")
    # a run given another date is another run, not one to resume; a run given none is as before
    assert batch.manifest([archive], "v", 10, "2017") != batch.manifest([archive], "v", 10, "2018")
    assert "published" not in batch.manifest([archive], "v", 10)


def test_workers_give_the_same_records(tmp_path: Path) -> None:
    archive = write_archive(tmp_path / "in.jsonl", 40)
    batch.run([archive], tmp_path / "one.jsonl")
    batch.run([archive], tmp_path / "two.jsonl", workers=2, chunk_size=3)
    assert (tmp_path / "one.jsonl").read_bytes() == (tmp_path / "two.jsonl").read_bytes()


def _run_and_die(archive: str, output: str, after: int) -> None:
    """A run killed hard (as by the OOM killer or a power cut) after `after` articles."""
    seen = 0

    def progress(n: int) -> None:
        nonlocal seen
        seen += n
        if seen >= after:
            os.kill(os.getpid(), signal.SIGKILL)

    batch.run([archive], Path(output), shard_size=7, on_progress=progress)


def test_resume_after_kill_gives_each_record_once(tmp_path: Path) -> None:
    archive = write_archive(tmp_path / "in.jsonl", 60)
    with (tmp_path / "in.jsonl").open("a", encoding="utf-8") as fh:
        fh.write("{not json\n")  # a problem, reported once whether or not the run is resumed
    output = tmp_path / "out.jsonl"
    killed = multiprocessing.get_context("fork").Process(target=_run_and_die, args=(str(archive), str(output), 30))
    killed.start()
    killed.join()
    assert killed.exitcode == -signal.SIGKILL
    assert not output.exists()  # nothing half-written at the target
    partial = tmp_path / "out.jsonl.partial"
    assert list(partial.glob("part-*.jsonl"))  # some finished work was checkpointed

    with pytest.raises(batch.RunConflict, match="--resume"):
        batch.run([archive], output)
    summary = batch.run([archive], output, resume=True)
    assert summary.resumed > 0
    batch.run([archive], tmp_path / "uninterrupted.jsonl")
    assert output.read_bytes() == (tmp_path / "uninterrupted.jsonl").read_bytes()
    assert len(set(doc_ids(output))) == 60
    errors = (tmp_path / "out.errors.jsonl").read_text().splitlines()
    assert len(errors) == 1 and json.loads(errors[0])["source"].endswith("in.jsonl:61")


def test_resume_refuses_a_changed_input(tmp_path: Path) -> None:
    archive = write_archive(tmp_path / "in.jsonl", 5)
    output = tmp_path / "out.jsonl"
    (tmp_path / "out.jsonl.partial").mkdir()
    (tmp_path / "out.jsonl.partial" / "run.json").write_text('{"inputs": []}')
    with pytest.raises(batch.RunConflict, match="other inputs"):
        batch.run([archive], output, resume=True)


def test_bad_input_is_reported_and_the_rest_extracted(tmp_path: Path) -> None:
    folder = tmp_path / "archive"
    folder.mkdir()
    write_archive(folder / "good.jsonl", 4)
    (folder / "bad.jsonl").write_text('{"doc_id": "e1", "text": ""}\n{"doc_id": "x", "text": "Tin\\n'
                                      + STORIES[1].replace('"', "") + '"}\nnot json at all\n', encoding="utf-8")
    (folder / "junk.txt").write_bytes(os.urandom(2048))
    output = tmp_path / "out.jsonl"
    summary = batch.run([folder], output)
    assert sorted(doc_ids(output)) == ["d0000", "d0001", "d0002", "d0003", "x"]
    reasons = [json.loads(line) for line in (tmp_path / "out.errors.jsonl").open(encoding="utf-8")]
    assert summary.errors == 3 == len(reasons)
    assert {r["source"].split("/")[-1].split(":")[0] for r in reasons} == {"bad.jsonl", "junk.txt"}
    assert all(r["reason"] for r in reasons)


@pytest.mark.parametrize("suffix", [".parquet", ".csv", ".duckdb", ".jsonl.gz"])
def test_every_output_format(tmp_path: Path, suffix: str) -> None:
    from pipeline.write import read_records

    archive = write_archive(tmp_path / "in.jsonl", 8)
    summary = batch.run([archive], tmp_path / f"out{suffix}")
    assert summary.outputs[0] == tmp_path / f"out{suffix}"
    if suffix != ".csv":
        records = list(read_records(tmp_path / f"out{suffix}"))
        assert [r.doc_id for r in records] == [f"d{i:04d}" for i in range(8)]
        assert sum(len(r.events) for r in records) == sum(summary.events.values())
