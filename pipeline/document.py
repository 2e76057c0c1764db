"""The one data model that flows through every stage.

ingest yields `Article` (or `Problem` for what it could not read), the pipeline wraps
each article in a `Document` that its components annotate, and the writers receive the
`Record` the document becomes. Offsets in events and counts always point into
`Article.text` exactly as it was given, so every number can be traced back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, TypeVar

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from pipeline.normalise import NormalisedText

T = TypeVar("T")
Severity = Literal["error", "warning"]
Kind = Literal["incident", "aggregate"]
Qualifier = Literal["exact", "approx", "at_least", "at_most"]


@dataclass(slots=True)
class Article:
    """An article as read from an archive, before any processing."""

    doc_id: str
    text: str
    title: str | None = None
    url: str | None = None
    published: str | None = None  # ISO date (YYYY-MM-DD) when known
    source: str | None = None
    origin: str = ""  # where it was read: "archive.jsonl.gz:12", "crawl.warc.gz@5123"


@dataclass(slots=True)
class Problem:
    """Something in the input that was skipped (error) or repaired (warning)."""

    origin: str
    reason: str
    doc_id: str | None = None
    severity: Severity = "error"

    def to_json(self) -> dict[str, Any]:
        return {"source": self.origin, "doc_id": self.doc_id, "severity": self.severity, "reason": self.reason}


@dataclass(slots=True)
class Count:
    value: float
    unit: str
    qualifier: Qualifier = "exact"
    text: str = ""
    start: int = -1  # offsets of `text` in the article text
    end: int = -1

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Count:
        count = cls(**{k: d[k] for k in cls.__slots__ if k in d})
        if float(count.value).is_integer():  # tables give back 2600.0 for 2600
            count.value = int(count.value)
        return count

    def to_json(self) -> dict[str, Any]:
        value = int(self.value) if float(self.value).is_integer() else self.value
        return {"value": value, "unit": self.unit, "qualifier": self.qualifier, "text": self.text,
                "start": self.start, "end": self.end}


@dataclass(slots=True)
class Location:
    text: str = ""
    province: str | None = None  # short name in force when the article was written
    district: str | None = None
    commune: str | None = None
    foreign: bool = False
    province_code: str | None = None  # code of `province` (pre- or post-2025 list)
    province_2025: str | None = None  # the unit after the 1 July 2025 merger
    province_2025_code: str | None = None
    start: int = -1
    end: int = -1


@dataclass(slots=True)
class TimeSpan:
    text: str = ""
    start: str | None = None
    end: str | None = None
    begin: int = -1  # offsets of `text` in the article text
    stop: int = -1


@dataclass(slots=True)
class Event:
    type: str
    kind: Kind
    evidence: str
    start: int  # offsets of `evidence` in the article text
    end: int
    sentence: int  # index of the evidence sentence in the document
    location: Location = field(default_factory=Location)
    time: TimeSpan = field(default_factory=TimeSpan)
    counts: list[Count] = field(default_factory=list)
    confidence: float = 1.0
    # the other sentences that tell the same occurrence (a fire's damage told after the fire):
    # read for its counts, which keep their own offsets
    retold: list[int] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        loc, tm = self.location, self.time
        return {
            "type": self.type,
            "kind": self.kind,
            "evidence": self.evidence,
            "evidence_start": self.start,
            "evidence_end": self.end,
            "sentence": self.sentence,
            "confidence": round(self.confidence, 4),
            "location": {
                "text": loc.text,
                "province": loc.province,
                "district": loc.district,
                "commune": loc.commune,
                "foreign": loc.foreign,
                "province_code": loc.province_code,
                "province_2025": loc.province_2025,
                "province_2025_code": loc.province_2025_code,
                "start": loc.start,
                "end": loc.end,
            },
            "time": {"text": tm.text, "start": tm.start, "end": tm.end, "text_start": tm.begin,
                     "text_end": tm.stop},
            "counts": [c.to_json() for c in self.counts],
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Event:
        loc = d.get("location") or {}
        tm = d.get("time") or {}
        return cls(
            type=d["type"],
            kind=d.get("kind", "incident"),
            evidence=d.get("evidence", ""),
            start=d.get("evidence_start", -1),
            end=d.get("evidence_end", -1),
            sentence=d.get("sentence", -1),
            confidence=d.get("confidence", 1.0),
            location=Location(**{k: loc[k] for k in Location.__slots__ if k in loc}),
            time=TimeSpan(text=tm.get("text", ""), start=tm.get("start"), end=tm.get("end"),
                          begin=tm.get("text_start", -1), stop=tm.get("text_end", -1)),
            counts=[Count.from_json(c) for c in d.get("counts", [])],
        )


@dataclass(slots=True)
class Record:
    """What an article becomes: the contract of ../shared/spec/RECORDS.md plus provenance."""

    doc_id: str
    relevant: bool = False
    event_types: list[str] = field(default_factory=list)
    provinces: list[str] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    title: str | None = None
    url: str | None = None
    published: str | None = None
    source: str | None = None
    extractor: str = ""  # "vnsec X.Y.Z/model-name@hash"

    def to_json(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "relevant": self.relevant,
            "event_types": self.event_types,
            "provinces": self.provinces,
            "events": [e.to_json() for e in self.events],
            "title": self.title,
            "url": self.url,
            "published": self.published,
            "source": self.source,
            "extractor": self.extractor,
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Record:
        return cls(
            doc_id=d["doc_id"],
            relevant=bool(d.get("relevant")),
            event_types=list(d.get("event_types", [])),
            provinces=list(d.get("provinces", [])),
            events=[Event.from_json(e) for e in d.get("events", [])],
            title=d.get("title"),
            url=d.get("url"),
            published=d.get("published"),
            source=d.get("source"),
            extractor=d.get("extractor", ""),
        )


def _name_cut(word: str) -> int:
    """Where a word made of capitalised syllables then lower-case ones splits (0: it does not).
    Vietnamese words do not mix the two inside a sentence, so the tokeniser joined a name to
    the next word ("Hanshin ngừng", "Vina đình công")."""
    syllables = word.split(" ")
    names = next((i for i, s in enumerate(syllables) if not s[:1].isupper()), len(syllables))
    if 0 < names < len(syllables) and all(s[:1].islower() for s in syllables[names:]):
        return len(" ".join(syllables[:names]))
    return 0


@dataclass(slots=True)
class Sentence:
    """A sentence of the normalised text; `tokens` is filled only for sentences worth it."""

    index: int
    start: int  # offsets in the normalised text
    end: int
    text: str
    tokens: Doc | None = None
    cues: list[Cue] = field(default_factory=list)
    labels: dict[str, float] = field(default_factory=dict)  # event type -> score; >= 1 states the event
    _bounds: tuple[frozenset[int], frozenset[int]] | None = field(default=None, repr=False, compare=False)
    _words: list[tuple[int, int, str]] | None = field(default=None, repr=False, compare=False)

    def word_bounds(self) -> tuple[frozenset[int], frozenset[int]] | None:
        """Where the sentence's words start and end (None before tokenising); read once, as
        every cue and figure of the sentence asks."""
        if self.tokens is None:
            return None
        if self._bounds is None:
            starts, ends = set(), set()
            for token in self.tokens:
                starts.add(token.idx)
                ends.add(token.idx + len(token.text))
                cut = _name_cut(token.text) if token.idx > 0 else 0
                if cut:  # "Hanshin ngừng": a name the tokeniser joined to the verb after it
                    ends.add(token.idx + cut)
                    starts.add(token.idx + cut + 1)
            self._bounds = (frozenset(starts), frozenset(ends))
        return self._bounds

    def words(self) -> list[tuple[int, int, str]]:
        """The words among the tokens (letters, or syllables the tokeniser joined), as start,
        end and lower-cased text; read once, as features of every cue ask."""
        if self.tokens is None:
            return []
        if self._words is None:
            self._words = [(t.idx, t.idx + len(t.text), t.text.lower()) for t in self.tokens
                           if t.is_alpha or " " in t.text]
        return self._words


@dataclass(slots=True)
class Cue:
    """A lexicon phrase for an event type found in a sentence (offsets in the sentence)."""

    start: int
    end: int
    label: str
    weight: float
    phrase: str


@dataclass(slots=True)
class Document:
    """The shared object each pipeline component reads and annotates."""

    article: Article
    text: NormalisedText
    sentences: list[Sentence] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    relevant: bool = False
    user_data: dict[str, Any] = field(default_factory=dict)  # scratch space between components

    def span(self, start: int, end: int) -> tuple[str, int, int]:
        """The original text and offsets behind a span of the normalised text."""
        o_start, o_end = self.text.to_original(start, end)
        return self.article.text[o_start:o_end], o_start, o_end

    def memo(self, key: str, compute: Callable[[], T]) -> T:
        """Compute once what several components need (a sentence's counts, places, times)."""
        if key not in self.user_data:
            self.user_data[key] = compute()
        return self.user_data[key]
