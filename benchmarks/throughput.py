"""Throughput of `vnsec extract` on the shared corpus, against underthesea's word_tokenize.

Prints docs/s and peak memory of the extraction run, and docs/s of simply word-tokenising
the same articles with the same number of processes, measured in the same run so that the
ratio holds on a shared, noisy machine.

    python benchmarks/throughput.py [--limit N] [--workers 2] [--corpus PATH]
"""

from __future__ import annotations

import argparse
import gzip
import json
import resource
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from itertools import islice
from pathlib import Path

from pipeline import batch

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "baomoi-2017.jsonl.gz"


def _tokenise_chunk(texts: list[str]) -> int:
    from underthesea import word_tokenize

    for text in texts:
        word_tokenize(text)
    return len(texts)


def word_tokenize_rate(texts: list[str], workers: int) -> float:
    started = time.perf_counter()
    chunks = [texts[i:i + 32] for i in range(0, len(texts), 32)]
    with ProcessPoolExecutor(workers) as pool:
        done = sum(pool.map(_tokenise_chunk, chunks))
    return done / (time.perf_counter() - started)


def peak_rss_mb() -> tuple[float, float]:
    """Peak resident memory of this process and of the largest child process (Linux: KiB)."""
    return (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--limit", type=int, default=0, help="first N articles only (0: all)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--baseline-limit", type=int, default=3000,
                        help="articles for the word_tokenize baseline (0: as many as extracted)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        source = args.corpus
        if args.limit:
            source = Path(tmp) / "sample.jsonl"
            with gzip.open(args.corpus, "rt", encoding="utf-8") as fh, source.open("w", encoding="utf-8") as out:
                out.writelines(islice(fh, args.limit))
        summary = batch.run([source], Path(tmp) / "records.jsonl", workers=args.workers)
        extract_rss = peak_rss_mb()
        n_base = args.baseline_limit or summary.articles
        with gzip.open(args.corpus, "rt", encoding="utf-8") as fh:
            texts = [json.loads(line)["text"] for line in islice(fh, n_base)]
        baseline = word_tokenize_rate(texts, args.workers)

    rate = summary.docs_per_second
    print(f"articles           {summary.articles:,} ({summary.relevant:,} relevant, "
          f"{sum(summary.events.values()):,} events, {summary.counts:,} counts, {summary.errors} errors)")
    print(f"extract            {rate:,.1f} docs/s with {args.workers} workers ({summary.seconds:,.0f} s)")
    print(f"peak memory        {extract_rss[0]:,.0f} MB main process, {extract_rss[1]:,.0f} MB largest worker")
    print(f"word_tokenize      {baseline:,.1f} docs/s with {args.workers} workers on {len(texts):,} articles")
    print(f"ratio              {rate / baseline:,.2f}x the speed of word-tokenising every article")


if __name__ == "__main__":
    main()
