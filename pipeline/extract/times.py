"""When each event happened: the time its evidence sentence names, else the one the story
set just before ("Khoảng 9h ngày 21/5, giàn giáo đổ sập... Vụ tai nạn làm 2 người tử vong").
A baseline the figures are compared with ("so với cùng kỳ năm ngoái") dates nothing."""

from __future__ import annotations

from pipeline.document import Document, Event, TimeSpan
from pipeline.extract import mentions
from pipeline.extract.dates import TimeMention
from pipeline.extractor import component


@component("time")
class EventTime:
    def __init__(self, lookback: int = 6) -> None:
        self.lookback = lookback

    def __call__(self, doc: Document) -> Document:
        for event in doc.events:
            found = self.own(doc, event) or self.before(doc, event)
            if found is None:
                continue
            index, best = found
            start = doc.sentences[index].start
            text, begin, stop = doc.span(start + best.start, start + best.end)
            event.time = TimeSpan(text=text, start=best.start_date, end=best.end_date, begin=begin, stop=stop)
        return doc

    @staticmethod
    def own(doc: Document, event: Event) -> tuple[int, TimeMention] | None:
        found = [t for t in mentions.times(doc, doc.sentences[event.sentence]) if not t.compared]
        if not found:
            return None
        # an aggregate is dated by its period, an incident by its day
        return event.sentence, next((t for t in found if t.is_period == (event.kind == "aggregate")), found[0])

    def before(self, doc: Document, event: Event) -> tuple[int, TimeMention] | None:
        """The nearest time of the event's kind in the sentences before it."""
        for index in range(event.sentence - 1, max(-1, event.sentence - 1 - self.lookback), -1):
            if fitting := _fitting(doc, index, event):
                return index, fitting[-1]
        return None


def _fitting(doc: Document, index: int, event: Event) -> list[TimeMention]:
    """The sentence's dated times of the event's kind: a day for an incident, a period for a statistic."""
    return [t for t in mentions.times(doc, doc.sentences[index])
            if t.start_date and not t.compared and t.spans_a_statistic == (event.kind == "aggregate")]
