"""Batch extraction over an archive: streaming, parallel, resumable, honest about bad input.

Records are checkpointed under `OUT.partial/` as they are made: shards of records, each
renamed into place only when complete, and an append-only list of problems. A killed run
loses at most the shard it was filling, and `--resume` skips every input item already
done. The output is assembled from the shards in input order and written atomically,
so a resumed run ends with exactly the records an uninterrupted run gives.
"""

from __future__ import annotations

import heapq
import json
import os
import shutil
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import IO, Any

from pipeline.document import Article, Problem, Record
from pipeline.extractor import Extractor
from pipeline.ingest import read_articles
from pipeline.write import output_format, write_records
from pipeline.write.atomic import atomic_output

Item = tuple[int, Article]
Outcome = tuple[int, dict[str, Any]]  # (input position, {"record": ...} or {"problem": ...})


class RunConflict(RuntimeError):
    """A previous run's checkpoints are in the way, or do not belong to this run."""


@dataclass
class Summary:
    articles: int = 0
    relevant: int = 0
    events: Counter[str] = field(default_factory=Counter)
    kinds: Counter[str] = field(default_factory=Counter)
    counts: int = 0
    errors: int = 0
    warnings: int = 0
    resumed: int = 0  # items already done by the run that was resumed
    seconds: float = 0.0
    outputs: list[Path] = field(default_factory=list)
    errors_file: Path | None = None

    @property
    def docs_per_second(self) -> float:
        return (self.articles - self.resumed) / self.seconds if self.seconds else 0.0

    def add(self, record: Record) -> None:
        self.articles += 1
        self.relevant += record.relevant
        for event in record.events:
            self.events[event.type] += 1
            self.kinds[event.kind] += 1
            self.counts += len(event.counts)


def errors_path(output: Path) -> Path:
    suffix = output_format(output)
    return output.with_name(output.name[: -len(suffix)] + ".errors.jsonl")


def run(
    inputs: Sequence[str | Path],
    output: Path,
    *,
    model: str | Path | None = None,
    workers: int = 1,
    resume: bool = False,
    max_chars: int = 2_000_000,
    published: str | None = None,
    shard_size: int = 500,
    chunk_size: int = 16,
    on_progress: Callable[[int], None] | None = None,
) -> Summary:
    """Extract every article of `inputs` into `output`; see the module docstring."""
    output = Path(output)
    output_format(output)  # fail before any work on an unsupported suffix
    started = time.perf_counter()
    checkpoint = Checkpoint(output.with_name(output.name + ".partial"), shard_size)
    extractor = Extractor.load(model)
    checkpoint.open(manifest(inputs, extractor.version, max_chars, published), resume=resume)
    summary = Summary(resumed=len(checkpoint.done))
    advance = on_progress or (lambda n: None)

    def todo() -> Iterator[Item]:
        for seq, item in enumerate(read_articles(inputs, max_chars=max_chars, published=published)):
            if seq in checkpoint.done:
                advance(1)
            elif isinstance(item, Problem):
                checkpoint.add(seq, {"problem": item.to_json()})
                advance(item.severity == "error")  # a warning comes with an article, counted there
            else:
                yield seq, item

    def keep(outcomes: list[Outcome]) -> None:
        for seq, outcome in outcomes:
            checkpoint.add(seq, outcome)
        advance(len(outcomes))

    try:
        chunks = _chunks(todo(), chunk_size)
        if workers <= 1:
            global _EXTRACTOR
            _EXTRACTOR = extractor
            for chunk in chunks:
                keep(_extract_chunk(chunk))
        else:
            with ProcessPoolExecutor(workers, initializer=_init_worker, initargs=(model,)) as pool:
                pending: deque[Future[list[Outcome]]] = deque()
                for chunk in chunks:
                    pending.append(pool.submit(_extract_chunk, chunk))
                    while len(pending) >= workers * 4:  # bounded: memory stays flat
                        keep(pending.popleft().result())
                while pending:
                    keep(pending.popleft().result())
    finally:
        checkpoint.close()

    def counted(records: Iterator[Record]) -> Iterator[Record]:
        for record in records:
            summary.add(record)
            yield record

    summary.outputs = write_records(counted(checkpoint.records()), output)
    problems = checkpoint.problems()
    summary.errors = sum(p["severity"] == "error" for p in problems)
    summary.warnings = len(problems) - summary.errors
    summary.errors_file = errors_path(output)
    with atomic_output(summary.errors_file, encoding="utf-8") as fh:
        for problem in problems:
            fh.write(json.dumps(problem, ensure_ascii=False) + "\n")
    checkpoint.remove()
    summary.seconds = time.perf_counter() - started
    return summary


def manifest(inputs: Sequence[str | Path], extractor: str, max_chars: int,
             published: str | None = None) -> dict[str, Any]:
    """What makes a resumed run the same run: the inputs as they were, the extractor, the limits,
    the date given to undated articles."""
    files = []
    for path in map(Path, inputs):
        stat = path.stat() if path.exists() else None
        files.append([str(path.resolve()), stat.st_size if stat and path.is_file() else None,
                      int(stat.st_mtime) if stat else None])
    return {"inputs": files, "extractor": extractor, "max_chars": max_chars} | (
        {"published": published} if published else {})


def claim_folder(folder: Path, manifest: dict[str, Any], *, resume: bool) -> bool:
    """Make `folder` the work folder of the run `manifest` describes; True if it continues an earlier one."""
    manifest_file = folder / "run.json"
    if not folder.exists():
        folder.mkdir(parents=True)
        manifest_file.write_text(json.dumps(manifest), encoding="utf-8")
        return False
    if not resume:
        raise RunConflict(f"{folder} holds the checkpoints of an unfinished run: "
                          "add --resume to continue it, or delete the folder to start over")
    previous = json.loads(manifest_file.read_text(encoding="utf-8")) if manifest_file.exists() else None
    if previous != manifest:
        raise RunConflict(f"{folder} belongs to a run with other inputs, extractor or limits; delete it to start over")
    return True


def _chunks(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


_EXTRACTOR: Extractor | None = None


def _init_worker(model: str | Path | None) -> None:
    """Load the extractor once per process, not once per article."""
    global _EXTRACTOR
    _EXTRACTOR = Extractor.load(model)


def _extract_chunk(chunk: list[Item]) -> list[Outcome]:
    assert _EXTRACTOR is not None
    return extract_items(_EXTRACTOR, chunk)


def extract_items(extractor: Extractor, items: Iterable[Item]) -> list[Outcome]:
    """Records, or a problem for each article the extractor fails on; shared by every engine."""
    outcomes: list[Outcome] = []
    for seq, article in items:
        try:
            outcomes.append((seq, {"record": extractor(article).to_json()}))
        except Exception as exc:  # one article's failure must not stop the batch
            problem = Problem(article.origin, f"extraction failed: {type(exc).__name__}: {exc}", article.doc_id)
            outcomes.append((seq, {"problem": problem.to_json()}))
    return outcomes


class Checkpoint:
    """The work folder of a run: `part-NNNNN.jsonl` shards of records and `problems.jsonl`."""

    def __init__(self, folder: Path, shard_size: int) -> None:
        self.folder = folder
        self.shard_size = shard_size
        self.done: set[int] = set()
        self._shard: IO[str] | None = None
        self._shard_lines = 0
        self._next_shard = 0
        self._problems: IO[str] | None = None

    def open(self, manifest: dict[str, Any], *, resume: bool) -> None:
        if claim_folder(self.folder, manifest, resume=resume):
            for stale in self.folder.glob("*.tmp"):
                stale.unlink()
            shards = self._shards()
            self._next_shard = len(shards)
            self.done = {json.loads(line)["seq"] for shard in shards for line in shard.open(encoding="utf-8")}
            self.done |= {p["seq"] for p in self._read_problems()}
        self._problems = (self.folder / "problems.jsonl").open("a", encoding="utf-8")

    def add(self, seq: int, outcome: dict[str, Any]) -> None:
        if "problem" in outcome:
            assert self._problems is not None
            self._problems.write(json.dumps({"seq": seq, **outcome["problem"]}, ensure_ascii=False) + "\n")
            self._problems.flush()
            return
        if self._shard is None:
            self._shard = self._shard_path(self._next_shard, tmp=True).open("w", encoding="utf-8")
        self._shard.write(json.dumps({"seq": seq, **outcome}, ensure_ascii=False) + "\n")
        self._shard_lines += 1
        if self._shard_lines >= self.shard_size:
            self._seal()

    def _seal(self) -> None:
        """Make the current shard part of the checkpoint: complete on disk, then renamed."""
        if self._shard is None:
            return
        self._shard.flush()
        os.fsync(self._shard.fileno())
        self._shard.close()
        os.replace(self._shard_path(self._next_shard, tmp=True), self._shard_path(self._next_shard))
        self._shard, self._shard_lines = None, 0
        self._next_shard += 1

    def close(self) -> None:
        self._seal()
        if self._problems is not None:
            self._problems.close()
            self._problems = None

    def records(self) -> Iterator[Record]:
        """All checkpointed records in input order, streamed."""
        streams = [(json.loads(line) for line in shard.open(encoding="utf-8")) for shard in self._shards()]
        for entry in heapq.merge(*streams, key=lambda e: e["seq"]):
            yield Record.from_json(entry["record"])

    def problems(self) -> list[dict[str, Any]]:
        unique = {p["seq"]: p for p in self._read_problems()}
        return [{k: v for k, v in unique[seq].items() if k != "seq"} for seq in sorted(unique)]

    def _read_problems(self) -> list[dict[str, Any]]:
        path = self.folder / "problems.jsonl"
        if not path.exists():
            return []
        problems = []
        for line in path.open(encoding="utf-8"):
            try:
                problems.append(json.loads(line))
            except json.JSONDecodeError:  # the last line of a killed run may be cut short
                continue
        return problems

    def remove(self) -> None:
        shutil.rmtree(self.folder)

    def _shards(self) -> list[Path]:
        return sorted(self.folder.glob("part-*.jsonl"))

    def _shard_path(self, index: int, *, tmp: bool = False) -> Path:
        return self.folder / (f"part-{index:05d}.jsonl" + (".tmp" if tmp else ""))
