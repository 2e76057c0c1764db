"""Find place names in normalised text and resolve them to provinces.

Records need the province an event happened in, while articles name places at any level
("huyện Quế Võ", "xã Ea Kao", "TP.HCM", "KCN VSIP I", "Campuchia"). One compiled regex finds
candidates in a single pass: a zone word + a known zone, an administrative unit word + a run
of capitalised words, or a name from a trie of provinces, aliases and foreign names. Districts
and communes are only read after a unit word because bare, they are everyday words and
people's names. Names shared by several provinces are then resolved against the provinces the
text (or the caller, through `context_provinces`) names elsewhere; see `Gazetteer.find`.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache
from typing import Literal

from pipeline.normalise import asides, normalise_str
from pipeline.resources import alternation, read_tsv

Level = Literal["province", "district", "commune", "foreign", "zone"]
MERGER_DATE = "2025-07-01"  # the 34-province map is in force from this day

_DASH = re.compile(r"\s*[-–—]\s*")
_APOS = re.compile(r"['’ʼ‘`]")
_DOT = re.compile(r"\.\s+")
_UPPER = "".join(c for c in map(chr, range(0x41, 0x1F00)) if c.isupper() and c.isalpha())
_TOKEN = rf"[{_UPPER}][\w'’ʼ]*"
_RUN_TOKEN = rf"(?:{_TOKEN}|\d{{1,2}}(?!\w))"
_SEP = r"(?: | ?[-–—] ?)"
_RUN = rf"(?:\d{{1,2}}(?!\w)|{_TOKEN}(?:{_SEP}{_RUN_TOKEN}){{0,6}})"
_WORD_END = re.compile(r"[\w'’ʼ]+")
_PREV_WORD = re.compile(r"([\w'’ʼ]+) $")
_LIST_SEPARATOR = re.compile(r"(?:, | và | hoặc )")
_LIST_END = re.compile(r"(?:, | và | hoặc )$")
_NEXT_WORD = re.compile(r" ([\w'’ʼ]+)")
_BARE = re.compile(rf"(?<!\w)(?P<run>{_TOKEN}(?:{_SEP}{_RUN_TOKEN}){{0,5}})(?:, ?| ?\( ?)$")


def _canon(s: str) -> str:
    return _DOT.sub(".", _DASH.sub("-", _APOS.sub("'", s.strip())))


def _loose(key: str) -> str:
    """Without any mark: how highland names vary in the press ("Chư Pah", "Đăk"/"Đắk"/"Đak")."""
    bare = unicodedata.normalize("NFD", key.casefold().replace("đ", "d"))
    return "".join(ch for ch in bare if not unicodedata.combining(ch))


def place_key(name: str) -> str:
    """The form names are compared in: normalised, one dash and apostrophe, no space after a dot."""
    return _canon(normalise_str(name))


def display_form(name: str) -> str:
    """The form names are stored in: normalised, one apostrophe, ' - ' between hyphenated parts."""
    return _DASH.sub(" - ", _APOS.sub("'", normalise_str(name).strip()))


@dataclass(slots=True)
class PlaceMention:
    start: int  # offsets in the normalised text given to `find`
    end: int
    text: str
    level: Level
    province: str | None = None  # pre-2025 short name
    province_code: str | None = None
    district: str | None = None  # as written, without the unit word
    commune: str | None = None
    foreign: bool = False
    ward_2025: bool = False  # named as a ward of the 2025 map: the text postdates the merger
    residence: bool = False  # where a person lives or comes from ("trú tại", "quê"), not where it happened
    route: bool = False  # an end of a route or journey ("chạy tuyến Móng Cái - Hòa Bình"), not where it happened

    @property
    def incidental(self) -> bool:
        """Named in passing (a home, a route's end): where the event happened only if nothing else says."""
        return self.residence or self.route


@dataclass(frozen=True, slots=True)
class Province:
    code: str
    short: str
    name: str
    era: str  # "pre2025" | "2025"
    code_2025: str
    short_2025: str


@dataclass(frozen=True, slots=True)
class _Cand:
    """One reading of a name: the pre-2025 province it lies in, and where inside it."""

    province: str
    district: str | None = None
    commune: str | None = None
    unit: str = ""
    ward_2025: bool = False  # a ward of the post-merger map, not an old commune
    former: bool = False  # a district renamed or merged away before 2025


@dataclass(frozen=True, slots=True)
class _Name:
    kind: Literal["province", "foreign", "block"]
    cand: _Cand | None = None
    needs_cue: bool = False


@dataclass(slots=True)
class _Raw:
    start: int
    end: int
    level: Level
    cands: list[_Cand]
    unit: str = ""
    name: str = ""
    numbered: bool = False
    chosen: _Cand | None = None


def _place_char(ch: str) -> str:
    """A place name's character as the press varies it: spaced dashes, curly apostrophes."""
    return {"-": r"\s?[-–—]\s?", "'": "['’ʼ]", ".": r"\.\s?"}.get(ch, re.escape(ch))


def _alternation(words: Iterable[str]) -> str:
    """Unit words longest first; a word not ending in a dot must be followed by a space."""
    parts = [re.escape(w) + (r"\s?" if w.endswith(".") else " ")
             for w in sorted(set(words), key=len, reverse=True)]
    return "|".join(parts)


def _with_capital(word: str) -> list[str]:
    return [word, word[0].upper() + word[1:]] if word[:1].islower() else [word]


class Gazetteer:
    """Vietnam's provinces (63 before and 34 after 1 July 2025), districts, communes, zones."""

    def __init__(self) -> None:
        self._load_provinces()
        self._load_names()
        self._load_admin()
        self._load_cues()
        # the first letters of every alternative, so the engine skips other positions fast
        firsts = "".join(sorted({re.escape(w[0]) for w in (*self._zone_units, *self._units, *self._names)}))
        self._regex = re.compile(
            rf"(?=[{firsts}])(?<!\w)(?:(?P<zu>{_alternation(self._zone_units)})"
            rf"(?P<zn>{alternation(self._zones, _place_char)})(?!\w)"
            rf"|(?P<au>{_alternation(self._units)})(?P<run>{_RUN})"
            rf"|(?P<nm>{alternation(self._names, _place_char)})(?!\w))"
        )

    @classmethod
    def load(cls) -> Gazetteer:
        return _shared()

    # ---- loading -------------------------------------------------------------------------

    def _load_provinces(self) -> None:
        self._pre: dict[str, Province] = {}
        self._new: dict[str, Province] = {}
        for r in read_tsv("gazetteer", "provinces.tsv"):
            p = Province(r["code"], normalise_str(r["short"]), normalise_str(r["name"]), r["era"],
                         r["code_2025"], normalise_str(r["short_2025"]))
            (self._pre if p.era == "pre2025" else self._new)[p.code] = p
        self._pre_by_short = {p.short: p for p in self._pre.values()}
        self._by_name: dict[str, str] = {}  # casefolded key of a name or alias -> pre-2025 short name
        for p in self._pre.values():
            self._by_name[_canon(p.short).casefold()] = self._by_name[_canon(p.name).casefold()] = p.short
        for p in self._new.values():
            namesake = self._pre_by_short.get(p.short) or self._pre[p.code]
            self._by_name.setdefault(_canon(p.short).casefold(), namesake.short)
            self._by_name.setdefault(_canon(p.name).casefold(), namesake.short)

    def _load_names(self) -> None:
        names: dict[str, _Name] = {}
        for short, p in self._pre_by_short.items():
            names[place_key(short)] = _Name("province", _Cand(p.code))
        for p in self._new.values():
            names.setdefault(place_key(p.short), _Name("province", _Cand(self._pre_code(p.short))))
        for r in read_tsv("gazetteer", "aliases.tsv"):
            if r["province"] == "-":
                names[place_key(r["alias"])] = _Name("block")
                continue
            code = self._pre_code(r["province"])
            district = normalise_str(r["district"]) or None
            names[place_key(r["alias"])] = _Name("province", _Cand(code, district), r["needs_cue"] == "1")
            if district is None:
                self._by_name[place_key(r["alias"]).casefold()] = self._pre[code].short
        for r in read_tsv("gazetteer", "foreign.tsv"):
            names[place_key(r["name"])] = _Name("foreign", needs_cue=r["needs_cue"] == "1")
        for key, entry in list(names.items()):
            for variant in _with_capital(key)[1:] + ([key.upper()] if entry.kind == "province" else []):
                names.setdefault(variant, entry)
        self._names = names

    def _load_admin(self) -> None:
        districts: defaultdict[str, set[_Cand]] = defaultdict(set)
        for r in read_tsv("gazetteer", "districts.tsv"):
            name = normalise_str(r["district"])
            districts[_canon(name).casefold()].add(_Cand(r["province_code"], name, None, r["unit"]))
        for r in read_tsv("gazetteer", "former_districts.tsv"):  # archives name them still
            name = normalise_str(r["district"])
            districts[_canon(name).casefold()].add(_Cand(self._pre_code(r["province"]), name, None, r["unit"],
                                                         former=True))
        communes: defaultdict[str, set[_Cand]] = defaultdict(set)
        for r in read_tsv("gazetteer", "communes.tsv"):
            name, district = normalise_str(r["commune"]), normalise_str(r["district"])
            communes[_canon(name).casefold()].add(_Cand(r["province_code"], district, name, r["unit"]))
            if r["ward_2025"]:  # post-merger articles name the new wards
                ward = normalise_str(r["ward_2025"])
                cand = _Cand(r["province_code"], None, ward, r["ward_2025_unit"], ward_2025=True)
                communes[_canon(ward).casefold()].add(cand)
        self._districts = {k: sorted(v, key=_order) for k, v in districts.items()}
        self._districts_loose = _loosen(self._districts)
        self._numbering: defaultdict[str, set[str]] = defaultdict(set)  # unit -> provinces numbering it
        for cands in self._districts.values():
            for c in cands:
                if c.district and c.district.isdigit():
                    self._numbering[c.unit].add(c.province)
        self._communes = {k: sorted(v, key=_order) for k, v in communes.items()}
        self._communes_loose = _loosen(self._communes)
        self._zones: dict[str, _Cand] = {}
        for r in read_tsv("gazetteer", "industrial_zones.tsv"):
            district = normalise_str(r["district"]) or None
            self._zones[place_key(r["zone"])] = _Cand(self._pre_code(r["province"]), district, None, "zone")

    def _load_cues(self) -> None:
        by_kind: defaultdict[str, list[tuple[str, str]]] = defaultdict(list)
        for r in read_tsv("gazetteer", "cues.tsv"):
            word = normalise_str(r["word"])
            for w in _with_capital(word) if r["kind"] != "name_part" else [word]:
                by_kind[r["kind"]].append((w, normalise_str(r["means"])))
        self._units: dict[str, tuple[Level, str]] = {}
        for kind, level in (("commune_unit", "commune"), ("district_unit", "district"),
                            ("province_unit", "province")):
            for w, means in by_kind[kind]:
                self._units[w] = (level, means)
        self._zone_units = [w for w, _ in by_kind["zone_unit"]]
        self._name_parts = {w for w, _ in by_kind["name_part"]}

        def words(*kinds: str) -> str:
            return alternation(w for k in kinds for w, _ in by_kind[k])

        def ending(*kinds: str) -> re.Pattern[str]:
            return re.compile(rf"(?<!\w)(?:{words(*kinds)}) $", re.I)

        self._cue_end = ending("place_cue")
        self._elsewhere_end = ending("target", "origin")
        self._elsewhere_cue = re.compile(rf"(?<!\w)(?:{words('target', 'origin')})(?!\w)", re.I)
        self._plate_end = ending("plate")
        self._homeward = re.compile(rf" (?:{words('homeward')})(?!\w)", re.I)
        # a residence runs from its cue to the end of the clause: "(SN 1994, trú tại xóm 10, xã X, Nghệ An)";
        # the dot of a unit's abbreviation ends none ("trú tại Q.1, TP. HCM")
        abbreviated = "".join(rf"|(?<=\b{re.escape(w[:-1])})\." for w in self._units if w.endswith("."))
        clause = rf"(?:[^();.!?\n]{abbreviated})"
        self._residence = re.compile(rf"(?<!\w)(?:{words('residence')})(?!\w){clause}{{0,120}}")
        # a route named by its ends: "chạy tuyến Móng Cái (Quảng Ninh) - Hòa Bình"; a journey by
        # where it runs from and to: "từ Mai Châu (Hòa Bình) sang Trung Quốc"
        start, end = r"\s+[^\W\d][^,.;!?\n]{0,40}?\s", r"[^\W\d]\w*(?:\s[^\W\d]\w*){0,3}"
        self._route = re.compile(rf"(?<!\w)(?:{words('route')}){start}[-–]\s{end}")
        self._journey = re.compile(rf"(?<!\w)(?:{words('journey_from')}){start}(?:{words('journey_to')})\s+{end}")
        # where an offender fled or hid afterwards: "bắn ... rồi bỏ về TP HCM", "lẩn trốn tại nhà con gái ở X"
        self._flight = re.compile(rf"(?<!\w)(?:{words('flight')})(?!\w){clause}{{0,60}}")
        # the office an impostor claims, up to where the victim was ("... ở Đà Nẵng")
        self._impostor = re.compile(rf"(?<!\w)(?:{words('impostor')})(?!\w)(?:(?!\s(?:ở|tại)\s){clause}){{0,60}}")
        self._street_end = ending("street")
        # the far end of a road named by its two ends: "cao tốc TP HCM - Trung Lương"
        self._road_end = re.compile(rf"(?<!\w)(?:{words('street')}) [^\W\d][\w .]{{0,25}}\s[-–]\s$", re.I)
        self._unit_end = re.compile(rf"(?<!\w)(?:{_alternation(self._units)})$")

    def _pre_code(self, short: str) -> str:
        return self._pre_by_short[normalise_str(short)].code

    # ---- provinces -----------------------------------------------------------------------

    def province_by_name(self, name: str) -> str | None:
        """Canonical pre-2025 short name for a name, full name, alias or 2025 name."""
        return self._by_name.get(place_key(name).casefold())

    def to_2025(self, short_pre2025: str) -> tuple[str, str]:
        p = self._province(short_pre2025)
        return p.short_2025, p.code_2025

    def province_as_of(self, short_pre2025: str, published: str | None) -> tuple[str, str]:
        """The province's name and code in force when an article published then was written."""
        p = self._province(short_pre2025)
        if published and _pad_date(published) >= MERGER_DATE:
            return p.short_2025, p.code_2025
        return p.short, p.code

    def province(self, code_pre2025: str) -> Province:
        return self._pre[code_pre2025]

    def _province(self, name: str) -> Province:
        short = self.province_by_name(name)
        if short is None:
            raise KeyError(f"unknown province {name!r}")
        return self._pre_by_short[short]

    # ---- finding -------------------------------------------------------------------------

    def find(self, text: str, context_provinces: Iterable[str] = ()) -> list[PlaceMention]:
        """Non-overlapping place mentions, longest first, in text order.

        A district or commune whose name exists in several provinces is resolved to the one
        the text names elsewhere (any province, zone or unambiguous district in `text`, plus
        `context_provinces`, e.g. from the title or dateline), comparing 2025 units too when
        the text uses post-merger names; numbered ones that several provinces have ("phường
        12") only resolve that way. Unresolved mentions keep province None.
        """
        raws: list[_Raw] = []
        pos = 0
        while (m := self._regex.search(text, pos)) is not None:
            if m["zn"] is not None:
                raws.append(_Raw(m.start(), m.end(), "zone", [self._zones[_canon(m["zn"])]]))
                pos = m.end()
            elif m["run"] is not None and self._is_street(text, m.start()):
                pos = m.end()  # "cao tốc TP HCM - Trung Lương" is a road
            elif m["run"] is not None:
                raw = self._unit_mention(m)
                if raw is None:
                    pos = m.start("run")  # rescan the words as plain names
                else:
                    raws.append(raw)
                    pos = raw.end
            else:
                entry = self._names.get(_canon(m["nm"]))
                raw = None if entry is None else self._name_mention(text, m.start(), m.end(), entry)
                if raw is not None:
                    raws.append(raw)
                pos = m.end()
        raws = self._add_bare_districts(text, raws)
        links = asides(text)
        raws = [r for r in raws if not any(s <= r.start and r.end <= e for s, e in links)]
        self._resolve(raws, context_provinces)

        def spans(*patterns: re.Pattern[str]) -> list[tuple[int, int]]:
            return [m.span() for pattern in patterns for m in pattern.finditer(text)]

        def within(ranges: list[tuple[int, int]], r: _Raw) -> bool:
            return any(s <= r.start and r.end <= e for s, e in ranges)
        homes, routes = spans(self._residence), spans(self._route, self._journey, self._flight, self._impostor)
        return [self._mention(text, r, within(homes, r), within(routes, r)) for r in raws]

    def _unit_mention(self, m: re.Match[str]) -> _Raw | None:
        word = m["au"].rstrip()
        level, unit = self._units[word]
        # "X.Thắng", "H.Nga" are bylines: an initial is a unit word only before a longer name
        initial = len(word.rstrip(".")) == 1
        run, run_start = m["run"], m.start("run")
        table, loose = ((self._communes, self._communes_loose) if level == "commune"
                        else (self._districts, self._districts_loose) if level == "district" else ({}, {}))
        for w in reversed(list(_WORD_END.finditer(run))):
            sub = run[:w.end()]
            if initial and w.start() == 0 and not sub.isdigit():
                continue
            key = _canon(sub)
            cands = (table.get(key.casefold()) or loose.get(_loose(key)) or self._numbered(level, unit, sub))
            if cands:
                # "phường 2" is in many cities; "quận 2" only in the one city that numbers its quận
                ambiguous = sub.isdigit() and (level != "district" or len({c.province for c in cands}) > 1)
                return _Raw(m.start(), run_start + w.end(), level, list(cands), unit, sub, ambiguous)
            entry = self._names.get(key) if level != "commune" else None
            if entry is not None and entry.kind == "province" and entry.cand is not None:
                lvl: Level = "district" if entry.cand.district else "province"
                return _Raw(m.start(), run_start + w.end(), lvl, [entry.cand], unit, sub)
        return None

    def _numbered(self, level: str, unit: str, name: str) -> list[_Cand]:
        """Numbered districts since merged away ("quận 2", "quận 9"): cities that number theirs."""
        if level != "district" or not name.isdigit():
            return []
        return [_Cand(p, name, None, unit) for p in sorted(self._numbering.get(unit, ()))]

    def _name_mention(self, text: str, start: int, end: int, entry: _Name) -> _Raw | None:
        if entry.kind == "block":
            return None
        if entry.needs_cue and not self._cue_end.search(text, max(0, start - 30), start):
            return None
        prev = _PREV_WORD.search(text, max(0, start - 40), start)
        prev_word = prev.group(1) if prev else ""
        if prev_word in self._name_parts:
            return None  # "Nguyễn Thái Bình", "Lưu Bình Nhưỡng" are people
        if self._plate_end.search(text, max(0, start - 20), start):
            return None  # "xe đầu kéo biển số Thanh Hóa", "xe môtô biển số Lào" were registered there
        if entry.kind == "foreign":
            if self._elsewhere(text, start) or self._homeward.match(text, end):
                return None  # "chống Trung Quốc", "vốn đầu tư Hàn Quốc", "từ Lào về Việt Nam": at home
            nxt = _NEXT_WORD.match(text, end)
            single = " " not in text[start:end] and "-" not in text[start:end]
            if single and (prev_word[:1].isupper() or (nxt is not None and nxt.group(1)[:1].isupper())):
                return None  # "Mỹ Tho", "Thủ Đức": part of a longer proper name
            return _Raw(start, end, "foreign", [], name=text[start:end])
        if self._is_street(text, start):
            return None  # "đường Hà Nội" is a street
        assert entry.cand is not None
        level: Level = "district" if entry.cand.district else "province"
        return _Raw(start, end, level, [entry.cand], name=text[start:end])

    def _elsewhere(self, text: str, start: int) -> bool:
        """After a target or origin word, or in a list of countries that follows one: "vốn
        đầu tư Hàn Quốc, Trung Quốc"."""
        if self._elsewhere_end.search(text, max(0, start - 20), start):
            return True
        window = text[max(0, start - 60):start]
        cues = list(self._elsewhere_cue.finditer(window))
        listed = window[cues[-1].end():] if cues else ""
        words = _LIST_SEPARATOR.sub(" ", listed).split()
        return bool(words) and _LIST_END.search(listed) is not None and all(w[:1].isupper() for w in words)

    def _is_street(self, text: str, start: int) -> bool:
        lo = max(0, start - 30)
        if self._road_end.search(text, max(0, start - 45), start):
            return True
        return bool(self._street_end.search(text, lo, start)) and not self._unit_end.search(text, lo, start)

    def _add_bare_districts(self, text: str, raws: list[_Raw]) -> list[_Raw]:
        """'Quế Võ, Bắc Ninh', 'Thủ Dầu Một (Bình Dương)': a unit word is not needed there."""
        out: list[_Raw] = []
        for raw in raws:
            if raw.level == "province":
                prev_end = out[-1].end if out else 0
                m = _BARE.search(text, max(prev_end, raw.start - 60), raw.start)
                if m is not None:
                    bare = self._bare_unit(m, raw.cands[0].province)
                    if bare is not None:
                        out.append(bare)
            out.append(raw)
        return out

    def _bare_unit(self, m: re.Match[str], province: str) -> _Raw | None:
        run, run_start = m["run"], m.start("run")
        for w in _WORD_END.finditer(run):  # longest suffix first
            start = run_start + w.start()
            if (w.start() and run[w.start() - 1] not in " -–—") or self._is_street(m.string, start):
                continue
            key = _canon(run[w.start():]).casefold()
            cands = [c for c in self._districts.get(key) or self._districts_loose.get(_loose(key), ())
                     if c.province == province]
            if cands and not key.isdigit():
                raw = _Raw(run_start + w.start(), m.end("run"), "district", cands, name=run[w.start():])
                raw.chosen = cands[0]
                return raw
        return None

    def _resolve(self, raws: list[_Raw], context: Iterable[str]) -> None:
        anchors = {self._pre_by_short[s].code for s in map(self.province_by_name, context) if s}
        for r in raws:
            if r.level in ("province", "zone") or (r.level == "district" and len(r.cands) == 1
                                                    and not r.numbered):
                r.chosen = r.chosen or r.cands[0]
            if r.chosen is not None and not r.numbered:
                anchors.add(r.chosen.province)
        districts = [r for r in raws if r.level == "district" and r.chosen is None]
        stated = set(anchors)
        for r in districts:  # names that the unit word alone tells apart ("quận Tân Phú"), unless
            if any(c.province in stated for c in r.cands):  # a province named picks one whose unit
                continue  # has changed since ("huyện Phong Điền, tỉnh Thừa Thiên - Huế")
            r.chosen = self._choose(r, set(), set())
            if r.chosen is not None and not r.numbered:
                anchors.add(r.chosen.province)
        for r in districts:
            r.chosen = r.chosen or self._choose(r, anchors, set())
        named = {(r.chosen.province, (r.chosen.district or r.name).casefold()) if r.chosen
                 else (None, r.name.casefold()) for r in raws if r.level == "district"}
        for r in raws:
            if r.level == "commune" and r.chosen is None:
                r.chosen = self._choose(r, anchors, named)

    def _choose(self, r: _Raw, anchors: set[str], districts: set[tuple[str | None, str]]) -> _Cand | None:
        anchors_2025 = {self._pre[a].code_2025 for a in anchors}

        def score(c: _Cand) -> tuple[bool, bool, bool, bool, bool]:
            """Named with its province, its province named, its 2025 province named, its unit
            word; a district of today before a former one of the same name."""
            d = (c.district or "").casefold()
            return ((c.province, d) in districts or (None, d) in districts, c.province in anchors,
                    self._pre[c.province].code_2025 in anchors_2025, c.unit == r.unit, not c.former)

        scores = [score(c) for c in r.cands]
        best = max(scores)
        # an old commune before a new ward of the same name: only a name that exists solely on
        # the 2025 map tells that the text was written after the merger
        top = sorted((c for c, s in zip(r.cands, scores, strict=True) if s == best), key=lambda c: c.ward_2025)
        if len({c.province for c in top}) != 1:
            return None
        if not any(best[:3]) and (r.numbered or not (len({c.province for c in r.cands}) == 1
                                                     or (r.level == "district" and best[3]))):
            return None
        # a ward the table knows only as a commune of a province the text never names, while it
        # names others: the text's own ward, missing from the table ("phường Tam Thuận, quận
        # Thanh Khê, TP Đà Nẵng" is not Hà Nội's xã Tam Thuận)
        if r.level == "commune" and anchors and not any(best[:4]):
            return None
        # a commune name found in two districts of the province: the district stays unknown; so
        # does one the text places in another district of the province than the table does (a
        # commune merged away before 2025 whose name lives on elsewhere: "huyện Gia Lâm ... xã Kim Sơn")
        elsewhere = r.level == "commune" and not best[0] and any(p == top[0].province for p, _ in districts)
        if elsewhere or len({c.district for c in top if c.district}) > 1:
            return replace(top[0], district=None)
        return top[0]

    def _mention(self, text: str, r: _Raw, residence: bool = False, route: bool = False) -> PlaceMention:
        pm = PlaceMention(r.start, r.end, text[r.start:r.end], r.level, foreign=r.level == "foreign",
                          residence=residence, route=route)
        c = r.chosen
        if r.level == "district":
            pm.district = r.name
        elif r.level == "commune":
            pm.commune = r.name
            pm.district = c.district if c is not None else None
        elif r.level == "zone" and c is not None:
            pm.district = c.district
        if c is not None:
            pm.province, pm.province_code = self._pre[c.province].short, c.province
            pm.ward_2025 = c.ward_2025
        return pm


def _loosen(table: dict[str, list[_Cand]]) -> dict[str, list[_Cand]]:
    loose: defaultdict[str, list[_Cand]] = defaultdict(list)
    for key, cands in table.items():
        loose[_loose(key)].extend(cands)
    return {k: sorted(set(v), key=_order) for k, v in loose.items()}


def _order(c: _Cand) -> tuple[str, bool, str, str]:
    """Old communes (with their district) before 2025 wards of the same name."""
    return c.province, c.district is None, c.district or "", c.commune or ""


def _pad_date(published: str) -> str:
    """'2025' -> '2025-01-01', '2025-07' -> '2025-07-01', datetimes cut to their date."""
    day = published.strip()[:10]
    return day + "-01-01"[len(day) - 4:] if len(day) < 10 else day


@cache
def _shared() -> Gazetteer:
    return Gazetteer()
