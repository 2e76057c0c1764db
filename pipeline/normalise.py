"""Normalise Vietnamese text to one form while keeping the way back to the original.

Extractors see NFC text with one tone-mark convention ("hòa", "thủy", "Khánh Hòa": the
mark on the first vowel of an open "oa/oe/uy", as in the official province names) and
single spaces. Evidence must be quoted from the article exactly as given, so every
normalised span maps back to original character offsets.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache

from pipeline.resources import alternation, read_tsv

# Open syllables written with the mark on the second vowel ("hoà", "thuỷ", "khoẻ") and
# their traditional spelling. "qu" + "y" keeps its mark on "y" ("quý"), and a following
# vowel or final consonant makes the syllable closed ("hoàng", "thuyền"): both excluded.
_MARKED = {
    "a": "àáảãạ",
    "e": "èéẻẽẹ",
    "y": "ỳýỷỹỵ",
}
_MARK_ON = {"o": "òóỏõọ", "u": "ùúủũụ"}
_PAIRS = {("o", "a"), ("o", "e"), ("u", "y")}


def _tone_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for first, second in _PAIRS:
        for i, marked in enumerate(_MARKED[second]):
            for upper_first in (False, True):
                for upper_second in (False, True):
                    f = first.upper() if upper_first else first
                    s_plain = second.upper() if upper_second else second
                    s_marked = marked.upper() if upper_second else marked
                    f_marked = _MARK_ON[first][i].upper() if upper_first else _MARK_ON[first][i]
                    table[f + s_marked] = f_marked + s_plain
    return table


_TONE = _tone_table()
_LETTER = r"[^\W\d_]"
_TONE_RE = re.compile(
    rf"(?<![qQ])({'|'.join(sorted(_TONE, key=len, reverse=True))})(?!{_LETTER})"
)
_SPACE_RE = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+|\s*\n\s*")
# a whole word containing combining marks, so its tone mark is fixed once recomposed
_COMBINING_RE = re.compile(r"[\w\u0300-\u036f]*[\u0300-\u036f][\w\u0300-\u036f]*")


@dataclass(slots=True)
class NormalisedText:
    """Normalised text plus a piecewise map from its offsets to the original's.

    Segment i starts at `_norm[i]` in the text and `_orig[i]` in the original. Inside a
    verbatim segment both advance together; a rewritten segment (a collapsed space run,
    a recomposed letter, a moved tone mark) maps as a whole to its original piece.
    """

    text: str
    _norm: list[int]
    _orig: list[int]
    _rewritten: list[bool]
    _orig_len: int

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        return self._map(start, is_end=False), self._map(end, is_end=True)

    def _map(self, pos: int, *, is_end: bool) -> int:
        if not self._norm:
            return pos
        # an end offset belongs to the segment before it, a start to the one after
        i = bisect_right(self._norm, pos - 1 if is_end and pos > 0 else pos) - 1
        if i < 0:
            return pos
        seg_end = self._orig[i + 1] if i + 1 < len(self._orig) else self._orig_len
        if self._rewritten[i]:
            return seg_end if is_end else self._orig[i]
        return min(self._orig[i] + pos - self._norm[i], seg_end)


def normalise_str(text: str) -> str:
    """Normalise a string with no need to map back (lexicon entries, queries)."""
    return normalise(text).text


def normalise(original: str) -> NormalisedText:
    """NFC, one tone-mark style, collapsed spaces; with a map back to `original`."""
    pieces: list[str] = []
    norm_starts: list[int] = []
    orig_starts: list[int] = []
    rewritten: list[bool] = []
    out_len = 0
    last = 0
    for match in _rewrites(original):
        m_start, m_end, replacement = match
        if m_start > last:
            norm_starts.append(out_len)
            orig_starts.append(last)
            rewritten.append(False)
            pieces.append(original[last:m_start])
            out_len += m_start - last
        norm_starts.append(out_len)
        orig_starts.append(m_start)
        rewritten.append(True)
        pieces.append(replacement)
        out_len += len(replacement)
        last = m_end
    if not norm_starts:
        return NormalisedText(original, [], [], [], len(original))
    if last < len(original):
        norm_starts.append(out_len)
        orig_starts.append(last)
        rewritten.append(False)
        pieces.append(original[last:])
    return NormalisedText("".join(pieces), norm_starts, orig_starts, rewritten, len(original))


def _rewrites(text: str) -> list[tuple[int, int, str]]:
    """Non-overlapping (start, end, replacement) edits in text order."""
    edits: list[tuple[int, int, str]] = []
    if not text.isascii():
        for m in _COMBINING_RE.finditer(text):
            composed = unicodedata.normalize("NFC", m.group())
            if composed != m.group():
                edits.append((m.start(), m.end(), composed))
    for m in _SPACE_RE.finditer(text):
        piece = m.group()
        replacement = "\n" if "\n" in piece else " "
        if piece != replacement:
            edits.append((m.start(), m.end(), replacement))
    if not edits:
        return _tone_edits(text)
    edits.sort()
    merged: list[tuple[int, int, str]] = []
    for start, end, rep in edits:
        if merged and start < merged[-1][1]:
            continue
        merged.append((start, end, rep))
    # tone marks are fixed on the recomposed text of each stretch between edits
    return _apply_tone(text, merged)


def _tone_edits(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), _TONE[m.group()]) for m in _TONE_RE.finditer(text)]


def _apply_tone(text: str, edits: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    last = 0
    for start, end, rep in edits:
        out.extend(_shift(_tone_edits(text[last:start]), last))
        out.append((start, end, _TONE_RE.sub(lambda m: _TONE[m.group()], rep)))
        last = end
    out.extend(_shift(_tone_edits(text[last:]), last))
    return out


def _shift(edits: list[tuple[int, int, str]], by: int) -> list[tuple[int, int, str]]:
    return [(s + by, e + by, r) for s, e, r in edits]


_BRACKETED = re.compile(r"\[[^\[\]\n]{0,200}\]")


@cache
def _link_lines() -> re.Pattern[str]:
    openers = alternation(normalise_str(r["opener"]) for r in read_tsv("lexicons", "link_openers.tsv"))
    return re.compile(rf"(?<!\w)(?:{openers})(?!\w)[^\n]{{0,600}}")


def asides(text: str) -> list[tuple[int, int]]:
    """Spans that link to other stories: in square brackets ("[Xe cấp cứu gây tai nạn tại Hà
    Nội]"), or after "Xem thêm", "Tin liên quan" to the end of the line
    (data/lexicons/link_openers.tsv); nothing in them tells of this article's events."""
    return [m.span() for pattern in (_BRACKETED, _link_lines()) for m in pattern.finditer(text)]


def is_question(text: str) -> bool:
    """Whether a sentence asks, closing quotes and brackets aside ("... đình công?”")."""
    return text.rstrip().rstrip("\"'”’»)").endswith("?")
