"""Scoring predicted records against labelled ones, with the official scorer's metrics,
plus what a user needs to see where the extractor fails: per-label figures, confusions,
and the missed or spurious events with their sentences.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
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


def evidence_hit(gold_evidence: str, predicted: Iterable[str]) -> bool:
    gold = _tokens(gold_evidence)
    return bool(gold) and any(len(gold & _tokens(p)) / len(gold) >= 0.5 for p in predicted)


@dataclass
class Report:
    metrics: dict[str, Any]
    per_label: dict[str, dict[str, float]]
    confusions: Counter[tuple[str, str]] = field(default_factory=Counter)  # (gold label, predicted label)
    misses: list[dict[str, Any]] = field(default_factory=list)


def score(gold: dict[str, Rec], pred: dict[str, Rec]) -> Report:
    rel, types, provs, counts = Counter(), Counter(), Counter(), Counter()
    per_label: dict[str, Counter[str]] = {}
    confusions: Counter[tuple[str, str]] = Counter()
    misses: list[dict[str, Any]] = []
    ev_total = ev_hit = 0
    for doc_id, g in gold.items():
        p = pred.get(doc_id, EMPTY)
        g_rel, p_rel = bool(g.get("relevant")), bool(p.get("relevant"))
        rel["tp"] += g_rel and p_rel
        rel["fp"] += p_rel and not g_rel
        rel["fn"] += g_rel and not p_rel
        g_types = set(g.get("event_types", []))
        p_types = set(p.get("event_types", []) if p_rel else [])
        types["tp"] += len(g_types & p_types)
        types["fp"] += len(p_types - g_types)
        types["fn"] += len(g_types - p_types)
        for label in g_types | p_types:
            c = per_label.setdefault(label, Counter())
            c["tp" if label in g_types & p_types else "fn" if label in g_types else "fp"] += 1
        for missed in g_types - p_types:
            confusions.update((missed, extra) for extra in (p_types - g_types) or {"(none)"})
        for extra in p_types - g_types:
            if not g_types:
                confusions[("(none)", extra)] += 1
        g_prov = {province_key(x) for x in g.get("provinces", [])}
        p_prov = {province_key(x) for x in (p.get("provinces", []) if p_rel else [])}
        provs["tp"] += len(g_prov & p_prov)
        provs["fp"] += len(p_prov - g_prov)
        provs["fn"] += len(g_prov - p_prov)
        tp, fp, fn, kind_ok = match_counts(count_tuples(g), count_tuples(p) if p_rel else [])
        counts.update(tp=tp, fp=fp, fn=fn, kind_ok=kind_ok)
        p_events = p.get("events", []) if p_rel else []
        by_type: dict[str, list[str]] = {}
        for e in p_events:
            by_type.setdefault(e.get("type"), []).append(e.get("evidence", ""))
        for e in g.get("events", []):
            ev_total += 1
            hit = evidence_hit(e.get("evidence", ""), by_type.get(e.get("type"), []))
            ev_hit += hit
            if not hit:
                misses.append({"doc_id": doc_id, "what": "missed event", "type": e.get("type"),
                               "sentence": e.get("evidence", "")})
        for e in p_events:
            if e.get("type") not in g_types:
                misses.append({"doc_id": doc_id, "what": "spurious event", "type": e.get("type"),
                               "sentence": e.get("evidence", "")})
    gold_labels = [label for label, c in per_label.items() if c["tp"] + c["fn"]]
    label_scores = {label: prf(c["tp"], c["fp"], c["fn"]) for label, c in sorted(per_label.items())}
    macro = sum(label_scores[label]["f1"] for label in gold_labels) / len(gold_labels) if gold_labels else 0.0
    metrics = {
        "articles": len(gold),
        "relevance": prf(rel["tp"], rel["fp"], rel["fn"]),
        "event_types": prf(types["tp"], types["fp"], types["fn"]),
        "event_types_macro_f1": round(macro, 4),
        "provinces": prf(provs["tp"], provs["fp"], provs["fn"]),
        "counts": prf(counts["tp"], counts["fp"], counts["fn"]),
        "count_kind_accuracy": round(counts["kind_ok"] / counts["tp"], 4) if counts["tp"] else 0.0,
        "event_evidence_recall": round(ev_hit / ev_total, 4) if ev_total else 0.0,
    }
    return Report(metrics, label_scores, confusions, misses)


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
