"""Pages per second of `vnsec crawl` against a local copy of a news site, politeness off and on.

    python benchmarks/crawl_local.py [--articles 300] [--polite-pages 15] [--concurrency 4]

Politeness off shows what the engine itself can do (fetch, parse, archive, commit per page);
politeness on, with the configured defaults (data/config/crawl.toml), shows the rate a real
site sees. The local site is the test server of tests/sites/, serving laodong.vn's markup.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from sites.server import NewsSite, Server  # noqa: E402

from scrapers.crawl import Crawler, Limits, Summary  # noqa: E402
from scrapers.engine import Policy  # noqa: E402
from scrapers.sites import load_site  # noqa: E402


def run(articles: int, polite: bool, max_pages: int | None, concurrency: int | None) -> tuple[Summary, float]:
    with Server() as server, tempfile.TemporaryDirectory() as out:
        site = load_site("laodong", server.base)
        NewsSite(server, site, per_listing=articles // 2, per_page=20)
        policy = Policy.configured("benchmark@example.org", polite=polite, concurrency=concurrency)
        summary = Crawler(site, Path(out), policy, Limits(max_pages=max_pages)).run()
        starts = sorted(h.start for h in server.hits)
        seen_rate = (len(starts) - 1) / (starts[-1] - starts[0]) if len(starts) > 1 else 0.0
    return summary, seen_rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--polite-pages", type=int, default=15, help="pages to crawl with politeness on")
    parser.add_argument("--concurrency", type=int, default=4, help="requests in flight, politeness off")
    args = parser.parse_args()
    rows = [("politeness off", *run(args.articles, False, None, args.concurrency)),
            ("politeness on (config defaults)", *run(args.articles, True, args.polite_pages, None))]
    print(f"{'':34}{'pages':>7}{'articles':>10}{'seconds':>9}{'pages/s':>9}{'server saw req/s':>18}")
    for label, summary, seen in rows:
        print(f"{label:34}{summary.pages:>7}{summary.articles:>10}{summary.seconds:>9.1f}"
              f"{summary.pages_per_second:>9.1f}{seen:>18.2f}")


if __name__ == "__main__":
    main()
