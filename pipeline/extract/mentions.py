"""Per-sentence mentions (counts, times, places), found once and shared by the components."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from pipeline.document import Document, Sentence
from pipeline.extract.dates import TimeMention, article_year, find_times
from pipeline.extract.numbers import CountMention, find_counts
from pipeline.places import Gazetteer, PlaceMention

YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")


def reference_date(doc: Document) -> date | None:
    published = doc.article.published
    if published:
        try:
            return date.fromisoformat(published[:10])
        except ValueError:
            return None
    return None


def default_year(doc: Document) -> int | None:
    """Without a publication day, a yearless date takes the year of publication when known
    ("2017"), else the latest year the article names."""
    published = doc.article.published
    if published and published[:4].isdigit():
        return int(published[:4])
    return doc.memo("default_year", lambda: article_year(doc.text.text))


def counts(doc: Document, sentence: Sentence) -> list[CountMention]:
    return doc.memo(f"counts:{sentence.index}", lambda: find_counts(sentence.text))


def times(doc: Document, sentence: Sentence) -> list[TimeMention]:
    return doc.memo("times", lambda: _all_times(doc))[sentence.index]


def _all_times(doc: Document) -> list[list[TimeMention]]:
    """Every sentence's times, read in order so that "cùng ngày" is the last day told before
    and "trong năm" the last year written."""
    out: list[list[TimeMention]] = []
    anchor: date | None = None
    anchor_year: int | None = None
    for sentence in doc.sentences:
        found = find_times(sentence.text, reference_date(doc), default_year=lambda: default_year(doc),
                           anchor=anchor, anchor_year=anchor_year)
        days = [t.start_date for t in found if not t.is_period and t.start_date and len(t.start_date) == 10]
        if days:
            anchor = date.fromisoformat(days[-1])
        years = [int(y.group()) for t in found if not t.relative for y in [YEAR.search(t.text)] if y]
        if years:
            anchor_year = years[-1]
        out.append(found)
    return out


def places(doc: Document, sentence: Sentence) -> list[PlaceMention]:
    """A sentence's places, found over the whole article so that a name shared by several
    provinces is resolved by the others the article names (offsets in the sentence)."""
    found = doc.memo("places", lambda: Gazetteer.load().find(doc.text.text))
    return [replace(p, start=p.start - sentence.start, end=p.end - sentence.start)
            for p in found if sentence.start <= p.start and p.end <= sentence.end]
