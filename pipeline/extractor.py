"""The extractor: a list of named components over one shared `Document`.

As in spaCy, the component list and every component's settings are data (a TOML file:
`data/config/pipeline.toml`, or `config.toml` inside a trained model's folder), and a
component is anything registered under a name that, built from its settings, maps a
Document to a Document.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from pipeline import __version__
from pipeline.document import Article, Document, Record
from pipeline.normalise import normalise
from pipeline.resources import data_path


class Component(Protocol):
    def __call__(self, doc: Document) -> Document: ...


ComponentFactory = Callable[..., Component]
REGISTRY: dict[str, ComponentFactory] = {}


def component(name: str) -> Callable[[ComponentFactory], ComponentFactory]:
    """Register a component factory under the name used in pipeline configs."""

    def register(factory: ComponentFactory) -> ComponentFactory:
        REGISTRY[name] = factory
        return factory

    return register


def models_dir() -> Path:
    return Path(__file__).resolve().parent.parent / "models"


def resolve_model(model: str | Path | None) -> Path:
    """A model's config file: a folder with config.toml given by path or by name under models/;
    by default models/default, else the rule-based pipeline of data/config/pipeline.toml."""
    if model is None:
        default = models_dir() / "default" / "config.toml"
        return default if default.exists() else data_path("config", "pipeline.toml")
    for folder in (Path(model), models_dir() / str(model)):
        if (folder / "config.toml").exists():
            return folder / "config.toml"
    raise FileNotFoundError(f"no model {model!r}: expected a folder with config.toml, or a name under {models_dir()}")


@dataclass
class Extractor:
    name: str
    components: list[tuple[str, Component]]
    version: str

    @classmethod
    def load(cls, model: str | Path | None = None) -> Extractor:
        config = resolve_model(model)
        with config.open("rb") as fh:
            return cls.from_config(tomllib.load(fh), config.parent)

    @classmethod
    def from_config(cls, config: dict[str, Any], folder: Path | None = None) -> Extractor:
        import models  # noqa: F401  (registers the learned components)
        import pipeline.extract  # noqa: F401  (registers the built-in components)

        settings = config.get("components", {})
        built = []
        for name in config["pipeline"]["components"]:
            if name not in REGISTRY:
                raise KeyError(f"unknown component {name!r}; known: {', '.join(sorted(REGISTRY))}")
            factory = REGISTRY[name]
            options = dict(settings.get(name, {}))
            if "model_dir" in inspect.signature(factory).parameters:
                options["model_dir"] = folder
            built.append((name, factory(**options)))
        name = config["pipeline"].get("name", "rules")
        return cls(name=name, components=built, version=f"vnsec {__version__}/{name}@{fingerprint(config, folder)}")

    def document(self, article: Article) -> Document:
        doc = Document(article=article, text=normalise(article.text))
        for _, step in self.components:
            doc = step(doc)
        return doc

    def __call__(self, article: Article) -> Record:
        return to_record(self.document(article), self.version)


def fingerprint(config: dict[str, Any], folder: Path | None) -> str:
    """A digest of everything that decides the output: the settings, the knowledge under
    data/ (lexicons, gazetteer, taxonomy) and the model's learned artifacts."""
    digest = hashlib.sha1(json.dumps(config, sort_keys=True, default=str).encode())
    files = [p for sub in ("lexicons", "gazetteer", "taxonomy") for p in sorted(data_path(sub).glob("*.tsv"))]
    if folder is not None and folder != data_path("config"):
        files += sorted(folder.glob("*.skops"))
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


def to_record(doc: Document, version: str) -> Record:
    article = doc.article
    events = doc.events if doc.relevant else []
    provinces: list[str] = []
    for event in events:
        province = event.location.province
        if province and not event.location.foreign and province not in provinces:
            provinces.append(province)
    return Record(
        doc_id=article.doc_id,
        relevant=doc.relevant,
        event_types=sorted({e.type for e in events}),
        provinces=provinces,
        events=events,
        title=article.title,
        url=article.url,
        published=article.published,
        source=article.source,
        extractor=version,
    )
