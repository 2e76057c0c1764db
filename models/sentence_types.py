"""The learned event typer: which cued sentences really state an event of the cued type.

A scikit-learn estimator over Documents (fit / predict_proba / predict / get_params) and
the pipeline component that applies a saved one. The saved artifact is the inner
DictVectorizer + LogisticRegression pipeline in skops format, which loads without
running arbitrary code.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import skops.io as sio
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from models.features import Candidate, candidates
from pipeline.document import Document
from pipeline.extractor import component

GoldRecord = dict[str, Any]


class SentenceTypeClassifier(ClassifierMixin, BaseEstimator):
    def __init__(self, C: float = 0.5, threshold: float = 0.5, class_weight: str | None = "balanced") -> None:
        self.C = C
        self.threshold = threshold
        self.class_weight = class_weight

    def fit(self, X: Sequence[Document], y: Sequence[GoldRecord]) -> SentenceTypeClassifier:
        features, targets = [], []
        for doc, gold in zip(X, y, strict=True):
            for candidate, f in candidates(doc):
                features.append(f)
                targets.append(int(states(doc, candidate, gold)))
        if len(set(targets)) < 2:
            raise ValueError("training needs both events and non-events among the cued sentences")
        self.model_ = Pipeline([
            ("features", DictVectorizer()),
            ("classifier", LogisticRegression(C=self.C, class_weight=self.class_weight, max_iter=5000)),
        ]).fit(features, targets)
        self.classes_ = [0, 1]
        return self

    def predict_proba(self, X: Sequence[Document]) -> list[dict[Candidate, float]]:
        out = []
        for doc in X:
            found = candidates(doc)
            probs = self.model_.predict_proba([f for _, f in found])[:, 1] if found else []
            out.append({c: float(p) for (c, _), p in zip(found, probs, strict=True)})
        return out

    def predict(self, X: Sequence[Document]) -> list[set[Candidate]]:
        return [{c for c, p in probs.items() if p >= self.threshold} for probs in self.predict_proba(X)]

    def save(self, path: Path) -> None:
        sio.dump(self.model_, path)

    @classmethod
    def load(cls, path: Path, **params: Any) -> SentenceTypeClassifier:
        untrusted = sio.get_untrusted_types(file=path)
        if untrusted:
            raise ValueError(f"{path} holds types that are not plain scikit-learn: {untrusted}; not loading it")
        estimator = cls(**params)
        estimator.model_ = sio.load(path, trusted=[])
        estimator.classes_ = [0, 1]
        return estimator


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
