"""Features of a candidate: one sentence and one event type cued in it.

The lexicon proposes, the model decides. A candidate is described by its cues, its
words, where it stands in the article, and what surrounds it (counts, dates, places at
home or abroad), so one linear model can learn which cues are trustworthy in which
contexts across all 25 event types.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from pipeline.document import Document, Sentence
from pipeline.extract import mentions
from pipeline.extract.cues import cue_context, whole_word_cues

Features = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Candidate:
    sentence: int
    label: str


def _bucket(n: int, edges: tuple[int, ...] = (0, 1, 2, 3, 5, 10, 20)) -> str:
    for edge in edges:
        if n <= edge:
            return str(edge)
    return f">{edges[-1]}"


def article_context(doc: Document) -> Features:
    """What the whole article says about where events happen, shared by its candidates."""
    def compute() -> Features:
        domestic = abroad = 0
        for sentence in doc.sentences:
            for place in mentions.places(doc, sentence):
                if place.foreign:
                    abroad += 1
                elif place.province:
                    domestic += 1
        return {"art:domestic=" + _bucket(domestic): 1, "art:abroad=" + _bucket(abroad): 1,
                "art:only_abroad": int(abroad > 0 and domestic == 0)}

    return doc.memo("features:article", compute)


def candidates(doc: Document) -> list[tuple[Candidate, Features]]:
    """Every (sentence, event type) the lexicon cues, with its features."""
    context = article_context(doc)
    label_sentences = Counter(label for s in doc.sentences for label in {c.label for c in whole_word_cues(s)})
    title_labels = {c.label for c in whole_word_cues(doc.sentences[0])} if doc.sentences else set()
    out = []
    for sentence in doc.sentences:
        cues = whole_word_cues(sentence)
        if not cues:
            continue
        shared = sentence_features(doc, sentence)
        labels = sorted({c.label for c in cues})
        # a sentence cueing many types is a list of offences: a general situation, rarely an event
        shared["labels_here=" + _bucket(len(labels), (1, 2, 3))] = 1
        for label in labels:
            mine = [c for c in cues if c.label == label]
            features = dict(context)
            features.update(shared)
            features[f"label={label}"] = 1
            for cue in mine:
                features[f"cue={label}|{cue.phrase}"] = 1
                for word in near_words(sentence, cue.start, cue.end):
                    features[f"{label}|near={word}"] = 1
                for kind in cue_context(sentence.text[max(0, cue.start - 40):cue.start]):
                    features[f"before={kind}"] = 1
                    features[f"{label}|before={kind}"] = 1
            weight = sum(c.weight for c in mine)
            features["cue_weight"] = min(weight, 2.0)
            features[f"{label}|weak_only"] = int(weight < 1)
            features[f"{label}|sentences=" + _bucket(label_sentences[label], (1, 2, 4, 8))] = 1
            features[f"{label}|in_title"] = int(label in title_labels)
            for other in {c.label for c in cues} - {label}:
                features[f"{label}|with={other}"] = 1
            out.append((Candidate(sentence.index, label), features))
    return out


def near_words(sentence: Sentence, start: int, end: int, window: int = 3) -> list[str]:
    """The words just before and after a cue: what a type's cue means depends on them."""
    words = sentence.words()
    before = [w for s, e, w in words if e <= start][-window:]
    after = [w for s, e, w in words if s >= end][:window]
    return before + after


def sentence_features(doc: Document, sentence: Sentence) -> Features:
    features: Features = {"pos=" + _bucket(sentence.index): 1, "title": int(sentence.index == 0)}
    counts = mentions.counts(doc, sentence)
    times = mentions.times(doc, sentence)
    places = mentions.places(doc, sentence)
    features["has_count"] = int(bool(counts))
    for count in counts:
        features[f"count_unit={count.unit}"] = 1
    features["has_day"] = int(any(not t.is_period for t in times))
    features["has_period"] = int(any(t.is_period for t in times))
    features["place_home"] = int(any(p.province and not p.foreign for p in places))
    features["place_abroad"] = int(any(p.foreign for p in places))
    features["length=" + _bucket(len(sentence.text) // 40, (0, 1, 2, 4, 8))] = 1
    for _, _, word in sentence.words():
        features["w=" + word] = 1
    return features
