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
from collections.abc import Callable, Iterable, Iterator
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


def alternation(phrases: Iterable[str], atom: Callable[[str], str] = re.escape) -> str:
    """Phrases as one regular expression that matches the longest phrase it can ("cướp giật"
    over "cướp"); one that never matches when empty. The alternation is shaped as a
    character trie, so that the engine reads a few hundred cues in one pass over each
    position instead of trying them one by one. `atom` writes one character as a pattern."""
    trie: dict[str, dict] = {}
    for phrase in phrases:
        node = trie
        for ch in phrase:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, dict]) -> str:
        # one child at most matches a character, and a longer path is tried before an end
        alts = [atom(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 and "" not in node else "(?:" + "|".join(alts) + ")"
        return body + "?" if "" in node else body

    return emit(trie) if trie and trie.keys() != {""} else "(?!)"
