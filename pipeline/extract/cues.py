"""Event cues from the lexicon: a cheap first pass that scores each sentence per event type.

One regular expression over the whole lower-cased text finds every cue; confusers
("bùng nổ", "cướp lộc") are cues of their own that win the overlap and score nothing.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from pipeline.document import Cue, Document, Sentence
from pipeline.extractor import component
from pipeline.normalise import asides, normalise_str
from pipeline.resources import alternation, read_tsv

CONFUSER = "-"
OPENING_QUOTES, CLOSING_QUOTES = "“\"‘'«", "”\"’'»"


CueKey = tuple[str, str]  # (label, cue phrase)
FIGURE = "#"  # in a cue, any figure: "cắt giảm # lao động" holds "cắt giảm khoảng 800 lao động"


@cache
def phrases(path: str) -> re.Pattern[str]:
    """A lexicon of whole-word phrases (column `phrase`), matched on lower-cased normalised text."""
    return phrases_of(r["phrase"] for r in read_tsv(path))


def phrases_of(words: Iterable[str]) -> re.Pattern[str]:
    """Whole-word phrases, matched on lower-cased normalised text."""
    return re.compile(rf"(?<!\w)(?:{alternation(normalise_str(w).lower() for w in words)})(?!\w)")


@cache
def _cue_labels(path: str) -> dict[str, list[tuple[str, float]]]:
    cues: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for row in read_tsv(path):
        cues[normalise_str(row["cue"]).lower()].append((row["label"], float(row["weight"])))
    return dict(cues)


@cache
def cue_lexicon(path: str) -> tuple[re.Pattern[str], dict[str, list[tuple[str, float]]]]:
    """One pattern for every cue, and the labels of each; a cue with a figure in it is keyed by
    its lexicon phrase (see `cue_phrase`)."""
    cues = _cue_labels(path)
    figured = [rx.pattern for rx, _ in _figured_cues(path)]  # first: longer than a plain cue they start with
    plain = alternation(c for c in cues if FIGURE not in c)
    return re.compile(rf"(?<!\w)(?:{'|'.join([*figured, plain])})(?!\w)"), cues


@cache
def _figured_cues(path: str) -> list[tuple[re.Pattern[str], str]]:
    qualifiers = alternation(normalise_str(r["word"]).lower() for r in read_tsv("lexicons", "qualifiers.tsv"))
    figure = rf"(?:(?:{qualifiers})\s+)*(?:\d[\d.,]*|hàng (?:chục|trăm|nghìn|ngàn))"
    phrases = sorted((c for c in _cue_labels(path) if FIGURE in c), key=lambda c: (-len(c), c))  # longest wins
    return [(re.compile(figure.join(map(re.escape, p.split(FIGURE)))), p) for p in phrases]


def cue_phrase(path: str, matched: str) -> str:
    """The lexicon phrase a matched cue stands for."""
    if matched in cue_lexicon(path)[1]:
        return matched
    return next((p for rx, p in _figured_cues(path) if rx.fullmatch(matched)), matched)


@cache
def slang_cues(path: str) -> frozenset[str]:
    """Cues the press puts in quotes as slang and means literally ("cẩu tặc", "bảo kê")."""
    return frozenset(normalise_str(r["cue"]).lower() for r in read_tsv(path) if r.get("quoted") == "literal")


@dataclass(frozen=True)
class Reading:
    context: str
    unless: str
    before: int
    after: int
    reads_as: str

    def applies(self, before: str, after: str) -> bool:
        """A word of the context kind stands just before the cue with none of the `unless` kind
        after it, or just after the cue with none of that kind before."""
        found = context_words(before[-self.before:]) if self.before else []  # [-0:] would be all of it
        last = max((at for at, kind in found if kind == self.context), default=-1)
        if last >= 0:
            return not any(at > last and kind == self.unless for at, kind in found)
        return (any(kind == self.context for _, kind in context_words(after[:self.after]))
                and not any(kind == self.unless for _, kind in found))


@cache
def cue_readings(path: str = "lexicons/cue_readings.tsv") -> dict[tuple[str, str], Reading]:
    return {(row["label"], normalise_str(row["cue"]).lower()):
            Reading(row["context"], row["unless"], int(row["before"]), int(row["after"]), row["reads_as"])
            for row in read_tsv(path)}


@cache
def story_readings(path: str = "lexicons/story_readings.tsv") -> list[tuple[re.Pattern[str], dict[CueKey, str]]]:
    """Per row, the phrases that explain the article's bare cues, and what those cues read as."""
    rules = []
    for row in read_tsv(path):
        said = alternation(normalise_str(p).lower() for p in row["phrases"].split(","))
        cues = {(row["label"], normalise_str(c).lower()): row["reads_as"] for c in row["cues"].split(",")}
        rules.append((re.compile(rf"(?<!\w)(?:{said})(?!\w)"), cues))
    return rules


@cache
def yields_to() -> dict[str, frozenset[str]]:
    return {row["label"]: frozenset(filter(None, row["yields_to"].split(",")))
            for row in read_tsv("taxonomy", "events.tsv")}


@component("cues")
class EventCues:
    """Find every cue phrase of the lexicon, sentence by sentence."""

    def __init__(self, lexicon: str = "lexicons/event_cues.tsv", readings: str = "lexicons/cue_readings.tsv",
                 story: str = "lexicons/story_readings.tsv") -> None:
        self.lexicon = lexicon
        self.pattern, self.cues = cue_lexicon(lexicon)
        self.slang = slang_cues(lexicon)
        self.readings = cue_readings(readings)
        self.story = story_readings(story)

    def __call__(self, doc: Document) -> Document:
        if not doc.sentences:
            return doc
        starts = [s.start for s in doc.sentences]
        links = asides(doc.text.text)
        lowered = doc.text.text.lower()
        explained: dict[CueKey, str] = {}  # a bare cue -> what the article says it is
        for said, cues in self.story:
            if said.search(lowered):
                explained.update(cues)
        for match in self.pattern.finditer(lowered):
            if any(s <= match.start() < e for s, e in links):
                continue
            sentence = doc.sentences[bisect_right(starts, match.start()) - 1]
            begin, end = match.start() - sentence.start, match.end() - sentence.start
            if end > len(sentence.text):  # a cue across a sentence break is no cue
                continue
            phrase = cue_phrase(self.lexicon, match.group())
            if phrase not in self.slang and self.figurative(sentence.text, begin, end):
                continue
            if in_name(sentence.text, begin, end):
                continue
            for label, weight in self.cues[phrase]:
                read = explained.get((label, phrase)) or self.reading(label, phrase, sentence.text, begin, end)
                if read != CONFUSER and label != CONFUSER:
                    sentence.cues.append(Cue(begin, end, read, weight, phrase))
        return doc

    @staticmethod
    def figurative(text: str, begin: int, end: int) -> bool:
        """A cue alone in quotation marks is a figure of speech ("hàng công đã “đình công”",
        "dám “đánh bạc”"), unless it names a charge ("với tội “Cướp tài sản”")."""
        if begin == 0 or end >= len(text) or text[begin - 1] not in OPENING_QUOTES or text[end] not in CLOSING_QUOTES:
            return False
        return "charge" not in cue_context(text[max(0, begin - 21):begin - 1])

    def reading(self, label: str, phrase: str, text: str, begin: int, end: int) -> str:
        """The type a cue means here: "xe tải ... đâm vào" is a collision, not a stabbing."""
        reading = self.readings.get((label, phrase))
        return reading.reads_as if reading is not None and reading.applies(text[:begin], text[end:]) else label


def in_name(text: str, begin: int, end: int) -> bool:
    """Whether a cue is part of a person's or a place's name: every syllable capitalised, inside
    a sentence, right after another capitalised word ("đường Trần Nhân Tông", "bến đò Sơn Đốt").
    An agency capitalises only its first syllable ("Đội Quản lý thị trường"); a charge is named
    after a lower-case word or a quote ("tội Cướp tài sản", "vụ án “Giết người”"); an acronym
    or a headline's colon ends a name ("Hà Tĩnh: Lật thuyền")."""
    if begin < 2 or text[begin - 1] != " " or not all(w[:1].isupper() for w in text[begin:end].split()):
        return False
    before = (text[:begin].rsplit(None, 1) or [""])[-1]
    return before[:1].isupper() and not before.isupper() and before[-1].isalpha()


@component("cue_types")
class CueTypes:
    """Score each sentence per event type from its cues that are whole words.

    The syllables of a cue can straddle two words ("gia đình công nhân" holds "đình công"),
    so a cue counts only where underthesea's words begin and end with it.
    """

    def __init__(self, cap: float = 2.0) -> None:
        self.cap = cap

    def __call__(self, doc: Document) -> Document:
        for sentence in doc.sentences:
            for cue in whole_word_cues(sentence):
                sentence.labels[cue.label] = min(self.cap, sentence.labels.get(cue.label, 0.0) + cue.weight)
        return doc


def whole_word_cues(sentence: Sentence) -> list[Cue]:
    bounds = sentence.word_bounds()
    if bounds is None:
        return sentence.cues
    starts, ends = bounds
    return [c for c in sentence.cues if c.start in starts and c.end in ends]


def nearest_label(sentence: Sentence, start: int, end: int, labels: set[str]) -> str | None:
    """The label, among `labels`, of the cue nearest to a span of the sentence, in its own part
    of a list split by semicolons if one stands there ("2 vụ ngộ độc thực phẩm ... làm 127 công
    nhân phải nhập viện; 16 vụ tai nạn lao động ...")."""
    cues = [c for c in whole_word_cues(sentence) if c.label in labels]
    if not cues:
        return None
    part = sentence.text.count(";", 0, start)
    return min(cues, key=lambda c: (sentence.text.count(";", 0, c.start) != part,
                                    max(c.start - end, start - c.end, 0))).label


DENIED_AFTER = "negation_after"


@cache
def _context_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    kinds = {normalise_str(r["phrase"]).lower(): r["kind"] for r in read_tsv("lexicons", "cue_context.tsv")
             if r["kind"] != DENIED_AFTER}
    return re.compile(rf"(?<!\w)(?:{alternation(kinds)})(?!\w)"), kinds


@cache
def _denied_after() -> re.Pattern[str]:
    """What a clause says after its cue to deny it: "tình trạng trộm cắp đã không còn xảy ra"."""
    denials = (normalise_str(r["phrase"]).lower() for r in read_tsv("lexicons", "cue_context.tsv")
               if r["kind"] == DENIED_AFTER)
    return re.compile(rf"\s*(?:đã\s+|cũng\s+)?(?:{alternation(denials)})\s*(?:[,.;:!?]|$)")


def context_words(text: str) -> list[tuple[int, str]]:
    """Where context words stand in a text, and their kinds (see data/lexicons/cue_context.tsv)."""
    pattern, kinds = _context_pattern()
    return [(m.start(), kinds[m.group()]) for m in pattern.finditer(text.lower()) if kinds[m.group()] != CONFUSER]


def cue_context(before: str) -> set[str]:
    """Kinds of context words in the few words before a cue."""
    return {kind for _, kind in context_words(before)}


@cache
def activity_labels() -> frozenset[str]:
    """Policing and prevention: the labels whose sentences name offences as their subject."""
    return frozenset(row["label"] for row in read_tsv("taxonomy", "events.tsv") if row["group"] == "policing")


def labels_in_context(sentence: Sentence, kinds: Iterable[str]) -> dict[str, set[str]]:
    """For each kind, the labels every cue of which stands in a context of that kind: a topic
    ("tuyên truyền phòng chống ma túy"), a past record ("tiền án về tội cưỡng đoạt tài sản")."""
    kinds = tuple(kinds)
    by_label: dict[str, list[set[str]]] = defaultdict(list)
    previous: tuple[int, set[str]] | None = None  # where the last cue ended, and its contexts
    for cue in sorted(whole_word_cues(sentence), key=lambda c: c.start):
        inside = cue_context(sentence.text[max(0, cue.start - 40):cue.start])
        if _denied_after().match(sentence.text.lower(), cue.end):
            inside.add("negation")
        if previous is not None and _LISTED.fullmatch(sentence.text[previous[0]:cue.start]):
            inside |= previous[1]  # "dễ bị lừa đảo công nghệ cao, cho vay lãi nặng, trộm cắp"
        by_label[cue.label].append(inside)
        previous = (cue.end, inside)
    return {kind: {label for label, contexts in by_label.items() if all(kind in c for c in contexts)}
            for kind in kinds}


_LISTED = re.compile(r"[^,;.:]{0,20},\s*|\s+(?:và|hoặc)\s+|\s*")


def typed_labels(scores: dict[str, float], threshold: float, counted: frozenset[str] = frozenset()) -> list[str]:
    """The labels a sentence is given: strong enough and not outranked by another given label,
    unless the sentence counts it on its own (`counted`)."""
    strong = {label for label, score in scores.items() if score >= threshold}
    ranks = yields_to()
    return sorted(label for label in strong if label in counted or not (ranks.get(label, frozenset()) & strong))
