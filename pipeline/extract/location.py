"""Where each event happened: the place named in its sentence, else the nearest one before it,
else the article's main province; and whether that place is abroad."""

from __future__ import annotations

from collections import Counter

from pipeline.document import Document, Event, Location
from pipeline.extract import mentions
from pipeline.extractor import component
from pipeline.places import Gazetteer, PlaceMention


@component("location")
class EventLocation:
    def __init__(self, lookback: int = 6) -> None:
        self.lookback = lookback
        self.gazetteer = Gazetteer.load()

    def __call__(self, doc: Document) -> Document:
        if not doc.events:
            return doc
        votes: Counter[str] = Counter()
        abroad = 0
        for sentence in doc.sentences:
            for place in mentions.places(doc, sentence):
                if place.foreign:
                    abroad += 1
                elif place.province:
                    votes[place.province] += 2 if sentence.index == 0 else 1
        # the province the article is about: most named, the title counting double; an
        # article that names places abroad and none at home tells of events abroad
        main = votes.most_common(1)[0][0] if votes else None
        for event in doc.events:
            event.location = self.locate(doc, event, main)
            if main is None and abroad and event.location.province is None:
                event.location.foreign = True
        return doc

    def locate(self, doc: Document, event: Event, main: str | None) -> Location:
        first = max(0, event.sentence - self.lookback)
        for sentence in reversed(doc.sentences[first:event.sentence + 1]):
            found = mentions.places(doc, sentence)
            domestic = [p for p in found if p.province and not p.foreign]
            if domestic:
                return self.location(doc, sentence.start, domestic)
            if any(p.foreign for p in found) and sentence.index == event.sentence:
                foreign = next(p for p in found if p.foreign)
                text, start, end = doc.span(sentence.start + foreign.start, sentence.start + foreign.end)
                return Location(text=text, foreign=True, start=start, end=end)
        return self.named(main, doc.article.published) if main else Location()

    def location(self, doc: Document, offset: int, found: list[PlaceMention]) -> Location:
        """The most precise mention names the place; its province comes from any of them."""
        best = min(found, key=lambda p: {"commune": 0, "district": 1, "zone": 2}.get(p.level, 3))
        text, start, end = doc.span(offset + best.start, offset + best.end)
        location = self.named(best.province, doc.article.published)
        location.text, location.start, location.end = text, start, end
        location.district = best.district or next((p.district for p in found if p.district), None)
        location.commune = best.commune
        return location

    def named(self, province: str | None, published: str | None) -> Location:
        if province is None:
            return Location()
        short, code = self.gazetteer.province_as_of(province, published)
        short_2025, code_2025 = self.gazetteer.to_2025(province)
        return Location(province=short, province_code=code, province_2025=short_2025,
                        province_2025_code=code_2025)
