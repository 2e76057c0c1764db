"""Event cues from the lexicon: a cheap first pass that scores each sentence per event type.

One regular expression over the whole lower-cased text finds every cue; confusers
("bùng nổ", "cướp lộc") are cues of their own that win the overlap and score nothing.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from functools import cache

from pipeline.document import Document
from pipeline.extractor import component
from pipeline.normalise import normalise_str
from pipeline.resources import read_tsv

CONFUSER = "-"


@cache
def cue_lexicon(path: str) -> tuple[re.Pattern[str], dict[str, list[tuple[str, float]]]]:
    cues: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for row in read_tsv(path):
        cues[normalise_str(row["cue"]).lower()].append((row["label"], float(row["weight"])))
    alternation = "|".join(re.escape(c) for c in sorted(cues, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternation})(?!\w)"), dict(cues)


@cache
def yields_to() -> dict[str, frozenset[str]]:
    return {row["label"]: frozenset(filter(None, row["yields_to"].split(",")))
            for row in read_tsv("taxonomy", "events.tsv")}


@component("cues")
class EventCues:
    """Sum cue weights per sentence and label, then let labels yield to the ones that outrank them."""

    def __init__(self, lexicon: str = "lexicons/event_cues.tsv", cap: float = 2.0) -> None:
        self.pattern, self.cues = cue_lexicon(lexicon)
        self.cap = cap

    def __call__(self, doc: Document) -> Document:
        if not doc.sentences:
            return doc
        starts = [s.start for s in doc.sentences]
        for match in self.pattern.finditer(doc.text.text.lower()):
            sentence = doc.sentences[bisect_right(starts, match.start()) - 1]
            for label, weight in self.cues[match.group()]:
                if label != CONFUSER:
                    sentence.labels[label] = min(self.cap, sentence.labels.get(label, 0.0) + weight)
        return doc


def typed_labels(scores: dict[str, float], threshold: float) -> list[str]:
    """The labels a sentence is given: strong enough and not outranked by another given label."""
    strong = {label for label, score in scores.items() if score >= threshold}
    ranks = yields_to()
    return sorted(label for label in strong if not (ranks.get(label, frozenset()) & strong))
