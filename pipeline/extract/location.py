"""Where each event happened: the place named in its sentence, else the nearest one before it,
else the article's main province (a statistic of the whole country has none); and whether that
place is abroad."""

from __future__ import annotations

from collections import Counter
from itertools import pairwise

from pipeline.document import Document, Event, Location
from pipeline.extract import mentions
from pipeline.extract.cues import phrases
from pipeline.extractor import component
from pipeline.places import MERGER_DATE, Gazetteer, PlaceMention


@component("location")
class EventLocation:
    def __init__(self, lookback: int = 6, national_lexicon: str = "lexicons/national_scope.tsv") -> None:
        self.lookback = lookback
        self.gazetteer = Gazetteer.load()
        self.national = phrases(national_lexicon)

    def __call__(self, doc: Document) -> Document:
        if not doc.events:
            return doc
        votes: Counter[str] = Counter()
        abroad = 0
        for sentence in doc.sentences:
            for place in mentions.places(doc, sentence):
                if place.foreign:
                    abroad += 1
                elif place.province and not place.incidental:
                    votes[place.province] += 2 if sentence.index == 0 else 1
        # the province the article is about: most named, the title counting double; an
        # article that names more places abroad than at home tells of events abroad
        main = votes.most_common(1)[0][0] if votes else None
        written = doc.article.published or (MERGER_DATE if self.uses_2025_units(doc) else None)
        mostly_abroad = abroad > sum(votes.values())
        for event in doc.events:
            event.location = self.locate(doc, event, main, written, mostly_abroad)
            if mostly_abroad and event.location.province is None:
                event.location.foreign = True
        return doc

    def uses_2025_units(self, doc: Document) -> bool:
        """An undated article written after the merger gives itself away: it names a ward that
        exists only on the 2025 map, or places an old commune or district in the new province
        it joined ("xã Hàm Thắng, tỉnh Lâm Đồng")."""
        for sentence in doc.sentences:
            found = mentions.places(doc, sentence)
            if any(p.ward_2025 for p in found):
                return True
            for place, after in pairwise(found):
                # the address goes on with the province it is in: "xã Hàm Thắng, tỉnh Lâm Đồng"
                if place.level not in ("district", "commune") or not place.province or after.level != "province":
                    continue
                joined = sentence.text[place.end:after.start]
                if after.province and after.province != place.province and len(joined) <= 3 \
                        and self.gazetteer.to_2025(place.province)[0] == after.province:
                    return True
        return False

    def locate(self, doc: Document, event: Event, main: str | None, written: str | None,
               mostly_abroad: bool) -> Location:
        """The nearest place named at or before the event's sentence; a place abroad counts
        there only in the event's own sentence, or in an article mostly about abroad. Where
        a person lives tells where the event happened only when nothing else does."""
        own = doc.sentences[event.sentence]
        if event.kind == "aggregate" and self.national.search(own.text.lower()) \
                and not any(p.province and not p.foreign for p in mentions.places(doc, own)):
            return Location()
        first = max(0, event.sentence - self.lookback)
        home: Location | None = None
        for sentence in reversed(doc.sentences[first:event.sentence + 1]):
            found = mentions.places(doc, sentence)
            domestic = [p for p in found if p.province and not p.foreign]
            if any(not p.incidental for p in domestic):
                return self.location(doc, sentence.start, [p for p in domestic if not p.incidental], written)
            if domestic and home is None:
                home = self.location(doc, sentence.start, domestic, written)
            # the far end of a journey from home ("từ Mai Châu sang Trung Quốc") does not take the
            # event abroad; one that runs abroad ("từ Trung Quốc vượt biển sang Đài Loan") does
            from_home = any(p.route and not p.foreign for p in found)
            abroad = [p for p in found if p.foreign and not (p.route and from_home)]
            if abroad and (sentence.index == event.sentence or mostly_abroad):
                foreign = abroad[0]
                text, start, end = doc.span(sentence.start + foreign.start, sentence.start + foreign.end)
                return Location(text=text, foreign=True, start=start, end=end)
        if main and not mostly_abroad:
            return self.named(main, written)
        return home or Location()

    def location(self, doc: Document, offset: int, found: list[PlaceMention], written: str | None) -> Location:
        """The most precise mention names the place; its province comes from any of them."""
        found, misplaced = self.agreeing(doc.text.text[offset:], found)
        best = min(found, key=lambda p: {"commune": 0, "district": 1, "zone": 2}.get(p.level, 3))
        first = misplaced.start if misplaced is not None and misplaced.start < best.start else best.start
        text, start, end = doc.span(offset + first, offset + best.end)
        location = self.named(best.province, written)
        location.text, location.start, location.end = text, start, end
        location.district = best.district or next((p.district for p in found if p.district), None) \
            or (misplaced.district if misplaced is not None else None)
        location.commune = best.commune or (misplaced.commune if misplaced is not None else None)
        return location

    def agreeing(self, text: str, found: list[PlaceMention]) -> tuple[list[PlaceMention], PlaceMention | None]:
        """The mentions that the address they stand in agrees with, and the commune or district
        it contradicts: in "xã Hữu Bằng, huyện Thạch Thất, Hà Nội" the district and city tell the
        place, not the Hữu Bằng the gazetteer knows in Hải Phòng. A unit that went on to the
        province written after it (the 2025 map) agrees with it."""
        rank = {"commune": 0, "district": 1, "province": 2}
        for place, after in pairwise(sorted(found, key=lambda p: p.start)):
            # an address climbs ("xã A, huyện B"); "Nha Trang, Vũng Tàu" lists, "Móng Cái – Hòa Bình" is a route
            heads = rank.get(place.level, 2) < rank.get(after.level, 0)
            joined = not text[place.end:after.start].strip(" ,(")
            if heads and joined and place.province and after.province \
                    and self.gazetteer.to_2025(place.province)[0] != self.gazetteer.to_2025(after.province)[0]:
                return [p for p in found if (p.level, p.text.lower(), p.province) !=
                        (place.level, place.text.lower(), place.province)], place
        return found, None

    def named(self, province: str | None, published: str | None) -> Location:
        if province is None:
            return Location()
        short, code = self.gazetteer.province_as_of(province, published)
        short_2025, code_2025 = self.gazetteer.to_2025(province)
        return Location(province=short, province_code=code, province_2025=short_2025,
                        province_2025_code=code_2025)
