"""The learned event typer: which cued sentences really state an event of the cued type.

A scikit-learn estimator over Documents (fit / predict_proba / predict / get_params, see
models/linear.py) and the pipeline component that applies a saved one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from models.features import Candidate, Features, candidates
from models.linear import CandidateClassifier, GoldRecord
from pipeline.document import Document
from pipeline.extractor import component


class SentenceTypeClassifier(CandidateClassifier):
    def candidates(self, doc: Document) -> list[tuple[Candidate, Features]]:
        return candidates(doc)

    def confirmed(self, doc: Document, gold: GoldRecord) -> set[Candidate]:
        return {c for c, _ in candidates(doc) if states(doc, c, gold)}


def states(doc: Document, candidate: Candidate, gold: GoldRecord) -> bool:
    """Does the sentence hold the evidence of a gold event of this type? (most of it, by characters)"""
    if not gold.get("relevant"):
        return False
    sentence = doc.sentences[candidate.sentence]
    _, s_start, s_end = doc.span(sentence.start, sentence.end)
    for event in gold.get("events", []):
        if event.get("type") != candidate.label:
            continue
        at = doc.article.text.find(event.get("evidence") or "\0")
        if at < 0:
            continue
        overlap = min(s_end, at + len(event["evidence"])) - max(s_start, at)
        if overlap >= 0.5 * min(s_end - s_start, len(event["evidence"])):
            return True
    return False


class SentenceTypes:
    """Pipeline component: replace each sentence's cue scores with the model's verdicts,
    scaled so that 1.0 is the decision threshold as it is for cue scores."""

    def __init__(self, estimator: SentenceTypeClassifier) -> None:
        self.estimator = estimator

    def __call__(self, doc: Document) -> Document:
        probs = self.estimator.predict_proba([doc])[0]
        for sentence in doc.sentences:
            sentence.labels = {}
        for candidate, p in probs.items():
            doc.sentences[candidate.sentence].labels[candidate.label] = p / self.estimator.threshold
        return doc


@component("sentence_types")
def load_sentence_types(model_dir: Path, file: str = "sentence_types.skops", **params: Any) -> SentenceTypes:
    return SentenceTypes(SentenceTypeClassifier.load(Path(model_dir) / file, **params))
