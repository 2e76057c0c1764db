"""Sentence splitting: the unit every event's evidence is quoted from."""

from __future__ import annotations

from pipeline.document import Document, Sentence
from pipeline.extractor import component
from pipeline.tokenise import split_sentences, tokens


@component("sentences")
class Sentencizer:
    def __call__(self, doc: Document) -> Document:
        text = doc.text.text
        doc.sentences = [Sentence(i, s, e, text[s:e]) for i, (s, e) in enumerate(split_sentences(text))]
        return doc


@component("tokens")
class Tokens:
    """Word-tokenise only the sentences that carry an event cue: the costly step, kept narrow."""

    def __init__(self, all_sentences: bool = False) -> None:
        self.all_sentences = all_sentences

    def __call__(self, doc: Document) -> Document:
        for sentence in doc.sentences:
            if self.all_sentences or sentence.cues:
                sentence.tokens = tokens(sentence.text)
        return doc
