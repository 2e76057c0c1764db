"""The numbers that count each event, taken from its evidence sentence.

Prices per unit and background figures ("phường có trên 800 doanh nghiệp") describe the
setting, not the event, and are left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from pipeline.document import Count, Document, Event, Sentence
from pipeline.extract import mentions
from pipeline.extract.cues import nearest_label, whole_word_cues
from pipeline.extract.numbers import CountMention
from pipeline.extractor import component
from pipeline.normalise import normalise_str
from pipeline.resources import alternation, read_tsv


@dataclass(frozen=True, slots=True)
class Background:
    """Cues right before a background figure, cues that make background of every figure after
    them in the sentence, the longer phrases that hold a cue but are none ("thu giữ gồm"), and a
    change set against a baseline ("tăng 8 vụ so với năm trước"), which counts no event."""

    before: re.Pattern[str]
    after: re.Pattern[str]
    not_background: frozenset[str]
    change: re.Pattern[str]
    baseline: re.Pattern[str]
    baseline_first: re.Pattern[str]


@cache
def background_cues(path: str) -> Background:
    rows = list(read_tsv(path))

    def cues(*reach: str) -> str:
        return alternation(normalise_str(r["cue"]).lower() for r in rows if r["reach"] in reach)
    # an ellipsis ("Công an quận 4... 29 xe") goes on listing
    return Background(re.compile(rf"(?<!\w)(?:{cues('word', 'sentence', 'none')})\s*$"),
                      re.compile(rf"(?<!\w)(?:{cues('sentence')})(?!\w)(?:[^.;!?]|\.{{2,}})*$"),
                      frozenset(normalise_str(r["cue"]).lower() for r in rows if r["reach"] == "none"),
                      re.compile(rf"(?<!\w)(?:{cues('change')})\s+$"),
                      re.compile(rf"[^,;.!?]{{0,40}}?(?<!\w)(?:{cues('baseline')})(?!\w)"),
                      re.compile(rf"(?<!\w)(?:{cues('baseline')})(?!\w)"))


@component("counts")
class EventCounts:
    def __init__(self, background_lexicon: str = "lexicons/background_cues.tsv",
                 single_units_skipped: tuple[str, ...] = (), follow: int = 0) -> None:
        self.background = background_cues(background_lexicon)
        # a story goes on past its event sentence: figures in the next sentences that state
        # no event of their own ("Trước đó, ... tiếp nhận 28 du khách nhập viện") belong to it
        self.follow = follow
        # "một vụ", "một người" in a single incident restate the event rather than count it
        self.single_units_skipped = frozenset(single_units_skipped)

    def __call__(self, doc: Document) -> Document:
        seen: dict[tuple[str, str], set[tuple[str, float]]] = {}  # a figure counts once per type and kind
        told_by: dict[int, set[str]] = {}  # sentence -> the types of the events it tells
        for e in doc.events:
            for i in (e.sentence, *e.retold):
                told_by.setdefault(i, set()).add(e.type)
        for event in doc.events:
            seen_here = seen.setdefault((event.type, event.kind), set())
            for sentence in self.telling(doc, event, set(told_by)):
                self.add_counts(doc, event, sentence, seen_here, told_by.get(sentence.index, set()) - {event.type})
        return doc

    def telling(self, doc: Document, event: Event, stating: set[int]) -> list[Sentence]:
        """The event's sentences, and for an incident the next ones after each that go on
        telling it."""
        told: dict[int, Sentence] = {}
        follow = self.follow if event.kind == "incident" else 0
        for own in sorted({event.sentence, *event.retold}):
            told[own] = doc.sentences[own]
            for sentence in doc.sentences[own + 1:own + 1 + follow]:
                if sentence.index in stating or any(v >= 1.0 for v in sentence.labels.values()):
                    break
                told.setdefault(sentence.index, sentence)
        return [told[i] for i in sorted(told, key=lambda i: (i != event.sentence, i))]

    def changed(self, lowered: str, found: CountMention) -> bool:
        """A change against a baseline: "tăng 8 vụ so với năm trước", "So với cùng kỳ, giảm 244 vụ
        (giảm 4,84%), giảm 229 người chết" count no event."""
        return bool(self.background.change.search(lowered[max(0, found.start - 20):found.start])
                    and (self.background.baseline.match(lowered, found.end)
                         or self.background.baseline_first.search(lowered, 0, found.start)))

    def add_counts(self, doc: Document, event: Event, sentence: Sentence, seen_here: set[tuple[str, float]],
                   others: set[str]) -> None:
        """`others`: the types of the other events the sentence states; a figure goes to the
        event whose cue stands nearest ("5 đối tượng đánh bạc ...; 2 đối tượng mua bán ma túy")."""
        figures, lowered = mentions.counts(doc, sentence), sentence.text.lower()
        for found in figures:
            before = lowered[max(0, found.start - 30):found.start]
            cue = self.background.before.search(before)
            background = cue is not None and cue.group().strip() not in self.background.not_background
            if found.per_unit or background or (found.unit, found.value) in seen_here \
                    or self.background.after.search(lowered, 0, found.start) or self.changed(lowered, found):
                continue
            if others and nearest_label(sentence, found.start, found.end, others | {event.type}) in others:
                continue
            if found.unit == "other" and names_another_type(sentence, found.start, found.end, event.type):
                continue  # "1 súng ngắn" seized with the drugs counts weapons, not drugs
            if event.kind == "incident" and found.value == 1 and found.unit in self.single_units_skipped \
                    and not counted_beside(sentence, found, event.type, figures):
                continue
            seen_here.add((found.unit, found.value))
            text, start, end = doc.span(sentence.start + found.start, sentence.start + found.end)
            event.counts.append(Count(value=found.value, unit=found.unit, qualifier=found.qualifier,
                                      text=text, start=start, end=end))


def counted_beside(sentence: Sentence, found: CountMention, label: str, figures: list[CountMention]) -> bool:
    """Whether the sentence counts another offence's cases beside this one's: "2 vụ trộm cắp và
    1 vụ cướp giật" counts one robbery, where "một vụ cướp" alone restates the event."""
    labels = {c.label for c in whole_word_cues(sentence)}
    return found.unit == "incidents" and len(labels) > 1 and any(
        c.unit == "incidents" and c is not found and nearest_label(sentence, c.start, c.end, labels) != label
        for c in figures)


def names_another_type(sentence: Sentence, start: int, end: int, label: str) -> bool:
    """Whether the thing a figure counts is named by a cue of another type and none of this one."""
    inside = {c.label for c in sentence.cues if start <= c.start < end}  # "1 súng" of "1 súng ngắn"
    return bool(inside) and label not in inside
