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


@cache
def _run_in_opener() -> re.Pattern[str]:
    """A capitalised opener of data/lexicons/sentence_openers.tsv, followed by what it must be."""
    openers = "|".join(f"(?:{re.escape(r['opener'])}\\s+(?:{r['then']}))"
                       for r in read_tsv("lexicons", "sentence_openers.tsv"))
    return re.compile(rf"\s+(?=(?:{openers}))")


_CREDIT_END = re.compile(r"(?:Ảnh|Nguồn|ảnh|nguồn)\s*:\s*[^.!?:]{1,40}$")


def _cut_run_ins(sentence: str) -> list[str]:
    """A sentence of underthesea's cut where a headline, sub-heading or photo caption ran into
    it: an opener right after a lower-case word, a closing quote or a photo credit ("Ảnh: Tuổi
    Trẻ"). A piece of one word or two is not a heading but a name ("ông Văn Theo"), and stays."""
    pieces, start = [], 0
    for m in _run_in_opener().finditer(sentence):
        before = sentence[start:m.start()]
        words = before.split()
        if len(words) >= 3 and (words[-1][:1].islower() or words[-1][-1:] in "”\"" or _CREDIT_END.search(before)):
            pieces.append(before)
            start = m.end()
    pieces.append(sentence[start:])
    return pieces


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans of a normalised text: paragraphs first, then underthesea."""
    spans: list[tuple[int, int]] = []
    start = 0
    for paragraph in text.split("\n"):
        end = start + len(paragraph)
        if paragraph.strip():
            cursor = start
            for sentence in (piece for whole in sent_tokenize(paragraph) for piece in _cut_run_ins(whole)):
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
