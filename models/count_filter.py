"""The learned count filter: which figures found near an event really count it.

The counts component proposes every figure of an event's sentences; many describe the
setting instead ("hàng chục cán bộ, chiến sĩ" sent to a fire, "10 xe chuyên dụng", a
company's 500.000 members). A linear model over the figure's noun, unit, qualifier, the
words around it and the event it is attached to keeps those that count the event.
Same surface as the sentence typer (models/linear.py).
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections import Counter
from pathlib import Path
from typing import Any

from models.linear import CandidateClassifier, Features, GoldRecord
from pipeline.document import Count, Document, Event
from pipeline.extract import mentions
from pipeline.extractor import component

CountRef = tuple[int, int]  # (event index, count index) in doc.events

_WORD = re.compile(r"\w+")


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def count_features(doc: Document, event: Event, count: Count) -> Features:
    text = doc.article.text
    noun = _words(count.text)
    noun = [w for w in noun if not w.isdigit()]
    before = _words(text[max(0, count.start - 40):count.start])[-3:]
    after = _words(text[count.end:count.end + 30])[:2]
    magnitude = int(math.log10(count.value)) if count.value >= 1 else -1
    f: Features = {
        "bias": 1,
        f"unit={count.unit}": 1,
        f"unit={count.unit}|type={event.type}": 1,
        f"unit={count.unit}|kind={event.kind}": 1,
        f"qualifier={count.qualifier}": 1,
        f"magnitude={min(magnitude, 6)}": 1,
        f"unit={count.unit}|one": int(count.value == 1),
        "in_evidence": int(_in_own_sentence(doc, event, count)),
        "sentences_after=" + _after(doc, event, count): 1,
        "evidence_is_title": int(event.sentence == 0),
        f"kind={event.kind}": 1,
        "in_parentheses": int("(" in text[max(0, count.start - 3):count.start]),
        # a headline figure: the title or another sentence gives the same number again
        "told_again": int(told_again(doc, count)),
        "in_title": int(bool(doc.sentences) and count.start < doc.span(doc.sentences[0].start,
                                                                       doc.sentences[0].end)[2]),
    }
    near = cue_near(doc, event, count)
    f["cue_near=" + near] = 1
    f[f"cue_near={near}|unit={count.unit}"] = 1
    for w in noun[-3:]:
        f[f"noun={w}"] = 1
        f[f"noun={w}|unit={count.unit}"] = 1
    if noun:
        f[f"head={' '.join(noun[-2:])}"] = 1
    for i, w in enumerate(reversed(before)):
        f[f"before{i}={w}"] = 1
        f[f"before={w}"] = 1
    for i, w in enumerate(after):
        f[f"after{i}={w}"] = 1
    return f


def sentence_starts(doc: Document) -> list[int]:
    """Where each sentence starts in the original text, to place a figure in its sentence."""
    return doc.memo("sentence_starts", lambda: [doc.span(s.start, s.start)[1] for s in doc.sentences])


def cue_near(doc: Document, event: Event, count: Count) -> str:
    """How far the figure stands from a cue of its event's type in its sentence, and on which
    side: "trộm 3 nhẫn vàng" counts the loot, "dùng 8 chiếc máy cày" far from "cướp" the means."""
    sentence = doc.sentences[bisect_right(sentence_starts(doc), count.start) - 1]
    gaps = []
    for cue in sentence.cues:
        if cue.label == event.type:
            _, start, end = doc.span(sentence.start + cue.start, sentence.start + cue.end)
            gaps.append((start - count.end, "after") if start >= count.start else (count.start - end, "before"))
    if not gaps:
        return "none"
    gap, side = min(gaps)
    return side + ("_near" if gap <= 20 else "_mid" if gap <= 60 else "_far")


def told_again(doc: Document, count: Count) -> bool:
    """Whether a figure of the same unit and value stands elsewhere in the article."""
    def figures() -> Counter[tuple[str, float]]:
        return Counter((c.unit, c.value) for s in doc.sentences for c in mentions.counts(doc, s) if not c.per_unit)
    return doc.memo("count_filter:figures", figures)[count.unit, count.value] >= 2


def _in_own_sentence(doc: Document, event: Event, count: Count) -> bool:
    """In the evidence, or in another sentence that tells the same occurrence."""
    if event.start <= count.start < event.end:
        return True
    for index in event.retold:
        _, start, end = doc.span(doc.sentences[index].start, doc.sentences[index].end)
        if start <= count.start < end:
            return True
    return False


def _after(doc: Document, event: Event, count: Count) -> str:
    """How many sentences after the evidence the figure stands (0: in the event's own sentences)."""
    if count.start < event.end or _in_own_sentence(doc, event, count):
        return "0"
    return str(min(bisect_right(sentence_starts(doc), count.start) - 1 - event.sentence, 4))


def candidates(doc: Document) -> list[tuple[CountRef, Features]]:
    return [((i, j), count_features(doc, event, count))
            for i, event in enumerate(doc.events) for j, count in enumerate(event.counts)]


def matched(doc: Document, gold: GoldRecord) -> set[CountRef]:
    """The proposed counts that a gold count of the same type, unit and value (within 0.5%,
    as the scorer compares) stands for; each gold count answers for one proposal."""
    left = Counter((e.get("type"), c.get("unit"), float(c.get("value")))
                   for e in gold.get("events", []) if gold.get("relevant") for c in e.get("counts", []))
    hits = set()
    for i, event in enumerate(doc.events):
        for j, count in enumerate(event.counts):
            for key in left:
                t, u, v = key
                if left[key] and t == event.type and u == count.unit and abs(count.value - v) <= 0.005 * max(v, 1):
                    left[key] -= 1
                    hits.add((i, j))
                    break
    return hits


class CountClassifier(CandidateClassifier):
    def candidates(self, doc: Document) -> list[tuple[CountRef, Features]]:
        return candidates(doc)

    def confirmed(self, doc: Document, gold: GoldRecord) -> set[CountRef]:
        return matched(doc, gold)


class CountFilter:
    """Pipeline component: drop the proposed counts the model does not keep."""

    def __init__(self, estimator: CountClassifier) -> None:
        self.estimator = estimator

    def __call__(self, doc: Document) -> Document:
        kept = self.estimator.predict([doc])[0]
        for i, event in enumerate(doc.events):
            event.counts = [c for j, c in enumerate(event.counts) if (i, j) in kept]
        return doc


@component("count_filter")
def load_count_filter(model_dir: Path, file: str = "count_filter.skops", **params: Any) -> CountFilter:
    return CountFilter(CountClassifier.load(Path(model_dir) / file, **params))
