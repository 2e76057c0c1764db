"""An article is relevant when it reports at least one event that happened in Vietnam."""

from __future__ import annotations

import re
from functools import cache

from pipeline.document import Document
from pipeline.extract import mentions
from pipeline.extract.cues import phrases
from pipeline.extractor import component
from pipeline.normalise import is_question, normalise_str
from pipeline.resources import alternation, read_tsv


@cache
def advice_openers(path: str) -> re.Pattern[str]:
    openers = alternation(normalise_str(r["opener"]).lower() for r in read_tsv(path))
    return re.compile(rf"^\W*(?:{openers})(?!\w)")


@component("relevance")
class Relevance:
    def __init__(self, min_confidence: float = 0.0, advice_lexicon: str = "lexicons/advice_openers.tsv",
                 domestic_lexicon: str = "lexicons/domestic_markers.tsv") -> None:
        self.min_confidence = min_confidence
        self.advice = advice_openers(advice_lexicon)
        self.domestic = phrases(domestic_lexicon)

    def __call__(self, doc: Document) -> Document:
        if self.advice_column(doc):
            doc.events = []
        doc.events = [e for e in doc.events if not e.location.foreign and e.confidence >= self.min_confidence]
        if doc.events and all(e.kind == "incident" for e in doc.events) and not self.names_vietnam(doc):
            doc.events = []
        doc.relevant = bool(doc.events)
        return doc

    def names_vietnam(self, doc: Document) -> bool:
        """Whether the article names any place in Vietnam, even where someone lives, or one of
        its institutions ("Công an", "KCN"). An incident told with neither is a celebrity's story
        abroad, a film's plot or a rule explained; a statistic may be national and name none."""
        return bool(self.domestic.search(doc.text.text.lower())) \
            or any(not p.foreign for s in doc.sentences for p in mentions.places(doc, s))

    def advice_column(self, doc: Document) -> bool:
        """A question in the title answered to a reader who writes in ("Khi nào người lao động
        được quyền đình công? / Bạn đọc hỏi: Tôi là công nhân ..."): the spec's advice column."""
        if len(doc.sentences) < 2 or not is_question(doc.sentences[0].text):
            return False
        return bool(self.advice.search(doc.sentences[1].text.lower()))
