"""What the learned components share: a linear model that keeps or drops the candidates a
rule stage proposes in an article.

A subclass says what a candidate is (`candidates`) and which candidates the labelled
record confirms (`confirmed`); fitting, scoring, thresholds and safe saving are here. The
saved artifact is a DictVectorizer + LogisticRegression pipeline in skops format, which
loads without running arbitrary code.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from pathlib import Path
from typing import Any, Self

import skops.io as sio
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from pipeline.document import Document

GoldRecord = dict[str, Any]
Features = dict[str, Any]


class CandidateClassifier(ClassifierMixin, BaseEstimator):
    def __init__(self, C: float = 0.1, threshold: float = 0.5, class_weight: str | None = None) -> None:
        self.C = C
        self.threshold = threshold
        self.class_weight = class_weight

    def candidates(self, doc: Document) -> list[tuple[Hashable, Features]]:
        raise NotImplementedError

    def confirmed(self, doc: Document, gold: GoldRecord) -> set[Hashable]:
        raise NotImplementedError

    def fit(self, X: Sequence[Document], y: Sequence[GoldRecord]) -> Self:
        features, targets = [], []
        for doc, gold in zip(X, y, strict=True):
            found = self.candidates(doc)
            yes = self.confirmed(doc, gold)
            features += [f for _, f in found]
            targets += [int(key in yes) for key, _ in found]
        if len(set(targets)) < 2:
            raise ValueError(f"training {type(self).__name__} needs candidates both confirmed and not "
                             "by the labelled records")
        self.model_ = Pipeline([
            ("features", DictVectorizer()),
            ("classifier", LogisticRegression(C=self.C, class_weight=self.class_weight, max_iter=5000)),
        ]).fit(features, targets)
        self.classes_ = [0, 1]
        return self

    def predict_proba(self, X: Sequence[Document]) -> list[dict[Hashable, float]]:
        out = []
        for doc in X:
            found = self.candidates(doc)
            probs = self.model_.predict_proba([f for _, f in found])[:, 1] if found else []
            out.append({key: float(p) for (key, _), p in zip(found, probs, strict=True)})
        return out

    def predict(self, X: Sequence[Document]) -> list[set[Hashable]]:
        return [{key for key, p in probs.items() if p >= self.threshold} for probs in self.predict_proba(X)]

    def save(self, path: Path) -> None:
        sio.dump(self.model_, path)

    @classmethod
    def load(cls, path: Path, **params: Any) -> Self:
        untrusted = sio.get_untrusted_types(file=path)
        if untrusted:
            raise ValueError(f"{path} holds types that are not plain scikit-learn: {untrusted}; not loading it")
        estimator = cls(**params)
        estimator.model_ = sio.load(path, trusted=[])
        estimator.classes_ = [0, 1]
        return estimator
