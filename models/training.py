"""Training the learned components from labelled records, and measuring them honestly.

Labelled records follow ../shared/spec/RECORDS.md; their articles come from separate
files or from a `text` field in the records themselves. Every figure reported for a
trained model comes from cross-validation: no article is scored by a model that saw it.
"""

from __future__ import annotations

import copy
import hashlib
import json
import platform
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import version
from itertools import product
from math import sqrt
from pathlib import Path
from statistics import fmean, stdev
from typing import Any

from sklearn.model_selection import KFold

from models.count_filter import CountClassifier, CountFilter
from models.sentence_types import SentenceTypeClassifier, SentenceTypes
from pipeline import __version__
from pipeline.document import Article, Document
from pipeline.evaluation import Report, intervals, load_jsonl, score
from pipeline.extractor import Extractor, to_record
from pipeline.resources import data_path

LEARNED = "sentence_types"
COUNT_FILTER = "count_filter"
LEARNED_ALL = (LEARNED, COUNT_FILTER)
Rec = dict[str, Any]


@dataclass
class Labelled:
    """Labelled records and their articles, in a fixed order."""

    articles: list[Article]
    golds: list[Rec]
    sources: list[dict[str, Any]]  # file, sha256, role, lines: what the model was trained on

    @classmethod
    def read(cls, paths: Sequence[str | Path]) -> Labelled:
        """Files of labelled records and files of articles, told apart by their fields."""
        golds: dict[str, Rec] = {}
        texts: dict[str, Rec] = {}
        sources = []
        for path in map(Path, paths):
            rows = load_jsonl(path)
            is_labelled = bool(rows) and "relevant" in rows[0]
            for row in rows:
                if is_labelled:
                    golds[row["doc_id"]] = row
                if "text" in row:
                    texts[row["doc_id"]] = row
            sources.append({"file": str(path), "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
                            "role": "labels" if is_labelled else "articles", "lines": len(rows)})
        missing = sorted(set(golds) - set(texts))
        if missing:
            raise ValueError(f"{len(missing)} labelled records have no article text (e.g. {missing[0]}); "
                             "give the articles file too")
        if not golds:
            raise ValueError("no labelled records found (records with a 'relevant' field)")
        ids = list(golds)
        articles = [Article(doc_id=i, text=texts[i]["text"], title=texts[i].get("title"),
                            published=texts[i].get("published"), source=texts[i].get("source")) for i in ids]
        return cls(articles, [golds[i] for i in ids], sources)


def learned_config() -> dict[str, Any]:
    with data_path("config", "learned.toml").open("rb") as fh:
        return tomllib.load(fh)


class Stages:
    """The learned pipeline cut around its learned components: the costly stages before the
    sentence typer run once per article, the ones after it once per trial on a copy; the
    count filter, where the config has one, learns from what the stages before it propose."""

    def __init__(self, config: dict[str, Any]) -> None:
        names = config["pipeline"]["components"]
        cut = names.index(LEARNED)
        self.count_params = _params(config, COUNT_FILTER) if COUNT_FILTER in names else None
        rules = Extractor.from_config({"pipeline": {"components": [n for n in names if n not in LEARNED_ALL]},
                                       "components": config.get("components", {})})
        self.before = Extractor(name="before", components=rules.components[:cut], version=rules.version)
        after = rules.components[cut:]
        split = names.index(COUNT_FILTER) - 1 - cut if self.count_params is not None else len(after)
        self.middle, self.tail = after[:split], after[split:]
        self.version = rules.version

    def prepare(self, articles: Sequence[Article]) -> list[Document]:
        return [self.before.document(article) for article in articles]

    def propose(self, doc: Document, typer: SentenceTypes) -> Document:
        """The article's events with every count proposed, before any count filter."""
        fresh = _fork(doc)
        for step in [typer, *(s for _, s in self.middle)]:
            fresh = step(fresh)
        return fresh

    def finish(self, doc: Document, typer: SentenceTypes, counter: CountFilter | None = None) -> Rec:
        fresh = self.propose(doc, typer)
        for step in [*([counter] if counter else []), *(s for _, s in self.tail)]:
            fresh = step(fresh)
        return to_record(fresh, self.version).to_json()

    def fit(self, docs: list[Document], golds: list[Rec], params: dict[str, Any]) -> tuple[
            SentenceTypeClassifier, CountClassifier | None]:
        typer = SentenceTypeClassifier(**params).fit(docs, golds)
        if self.count_params is None:
            return typer, None
        proposed = [self.propose(doc, SentenceTypes(typer)) for doc in docs]
        return typer, CountClassifier(**self.count_params).fit(proposed, golds)


def _params(config: dict[str, Any], name: str) -> dict[str, Any]:
    return {k: v for k, v in config["components"][name].items() if k != "file"}


def _fork(doc: Document) -> Document:
    """A copy that later stages may annotate, sharing the costly parts (tokens, mentions)."""
    fresh = copy.copy(doc)
    fresh.sentences = [copy.copy(s) for s in doc.sentences]
    for sentence in fresh.sentences:
        sentence.labels = dict(sentence.labels)
    fresh.events = []
    return fresh


def cross_validate(docs: list[Document], golds: list[Rec], stages: Stages, params: dict[str, Any],
                   folds: int = 5, seed: int = 0,
                   background: tuple[list[Document], list[Rec]] | None = None) -> tuple[Report, dict[str, Rec]]:
    """Out-of-fold predictions for every article, and their scores; `background` articles are
    added to every training fold and never scored."""
    predicted = out_of_fold(docs, golds, stages, params, folds, seed, background)[None]
    return score({g["doc_id"]: g for g in golds}, predicted), predicted


def out_of_fold(docs: list[Document], golds: list[Rec], stages: Stages, params: dict[str, Any],
                folds: int = 5, seed: int = 0, background: tuple[list[Document], list[Rec]] | None = None,
                count_thresholds: Sequence[float | None] = (None,)) -> dict[float | None, dict[str, Rec]]:
    """Out-of-fold predictions with the count filter at each threshold (None: as configured);
    a threshold changes no fit, so one fit per fold serves them all."""
    predicted: dict[float | None, dict[str, Rec]] = {t: {} for t in count_thresholds}
    extra_docs, extra_golds = background or ([], [])
    splitter = KFold(n_splits=min(folds, len(docs)), shuffle=True, random_state=seed)
    for train, test in splitter.split(docs):
        estimator, counts = stages.fit([docs[i] for i in train] + extra_docs,
                                       [golds[i] for i in train] + extra_golds, params)
        typer = SentenceTypes(estimator)
        configured = counts.threshold if counts is not None else None
        for threshold in count_thresholds:
            if counts is not None:
                counts.threshold = configured if threshold is None else threshold
            counter = counts and CountFilter(counts)
            for i in test:
                predicted[threshold][docs[i].article.doc_id] = stages.finish(docs[i], typer, counter)
    return predicted


def objective(report: Report) -> float:
    """What model selection maximises: event types, relevance and counts together."""
    m = report.metrics
    return m["event_types"]["f1"] + m["event_types_macro_f1"] + m["relevance"]["f1"] + m["counts"]["f1"]


def train(paths: Sequence[str | Path], output: Path, *, folds: int | None = None,
          on_progress: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Train, select settings by cross-validation, refit on everything, save a model folder."""
    say = on_progress or (lambda message: None)
    config = learned_config()
    search = config.pop("training", {})
    folds = folds or search.get("folds", 5)
    labelled = Labelled.read(paths)
    stages = Stages(config)
    say(f"preparing {len(labelled.articles)} labelled articles")
    docs = stages.prepare(labelled.articles)
    defaults = _params(config, LEARNED)
    grid = [dict(defaults, C=c, threshold=t) for c, t in product(search.get("C", [defaults["C"]]),
                                                                   search.get("threshold", [defaults["threshold"]]))]
    count_thresholds = search.get("count_threshold", [None]) if stages.count_params is not None else [None]
    gold = {g["doc_id"]: g for g in labelled.golds}
    # one split of a few hundred articles ranks settings by luck as much as by merit: each
    # setting is judged by its mean over `repeats` differently shuffled splits
    repeats = search.get("repeats", 1)
    trials = []
    reports = []
    for params in grid:
        runs = [out_of_fold(docs, labelled.golds, stages, params, folds, seed=seed,
                            count_thresholds=count_thresholds) for seed in range(repeats)]
        for count_threshold in runs[0]:
            report, *others = [score(gold, run[count_threshold]) for run in runs]
            objectives = [objective(r) for r in [report, *others]]
            mean = fmean(objectives)
            se = stdev(objectives) / sqrt(repeats) if repeats > 1 else 0.0
            reports.append(report)
            trials.append({"params": params, "count_threshold": count_threshold,
                           "objective": round(mean, 4), "objective_se": round(se, 4), "metrics": report.metrics})
            say(f"C={params['C']} threshold={params['threshold']} count threshold={count_threshold}: "
                f"objective {mean:.3f} ± {se:.3f}")
    chosen = one_standard_error(trials)
    best = trials[chosen]
    if best["count_threshold"] is not None:  # a threshold changes no fit: only the config keeps it
        config["components"][COUNT_FILTER]["threshold"] = best["count_threshold"]
    estimator, counts = stages.fit(docs, labelled.golds, best["params"])

    output.mkdir(parents=True, exist_ok=True)
    estimator.save(output / config["components"][LEARNED]["file"])
    if counts is not None:
        counts.save(output / config["components"][COUNT_FILTER]["file"])
    config["components"][LEARNED].update(best["params"])
    config["pipeline"]["name"] = output.name
    (output / "config.toml").write_text(_toml(config), encoding="utf-8")
    meta = {
        "name": output.name,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "trained_on": labelled.sources,
        "articles": len(docs),
        "params": best["params"],
        "count_threshold": best["count_threshold"],
        "cross_validation": {"folds": folds, "repeats": repeats, "metrics": best["metrics"],
                             "intervals": intervals(reports[chosen]), "trials": trials},
        "versions": {"python": platform.python_version(), "vnsec": __version__,
                     **{lib: version(lib) for lib in ("scikit-learn", "skops", "underthesea", "spacy", "numpy")}},
    }
    (output / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
    return meta


def one_standard_error(trials: list[dict[str, Any]]) -> int:
    """The most regularised setting (smallest C) whose mean objective is within one standard
    error of the best one's, and the best of those: the top of the grid is flatter than the
    splits move it, and of settings that score alike the simpler one carries better to
    articles it has not seen (the one-standard-error rule of Breiman et al., 1984)."""
    best = max(range(len(trials)), key=lambda i: trials[i]["objective"])
    floor = trials[best]["objective"] - trials[best].get("objective_se", 0.0)
    near = [i for i, t in enumerate(trials) if t["objective"] >= floor]
    simplest = min(trials[i]["params"]["C"] for i in near)
    return max((i for i in near if trials[i]["params"]["C"] == simplest), key=lambda i: trials[i]["objective"])


def _toml(config: dict[str, Any]) -> str:
    """TOML for the plain tables and values a pipeline config holds."""
    def value(v: Any) -> str:
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, str):
            return json.dumps(v, ensure_ascii=False)
        if isinstance(v, list):
            return "[" + ", ".join(value(x) for x in v) + "]"
        return repr(v)

    lines = ["# Written by `vnsec train`; see meta.json for what it was trained on and how it scored.", ""]
    lines += ["[pipeline]"] + [f"{k} = {value(v)}" for k, v in config["pipeline"].items()] + [""]
    for name, settings in config.get("components", {}).items():
        lines += [f"[components.{name}]"] + [f"{k} = {value(v)}" for k, v in settings.items()] + [""]
    return "\n".join(lines)

