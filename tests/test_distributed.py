import json
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from distributed import LocalCluster
from typer.testing import CliRunner

from pipeline import batch, distributed
from pipeline.cli import app
from pipeline.resources import data_path
from pipeline.write import read_records

N_ARTICLES = 40


def write_archive(path: Path) -> Path:
    """40 short articles cut from the sample's paragraphs, with the bad lines a real archive has."""
    paragraphs = [p for line in data_path("sample", "articles.jsonl").open(encoding="utf-8")
                  for p in json.loads(line)["text"].split("\n") if len(p) > 120]
    lines = [json.dumps({"doc_id": f"p{i:03d}", "text": paragraphs[i % len(paragraphs)],
                         "published": f"2024-{i % 12 + 1:02d}-15"}, ensure_ascii=False)
             for i in range(N_ARTICLES)]
    lines[5:5] = ['{"doc_id": "broken", "text": ', json.dumps({"doc_id": "p001", "text": "lặp lại mã bài"}),
                  json.dumps({"doc_id": "empty", "text": "  "})]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def cluster() -> Iterator[LocalCluster]:
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as c:
        yield c


@pytest.fixture(scope="module")
def local(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, batch.Summary]:
    """The reference: a local run of the same archive into JSONL."""
    folder = tmp_path_factory.mktemp("local")
    archive = write_archive(folder / "in.jsonl")
    return archive, batch.run([archive], folder / "out.jsonl")


def as_jsonl(dataset: Path) -> list[str]:
    """The records of a dataset as the lines a JSONL output of them holds (84 and 84.0 differ here)."""
    return [json.dumps(r.to_json(), ensure_ascii=False) + "\n" for r in read_records(dataset)]


def local_lines(archive: Path) -> list[str]:
    return archive.with_name("out.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)


def test_dask_run_writes_the_local_records_as_a_partitioned_dataset(
        tmp_path: Path, cluster: LocalCluster, local: tuple[Path, batch.Summary]) -> None:
    archive, reference = local
    out = tmp_path / "out.parquet"
    summary = distributed.run([archive], out, scheduler=cluster.scheduler_address, partition_size=6)
    expected = local_lines(archive)
    assert len(expected) == N_ARTICLES
    assert as_jsonl(out) == expected  # same records, same order
    assert (tmp_path / "out.errors.jsonl").read_bytes() == archive.with_name("out.errors.jsonl").read_bytes()
    assert [(s.articles, s.relevant, s.events, s.counts, s.errors) for s in (summary, reference)] == \
        [(reference.articles, reference.relevant, reference.events, reference.counts, 3)] * 2
    parts = sorted(p.name for p in (out / "events").iterdir())
    assert parts == [f"part-{i:05d}.parquet" for i in range(7)]  # 40 articles in partitions of 6
    assert sorted(p.name for p in out.iterdir()) == ["articles", "counts", "events"]
    assert not out.with_name("out.parquet.partial").exists()
    with duckdb.connect() as con:  # the dataset is one table to SQL engines
        n_events = con.execute(f"SELECT count(*) FROM read_parquet('{out}/events/*.parquet')").fetchone()
    assert n_events == (sum(len(json.loads(line)["events"]) for line in expected),)


def test_cli_engine_dask_replaces_an_earlier_dataset(tmp_path: Path, cluster: LocalCluster,
                                                     local: tuple[Path, batch.Summary]) -> None:
    archive, _ = local
    out = tmp_path / "records.parquet"
    command = ["extract", str(archive), "-o", str(out), "--engine", "dask", "--scheduler",
               cluster.scheduler_address, "--no-progress"]
    for _ in range(2):
        result = CliRunner().invoke(app, command)
        assert result.exit_code == 0, result.output
    assert as_jsonl(out) == local_lines(archive)


def test_killed_run_resumes_to_the_same_dataset(tmp_path: Path, cluster: LocalCluster,
                                                local: tuple[Path, batch.Summary]) -> None:
    archive, _ = local
    out = tmp_path / "out.parquet"

    def die_after_a_partition(n: int) -> None:
        if n > 1:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        distributed.run([archive], out, scheduler=cluster.scheduler_address, partition_size=6,
                        on_progress=die_after_a_partition)
    assert not out.exists()
    with pytest.raises(batch.RunConflict):
        distributed.run([archive], out, scheduler=cluster.scheduler_address, partition_size=6)
    summary = distributed.run([archive], out, scheduler=cluster.scheduler_address, partition_size=6, resume=True)
    assert 6 <= summary.resumed < N_ARTICLES
    assert summary.articles == N_ARTICLES
    assert as_jsonl(out) == local_lines(archive)


def test_output_must_be_a_parquet_dataset(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="partitioned Parquet"):
        distributed.run([tmp_path / "in.jsonl"], tmp_path / "out.jsonl")
    (tmp_path / "single.parquet").write_bytes(b"PAR1")
    with pytest.raises(ValueError, match="not a partitioned dataset"):
        distributed.run([tmp_path / "in.jsonl"], tmp_path / "single.parquet")
