"""When each event happened: the first time expression of its evidence sentence."""

from __future__ import annotations

from pipeline.document import Document, TimeSpan
from pipeline.extract import mentions
from pipeline.extractor import component


@component("time")
class EventTime:
    def __call__(self, doc: Document) -> Document:
        for event in doc.events:
            sentence = doc.sentences[event.sentence]
            found = mentions.times(doc, sentence)
            if not found:
                continue
            # an aggregate is dated by its period, an incident by its day
            best = next((t for t in found if t.is_period == (event.kind == "aggregate")), found[0])
            text, begin, stop = doc.span(sentence.start + best.start, sentence.start + best.end)
            event.time = TimeSpan(text=text, start=best.start_date, end=best.end_date, begin=begin, stop=stop)
        return doc
