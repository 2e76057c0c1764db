"""Time expressions in Vietnamese news sentences, resolved to ISO dates.

Reports give days without a year ("sáng 12/3"), periods ("quý I/2024", "8 tháng năm
2023", "từ đầu năm 2025 đến nay") and words relative to the day of writing ("hôm qua",
"tháng trước"). Each expression becomes one `TimeMention` whose dates have the
granularity that was written ("2023", "2023-03", "2023-03-12"); what the text does not
fix (a yearless day without a reference, an open end "đến nay") stays None.
The vocabulary is data: data/lexicons/time_words.tsv.
"""

from __future__ import annotations

import re
from calendar import monthrange
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import cache

from pipeline.normalise import normalise_str
from pipeline.resources import alternation, read_tsv

# a yearless date later than this after the reference belongs to the year before
_LOOKAHEAD = timedelta(days=62)
# a range of days no longer than this is one occurrence's span, not a statistic's period
_FEW_DAYS = timedelta(days=7)
_DAY_MONTH = re.compile(r"(?<![\d/.-])(\d{1,2})\s*[/.-]\s*(\d{1,2})(?![\d])")


@dataclass(slots=True)
class TimeMention:
    start: int  # offsets of `text` in the sentence given
    end: int
    text: str
    start_date: str | None
    end_date: str | None
    is_period: bool = False
    relative: bool = False  # depends on the day of writing or on an earlier date
    anaphoric: bool = False  # "cùng ngày": the day of a date told before
    compared: bool = False  # the baseline figures are set against ("so với cùng kỳ năm ngoái")

    @property
    def spans_a_statistic(self) -> bool:
        """A month named on its own ("tháng 8-2012", "tháng trước") dates an occurrence like a
        day does, and so do a few days ("từ 13h30 ngày 5/6 đến 13h ngày 6/6": a fire, a
        strike); a year, a quarter, a longer range or "trong tháng 3" spans a statistic."""
        return self.is_period and not self.text.lower().startswith("tháng") and not self.a_few_days()

    def a_few_days(self) -> bool:
        if self.start_date and self.end_date and len(self.start_date) == len(self.end_date) == 10:
            first, last = date.fromisoformat(self.start_date), date.fromisoformat(self.end_date)
        else:  # a yearless range: the days and months as written
            days = [(int(d), int(m)) for d, m in _DAY_MONTH.findall(self.text)]
            if len(days) != 2 or not all(1 <= m <= 12 and 1 <= d <= monthrange(2000, m)[1] for d, m in days):
                return False
            first, last = (date(2000, m, d) for d, m in days)
            if last < first:
                last = last.replace(year=2001)
        return timedelta(0) <= last - first <= _FEW_DAYS


@dataclass(slots=True)
class _Point:
    """A calendar point at the granularity written; year None = not written."""

    year: int | None
    month: int | None = None
    day: int | None = None

    def iso(self) -> str | None:
        if self.year is None:
            return None
        day = self.day if self.month and self.day and self.day <= monthrange(self.year, self.month)[1] else None
        parts = [f"{self.year:04d}"] + [f"{v:02d}" for v in (self.month, day) if v is not None]
        return "-".join(parts)

    def key(self) -> tuple[int, int]:
        return (self.month or 1, self.day or 1)


@dataclass(slots=True)
class _Atom:
    start: int
    end: int
    kind: str  # day, month, year, period, now, vague
    lo: _Point | None = None
    hi: _Point | None = None
    relative: bool = False
    anaphoric: bool = False
    closed: bool = False  # a range with both ends inside the expression ("ngày 1 đến 15/3")
    extra: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class _Lexicon:
    words: dict[str, dict[str, str]]  # kind -> word (lower) -> value

    def alt(self, *kinds: str) -> str:
        return alternation(w for k in kinds for w in self.words.get(k, {}))

    def value(self, kind: str, word: str) -> str:
        return self.words[kind][" ".join(word.lower().split())]


@cache
def _lexicon() -> _Lexicon:
    words: dict[str, dict[str, str]] = defaultdict(dict)
    for row in read_tsv("lexicons", "time_words.tsv"):
        word = normalise_str(row["word"])
        words[row["kind"]][word if row["kind"] == "law" else word.lower()] = row["value"] or ""
    return _Lexicon(dict(words))


@cache
def _month_counts() -> dict[str, int]:
    """How many months a word says ("sáu tháng đầu năm"): the number words up to twelve."""
    words = {normalise_str(r["word"]).lower(): int(r["value"]) for r in read_tsv("lexicons", "number_words.tsv")
             if r["role"] == "digit" and r["word"] != "năm"}  # "năm tháng" is rarely "five months"
    return {**words, "mười": 10, "mười một": 11, "mười hai": 12}


_NUMDATE = r"(?P<d>\d{1,2})(?P<sep>[/.-])(?P<m>\d{1,2})(?:(?P=sep)(?P<y>\d{4}))?(?![\w/-]|[.,]\d)"
_CLOCK = r"\d{1,2}\s*(?:giờ|h|g)(?:\s*\d{1,2}(?:\s*(?:phút|'|p)(?!\w))?)?(?!\w)"
_YEAR = r"(?:19|20)\d{2}"


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    lx = _lexicon()
    part, suf, wd, lead = lx.alt("part"), lx.alt("day_suffix"), lx.alt("weekday"), lx.alt("clock_lead")
    pos = lx.alt("position")
    flags = re.IGNORECASE
    return {
        # day atoms: the core date; parts of the day and clock times are a prefix
        "numdate": re.compile(rf"(?<![\w/.,-]){_NUMDATE}", flags),
        "worddate": re.compile(
            r"(?<!\w)ngày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})"
            r"(?:\s*(?:năm|[/-])\s*(?P<y>\d{4}))?(?!\d)", flags),
        "dayrange": re.compile(
            rf"(?<!\w)ngày\s+(?P<d1>\d{{1,2}})\s*(?:-|–|đến|tới|và|,)\s*(?:ngày\s+)?{_NUMDATE}", flags),
        "partrel": re.compile(rf"(?<!\w)(?P<part>{part})\s+(?P<suf>{suf})(?!\w)(?!\s*\(?\s*\d)", flags),
        "dayrel": re.compile(rf"(?<!\w)(?P<w>{lx.alt('day')})(?!\w)", flags),
        "anaphoric": re.compile(rf"(?<!\w)(?P<w>{lx.alt('anaphoric')})(?!\w)(?!\s+\d)", flags),
        "anaphoric_year": re.compile(rf"(?<!\w)(?P<w>{lx.alt('anaphoric_year')})(?!\w)(?!\s*\d)", flags),
        # periods
        "month": re.compile(
            rf"(?<!\w)(?:(?:{pos})\s+)?tháng\s+(?P<m>\d{{1,2}})"
            rf"(?:\s*[/.-]\s*(?P<y>\d{{4}})|\s+năm\s+(?P<y2>\d{{4}}))?(?:\s+vừa\s+qua)?(?![\w/]|[.-]\d)",
            flags),
        "nmonths": re.compile(
            rf"(?<!\w)(?:trong\s+)?(?P<n>\d{{1,2}}|{alternation(_month_counts())})\s+tháng\s+"
            r"(?:(?P<pos>đầu|cuối)\s+)?năm(?:\s+(?P<y>\d{4}))?(?!\w)", flags),
        "quarter": re.compile(
            rf"(?<!\w)(?:(?:{pos})\s+)?quý\s+(?P<q>{lx.alt('quarter')})"
            rf"(?:\s*[/-]\s*(?P<y>\d{{4}})|\s+năm\s+(?P<y2>\d{{4}}))?(?![\w/])", flags),
        "year": re.compile(
            rf"(?<!\w)(?:(?:{pos})\s+)?(?:năm\s+(?P<y>\d{{4}})|(?:đầu|cuối|giữa)\s+(?P<y2>{_YEAR}))(?!\d)",
            flags),
        "yearrange": re.compile(
            rf"(?<!\w)(?:giai đoạn|nhiệm kỳ|từ|năm|các năm)\s+(?:năm\s+)?(?P<y1>{_YEAR})\s*(?:-|–|đến|tới)\s*"
            rf"(?:năm\s+)?(?P<y2>{_YEAR})(?!\d)", flags),
        "rel": re.compile(rf"(?<!\w)(?P<w>{lx.alt('week', 'month', 'year')})(?!\w)(?!\s*\d)", flags),
        "ago": re.compile(
            r"(?<!\w)(?:hơn\s+|gần\s+)?(?P<n>\d{1,2}|vài|mấy)\s+(?P<u>năm|tháng)\s+(?P<dir>trước|qua)(?!\w)",
            flags),
        "vague": re.compile(rf"(?<!\w)(?:trong\s+)?(?P<w>{lx.alt('vague')})(?!\w)", flags),
        "now": re.compile(rf"(?<!\w)(?P<w>{lx.alt('now')})(?!\w)", flags),
        # context
        # before a written date: "khoảng 9h sáng nay (", "hôm qua, ngày ", "thứ Hai ("
        "prefix": re.compile(
            rf"(?<!\w)(?P<rest>(?:(?:(?:{lead})\s+)*{_CLOCK}\s*)?"
            rf"(?:(?:{part})\s+(?:(?:{suf})(?:\s*,\s*|\s+))?|(?:{lx.alt('day')})(?:\s*,\s*|\s+))?"
            rf"(?:(?:ngày|hôm)\s+)?(?:(?:{wd})\s*(?:,\s*|\(\s*|\s)(?:ngày\s+)?)?)"
            rf"(?P<paren>\(\s*)?$", flags),
        # before a relative day: "khoảng 14 giờ cùng ngày", "buổi sáng cùng ngày"
        "prefix_rel": re.compile(
            rf"(?<!\w)(?P<rest>(?:(?:(?:{lead})\s+)*{_CLOCK}\s*)?(?:(?:{part})\s+)?)(?P<paren>)$", flags),
        "from": re.compile(rf"(?<!\w)(?:{lx.alt('from')})\s*$", flags),
        "until": re.compile(rf"(?<!\w)(?:{lx.alt('until')})\s*$", flags),
        "to": re.compile(rf"\s*(?:{lx.alt('to')})\s*", flags),
        "list": re.compile(r"\s*(?:,|và|,\s*và)\s*", flags),
        "block": re.compile(rf"(?<!\w)(?:{lx.alt('block')})\s*$", flags),
        "comparison": re.compile(rf"(?<!\w)(?:{lx.alt('comparison')})\s*$", flags),
        # case-sensitive: "Luật Lao động năm 2019" names a law, "pháp luật năm 2023" does not
        "law": re.compile(rf"(?<!\w)(?:{lx.alt('law')})(?!\w)[^,;.:()\n]{{0,40}}$"),
    }


def _day(y: str | None, m: str, d: str) -> _Point | None:
    month, day = int(m), int(d)
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    year = int(y) if y else None
    if day > monthrange(year or 2000, month)[1]:  # a yearless 29/2 may be right
        return None
    return _Point(year, month, day)


def _shift_month(y: int, m: int, by: int) -> tuple[int, int]:
    n = y * 12 + m - 1 + by
    return n // 12, n % 12 + 1


def _relative(word: str, kind: str, ref: date | None) -> tuple[_Point | None, _Point | None]:
    """The span a relative word names once the day of writing is known."""
    if ref is None:
        return None, None
    off = int(_lexicon().value(kind, word))
    if kind in ("day", "day_suffix"):
        d = ref + timedelta(days=off)
        p = _Point(d.year, d.month, d.day)
        return p, p
    if kind == "week":
        monday = ref - timedelta(days=ref.weekday()) + timedelta(weeks=off)
        sunday = monday + timedelta(days=6)
        return _Point(monday.year, monday.month, monday.day), _Point(sunday.year, sunday.month, sunday.day)
    if kind == "month":
        y, m = _shift_month(ref.year, ref.month, off)
        return _Point(y, m), _Point(y, m)
    return _Point(ref.year + off), _Point(ref.year + off)


def _atoms(text: str, ref: date | None, anchor: date | None, anchor_year: int | None = None) -> list[_Atom]:
    """Every candidate expression, possibly overlapping."""
    p, lx = _patterns(), _lexicon()
    out: list[_Atom] = []

    def add(m: re.Match[str], kind: str, lo: _Point | None, hi: _Point | None = None, **kw: bool) -> None:
        out.append(_Atom(m.start(), m.end(), kind, lo, hi if hi is not None else lo, **kw))

    for name in ("numdate", "worddate"):
        for m in p[name].finditer(text):
            pt = _day(m.group("y"), m.group("m"), m.group("d"))
            if pt:
                sep = m.groupdict().get("sep") or "/"
                add(m, "day", pt)
                out[-1].extra["sep"] = sep
    for m in p["dayrange"].finditer(text):
        hi = _day(m.group("y"), m.group("m"), m.group("d"))
        lo = _day(m.group("y"), m.group("m"), m.group("d1"))
        if hi and lo and lo.key() <= hi.key():
            add(m, "period", lo, hi, closed=True)
    for m in p["partrel"].finditer(text):
        add(m, "day", *_relative(m.group("suf"), "day_suffix", ref), relative=True)
    for m in p["dayrel"].finditer(text):
        add(m, "day", *_relative(m.group("w"), "day", ref), relative=True)
    for m in p["anaphoric"].finditer(text):
        pt = _Point(anchor.year, anchor.month, anchor.day) if anchor else None
        add(m, "day", pt, relative=True, anaphoric=True)
    for m in p["anaphoric_year"].finditer(text):
        year = anchor_year if anchor_year is not None else (ref.year if ref else None)
        add(m, "period", _Point(year) if year else None, relative=True, anaphoric=True)
    for m in p["month"].finditer(text):
        month = int(m.group("m"))
        if 1 <= month <= 12:
            y = m.group("y") or m.group("y2")
            add(m, "month", _Point(int(y) if y else None, month))
    for m in p["nmonths"].finditer(text):
        n = int(m.group("n")) if m.group("n").isdigit() else _month_counts()[" ".join(m.group("n").lower().split())]
        if 1 <= n <= 12 and (m.group("pos") or m.group("y")):
            y = int(m.group("y")) if m.group("y") else None
            first = 13 - n if (m.group("pos") or "").lower() == "cuối" else 1
            add(m, "period", _Point(y, first), _Point(y, first + n - 1))
    for m in p["quarter"].finditer(text):
        q = int(lx.value("quarter", m.group("q")))
        y_text = m.group("y") or m.group("y2")
        y = int(y_text) if y_text else None
        add(m, "period", _Point(y, 3 * q - 2), _Point(y, 3 * q))
    for m in p["year"].finditer(text):
        y = int(m.group("y") or m.group("y2"))
        if 1900 <= y <= 2100:
            add(m, "year", _Point(y))
    for m in p["yearrange"].finditer(text):
        y1, y2 = int(m.group("y1")), int(m.group("y2"))
        if y1 <= y2:
            add(m, "period", _Point(y1), _Point(y2), closed=True)
    for m in p["rel"].finditer(text):
        word = m.group("w")
        kind = next(k for k in ("week", "month", "year") if word.lower() in lx.words.get(k, {}))
        add(m, "period", *_relative(word, kind, ref), relative=True)
    for m in p["ago"].finditer(text):  # "7 năm trước": that year; "10 năm qua": since then
        pt = None
        if ref and m.group("n").isdigit():
            n = int(m.group("n"))
            pt = _Point(ref.year - n) if m.group("u").lower() == "năm" else _Point(
                *_shift_month(ref.year, ref.month, -n))
        since = m.group("dir").lower() == "qua"
        out.append(_Atom(m.start(), m.end(), "period", pt, None if since else pt, relative=True))
    for m in p["vague"].finditer(text):
        add(m, "vague", None, relative=True)
    for m in p["now"].finditer(text):
        add(m, "now", None, relative=True)
    return [a for a in out if _allowed(text, a)]


def article_year(text: str) -> int | None:
    """The latest year a text names in a time expression: the year its yearless dates most
    likely fall in. A count ("hơn 2000 người"), a birth year ("sinh năm 1989"), a law's
    edition or a licence plate is no time of the story, and a period left open ("từ năm 1984",
    running to the day of writing) tells only that the story is later."""
    years = [int(d[:4]) for t in find_times(text) if not t.relative and not (t.is_period and t.end_date is None)
             for d in (t.start_date, t.end_date) if d]
    return max(years, default=None)


def _allowed(text: str, atom: _Atom) -> bool:
    """Law numbers, addresses and edition years of laws are not times."""
    p = _patterns()
    before = text[max(0, atom.start - 60):atom.start]
    if p["block"].search(before):
        return False
    return not (atom.kind == "year" and p["law"].search(before))


def _extend_day(text: str, atom: _Atom) -> _Atom:
    """Take in the clock, part of day and weekday written before a day."""
    if atom.kind != "day":
        return atom
    p = _patterns()
    window_start = max(0, atom.start - 80)
    m = p["prefix_rel" if atom.relative else "prefix"].search(text, window_start, atom.start)
    rest, paren = (m.group("rest"), m.group().rstrip().endswith("(")) if m else ("", False)
    close = re.match(r"\s*\)", text[atom.end:]) if paren else None
    end = atom.end + close.end() if close else atom.end
    start = m.start() if m and (rest or close) else atom.start
    # a yearless "1/3", "1.2" or "2-3" alone is a fraction, a decimal, a score or a range
    # unless a day word, a closed parenthesis or the other end of a range vouches for it
    weak = "sep" in atom.extra and atom.lo is not None and atom.lo.year is None and not (rest or close)
    return replace(atom, start=start, end=end, extra={**atom.extra, "weak": "1"} if weak else atom.extra)


def _select(atoms: list[_Atom]) -> list[_Atom]:
    """Longest expressions first, no overlaps, in text order."""
    chosen: list[_Atom] = []
    for a in sorted(atoms, key=lambda a: (a.start - a.end, a.start)):
        if all(a.end <= c.start or a.start >= c.end for c in chosen):
            chosen.append(a)
    return sorted(chosen, key=lambda a: a.start)


def _align_years(lo: _Point | None, hi: _Point | None) -> None:
    """A range written with one year ("từ 29/3 đến 14/4/2017") shares it across both ends."""
    if lo is None or hi is None:
        return
    if lo.year is None and hi.year is not None:
        lo.year = hi.year - (lo.key() > hi.key())
    elif hi.year is None and lo.year is not None:
        hi.year = lo.year + (hi.key() < lo.key())


def _combine(text: str, atoms: list[_Atom]) -> list[_Atom]:
    """Join ranges, lists of months, and open ranges ("từ A", "từ A đến nay", "tính đến A")."""
    p = _patterns()
    out: list[_Atom] = []
    i = 0
    while i < len(atoms):
        a = atoms[i]
        nxt = atoms[i + 1] if i + 1 < len(atoms) else None
        gap = text[a.end:nxt.start] if nxt else ""
        frm = p["from"].search(text, max(0, a.start - 20), a.start)
        until = p["until"].search(text, max(0, a.start - 20), a.start)
        if a.kind in ("now", "vague") or "weak" in a.extra:
            if a.kind == "vague":
                out.append(replace(a, lo=None, hi=None))
            i += 1
            continue
        start = frm.start() if frm else a.start
        if nxt and nxt.kind == "now" and (not gap.strip() or p["to"].fullmatch(gap)):
            out.append(replace(a, start=start, end=nxt.end, kind="period", hi=None, closed=False,
                               relative=True))
            i += 2
            continue
        if nxt and nxt.kind in ("day", "month", "year", "period") and (
            p["to"].fullmatch(gap) and (frm or a.kind == nxt.kind or "-" not in gap)
        ):
            lo, hi = replace(a.lo) if a.lo else None, replace(nxt.hi) if nxt.hi else None
            _align_years(lo, hi)
            out.append(replace(a, start=start, end=nxt.end, kind="period", lo=lo, hi=hi,
                               relative=a.relative or nxt.relative, anaphoric=False))
            i += 2
            continue
        if a.kind in ("day", "month") and nxt and nxt.kind == a.kind and not (a.relative or nxt.relative) \
                and p["list"].fullmatch(gap):
            # "tháng 8, tháng 9 và tháng 10/2023", "sáng 8/12 và 9/12": one span over the list
            j = i + 1
            while j + 1 < len(atoms) and atoms[j + 1].kind == a.kind and p["list"].fullmatch(
                    text[atoms[j].end:atoms[j + 1].start]):
                j += 1
            last = atoms[j]
            lo, hi = replace(a.lo) if a.lo else None, replace(last.hi) if last.hi else None
            _align_years(lo, hi)
            out.append(replace(a, end=last.end, kind="period", lo=lo, hi=hi))
            i = j + 1
            continue
        if frm and not a.closed:
            out.append(replace(a, start=frm.start(), kind="period", hi=None, closed=False))
        elif until:  # "tính đến cuối năm 2023": a year is counted whole, a day or month ends it
            out.append(replace(a, start=until.start(), kind="period", lo=a.lo if a.kind == "year" else None))
        elif frm:
            out.append(replace(a, start=frm.start()))
        else:
            out.append(a)
        i += 1
    return out


YearHint = int | Callable[[], int | None] | None  # a callable is asked only when a date lacks its year


def _infer_year(pt: _Point | None, ref: date | None, default_year: YearHint) -> _Point | None:
    """A yearless date takes the reference's year, or the year before if it would lie
    well after the reference (a January article recalling "ngày 28/12")."""
    if pt is None or pt.year is not None:
        return pt
    if ref is not None:
        year = ref.year
        if pt.month is not None:
            day = min(pt.day or 1, monthrange(year, pt.month)[1])
            if date(year, pt.month, day) > ref + _LOOKAHEAD:
                year -= 1
        return _Point(year, pt.month, pt.day)
    year = default_year() if callable(default_year) else default_year
    return _Point(year, pt.month, pt.day) if year else pt


def find_times(text: str, reference: date | None = None, *, default_year: YearHint = None,
               anchor: date | None = None, anchor_year: int | None = None) -> list[TimeMention]:
    """Time expressions of a normalised sentence. `reference` is the publication date;
    `anchor` the date an earlier sentence told, which "cùng ngày" refers back to, and
    `anchor_year` the year it last named, which "trong năm" does."""
    atoms = [_extend_day(text, a) for a in _atoms(text, reference, anchor, anchor_year)]
    mentions = []
    for a in _combine(text, _select(atoms)):
        lo, hi = a.lo, a.hi
        if lo is not None and hi is not None and lo.year is None and hi.year is None:
            hi = _infer_year(hi, reference, default_year)
            lo = replace(lo)
            _align_years(lo, hi)
        lo, hi = _infer_year(lo, reference, default_year), _infer_year(hi, reference, default_year)
        mentions.append(TimeMention(
            start=a.start, end=a.end, text=text[a.start:a.end],
            start_date=lo.iso() if lo else None, end_date=hi.iso() if hi else None,
            is_period=a.kind != "day", relative=a.relative, anaphoric=a.anaphoric,
            compared=bool(_patterns()["comparison"].search(text, max(0, a.start - 30), a.start)),
        ))
    return mentions
