"""Incident events that are one occurrence told by several articles become one cluster.

The press reports a strike once per outlet, so counting events counts coverage, not strikes.
Two incident events are linked when they have the same type, a compatible place (same
province; districts equal when both are known) and dates at most `window_days` apart, and
either their evidence sentences are similar (TF-IDF cosine) or their articles are near
duplicates (MinHash over word shingles). Pairs are only compared inside blocks of
(type, province after 2025) sorted by date, so the work grows with the number of events
per block and window, not with the square of all events. Links are applied strongest
first with union-find, refusing any that would put into one cluster two events of one
article, two different known districts or provinces (an event that names none must not
bridge them), or dates more than `max_cluster_span_days` apart. Aggregate statistics are
collected apart and never clustered.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from itertools import combinations
from typing import Any

import numpy as np
from scipy import sparse

from pipeline.document import Count, Event, Record
from pipeline.places import MERGER_DATE, Gazetteer, place_key
from pipeline.resources import read_toml

_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class ClusterConfig:
    """Thresholds of data/config/aggregate.toml ([cluster] and [duplicates])."""

    window_days: int
    max_event_span_days: int
    max_cluster_span_days: int
    evidence_threshold: float
    analyzer: str
    ngram_min: int
    ngram_max: int
    keep_article_events_apart: bool
    shingle_words: int
    duplicate_threshold: float
    num_perm: int
    bands: int
    seed: int

    @classmethod
    def load(cls, **overrides: Any) -> ClusterConfig:
        """The configured thresholds; keyword arguments that are not None replace them.

        A window wider than the cluster span widens the span too, or the window could not be used.
        """
        cfg = read_toml("config", "aggregate.toml")
        dup = cfg["duplicates"]
        values = dict(cfg["cluster"]) | {
            "shingle_words": dup["shingle_words"], "duplicate_threshold": dup["threshold"],
            "num_perm": dup["num_perm"], "bands": dup["bands"], "seed": dup["seed"]}
        values |= {k: v for k, v in overrides.items() if v is not None}
        values["max_cluster_span_days"] = max(values["max_cluster_span_days"], values["window_days"])
        return cls(**values)


@dataclass(slots=True)
class EventRow:
    """One event with what clustering and counting need from its record."""

    event_id: str  # "doc_id#k", as in the events table of tabular records
    doc_id: str
    source: str | None
    published: str | None
    title: str | None
    type: str
    kind: str
    province: str | None  # as named when the article was written
    province_2025: str | None
    district: str | None
    commune: str | None
    named_2025: bool  # the article names provinces on the 34-province map
    time_text: str
    time_start: str | None
    time_end: str | None
    first_day: int | None  # date ordinals of a precise date (event time, else publication date)
    last_day: int | None
    date: str | None  # ISO date, as precise as known
    evidence: str
    counts: list[Count]


@dataclass(slots=True)
class Collected:
    """The events of a set of records, split the way counting needs them."""

    records: int = 0
    incidents: list[EventRow] = field(default_factory=list)  # domestic incident events
    statistics: list[EventRow] = field(default_factory=list)  # aggregate events
    foreign: int = 0  # events abroad: not counted


@dataclass(slots=True)
class Cluster:
    """One occurrence: the events (and articles) that report it."""

    cluster_id: str
    type: str
    events: list[EventRow]
    province: str | None
    province_2025: str | None
    district: str | None
    date: str | None  # earliest precise date, else the most precise partial one
    date_end: str | None
    doc_ids: list[str]
    sources: list[str]
    maxima: dict[str, float]  # unit -> largest value any event of the cluster reports

    @property
    def n_articles(self) -> int:
        return len(self.doc_ids)


# ---- records to event rows ----------------------------------------------------------------


def _bound(iso: str | None, last: bool) -> int | None:
    """Ordinal of the first (or last) day an ISO date of any precision covers."""
    if not iso:
        return None
    parts = iso.strip()[:10].split("-")
    try:
        year = int(parts[0])
        month = int(parts[1]) if len(parts) > 1 else (12 if last else 1)
        if len(parts) > 2:
            return date(year, month, int(parts[2])).toordinal()
        if not last:
            return date(year, month, 1).toordinal()
        return date(year + month // 12, month % 12 + 1, 1).toordinal() - 1
    except (ValueError, IndexError):
        return None


def _span(start: str | None, end: str | None) -> tuple[int, int] | None:
    first, last = _bound(start, False), _bound(end or start, True)
    if first is None or last is None:
        return None
    return first, max(first, last)


class _Provinces:
    """province_2025 for records written before the extractor filled it; the gazetteer loads once, if needed."""

    def __init__(self) -> None:
        self._gazetteer: Gazetteer | None = None

    def to_2025(self, province: str | None, known: str | None) -> str | None:
        if known or not province:
            return known or None
        if self._gazetteer is None:
            self._gazetteer = Gazetteer.load()
        try:
            return self._gazetteer.to_2025(province)[0]
        except KeyError:
            return province


def _event_row(record: Record, k: int, event: Event, config: ClusterConfig, provinces: _Provinces) -> EventRow:
    loc, tm = event.location, event.time

    def precise(span: tuple[int, int] | None) -> tuple[int, int] | None:
        return span if span and span[1] - span[0] <= config.max_event_span_days else None

    first, last = precise(_span(tm.start, tm.end)) or precise(_span(record.published, None)) or (None, None)
    when = date.fromordinal(first).isoformat() if first is not None else tm.start or (record.published or "")[:10]
    return EventRow(
        event_id=f"{record.doc_id}#{k}", doc_id=record.doc_id, source=record.source, published=record.published,
        title=record.title, type=event.type, kind=event.kind, province=loc.province,
        province_2025=provinces.to_2025(loc.province, loc.province_2025), district=loc.district,
        commune=loc.commune, named_2025=bool(record.published) and record.published[:10] >= MERGER_DATE,
        time_text=tm.text, time_start=tm.start, time_end=tm.end, first_day=first, last_day=last, date=when or None,
        evidence=event.evidence, counts=list(event.counts))


def collect(records: Iterable[Record], config: ClusterConfig) -> Collected:
    """Incident events and aggregate statistics of `records` in Vietnam, read once; events abroad are
    only counted (spec/RECORDS.md: they do not make an article relevant)."""
    out, provinces = Collected(), _Provinces()
    for record in records:
        out.records += 1
        for k, event in enumerate(record.events):
            if event.location.foreign:
                out.foreign += 1
            elif event.kind == "aggregate":
                out.statistics.append(_event_row(record, k, event, config, provinces))
            else:
                out.incidents.append(_event_row(record, k, event, config, provinces))
    return out


# ---- candidate links ------------------------------------------------------------------------


@dataclass(slots=True)
class _Arrays:
    """Per-event codes, so that place and date checks run on numpy arrays."""

    doc: np.ndarray
    province: np.ndarray  # province after 2025; -1: unknown (compatible with any)
    unit: np.ndarray  # pre-2025 province, -1 when the article names 2025 units (compatible with any)
    district: np.ndarray  # -1: unknown (compatible with any)
    first: np.ndarray  # -1: no precise date
    last: np.ndarray

    @classmethod
    def of(cls, events: list[EventRow]) -> _Arrays:
        def codes(values: Iterable[str | None]) -> np.ndarray:
            table: dict[str, int] = {}
            return np.array([-1 if v is None else table.setdefault(v, len(table)) for v in values], dtype=np.int64)

        return cls(
            doc=codes(e.doc_id for e in events),
            province=codes(e.province_2025 for e in events),
            unit=codes(None if e.named_2025 else e.province for e in events),
            district=codes(place_key(e.district).casefold() if e.district else None for e in events),
            first=np.array([-1 if e.first_day is None else e.first_day for e in events], dtype=np.int64),
            last=np.array([-1 if e.last_day is None else e.last_day for e in events], dtype=np.int64),
        )

    def compatible(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        def agree(codes: np.ndarray) -> np.ndarray:
            return (codes[i] == codes[j]) | (codes[i] < 0) | (codes[j] < 0)
        return agree(self.province) & agree(self.unit) & agree(self.district)

    def gap(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """Days between two dated events' spans (0 when they overlap)."""
        return np.maximum(0, np.maximum(self.first[i], self.first[j]) - np.minimum(self.last[i], self.last[j]))


# ---- union-find with the constraints a merge must respect -----------------------------------


class _Merger:
    """Union-find whose clusters stay consistent as a whole, not just pair by pair: an event
    without a district may link two strikes in different districts, which must stay apart."""

    def __init__(self, arrays: _Arrays, config: ClusterConfig) -> None:
        n = len(arrays.doc)
        self.parent = list(range(n))
        self.docs: list[set[int]] = [{d} for d in arrays.doc.tolist()]
        self.places = [arrays.province.tolist(), arrays.unit.tolist(), arrays.district.tolist()]  # -1: unknown
        self.first = [None if d < 0 else d for d in arrays.first.tolist()]
        self.last = [None if d < 0 else d for d in arrays.last.tolist()]
        self.config = config

    def find(self, i: int) -> int:
        root = i
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[i] != root:
            self.parent[i], i = root, self.parent[i]
        return root

    def union(self, i: int, j: int) -> bool:
        a, b = self.find(i), self.find(j)
        if a == b:
            return False
        if self.config.keep_article_events_apart and not self.docs[a].isdisjoint(self.docs[b]):
            return False
        if any(p[a] >= 0 and p[b] >= 0 and p[a] != p[b] for p in self.places):
            return False
        firsts = [d for d in (self.first[a], self.first[b]) if d is not None]
        lasts = [d for d in (self.last[a], self.last[b]) if d is not None]
        if firsts and max(lasts) - min(firsts) > self.config.max_cluster_span_days:
            return False
        if len(self.docs[a]) < len(self.docs[b]):
            a, b = b, a
        self.parent[b] = a
        self.docs[a] |= self.docs[b]
        for p in self.places:
            p[a] = max(p[a], p[b])
        self.first[a] = min(firsts) if firsts else None
        self.last[a] = max(lasts) if lasts else None
        return True


def _dated_blocks(events: list[EventRow], arrays: _Arrays) -> list[np.ndarray]:
    """Dated events by (type, province after 2025), sorted by date: the only pairs worth comparing."""
    blocks: dict[tuple[str, str | None], list[int]] = {}
    for i, e in enumerate(events):
        if e.first_day is not None:
            blocks.setdefault((e.type, e.province_2025), []).append(i)
    out = []
    for block in blocks.values():
        if len(block) > 1:
            idx = np.array(block, dtype=np.int64)
            out.append(idx[np.argsort(arrays.first[idx], kind="stable")])
    return out


def _duplicate_docs(events: list[EventRow], config: ClusterConfig) -> list[tuple[np.ndarray, np.ndarray]]:
    """The events of each pair of near-duplicate articles (title and evidence sentences compared)."""
    by_doc: dict[str, list[int]] = {}
    for i, e in enumerate(events):
        by_doc.setdefault(e.doc_id, []).append(i)
    members = list(by_doc.values())
    texts = [" ".join([events[m[0]].title or "", *(events[i].evidence for i in m)]) for m in members]
    return [(np.array(members[a]), np.array(members[b])) for a, b, _ in near_duplicates(texts, config)]


def _evidence_vectors(events: list[EventRow], config: ClusterConfig) -> sparse.csr_matrix:
    """L2-normalised TF-IDF rows; IDF from all incident events, so that a pair's similarity does not
    depend on which other events happen to be compared."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    if not events:
        return sparse.csr_matrix((0, 1), dtype=np.float32)
    vectorizer = TfidfVectorizer(analyzer=config.analyzer, ngram_range=(config.ngram_min, config.ngram_max),
                                 sublinear_tf=True, dtype=np.float32)
    return vectorizer.fit_transform(e.evidence for e in events).tocsr()


def _similar_pairs(order: np.ndarray, arrays: _Arrays, vectors: sparse.csr_matrix, config: ClusterConfig,
                   chunk: int = 512) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Pairs of one date-sorted block within the window whose evidence is similar enough."""
    first = arrays.first[order]
    for s in range(0, len(order), chunk):
        e = min(s + chunk, len(order))
        reach = int(np.searchsorted(first, arrays.last[order[s:e]].max() + config.window_days, side="right"))
        sims = (vectors[order[s:e]] @ vectors[order[s:reach]].T).tocoo()
        keep = (sims.col > sims.row) & (sims.data >= config.evidence_threshold)
        i, j, sim = order[s + sims.row[keep]], order[s + sims.col[keep]], sims.data[keep]
        ok = (arrays.gap(i, j) <= config.window_days) & arrays.compatible(i, j)
        if config.keep_article_events_apart:
            ok &= arrays.doc[i] != arrays.doc[j]
        yield i[ok], j[ok], sim[ok].astype(np.float64)


def _shingles(text: str, n: int) -> np.ndarray:
    words = _WORD.findall(text.casefold())
    grams = {" ".join(words[k:k + n]) for k in range(max(1, len(words) - n + 1))} if words else set()
    return np.unique(np.fromiter((zlib.crc32(g.encode()) for g in grams), dtype=np.uint64, count=len(grams)))


def near_duplicates(texts: list[str], config: ClusterConfig) -> list[tuple[int, int, float]]:
    """Pairs of texts whose word-shingle Jaccard similarity reaches the duplicate threshold.

    MinHash signatures split into bands propose candidates (texts equal on some band); each
    candidate is then checked on the exact shingle sets, so the estimate never decides alone.
    """
    sets = [_shingles(t, config.shingle_words) for t in texts]
    idx = np.array([k for k, s in enumerate(sets) if len(s)], dtype=np.int64)
    if len(idx) < 2:
        return []
    flat = np.concatenate([sets[k] for k in idx])
    starts = np.concatenate([[0], np.cumsum([len(sets[k]) for k in idx])[:-1]])
    rng = np.random.default_rng(config.seed)
    mult = rng.integers(1, 2**63, config.num_perm, dtype=np.uint64) | np.uint64(1)
    add = rng.integers(0, 2**63, config.num_perm, dtype=np.uint64)
    signature = np.empty((len(idx), config.num_perm), dtype=np.uint64)
    step = 16
    with np.errstate(over="ignore"):  # multiply-add modulo 2**64 is the hash
        for p in range(0, config.num_perm, step):
            hashed = flat[:, None] * mult[None, p:p + step] + add[None, p:p + step]
            signature[:, p:p + step] = np.minimum.reduceat(hashed, starts, axis=0)
    rows = config.num_perm // config.bands
    candidates: set[tuple[int, int]] = set()
    for b in range(config.bands):
        band = np.ascontiguousarray(signature[:, b * rows:(b + 1) * rows]).view(np.dtype((np.void, 8 * rows)))
        _, inverse, sizes = np.unique(band.ravel(), return_inverse=True, return_counts=True)
        groups: dict[int, list[int]] = {}
        for k in np.nonzero(sizes[inverse] > 1)[0]:
            groups.setdefault(int(inverse[k]), []).append(int(idx[k]))
        for members in groups.values():
            candidates.update(combinations(members, 2))
    pairs = []
    for a, b in sorted(candidates):
        inter = len(np.intersect1d(sets[a], sets[b], assume_unique=True))
        jaccard = inter / (len(sets[a]) + len(sets[b]) - inter)
        if jaccard >= config.duplicate_threshold:
            pairs.append((a, b, jaccard))
    return pairs


def _duplicate_links(events: list[EventRow], docs: list[tuple[np.ndarray, np.ndarray]], arrays: _Arrays,
                     vectors: sparse.csr_matrix, config: ClusterConfig) -> Iterator[tuple[int, int, float]]:
    """Events of near-duplicate articles, paired one to one: same type, compatible place and date."""
    for left, right in docs:
        i, j = np.repeat(left, len(right)), np.tile(right, len(left))
        dated = (arrays.first[i] >= 0) & (arrays.first[j] >= 0)
        ok = arrays.compatible(i, j) & (~dated | (arrays.gap(i, j) <= config.window_days))
        ok &= np.array([events[x].type == events[y].type for x, y in zip(i, j, strict=True)], dtype=bool)
        if not ok.any():
            continue
        i, j = i[ok], j[ok]
        sims = np.asarray(vectors[i].multiply(vectors[j]).sum(axis=1)).ravel()
        used: set[int] = set()
        for k in np.argsort(-sims, kind="stable"):
            if i[k] not in used and j[k] not in used:
                used.update((int(i[k]), int(j[k])))
                yield int(i[k]), int(j[k]), 1.0 + float(sims[k])  # above any evidence-only link


# ---- clusters -------------------------------------------------------------------------------


def cluster_incidents(events: list[EventRow], config: ClusterConfig) -> list[Cluster]:
    """Every incident event in exactly one cluster; clusters ordered by date, type, province."""
    arrays = _Arrays.of(events)
    blocks, docs, vectors = _dated_blocks(events, arrays), _duplicate_docs(events, config), _evidence_vectors(
        events, config)
    links = [link for block in blocks for link in _similar_pairs(block, arrays, vectors, config)]
    duplicates = list(_duplicate_links(events, docs, arrays, vectors, config))
    if duplicates:
        links.append(tuple(np.array(column) for column in zip(*duplicates, strict=True)))  # type: ignore[arg-type]
    merger = _Merger(arrays, config)
    if links:
        i, j, s = (np.concatenate(column) for column in zip(*links, strict=True))
        for k in np.lexsort((j, i, -s)):  # strongest first; ties in a fixed order
            merger.union(int(i[k]), int(j[k]))
    members: dict[int, list[EventRow]] = {}
    for k, e in enumerate(events):
        members.setdefault(merger.find(k), []).append(e)
    clusters = [make_cluster(group) for group in members.values()]
    return sorted(clusters, key=lambda c: (c.date or "~", c.type, c.province or "~", c.cluster_id))


def _mode(values: Iterable[str | None]) -> str | None:
    """The most frequent known value; ties go to the one seen first."""
    counts = Counter(v for v in values if v)
    return max(counts, key=counts.__getitem__) if counts else None


def make_cluster(events: list[EventRow]) -> Cluster:
    ids = sorted(e.event_id for e in events)
    province = _mode(e.province for e in events)
    dates = sorted((e.date for e in events if e.date), key=lambda d: (-len(d), d))
    last_days = [e.last_day for e in events if e.last_day is not None]
    maxima: dict[str, float] = {}
    for e in events:
        for c in e.counts:
            maxima[c.unit] = max(maxima.get(c.unit, c.value), c.value)
    return Cluster(
        cluster_id="c" + hashlib.blake2b("\n".join(ids).encode(), digest_size=6).hexdigest(),
        type=events[0].type,
        events=events,
        province=province,
        province_2025=_mode(e.province_2025 for e in events),
        district=_mode(e.district for e in events if e.province == province),
        date=dates[0] if dates else None,
        date_end=date.fromordinal(max(last_days)).isoformat() if last_days else None,
        doc_ids=list(dict.fromkeys(e.doc_id for e in events)),
        sources=list(dict.fromkeys(e.source for e in events if e.source)),
        maxima=maxima,
    )
