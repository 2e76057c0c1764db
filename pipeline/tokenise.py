"""Sentences and words from underthesea, handed to extractors as spaCy `Doc`s.

underthesea knows Vietnamese word boundaries ("công nhân", "đình công" are one word
each); spaCy gives matchers and components one shared document type. Word tokenising is
the slow step of the whole pipeline, so it runs only on the sentences that need it.
"""

from __future__ import annotations

import re
from functools import cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from underthesea import sent_tokenize, word_tokenize

from pipeline.resources import alternation, read_tsv


@cache
def blank_vietnamese() -> Language:
    """A blank spaCy Vietnamese pipeline whose tokenizer is underthesea's."""
    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}})
    nlp.tokenizer = UndertheseaTokenizer(nlp.vocab)
    return nlp


class UndertheseaTokenizer:
    """spaCy tokenizer callable: text -> Doc with underthesea's multi-syllable words."""

    def __init__(self, vocab: spacy.vocab.Vocab) -> None:
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        words: list[str] = []
        spaces: list[bool] = []
        cursor = 0
        for word in word_tokenize(text):
            at = text.find(word, cursor)
            if at < 0:  # underthesea rewrote the word; the gap keeps the original text
                continue
            self._add_gap(text[cursor:at], words, spaces)
            words.append(word)
            spaces.append(False)
            cursor = at + len(word)
        self._add_gap(text[cursor:], words, spaces)
        return Doc(self.vocab, words=words, spaces=spaces)

    @staticmethod
    def _add_gap(gap: str, words: list[str], spaces: list[bool]) -> None:
        """Keep text between underthesea's words so that the Doc's text is the sentence's."""
        if not gap:
            return
        if words and gap[0].isspace():
            spaces[-1] = True
        if gap.strip():
            words.append(gap.strip())
            spaces.append(gap[-1].isspace())


@cache
def _abbreviation_end() -> re.Pattern[str]:
    """A unit word's abbreviation that underthesea takes for a full stop ("TX. Thuận An", "TT. Phú
    Bài"). One-letter ones ("H.", "Q.") are left out: they end sentences as a person's initial."""
    words = {r["word"] for r in read_tsv("gazetteer", "cues.tsv")
             if r["kind"].endswith("_unit") and r["word"].endswith(".") and len(r["word"]) > 2}
    return re.compile(rf"(?<!\w)(?:{alternation(words)})$")


_INITIALS = re.compile(r"(?<!\w)(?:[^\W\d_]\.)+$")
_INITIAL = re.compile(r"[^\W\d_]\.")


def _goes_on(before: str, after: str) -> bool:
    """Whether underthesea cut a sentence at an abbreviation: a unit word's ("(phường An Phú,
    TX." | "Thuận An)") or a person's initials, when what follows is more initials, a
    parenthesis or a lower-case word ("bà P.T." | "L. (72 tuổi)", "chị Đ." | "T." | "H." | "cho
    biết"). "Ông Lê Văn T." | "Ông T. bị bắt." stays two sentences."""
    if _abbreviation_end().search(before):
        return True
    if not (_INITIALS.search(before) and before[-2:-1].isupper()):
        return False
    return bool(_INITIAL.match(after)) or after.startswith("(") or after[:1].islower()


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans of a normalised text: paragraphs first, then underthesea."""
    spans: list[tuple[int, int]] = []
    start = 0
    for paragraph in text.split("\n"):
        end = start + len(paragraph)
        if paragraph.strip():
            cursor = start
            for sentence in sent_tokenize(paragraph):
                at = text.find(sentence, cursor, end)
                if at < 0:
                    continue
                if spans and spans[-1][1] > start and _goes_on(text[spans[-1][0]:spans[-1][1]], sentence):
                    spans[-1] = (spans[-1][0], at + len(sentence))
                else:
                    spans.append((at, at + len(sentence)))
                cursor = at + len(sentence)
            if not spans or spans[-1][1] <= start:  # underthesea found nothing it could place
                spans.append((start, end))
        start = end + 1
    return spans


def tokens(text: str) -> Doc:
    return blank_vietnamese()(text)
