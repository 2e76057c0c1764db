"""Numbers and counts in Vietnamese news sentences.

Vietnamese writes "2.600" for two thousand six hundred and "1,5" for one and a half, mixes
digits with number words ("2 tỷ 500 triệu", "hàng trăm") and puts the counted noun after
the number ("07 vụ", "khoảng 2.600 lượt người"). `find_counts` returns every number that
is followed by a noun of data/lexicons/count_units.tsv, with the spec's unit label, its
qualifier and the exact text; dates, clock times, law numbers, plates and phone numbers
are never counts. Whether a count belongs to an event is the caller's decision.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from pipeline.document import Qualifier
from pipeline.extract.dates import find_times
from pipeline.normalise import normalise_str
from pipeline.resources import alternation, read_tsv


@dataclass(slots=True)
class CountMention:
    start: int  # offsets of `text` in the sentence given
    end: int
    text: str  # qualifier + number + noun as written
    value: float
    unit: str
    qualifier: Qualifier
    noun: str  # the counted noun as written
    per_unit: bool = False  # a rate or price ("5 triệu đồng/tháng"), not an amount


@dataclass(frozen=True, slots=True)
class _Word:
    value: float
    role: str
    qualifier: str


@dataclass(frozen=True, slots=True)
class _Unit:
    unit: str
    person: bool


@dataclass(frozen=True, slots=True)
class _Lexicon:
    words: dict[str, _Word]
    qualifiers: dict[str, Qualifier]
    units: dict[str, _Unit]
    context: dict[tuple[str, str], str]  # (cue, position) -> effect


def _key(s: str) -> str:
    return " ".join(s.lower().split())


@cache
def _lexicon() -> _Lexicon:
    words = {_key(normalise_str(r["word"])): _Word(float(r["value"]), r["role"], r["qualifier"] or "")
             for r in read_tsv("lexicons", "number_words.tsv")}
    qualifiers = {_key(normalise_str(r["word"])): r["qualifier"]
                  for r in read_tsv("lexicons", "qualifiers.tsv")}
    units = {}
    for r in read_tsv("lexicons", "count_units.tsv"):
        units[_key(normalise_str(r["noun"]))] = _Unit(
            "prefix" if r["prefix"] == "1" else r["unit"], r["person"] == "1")
    context = {(_key(normalise_str(r["cue"])), r["position"]): r["effect"]
               for r in read_tsv("lexicons", "count_context.tsv")}
    return _Lexicon(words, qualifiers, units, context)  # type: ignore[arg-type]


_DIGITS = r"\d+(?:[.,]\d+)*"
_BEFORE_DIGIT = ("", "tens", "teen", "dozen", "hundred", "filler", "mult")
_PERSON_UNITS = ("people", "suspects", "victims", "deaths", "injuries")
_CLAUSE_END = re.compile(r"[,;:.!?()\[\]\n\"“”]|\s-\s|\d")


def _cues(position: str, role: bool | None = None) -> str:
    """Cues at `position`; role True/False: only those that set a person's role / mark money."""
    ctx = _lexicon().context
    return alternation(c for (c, p), e in ctx.items() if p == position and role in (None, e != "money_vnd"))


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    lx = _lexicon()
    word = rf"(?:{alternation(lx.words)})(?!\w)"
    prefixes = [n for n, u in lx.units.items() if u.unit == "prefix"]
    nouns = [n for n, u in lx.units.items() if u.unit != "prefix"]
    persons = [n for n, u in lx.units.items() if u.person or u.unit in _PERSON_UNITS]
    follow = "|".join(re.escape(c) + (r"(?!\w)" if c[-1].isalnum() else "")
                      for c in sorted((c for c, p in lx.context if p == "follow"), key=len, reverse=True))
    flags = re.IGNORECASE
    return {
        "phrase": re.compile(rf"(?<![\w.,/-])(?:{_DIGITS}|{word})(?:[ ]+(?:{_DIGITS}|{word}))*", flags),
        "token": re.compile(rf"{_DIGITS}|[^\W\d_]+"),
        # "03 (ba) đối tượng": police reports spell the number out again in brackets
        "unit": re.compile(rf"(?:\s*\(\s*(?:{word}\s*)+\))?\s*(?:(?P<prefix>{alternation(prefixes)})\s+)?"
                           rf"(?P<noun>{alternation(nouns)})(?!\w)", flags),
        "bare_money": re.compile(
            rf"(?:{alternation(w for w, x in lx.words.items() if x.role == 'mult' and x.value >= 1e6)})$", flags),
        "qualifier": re.compile(rf"(?<!\w)(?:(?:{alternation(lx.qualifiers)})\s+)+$", flags),
        "qualifier_word": re.compile(rf"(?<!\w)(?:{alternation(lx.qualifiers)})(?!\w)", flags),
        "before": re.compile(rf"(?<!\w)(?:{_cues('before')})\s*$", flags),
        "near_role": re.compile(rf"(?<!\w)(?:{_cues('near_before', role=True)})(?!\w)", flags),
        "near_money": re.compile(rf"(?<!\w)(?:{_cues('near_before', role=False)})(?!\w)", flags),
        "after": re.compile(rf"(?<!\w)(?:{_cues('after')})(?!\w)", flags),
        "person": re.compile(rf"(?<!\w)(?:{alternation(persons)})(?!\w)", flags),
        "follow": re.compile(rf"\s*(?:{follow})", flags),
        # never counts: licence plates, phone numbers, ranges ("25 - 30 m2", "từ 3 đến 5 triệu
        # đồng", "từ một triệu đồng đến mười triệu đồng"), percentages
        "mask": re.compile(
            r"\b\d{2}[A-Z][A-Z0-9]?\s*-\s*\d{3}\.?\d{2}\b"
            r"|(?<![\d.,])0\d{2,3}[.\s]?\d{3}[.\s]?\d{3,4}(?![\d.,])"
            rf"|{_DIGITS}\s*[-–]\s*{_DIGITS}"
            rf"|(?<!\w)(?i:từ)\s+(?:{_DIGITS}|{word})(?:\s+[^\W\d]+){{0,3}}\s+(?i:đến)\s+(?:{_DIGITS}|{word})"
            rf"|{_DIGITS}\s*%"),
    }


def _parse_digits(s: str) -> float | None:
    """'2.600' = 2600, '1,5' = 1.5, '3.137,21' = 3137.21. A single ',' is the decimal mark
    (the Vietnamese convention, so "1,500" is 1.5); a single '.' is one too unless three
    digits follow it ("1.5 tỷ" in careless text)."""
    dots, commas = s.count("."), s.count(",")
    if dots and commas:
        dec = "," if s.rfind(",") > s.rfind(".") else "."
        thousands = "." if dec == "," else ","
        whole, _, frac = s.rpartition(dec)
        if not all(len(g) == 3 for g in whole.split(thousands)[1:]):
            return None
        return float(whole.replace(thousands, "") + "." + frac)
    sep = "." if dots else "," if commas else ""
    if not sep:
        return float(s)
    groups = s.split(sep)
    if len(groups) > 2 or (sep == "." and len(groups[1]) == 3):
        return float("".join(groups)) if all(len(g) == 3 for g in groups[1:]) else None
    return float(groups[0] + "." + groups[1])


def _evaluate(tokens: list[str]) -> tuple[float, str, int] | None:
    """(value, qualifier implied by a vague word, tokens used) for the longest prefix of
    `tokens` that reads as one number."""
    lx = _lexicon()
    total = small = 0.0
    pending: float | None = None
    last_mult = float("inf")
    prev = ""
    vague = ""
    best: tuple[float, str, int] | None = None
    for i, tok in enumerate(tokens):
        if tok[0].isdigit():
            v = _parse_digits(tok)
            if v is None or pending is not None or small or prev not in ("", "mult"):
                break
            pending, role = v, "numeral"
        else:
            w = lx.words[_key(tok)]
            role, v = w.role, w.value
            if role == "digit":
                if pending is not None or prev not in _BEFORE_DIGIT:
                    break
                pending = v
            elif role == "after_tens":
                if prev not in ("tens", "teen"):
                    break
                small += v
            elif role == "teen":
                if pending is not None or prev not in ("", "hundred", "filler", "mult"):
                    break
                small += v
            elif role in ("tens", "dozen"):
                if role == "tens" and (pending is None or prev != "digit"):
                    break
                if prev in ("tens", "teen", "dozen"):
                    break
                small += (pending if pending is not None else 1) * v
                pending = None
            elif role == "hundred":
                if prev in ("tens", "teen", "dozen", "hundred"):
                    break
                small += (pending if pending is not None else 1) * v
                pending = None
            elif role == "mult":
                group = small + (pending or 0)
                if total and v > last_mult:  # "một nghìn tỷ": the groups so far scale up
                    total = (total + group) * v
                else:
                    total += (group or 1) * v
                last_mult, small, pending = v, 0.0, None
            elif role == "filler":
                if prev not in ("hundred", "mult"):
                    break
            elif role == "half":
                if prev == "" or (prev == "digit" and pending == 1):
                    pending = v
                else:
                    break
            elif role == "half_after":
                if prev == "mult":
                    total += v * last_mult
                elif prev in ("hundred", "dozen"):
                    small += v * (100 if prev == "hundred" else 10)
                else:
                    break
            elif role in ("vague", "collective"):
                if prev != "":
                    break
                vague = w.qualifier
                pending = v if role == "vague" else None
            else:
                break
        prev_prev, prev = prev, role
        complete = prev not in ("collective", "filler") and not (
            prev in ("digit", "numeral") and prev_prev == "mult" and total)
        if complete:
            best = (total + small + (pending or 0), vague, i + 1)
    return best


def _as_number(v: float) -> float:
    return int(v) if v == int(v) else v


def parse_number(text: str) -> float | None:
    """The value of a number written in digits, words or both ("2 tỷ 500 triệu", "hai
    mươi lăm", "hàng trăm" = 100); None unless the whole text is one number."""
    tokens = _patterns()["token"].findall(normalise_str(text).strip())
    if not tokens or not all(t[0].isdigit() or _key(t) in _lexicon().words for t in tokens):
        return None
    found = _evaluate(tokens)
    return _as_number(found[0]) if found and found[2] == len(tokens) else None


def _masked(text: str) -> list[tuple[int, int]]:
    spans = [(t.start, t.end) for t in find_times(text)]
    return spans + [m.span() for m in _patterns()["mask"].finditer(text)]


def _role(text: str, start: int, noun_end: int) -> tuple[str | None, int]:
    """The role a person noun takes from the words around it, and where its text ends
    (a role word right after the noun belongs to it: "2 người bị thương")."""
    p = _patterns()
    after = text[noun_end:noun_end + 80]
    stop = _CLAUSE_END.search(after)
    after = after[:stop.start()] if stop else after
    # a phrase that holds a role word but sets no role ("bị điện giật") is passed over
    roles = ((m, _lexicon().context[(_key(m.group()), "after")]) for m in p["after"].finditer(after))
    m, effect = next(((m, e) for m, e in roles if e != "none"), (None, None))
    if m and p["person"].search(after, 0, m.start()):
        m = None  # the role is another person's: "3 người tiếp xúc với nạn nhân tử vong"
    if m and _leads_a_figure(text, noun_end + m.end()):
        m = None  # it is the next figure's: "làm chết 2 người và làm bị thương 5 người"
    if m:
        adjacent = len(after[:m.start()].split()) <= 2
        return effect, noun_end + m.end() if adjacent else noun_end
    roles = _near_before(text, start, 4, "near_role")
    return (roles[-1] if roles else None), noun_end


def _leads_a_figure(text: str, end: int) -> bool:
    """Whether a number of people comes right after `end` ("bị thương 5 người", not "trộm hai
    chú chó")."""
    p = _patterns()
    following = text[end:end + 40].lstrip()
    first = p["token"].match(following)
    return first is not None and (first.group()[0].isdigit() or parse_number(first.group()) is not None) \
        and p["person"].match(following[first.end():].lstrip()) is not None


def _near_before(text: str, start: int, words: int, cues: str) -> list[str]:
    """Effects of the cues among the last `words` words of the clause before `start`."""
    before = text[max(0, start - 80):start]
    cut = max((m.end() for m in _CLAUSE_END.finditer(before)), default=0)
    before = " ".join(before[cut:].split()[-words:])
    return [_lexicon().context[(_key(m.group()), "near_before")] for m in _patterns()[cues].finditer(before)]


def _bare_money(text: str, start: int, num_start: int, num_end: int) -> bool:
    """"thiệt hại khoảng 2,5 tỷ": millions or billions with no noun, after a word about money."""
    return bool(_patterns()["bare_money"].search(text, num_start, num_end)) and bool(
        _near_before(text, start, 6, "near_money"))


MEASURED = frozenset({"money_vnd", "other"})  # the spec's units that may take a fraction (1,5 tỷ; 344,5 g)


def _is_name(text: str, m: re.Match[str]) -> bool:
    """A number word capitalised inside a sentence is a name: "Triệu Thị Phương Loan", "ông Ba"."""
    before = text[:m.start()].rstrip()
    return m.group()[0].isupper() and not any(c.isdigit() for c in m.group()) \
        and bool(before) and before[-1] not in ".!?:;\"“(-–…"


def find_counts(text: str) -> list[CountMention]:
    """Every number + counted noun in a normalised sentence, money in đồng."""
    p, lx = _patterns(), _lexicon()
    masked = _masked(text)
    out: list[CountMention] = []
    pos = 0
    while m := p["phrase"].search(text, pos):
        tokens = list(p["token"].finditer(m.group()))
        found = None if _is_name(text, m) else _evaluate([t.group() for t in tokens])
        if found is None:
            pos = m.end()
            continue
        value, vague, used = found
        num_start, num_end = m.start(), m.start() + tokens[used - 1].end()
        pos = num_end
        if any(s < num_end and num_start < e for s, e in masked):
            continue
        qual_m = p["qualifier"].search(text, max(0, num_start - 30), num_start)
        start = qual_m.start() if qual_m else num_start
        block = p["before"].search(text, max(0, start - 30), start)
        rate = bool(block) and lx.context[(_key(block.group()), "before")] == "per_unit"
        if block and lx.context[(_key(block.group()), "before")] == "block":
            continue
        qualifier = vague or "exact"
        if qual_m:
            qualifier = lx.qualifiers[_key(list(p["qualifier_word"].finditer(qual_m.group()))[-1].group())]
        unit_m = p["unit"].match(text, num_end)
        if unit_m is None:
            if _bare_money(text, start, num_start, num_end):
                out.append(CountMention(start, num_end, text[start:num_end], _as_number(value), "money_vnd",
                                        qualifier, ""))  # type: ignore[arg-type]
            continue
        unit_info = lx.units[_key(unit_m.group("noun"))]
        pos = max(pos, unit_m.end())
        if unit_info.unit == "-":
            continue
        unit, end = unit_info.unit, unit_m.end()
        if unit_info.person and not unit_m.group("prefix"):  # "lượt người" are visits, no role
            role, end = _role(text, start, end)
            unit = role or unit
        if unit not in MEASURED and not float(value).is_integer():
            continue  # people, companies and cases come whole: "nửa người" counts nothing
        follow = p["follow"].match(text, unit_m.end())
        out.append(CountMention(
            start=start, end=end, text=text[start:end], value=_as_number(value), unit=unit,
            qualifier=qualifier, noun=text[unit_m.start("prefix") if unit_m.group("prefix") else
                                           unit_m.start("noun"):unit_m.end()],  # type: ignore[arg-type]
            # "36 người, mỗi người 3 triệu đồng": people are counted, what each gives is the rate
            per_unit=rate or bool(follow and lx.context.get((_key(follow.group()), "follow")) == "per_unit"
                                  and not (unit_info.person and follow.group().strip() != "/")),
        ))
    return out
