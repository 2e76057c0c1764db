"""Where the project's data files live, and plain readers for them.

Lexicons, gazetteers and configuration are data under `data/`; code only reads them.
An installed wheel carries them as `pipeline/data`, a source checkout has them at the
repository root; VNSEC_DATA points elsewhere for experiments.
"""

from __future__ import annotations

import csv
import os
import re
import tomllib
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import Any


@cache
def data_dir() -> Path:
    override = os.environ.get("VNSEC_DATA")
    if override:
        return Path(override)
    here = Path(__file__).resolve().parent
    for candidate in (here / "data", here.parent / "data"):
        if (candidate / "config").is_dir():
            return candidate
    raise FileNotFoundError("vnsec data files not found; set VNSEC_DATA to the project's data/ folder")


def data_path(*parts: str) -> Path:
    return data_dir().joinpath(*parts)


def read_tsv(*parts: str) -> Iterator[dict[str, str]]:
    """Rows of a tab-separated data file with a header; lines starting with # are comments."""
    with data_path(*parts).open(encoding="utf-8", newline="") as fh:
        lines = (line for line in fh if line.strip() and not line.startswith("#"))
        yield from csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)


def read_toml(*parts: str) -> dict[str, Any]:
    with data_path(*parts).open("rb") as fh:
        return tomllib.load(fh)


def alternation(phrases: Iterable[str]) -> str:
    """Phrases as one regular-expression alternation, longest first so that a longer phrase
    wins over its beginning ("cướp giật" over "cướp"); one that never matches when empty."""
    return "|".join(map(re.escape, sorted(set(phrases), key=len, reverse=True))) or "(?!)"
