"""An article is relevant when it reports at least one event that happened in Vietnam."""

from __future__ import annotations

from pipeline.document import Document
from pipeline.extractor import component


@component("relevance")
class Relevance:
    def __init__(self, min_confidence: float = 0.0) -> None:
        self.min_confidence = min_confidence

    def __call__(self, doc: Document) -> Document:
        doc.events = [e for e in doc.events if not e.location.foreign and e.confidence >= self.min_confidence]
        doc.relevant = bool(doc.events)
        return doc
