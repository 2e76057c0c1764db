"""Incident or aggregate: does a sentence tell one occurrence, or sum several over a period?

Read by the events: each (type, kind) of sentences is one group of events.
"""

from __future__ import annotations

import re
from functools import cache

from pipeline.document import Document, Kind, Sentence
from pipeline.extract import mentions
from pipeline.extract.cues import nearest_label, whole_word_cues
from pipeline.normalise import normalise_str
from pipeline.resources import alternation, read_tsv

LEVELS = ("scope", "strong", "weak", "none", "single", "plural", "breakdown", "once")


@cache
def aggregate_cues(path: str) -> tuple[re.Pattern[str], dict[str, frozenset[str]]]:
    rows = list(read_tsv(path))
    by_strength = {level: frozenset(normalise_str(r["cue"]).lower() for r in rows if r["strength"] == level)
                   for level in LEVELS}
    cues = frozenset().union(*(by_strength[level] for level in ("scope", "strong", "weak", "none", "once")))
    return re.compile(rf"(?<!\w)(?:{alternation(cues)})(?!\w)"), by_strength


@cache
def actor_cues(path: str) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """A single-actor noun ("công ty"), what before it makes it many ("các", "03"), and the
    openers of a sentence that breaks down the one before it ("Trong đó, ...")."""
    strengths = aggregate_cues(path)[1]
    return (re.compile(rf"(?<!\w)(?:{alternation(strengths['single'])})(?!\w)"),
            re.compile(rf"(?:(?<!\w)(?:{alternation(strengths['plural'])})|\d)\s*$"),
            re.compile(rf"^\W*(?:{alternation(strengths['breakdown'])})(?!\w)"))


@cache
def owed_labels() -> frozenset[str]:
    """Debts: one occurrence only where one employer owes them (data/taxonomy/events.tsv, `owed`)."""
    return frozenset(r["label"] for r in read_tsv("taxonomy", "events.tsv") if r["owed"] == "1")


class StatementKind:
    def __init__(self, aggregate_lexicon: str = "lexicons/aggregate_cues.tsv",
                 occurrence_units: tuple[str, ...] = ("incidents", "sessions")) -> None:
        self.aggregate, strengths = aggregate_cues(aggregate_lexicon)
        self.actor, self.many, self.breakdown = actor_cues(aggregate_lexicon)
        self.scope, self.strong, self.masks = strengths["scope"], strengths["strong"], strengths["none"]
        self.once = strengths["once"]
        self.occurrence_units = frozenset(occurrence_units)

    def __call__(self, doc: Document, sentence: Sentence, label: str | None = None) -> Kind:
        """A statistic sums occurrences: it names a period or a scope ("toàn tỉnh") and counts
        several things, or it counts several incidents or sessions outright; a sentence that
        names the day otherwise tells one occurrence. A breakdown ("Trong đó, hơn 1.200 trẻ em
        ...") is of the kind of the sentence it breaks down, unless it counts several cases
        itself ("Trong đó, ... bắt giữ 45 vụ" after a sentence of when the figures were told);
        where offences are counted side by side, each is of the kind its own figures give ("2 vụ
        trộm cắp và 1 vụ cướp giật")."""
        lowered = sentence.text.lower()
        if sentence.index > 0 and self.breakdown.search(lowered):
            several = any(c.unit in self.occurrence_units and c.value >= 2 and not c.per_unit
                          for c in mentions.counts(doc, sentence))
            return "aggregate" if several else self(doc, doc.sentences[sentence.index - 1])
        cues = {m.group() for m in self.aggregate.finditer(lowered)} - self.masks
        if cues & self.scope:
            return "aggregate"
        figures = [c for c in mentions.counts(doc, sentence) if not c.per_unit]
        counts = [c for c in figures if c.value >= 2]
        occurrences = [c for c in figures if c.unit in self.occurrence_units]
        companies = any(c.unit == "companies" and c.value >= 2 for c in counts)
        # "từ đầu năm 2025, công ty còn nợ ...": one company's debt over a period is one occurrence
        single = self.one_actor(lowered) and not companies and not any(c.value >= 2 for c in occurrences)
        if cues & self.strong and not single:
            return "aggregate"
        labels = {c.label for c in whole_word_cues(sentence)} if label is not None and occurrences else set()
        if len(labels) > 1:  # offences counted side by side: this one's own figures decide
            occurrences = [c for c in occurrences if nearest_label(sentence, c.start, c.end, labels) == label]
            if occurrences and all(c.value < 2 for c in occurrences):
                return "incident"  # "1 vụ cướp giật" beside "2 vụ trộm cắp"
        if any(c.value >= 2 for c in occurrences) or (label in owed_labels() and companies):
            return "aggregate"  # several cases, or debts of several employers ("khởi kiện 3 doanh nghiệp nợ BHXH")
        times = mentions.times(doc, sentence)
        if any(not t.is_period for t in times) or single or cues & self.once:
            return "incident"  # what happened on a day, or to one company, is one occurrence
        period = any(t.spans_a_statistic for t in times)
        plural = any(c.unit != "money_vnd" for c in counts)
        if label in owed_labels() and not self.one_actor(lowered) and any(c.unit == "money_vnd" for c in figures):
            return "aggregate"  # a sum that no single employer owes ("nợ đóng BHXH với khoảng 7.061 tỷ đồng")
        return "aggregate" if plural and (cues - self.once or period) else "incident"

    def one_actor(self, text: str) -> bool:
        return any(not self.many.search(text, max(0, m.start() - 12), m.start()) for m in self.actor.finditer(text))
