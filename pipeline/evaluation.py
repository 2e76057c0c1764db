"""Scoring predicted records against labelled ones, with the official scorer's metrics,
plus what a user needs to see where the extractor fails: per-label figures, confusions,
and the missed or spurious events with their sentences.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from pipeline.normalise import normalise_str
from pipeline.places import Gazetteer
from pipeline.resources import read_tsv

Rec = dict[str, Any]
EMPTY: Rec = {"relevant": False, "event_types": [], "provinces": [], "events": []}


def load_jsonl(path: str | Path) -> list[Rec]:
    with Path(path).open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4), "tp": tp, "fp": fp, "fn": fn}


def province_key(name: str | None) -> str | None:
    """Names compared as the official scorer does: by pre-2025 code, or by the 2025 unit."""
    if name is None:
        return None
    gazetteer = Gazetteer.load()
    short = gazetteer.province_by_name(name)
    if short is not None and normalise_str(name) not in _new_only_names():
        return "old:" + gazetteer.province_as_of(short, None)[1]
    return "name:" + normalise_str(name).lower()


@cache
def _new_only_names() -> set[str]:
    rows = list(read_tsv("gazetteer", "provinces.tsv"))
    old = {r["short"] for r in rows if r["era"] == "pre2025"}
    return {r["short"] for r in rows if r["era"] == "2025"} - old


def count_tuples(rec: Rec) -> list[tuple[str, str, float, str]]:
    out = []
    for event in rec.get("events") or []:
        for count in event.get("counts") or []:
            try:
                out.append((event.get("type"), count.get("unit"), float(count.get("value")), event.get("kind")))
            except (TypeError, ValueError):
                continue
    return out


def match_counts(gold: list[tuple], pred: list[tuple]) -> tuple[int, int, int, int]:
    """Greedy one-to-one matching of (type, unit, value), values within 0.5%."""
    used = [False] * len(pred)
    tp = kind_ok = 0
    for g_type, g_unit, g_value, g_kind in gold:
        for i, (p_type, p_unit, p_value, p_kind) in enumerate(pred):
            if not used[i] and p_type == g_type and p_unit == g_unit and \
                    abs(p_value - g_value) <= 0.005 * max(abs(g_value), 1.0):
                used[i] = True
                tp += 1
                kind_ok += p_kind == g_kind
                break
    return tp, len(pred) - tp, len(gold) - tp, kind_ok


def _tokens(s: str) -> set[str]:
    return set(normalise_str(s or "").lower().split())


def _start(event: Rec) -> str | None:
    return (event.get("time") or {}).get("start")


def evidence_hit(gold_evidence: str, predicted: Iterable[str]) -> bool:
    gold = _tokens(gold_evidence)
    return bool(gold) and any(len(gold & _tokens(p)) / len(gold) >= 0.5 for p in predicted)


@dataclass
class Report:
    metrics: dict[str, Any]
    per_label: dict[str, dict[str, float]]
    confusions: Counter[tuple[str, str]] = field(default_factory=Counter)  # (gold label, predicted label)
    misses: list[dict[str, Any]] = field(default_factory=list)
    tallies: list[Counter[str]] = field(default_factory=list)  # each article's, for resampling


def tally(doc_id: str, g: Rec, p: Rec) -> tuple[Counter[str], Counter[tuple[str, str]], list[dict[str, Any]]]:
    """One article's contribution to every metric ("event_types:tp", "label:strike:fn", ...), its
    label confusions and its missed or spurious events."""
    t: Counter[str] = Counter()
    confusions: Counter[tuple[str, str]] = Counter()
    misses: list[dict[str, Any]] = []
    g_rel, p_rel = bool(g.get("relevant")), bool(p.get("relevant"))
    t["relevance:tp"] += g_rel and p_rel
    t["relevance:fp"] += p_rel and not g_rel
    t["relevance:fn"] += g_rel and not p_rel
    g_types = set(g.get("event_types", []))
    p_types = set(p.get("event_types", []) if p_rel else [])
    t.update({"event_types:tp": len(g_types & p_types), "event_types:fp": len(p_types - g_types),
              "event_types:fn": len(g_types - p_types)})
    for label in g_types | p_types:
        t[f"label:{label}:" + ("tp" if label in g_types & p_types else "fn" if label in g_types else "fp")] += 1
    for missed in g_types - p_types:
        confusions.update((missed, extra) for extra in (p_types - g_types) or {"(none)"})
    for extra in p_types - g_types:
        if not g_types:
            confusions[("(none)", extra)] += 1
    g_prov = {province_key(x) for x in g.get("provinces", [])}
    p_prov = {province_key(x) for x in (p.get("provinces", []) if p_rel else [])}
    t.update({"provinces:tp": len(g_prov & p_prov), "provinces:fp": len(p_prov - g_prov),
              "provinces:fn": len(g_prov - p_prov)})
    tp, fp, fn, kind_ok = match_counts(count_tuples(g), count_tuples(p) if p_rel else [])
    t.update({"counts:tp": tp, "counts:fp": fp, "counts:fn": fn, "counts:kind_ok": kind_ok})
    p_events = p.get("events", []) if p_rel else []
    by_type: dict[str, list[Rec]] = {}
    for e in p_events:
        by_type.setdefault(e.get("type"), []).append(e)
    for e in g.get("events", []):
        t["evidence:total"] += 1
        found = next((q for q in by_type.get(e.get("type"), []) if evidence_hit(e.get("evidence", ""),
                                                                               [q.get("evidence", "")])), None)
        t["evidence:hit"] += found is not None
        if found is not None:  # the day of an event found: as written, at the granularity written
            t["time:matched"] += 1
            t["time:ok"] += _start(e) == _start(found)
        else:
            misses.append({"doc_id": doc_id, "what": "missed event", "type": e.get("type"),
                           "sentence": e.get("evidence", "")})
    # events per (type, kind): the spec wants one per distinct occurrence, which no official
    # metric checks; a retold occurrence quoted twice would count twice in every table
    g_events = Counter((e.get("type"), e.get("kind")) for e in g.get("events", []))
    p_events_by = Counter((e.get("type"), e.get("kind")) for e in p_events)
    for key in g_events | p_events_by:
        t["events:extra"] += max(0, p_events_by[key] - g_events[key])
        t["events:missing"] += max(0, g_events[key] - p_events_by[key])
    t["events:labelled"] += sum(g_events.values())
    t["events:predicted"] += sum(p_events_by.values())
    for e in p_events:
        if e.get("type") not in g_types:
            misses.append({"doc_id": doc_id, "what": "spurious event", "type": e.get("type"),
                           "sentence": e.get("evidence", "")})
    return t, confusions, misses


def metrics_of(t: Mapping[str, float], articles: int) -> tuple[dict[str, Any], dict[str, dict[str, float]]]:
    """The official scorer's metrics, and per-label figures, from summed tallies."""
    def of(key: str) -> dict[str, float]:
        return prf(int(t.get(f"{key}:tp", 0)), int(t.get(f"{key}:fp", 0)), int(t.get(f"{key}:fn", 0)))

    labels = sorted({key.split(":")[1] for key, n in t.items() if key.startswith("label:") and n})
    label_scores = {label: of(f"label:{label}") for label in labels}
    gold_labels = [label for label in labels if t.get(f"label:{label}:tp", 0) + t.get(f"label:{label}:fn", 0)]
    macro = sum(label_scores[label]["f1"] for label in gold_labels) / len(gold_labels) if gold_labels else 0.0
    matched, total = t.get("counts:tp", 0), t.get("evidence:total", 0)
    metrics = {
        "articles": articles,
        "relevance": of("relevance"),
        "event_types": of("event_types"),
        "event_types_macro_f1": round(macro, 4),
        "provinces": of("provinces"),
        "counts": of("counts"),
        "count_kind_accuracy": round(t.get("counts:kind_ok", 0) / matched, 4) if matched else 0.0,
        "event_evidence_recall": round(t.get("evidence:hit", 0) / total, 4) if total else 0.0,
        # beyond the official scorer: of the events found, the share dated as the labeller dated them
        "event_time_accuracy": round(t.get("time:ok", 0) / t["time:matched"], 4) if t.get("time:matched") else 0.0,
        "event_count": {k: int(t.get(f"events:{k}", 0)) for k in ("labelled", "predicted", "extra", "missing")},
    }
    return metrics, label_scores


def score(gold: dict[str, Rec], pred: dict[str, Rec]) -> Report:
    total: Counter[str] = Counter()
    confusions: Counter[tuple[str, str]] = Counter()
    misses: list[dict[str, Any]] = []
    tallies = []
    for doc_id, g in gold.items():
        t, c, m = tally(doc_id, g, pred.get(doc_id, EMPTY))
        total.update(t)
        confusions.update(c)
        misses += m
        tallies.append(t)
    metrics, label_scores = metrics_of(total, len(gold))
    return Report(metrics, label_scores, confusions, misses, tallies)


BEYOND_OFFICIAL = ("event_time_accuracy", "event_count")
HEADLINE = ("relevance", "event_types", "event_types_macro_f1", "provinces", "counts", "count_kind_accuracy",
            "event_evidence_recall")


def headline(metrics: dict[str, Any]) -> dict[str, float]:
    """Each headline metric as one number (F1 where it has P, R and F1)."""
    return {k: metrics[k]["f1"] if isinstance(metrics[k], dict) else metrics[k] for k in HEADLINE}


def intervals(report: Report, rounds: int = 1000, level: float = 0.95, seed: int = 0) -> dict[str, tuple[float, float]]:
    """Bootstrap intervals of a report's headline metrics over its articles: how far another
    sample of articles like these could move each figure (the labelled set is a sample too)."""
    import numpy as np

    tallies = report.tallies
    if not tallies:
        return {}
    keys = sorted({key for t in tallies for key in t})
    matrix = np.array([[t.get(key, 0) for key in keys] for t in tallies], dtype=float)
    rng = np.random.default_rng(seed)
    weights = rng.multinomial(len(tallies), [1 / len(tallies)] * len(tallies), size=rounds)
    sums = weights @ matrix
    values = np.array([list(headline(metrics_of(dict(zip(keys, row, strict=True)), len(tallies))[0]).values())
                       for row in sums])
    low, high = np.quantile(values, [(1 - level) / 2, (1 + level) / 2], axis=0)
    return {k: (round(float(lo), 3), round(float(hi), 3)) for k, lo, hi in zip(HEADLINE, low, high, strict=True)}


def metric_lines(metrics: dict[str, Any]) -> list[str]:
    """The official scorer's printout, line for line."""
    lines = [f"articles               {metrics['articles']}"]
    for key in ("relevance", "event_types", "provinces", "counts"):
        m = metrics[key]
        lines.append(f"{key:<22} P {m['p']:.3f}  R {m['r']:.3f}  F1 {m['f1']:.3f}  "
                     f"(tp {m['tp']} fp {m['fp']} fn {m['fn']})")
    lines.append(f"event_types_macro_f1   {metrics['event_types_macro_f1']:.3f}")
    lines.append(f"count_kind_accuracy    {metrics['count_kind_accuracy']:.3f}")
    lines.append(f"event_evidence_recall  {metrics['event_evidence_recall']:.3f}")
    return lines


def extra_lines(metrics: dict[str, Any]) -> list[str]:
    """What the official scorer leaves out: whether the events found carry the labelled day, and
    whether each occurrence is one event (what incident tables count)."""
    n = metrics.get("event_count") or {}
    return [f"event_time_accuracy    {metrics.get('event_time_accuracy', 0.0):.3f}  (of the events found, "
            "dated as labelled; not an official metric)",
            f"event_count            {n.get('predicted', 0)} predicted for {n.get('labelled', 0)} labelled "
            f"(per article, type and kind: {n.get('extra', 0)} extra, {n.get('missing', 0)} missing; "
            "not an official metric)"]
