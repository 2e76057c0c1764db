"""Extraction on a Dask cluster: the same extractor on every worker, a partitioned Parquet dataset out.

The client streams the archive through `read_articles` (so duplicate doc_ids and bad lines
are judged across the whole archive, exactly as in a local run) and sends partitions of
articles to the workers, only a few per worker at a time, so its memory stays flat. Every
worker loads the extractor once (all of them must have the same version), and writes its partition
as `OUT.parquet.partial/{articles,events,counts}/part-NNNNN.parquet` plus a `done/` marker
holding the partition's problems and tallies: the output folder must be on a filesystem every
worker and the client see at the same path. A killed run resumes from the finished parts.
When all parts are in, the folder becomes `OUT.parquet/`; `pipeline.write.read_records`
reads it back in input order, record for record what `pipeline.batch.run` writes.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from itertools import islice
from pathlib import Path
from typing import Any

from distributed import Client, LocalCluster, as_completed, get_worker

from pipeline.batch import Item, Summary, claim_folder, errors_path, extract_items, manifest
from pipeline.document import Problem, Record
from pipeline.extractor import Extractor
from pipeline.ingest import read_articles
from pipeline.write import output_format
from pipeline.write.atomic import atomic_output
from pipeline.write.formats import write_parquet_part
from pipeline.write.schema import TABLES

Tally = dict[str, Any]  # a partition's share of the Summary, as JSON


def run(
    inputs: Sequence[str | Path],
    output: Path,
    *,
    model: str | Path | None = None,
    workers: int = 1,
    scheduler: str | None = None,
    resume: bool = False,
    max_chars: int = 2_000_000,
    published: str | None = None,
    partition_size: int = 200,
    on_progress: Callable[[int], None] | None = None,
) -> Summary:
    """Extract every article of `inputs` into the dataset folder `output` (OUT.parquet) on the Dask
    cluster at `scheduler`, or on a local cluster of `workers` processes; see the module docstring."""
    output = Path(output)
    if output_format(output) != ".parquet":
        raise ValueError(f"{output}: the dask engine writes a partitioned Parquet dataset; name it OUT.parquet")
    if output.exists() and not (output / TABLES[0]).is_dir():
        raise ValueError(f"{output} exists and is not a partitioned dataset folder; remove it or pick another name")
    started = time.perf_counter()
    work = output.resolve().with_name(output.name + ".partial")
    advance = on_progress or (lambda n: None)
    read_problems: list[dict[str, Any]] = []
    done: dict[int, Tally] = {}

    def articles() -> Iterator[Item]:
        for seq, item in enumerate(read_articles(inputs, max_chars=max_chars, published=published)):
            if isinstance(item, Problem):
                read_problems.append({"seq": seq, **item.to_json()})
                advance(item.severity == "error")  # a warning comes with an article, counted there
            else:
                yield seq, item

    def keep(index: int, tally: Tally) -> None:
        done[index] = tally
        advance(tally["summary"]["articles"] + len(tally["problems"]))

    with _connect(scheduler, workers) as client:
        version = _cluster_version(client, model)
        claim_folder(work, manifest(inputs, version, max_chars, published) | {"partition_size": partition_size},
                     resume=resume)
        done.update(_finished(work))
        summary = Summary(resumed=sum(t["summary"]["articles"] for t in done.values()))
        running = as_completed(with_results=True)
        run_id = uuid.uuid4().hex[:8]
        items = articles()
        for index, partition in enumerate(iter(lambda: list(islice(items, partition_size)), [])):
            if index in done:
                advance(len(partition))
                continue
            running.add(client.submit(_extract_partition, index, partition, model, version, str(work),
                                      key=f"vnsec-extract-{run_id}-{index:05d}"))
            while running.count() >= max(2, 2 * sum(client.nthreads().values())):  # bounded: memory stays flat
                keep(*next(running)[1])
        for _, result in running:
            keep(*result)

    for tally in done.values():
        _add(summary, tally["summary"])
    problems = sorted(read_problems + [p for t in done.values() for p in t["problems"]], key=lambda p: p["seq"])
    summary.errors = sum(p["severity"] == "error" for p in problems)
    summary.warnings = len(problems) - summary.errors
    summary.errors_file = errors_path(output)
    with atomic_output(summary.errors_file, encoding="utf-8") as fh:
        for problem in problems:
            fh.write(json.dumps({k: v for k, v in problem.items() if k != "seq"}, ensure_ascii=False) + "\n")
    _publish(work, output)
    summary.outputs = [output]
    summary.seconds = time.perf_counter() - started
    return summary


@contextmanager
def _connect(scheduler: str | None, workers: int) -> Iterator[Client]:
    if scheduler is None:
        with (LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
              Client(cluster) as client):
            yield client
        return
    try:
        client = Client(scheduler)
    except OSError as exc:
        raise ValueError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from exc
    with client:
        yield client


def _cluster_version(client: Client, model: str | Path | None) -> str:
    """Load the extractor on every worker at once, and check that they all have the same one."""
    futures = [client.submit(_version, model, workers=[w], pure=False) for w in client.nthreads()]
    versions = dict(client.gather(futures or [client.submit(_version, model, pure=False)]))
    if len(set(versions.values())) > 1:
        raise ValueError("the workers have different extractors, their output would differ: "
                         + ", ".join(f"{w}: {v}" for w, v in sorted(versions.items())))
    return next(iter(versions.values()))


def _version(model: str | Path | None) -> tuple[str, str]:
    return get_worker().address, _extractor(model).version


_LOADED: dict[str, Extractor] = {}
_LOADING = threading.Lock()


def _extractor(model: str | Path | None) -> Extractor:
    """The worker's extractor for `model`, loaded by the first partition that needs it."""
    with _LOADING:
        if str(model) not in _LOADED:
            _LOADED[str(model)] = Extractor.load(model)
        return _LOADED[str(model)]


def _extract_partition(index: int, items: list[Item], model: str | Path | None, version: str,
                       folder: str) -> tuple[int, Tally]:
    """Runs on a worker: extract one partition, write its parts, then its `done/` marker."""
    extractor = _extractor(model)
    if extractor.version != version:
        raise ValueError(f"worker {get_worker().address} has extractor {extractor.version}, the others "
                         f"{version}: install the same vnsec, data and models on every worker")
    outcomes = extract_items(extractor, items)
    records = [Record.from_json(o["record"]) for _, o in outcomes if "record" in o]
    part = Summary()
    for record in records:
        part.add(record)
    write_parquet_part(records, Path(folder), index)
    tally = {"problems": [{"seq": seq, **o["problem"]} for seq, o in outcomes if "problem" in o],
             "summary": {"articles": part.articles, "relevant": part.relevant, "events": dict(part.events),
                         "kinds": dict(part.kinds), "counts": part.counts}}
    with atomic_output(_marker(Path(folder), index), encoding="utf-8") as fh:
        json.dump(tally, fh, ensure_ascii=False)
    return index, tally


def _marker(folder: Path, index: int) -> Path:
    return folder / "done" / f"part-{index:05d}.json"


def _finished(work: Path) -> dict[int, Tally]:
    """The partitions an earlier run of the same job finished: their markers are written last.
    Only the client makes folders, so a straggling task of a killed run cannot recreate the work folder."""
    for sub in (*TABLES, "done"):
        (work / sub).mkdir(exist_ok=True)
    return {int(p.stem.removeprefix("part-")): json.loads(p.read_text(encoding="utf-8"))
            for p in sorted((work / "done").glob("part-*.json"))}


def _add(summary: Summary, tally: Tally) -> None:
    summary.articles += tally["articles"]
    summary.relevant += tally["relevant"]
    summary.events.update(tally["events"])
    summary.kinds.update(tally["kinds"])
    summary.counts += tally["counts"]


def _publish(work: Path, output: Path) -> None:
    """The work folder, less its bookkeeping, becomes the dataset; a previous dataset is replaced."""
    (work / "run.json").unlink()
    shutil.rmtree(work / "done")
    for table in TABLES:
        for stale in (work / table).glob(".*.tmp-*"):  # left by a worker killed while writing
            stale.unlink()
    old = output.with_name(f".{output.name}.old-{os.getpid()}")
    if output.exists():
        os.replace(output, old)
    os.replace(work, output)
    shutil.rmtree(old, ignore_errors=True)
