"""From typed sentences to events: one per occurrence told, quoted from its best sentence.

Sentences are grouped by (type, kind): a statistic over a period is a separate (aggregate)
event. Within a group, a sentence that names another day, year, district, commune or sum of
money than the story so far, or says it tells another case ("một vụ ... khác"), tells another
occurrence (a series of thefts, a company's wage debt and its insurance debt); any other
sentence goes on telling the same one, and its figures count it (spec/RECORDS.md: the same
strike told twice is one event).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from itertools import groupby

from pipeline.document import Document, Event, Kind, Sentence
from pipeline.extract import mentions
from pipeline.extract.cues import activity_labels, labels_in_context, phrases, phrases_of, typed_labels, whole_word_cues
from pipeline.extract.kinds import StatementKind
from pipeline.extractor import component
from pipeline.normalise import is_question, normalise_str
from pipeline.resources import read_tsv


@cache
def sentence_patterns(path: str) -> re.Pattern[str]:
    """A lexicon of regular expressions (column `pattern`) over the lower-cased sentence."""
    return re.compile("|".join(f"(?:{normalise_str(r['pattern']).lower()})" for r in read_tsv(path)))


@dataclass(slots=True)
class Particulars:
    """What tells one occurrence from another: its days, years, provinces, districts, communes and sums
    of money (two debts, two hauls); and whether the sentence says it tells another case."""

    days: set[str] = field(default_factory=set)
    years: set[int] = field(default_factory=set)
    provinces: set[str] = field(default_factory=set)
    districts: set[str] = field(default_factory=set)
    communes: set[str] = field(default_factory=set)
    sums: set[float] = field(default_factory=set)
    figures: set[tuple[str, float]] = field(default_factory=set)  # (unit, value) of all its counts
    another: bool = False

    def fits(self, other: Particulars) -> bool:
        """No particular of the other contradicts these (an unknown one contradicts nothing)."""
        return not other.another and all(
            not mine or not theirs or bool(mine & theirs) for mine, theirs in
            ((self.days, other.days), (self.years, other.years), (self.provinces, other.provinces),
             (self.districts, other.districts), (self.communes, other.communes), (self.sums, other.sums)))

    def update(self, other: Particulars) -> None:
        self.days |= other.days
        self.years |= other.years
        self.provinces |= other.provinces
        self.districts |= other.districts
        self.communes |= other.communes
        self.sums |= other.sums
        self.figures |= other.figures


def days_told(doc: Document, sentence: Sentence) -> set[str]:
    """The days (not periods, not months) a sentence names."""
    return {t.start_date for t in mentions.times(doc, sentence)
            if t.start_date and not t.is_period and len(t.start_date) == 10}


def years_written(doc: Document, sentence: Sentence) -> set[int]:
    """The years a sentence writes out, its report's too: a crime of 1988 and the arrest of 2017
    are two events, however the report is worded."""
    years: set[int] = set()
    for t in mentions.times(doc, sentence):
        if t.relative or t.compared or not t.start_date or not mentions.YEAR.search(t.text):
            continue
        first = int(t.start_date[:4])
        last = int((t.end_date or t.start_date)[:4])
        years |= set(range(first, max(first, last) + 1))
    return years


@component("events")
class EventBuilder:
    def __init__(self, threshold: float = 1.0, aggregate_lexicon: str = "lexicons/aggregate_cues.tsv",
                 occurrence_units: tuple[str, ...] = ("incidents", "sessions"),
                 passing_below: float = 0.0, dominant_from: float = float("inf"),
                 join_from: float = float("inf"), told_in: int = 0,
                 unreal_contexts: tuple[str, ...] = ("record", "risk", "negation"),
                 report_lexicon: str = "lexicons/report_frames.tsv",
                 another_lexicon: str = "lexicons/another_occurrence.tsv",
                 law_lexicon: str = "lexicons/law_provisions.tsv",
                 subjects_lexicon: str = "lexicons/event_subjects.tsv") -> None:
        self.threshold = threshold
        self.unreal_contexts = unreal_contexts
        # once the article states a type, a sentence scored `join_from` or more for it goes on
        # telling that story (a weaker sentence of a story already told)
        self.join_from = min(join_from, threshold)
        # an article no sentence of which is sure of any type still states the one that
        # `told_in` of its body sentences tell at `join_from` (0: never): a stabbing told in
        # four sentences of "đâm" is a stabbing
        self.told_in = told_in
        # a type one sentence gives below `passing_below`, in an article that some type
        # states at `dominant_from` or more, is mentioned in passing
        self.passing_below, self.dominant_from = passing_below, dominant_from
        self.kind = StatementKind(aggregate_lexicon, occurrence_units)
        self.occurrence_units = frozenset(occurrence_units)
        self.report = phrases(report_lexicon)
        self.another = sentence_patterns(another_lexicon)
        self.law = sentence_patterns(law_lexicon)
        self.subjects = {label: phrases_of([r["phrase"] for r in rows])
                         for label, rows in groupby(read_tsv(subjects_lexicon), key=lambda r: r["label"])}
        self.charge = re.compile(r"(?<!\w)(?:các )?tội(?!\w)")

    def __call__(self, doc: Document) -> Document:
        groups: dict[tuple[str, str], list[Sentence]] = {}
        for sentence, labels in zip(doc.sentences, self.typed(doc), strict=True):
            for label in labels:
                groups.setdefault((label, self.kind(doc, sentence, label)), []).append(sentence)
        passing = self.in_passing(groups) | self.about_nothing(groups)
        told = {label for (label, _), sentences in groups.items() if any(s.index > 0 for s in sentences)}
        for (label, kind), sentences in groups.items():
            if label in passing:
                continue
            if label in told and all(s.index == 0 for s in sentences):
                continue  # a title restates the story the body tells (as a statistic, say)
            for sentence, retold in self.occurrences(doc, sentences, label, kind):
                text, start, end = doc.span(sentence.start, sentence.end)
                score = max(s.labels.get(label, 0.0) for s in (sentence, *(doc.sentences[i] for i in retold)))
                doc.events.append(Event(type=label, kind=kind, evidence=text, start=start, end=end,
                                        sentence=sentence.index, confidence=min(1.0, score), retold=retold))
        doc.events.sort(key=lambda e: (e.start, e.type))
        return doc

    def in_passing(self, groups: dict[tuple[str, str], list[Sentence]]) -> set[str]:
        """Types an article about something else names once, weakly: the drugs a killer had
        taken, the robbery a patrol was out to prevent."""
        stated: dict[str, list[float]] = {}
        for (label, _), sentences in groups.items():
            stated.setdefault(label, []).extend(s.labels[label] for s in sentences)
        top = max((max(scores) for scores in stated.values()), default=0.0)
        if top < self.dominant_from:
            return set()
        return {label for label, scores in stated.items() if len(scores) == 1 and scores[0] < self.passing_below}

    def about_nothing(self, groups: dict[tuple[str, str], list[Sentence]]) -> set[str]:
        """Types of general cue words none of whose sentences names what they must be about
        (data/lexicons/event_subjects.tsv): "Tiểu ban Tuyên truyền Đại hội" is no outreach on
        security, a boat that "ngừng hoạt động" no closure."""
        told: dict[str, list[Sentence]] = {}
        for (label, _), sentences in groups.items():
            if label in self.subjects:
                told.setdefault(label, []).extend(sentences)

        def about(label: str, s: Sentence) -> bool:
            return bool(self.subjects[label].search(s.text.lower())) or (
                label in activity_labels() and any(c.label not in activity_labels() for c in whole_word_cues(s)))
        return {label for label, sentences in told.items() if not any(about(label, s) for s in sentences)}

    def typed(self, doc: Document) -> list[list[str]]:
        """Each sentence's event types: its own, and those the article states that it goes on
        telling at `join_from`; in an article that states none, those `told_in` sentences tell."""
        typed = [self.labels(sentence, counted=self.counted(doc, sentence)) for sentence in doc.sentences]
        stated = {label for labels in typed for label in labels}
        if self.join_from >= self.threshold or not (stated or self.told_in):
            return typed
        joining = [self.labels(sentence, self.join_from) for sentence in doc.sentences]
        if not stated and self.told_in:
            told = Counter(label for sentence, labels in zip(doc.sentences, joining, strict=True)
                           if sentence.index > 0 for label in labels)
            stated = {label for label, n in told.items() if n >= self.told_in}
        return [sorted(set(labels) | (stated & set(more))) for labels, more in zip(typed, joining, strict=True)]

    def counted(self, doc: Document, sentence: Sentence) -> frozenset[str]:
        """Types the sentence counts or charges each on its own ("2 vụ trộm cắp và 1 vụ cướp giật",
        "các tội Giết người và Cướp tài sản"): offences told side by side, that no ranking of one
        over the other merges."""
        if sum(score >= self.threshold for score in sentence.labels.values()) < 2:
            return frozenset()  # one type or none: nothing to tell apart (and no figures to read)
        ends = [c.end for c in mentions.counts(doc, sentence) if c.unit in self.occurrence_units]
        lowered = sentence.text.lower()
        charges = [m.end() for m in self.charge.finditer(lowered)]
        return frozenset(c.label for c in whole_word_cues(sentence)
                         if any(0 <= c.start - e <= 2 for e in ends) or any(0 <= c.start - e <= 40 for e in charges))

    def labels(self, sentence: Sentence, threshold: float | None = None,
               counted: frozenset[str] = frozenset()) -> list[str]:
        """The sentence's event types; a question or the law's general terms ("Người nào ... thì bị
        phạt tù") state none, and a talk or campaign against offences names them as its subject
        ("26 buổi tuyên truyền phòng chống ma túy, tín dụng đen"), not as events."""
        labels = typed_labels(sentence.labels, self.threshold if threshold is None else threshold, counted)
        if not labels or is_question(sentence.text) or self.law.search(sentence.text.lower()):
            return []
        # a past record, a risk, a denial: "có tiền án về tội trộm cắp", "dễ bị lừa đảo", "không phải
        # là lừa đảo" tell of no event now
        contexts = labels_in_context(sentence, (*self.unreal_contexts, "topic"))
        unreal = set().union(*(contexts[kind] for kind in self.unreal_contexts))
        labels = [label for label in labels if label not in unreal]
        if not activity_labels() & set(labels):
            return labels
        return [label for label in labels if label in activity_labels() or label not in contexts["topic"]]

    def occurrences(self, doc: Document, sentences: list[Sentence], label: str,
                    kind: Kind = "incident") -> list[tuple[Sentence, list[int]]]:
        """The group's occurrences, read in text order: a sentence that names a day, district or
        commune other than the story's so far starts another one (or goes back to an earlier one it
        fits); any other goes on telling the latest. Each occurrence is quoted by its best sentence,
        and its other sentences are kept for the figures they add (the damage of the same fire).
        Each sentence of statistics gives a statistic of its own (the debtors of a province, the
        lawsuits against them), unless it breaks down the one before ("Trong đó, ...") or gives
        again one of an earlier one's figures."""
        body = [s for s in sentences if s.index > 0] or sentences
        episodes: list[tuple[list[Sentence], Particulars]] = []
        for sentence in sorted(body, key=lambda s: s.index):
            mine = self.particulars(doc, sentence)
            if kind == "aggregate":
                home = episodes[-1] if episodes and self.kind.breakdown.search(sentence.text.lower()) \
                    else next((e for e in reversed(episodes) if e[1].figures & mine.figures), None)
            else:
                home = next((e for e in reversed(episodes) if e[1].fits(mine)), None)
            if home is None:
                episodes.append(([sentence], mine))
            else:
                home[0].append(sentence)
                home[1].update(mine)
        out = []
        for members, _ in episodes:
            best = self.evidence(doc, members, label)
            if kind == "incident":
                best = self.narrated(doc, best)
            out.append((best, [s.index for s in members if s is not best]))
        return out

    def narrated(self, doc: Document, best: Sentence) -> Sentence:
        """A report quoted as an incident's best sentence ("Ngày 20/11, Công an ... cho biết", a
        trial) gives way to the sentence right after it when that one tells, with no cue of any
        type, what happened on a day: "Khoảng 15h chiều 18/11, ... ập vào bắt quả tang 17 đối
        tượng" states the raid the report announced."""
        if not self.report.search(best.text.lower()) or best.index + 1 >= len(doc.sentences):
            return best
        after = doc.sentences[best.index + 1]
        if after.cues or after.labels or self.report.search(after.text.lower()):
            return best
        return after if days_told(doc, after) else best

    def particulars(self, doc: Document, sentence: Sentence) -> Particulars:
        """The day, places and sums a sentence gives its story; the day of a report ("Ngày 3/6,
        Công an cho biết") is when it was told, not when it happened."""
        lowered = sentence.text.lower()
        found = Particulars(another=bool(self.another.search(lowered)))
        found.figures = {(c.unit, c.value) for c in mentions.counts(doc, sentence) if not c.per_unit}
        found.sums = {value for unit, value in found.figures if unit == "money_vnd"}
        if not self.report.search(lowered):
            found.days = days_told(doc, sentence)
        found.years = years_written(doc, sentence)
        for p in mentions.places(doc, sentence):
            if p.foreign or p.incidental:  # where someone lives, where a route runs: not where it happened
                continue
            # a province by its unit word or through its district; a bare name may be anyone's
            # origin ("phượt thủ ở Hà Nội")
            if p.province and (p.level != "province" or p.text.lower().startswith(("tỉnh", "thành phố", "tp"))):
                found.provinces.add(p.province)
            if p.level == "commune" and p.commune:
                found.communes.add(p.commune)
            if p.level in ("district", "commune") and p.district:
                found.districts.add(p.district)
        if len(found.districts) > 1:  # a list (where the loot was sold, where each suspect lives)
            found.districts, found.communes = set(), set()
        if len(found.provinces) > 1:  # "từ Tiền Giang về TP HCM", "các tỉnh A, B"
            found.provinces = set()
        return found

    def evidence(self, doc: Document, sentences: list[Sentence], label: str) -> Sentence:
        """The sentence that tells most of: the event itself rather than its report (a reward, a
        trial), its figures, its day; then the surest of the type. The title restates the story,
        so a body sentence is preferred."""
        body = [s for s in sentences if s.index > 0] or sentences

        def tells(s: Sentence) -> int:
            return (int(not self.report.search(s.text.lower()))
                    + any(not c.per_unit for c in mentions.counts(doc, s))
                    + any(not t.is_period for t in mentions.times(doc, s)))
        return max(body, key=lambda s: (tells(s), s.labels[label], -s.index))
