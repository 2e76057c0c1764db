"""The numbers that count each event, taken from its evidence sentence.

Prices per unit and background figures ("phường có trên 800 doanh nghiệp") describe the
setting, not the event, and are left out.
"""

from __future__ import annotations

import re
from functools import cache

from pipeline.document import Count, Document
from pipeline.extract import mentions
from pipeline.extractor import component
from pipeline.normalise import normalise_str
from pipeline.resources import read_tsv


@cache
def background_cues(path: str) -> re.Pattern[str]:
    cues = sorted((normalise_str(r["cue"]).lower() for r in read_tsv(path)), key=len, reverse=True)
    return re.compile(rf"(?<!\w)(?:{'|'.join(map(re.escape, cues))})\s*$")


@component("counts")
class EventCounts:
    def __init__(self, background_lexicon: str = "lexicons/background_cues.tsv") -> None:
        self.background = background_cues(background_lexicon)

    def __call__(self, doc: Document) -> Document:
        for event in doc.events:
            sentence = doc.sentences[event.sentence]
            seen: set[tuple[str, float]] = set()
            for found in mentions.counts(doc, sentence):
                before = sentence.text[max(0, found.start - 30):found.start].lower()
                if found.per_unit or self.background.search(before) or (found.unit, found.value) in seen:
                    continue
                seen.add((found.unit, found.value))
                text, start, end = doc.span(sentence.start + found.start, sentence.start + found.end)
                event.counts.append(Count(value=found.value, unit=found.unit, qualifier=found.qualifier,
                                          text=text, start=start, end=end))
        return doc
