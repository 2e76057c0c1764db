"""Sentence splitting: the unit every event's evidence is quoted from."""

from __future__ import annotations

from pipeline.document import Document, Sentence
from pipeline.extractor import component
from pipeline.normalise import normalise_str
from pipeline.tokenise import split_sentences, tokens


@component("sentences")
class Sentencizer:
    """Sentence 0 is the title, as in the shared corpus and the HTML reader's text. An archive
    that keeps the title apart from a body that does not repeat it gets an empty sentence 0,
    so that the body's lead is read as the story, not as a headline restating it."""

    def __call__(self, doc: Document) -> Document:
        text = doc.text.text
        spans = split_sentences(text)
        if not heads(text, doc.article.title):
            spans = [(0, 0), *spans]
        doc.sentences = [Sentence(i, s, e, text[s:e]) for i, (s, e) in enumerate(spans)]
        return doc


def heads(text: str, title: str | None) -> bool:
    """Whether the text opens with its title (or has none given apart)."""
    if not title or not title.strip():
        return True
    first = " ".join(text.split("\n", 1)[0].split()).casefold()
    title = " ".join(normalise_str(title).split()).casefold()
    return bool(first) and (first.startswith(title) or title.startswith(first))


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
