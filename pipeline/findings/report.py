"""`vnsec report`: the findings of records files as one HTML page that opens anywhere.

Every incident figure on the page is a number of clusters, counted by the same counts tables as
`vnsec aggregate`, so page and tables never disagree and a strike told by five outlets counts
once; aggregate statistics are listed apart with their periods and never added to them. The page
is self-contained (inline CSS and SVG, no script, font or file fetched), so it can be mailed or
archived. Text from articles is escaped by the template's autoescaping and links are only made
of http(s) URLs, so an article cannot put markup or script into the page.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pipeline import __version__
from pipeline.document import Record
from pipeline.findings.charts import Series, bars, columns
from pipeline.findings.clusters import Cluster, ClusterConfig, Collected, cluster_incidents, collect
from pipeline.findings.tables import ProvinceMap, counts_table, statistics_table
from pipeline.resources import data_path, read_toml
from pipeline.write.atomic import atomic_output

GRAINS = ("month", "quarter", "year")
PER_YEAR = {"month": 12, "quarter": 4, "year": 1}
OTHER = "other types"  # the series of the types outside the top ones
QUALIFIERS = {"exact": "", "approx": "≈ ", "at_least": "≥ ", "at_most": "≤ "}


@dataclass(frozen=True, slots=True)
class ReportSettings:
    """How much the page shows (data/config/report.toml [report])."""

    top_types: int
    top_provinces: int
    max_bars: int
    timeline_cover: float
    max_clusters: int
    max_statistics: int
    palette: tuple[str, ...]
    other_colour: str
    units: dict[str, str]  # count unit -> how it reads after a number ([units])

    @classmethod
    def load(cls, **overrides: Any) -> ReportSettings:
        """The configured settings; keyword arguments that are not None replace them."""
        config = read_toml("config", "report.toml")
        values = config["report"] | {"units": config["units"]} | {k: v for k, v in overrides.items() if v is not None}
        values["palette"] = tuple(values["palette"])
        values["top_types"] = min(values["top_types"], len(values["palette"]))
        return cls(**values)


@dataclass(slots=True)
class Tally:
    """What the page says about articles that `collect` does not keep, gathered on the same pass."""

    articles: int = 0
    relevant: int = 0
    sources: Counter[str | None] = field(default_factory=Counter)
    relevant_sources: Counter[str | None] = field(default_factory=Counter)
    extractors: Counter[str] = field(default_factory=Counter)
    urls: dict[str, str] = field(default_factory=dict)  # doc_id -> url, of articles with events

    def through(self, records: Iterable[Record]) -> Iterator[Record]:
        for record in records:
            self.articles += 1
            self.sources[record.source] += 1
            self.relevant += record.relevant
            self.relevant_sources[record.source] += record.relevant
            self.extractors[record.extractor] += 1
            if record.url and record.events:
                self.urls[record.doc_id] = record.url
            yield record


@dataclass(slots=True)
class Findings:
    tally: Tally
    collected: Collected
    clusters: list[Cluster]


def find(records: Iterable[Record], config: ClusterConfig) -> Findings:
    """Records read once: tallied, their events collected, their incidents clustered."""
    tally = Tally()
    collected = collect(tally.through(records), config)
    return Findings(tally, collected, cluster_incidents(collected.incidents, config))


# ---- what the page shows --------------------------------------------------------------------


def _link(url: str | None) -> str | None:
    """Only web addresses become links: a `javascript:` URL in an archive must not run."""
    return url if url and urlsplit(url).scheme.lower() in ("http", "https") else None


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def _layers(rows: list[dict[str, Any]], key: str, categories: list[Any], types: list[str],
            settings: ReportSettings) -> list[Series]:
    """Counts rows grouped by (key, type) as one series per top type, the rest as "other types"."""
    position = {c: k for k, c in enumerate(categories)}
    values = {t: [0] * len(categories) for t in [*types, None]}
    for r in rows:
        if r[key] in position:
            values[r["type"] if r["type"] in types else None][position[r[key]]] += r["incidents"]
    series = [Series(t, colour, values[t]) for t, colour in zip(types, settings.palette, strict=False)]
    return series + ([Series(OTHER, settings.other_colour, values[None])] if any(values[None]) else [])


def _index(period: str, grain: str) -> int:
    """Periods as consecutive integers: '2024-05' (month), '2024-Q2' (quarter), '2024' (year)."""
    part = period[5:7] if grain == "month" else period[6:] if grain == "quarter" else "1"
    return int(period[:4]) * PER_YEAR[grain] + int(part) - 1


def _name(index: int, grain: str) -> str:
    year, part = divmod(index, PER_YEAR[grain])
    return f"{year}-{part + 1:02d}" if grain == "month" else f"{year}-Q{part + 1}" if grain == "quarter" else str(year)


def _window(counts: Counter[int], width: int) -> tuple[int, int, int]:
    """The at most `width` consecutive periods that hold the most incidents: first, last, incidents."""
    keys = sorted(counts)
    best, total, low = (keys[0], keys[0], 0), 0, 0
    for key in keys:
        total += counts[key]
        while key - keys[low] >= width:
            total -= counts[keys[low]]
            low += 1
        if total > best[2]:
            best = (keys[low], key, total)
    return best


def _timeline(clusters: list[Cluster], types: list[str], settings: ReportSettings) -> dict[str, Any]:
    """Incidents per month by type over the busiest `max_bars` months; quarters, then years, when
    those months hold less than `timeline_cover` of the dated incidents (if no grain does, the finest
    that holds the most) or no incident is dated to the month.

    A misread year ("1012") or a trial's reference to an old crime would otherwise stretch the axis
    over centuries; the incidents left out are counted in a note. `fallback` says why months were
    not used: "span" (too many) or "precision" (none dated to the month).
    """
    options = []
    for grain in GRAINS:
        rows = counts_table(clusters, [grain, "type"], units=[]).rows
        per = Counter[int]()
        for r in rows:
            if r[grain]:
                per[_index(r[grain], grain)] += r["incidents"]
        if per:
            options.append((grain, rows, per, *_window(per, settings.max_bars)))
    if not options:
        return {"grain": None, "fallback": None, "chart": None, "undated": len(clusters), "outside": 0}
    grain, rows, per, first, last, shown = next(
        (o for o in options if o[-1] >= settings.timeline_cover * o[2].total()), max(options, key=lambda o: o[-1]))
    span = [_name(i, grain) for i in range(first, last + 1)]
    return {"grain": grain, "fallback": None if grain == "month" else "span" if options[0][0] == "month" else
            "precision", "first": span[0], "last": span[-1],
            "chart": columns(span, _layers(rows, grain, span, types, settings), f"incidents per {grain}"),
            "undated": sum(r["incidents"] for r in rows if not r[grain]), "outside": per.total() - shown}


def _provinces(clusters: list[Cluster], types: list[str], settings: ReportSettings,
               mapping: ProvinceMap) -> dict[str, Any]:
    """Chart of the top provinces and a table of every province, by type, under one province map."""
    totals = counts_table(clusters, ["province"], mapping, units=[]).rows
    totals.sort(key=lambda r: r["province"] is None)  # stable: most incidents first, "not told" last
    by_type = counts_table(clusters, ["province", "type"], mapping, units=[]).rows
    names = [r["province"] for r in totals]
    layers = _layers(by_type, "province", names, types, settings)
    other = next((s.values for s in layers if s.name == OTHER), [0] * len(names))
    table = [{"province": r["province"], "by_type": [s.values[k] for s in layers[:len(types)]], "other": other[k],
              "total": r["incidents"], "articles": r["articles"]} for k, r in enumerate(totals)]
    top = [n for n in names if n is not None][:settings.top_provinces]
    chart = bars(top, [Series(s.name, s.colour, s.values[:len(top)]) for s in layers], f"top provinces ({mapping})")
    return {"chart": chart if top else None, "table": table, "shown": len(top),
            "named": sum(n is not None for n in names), "unplaced": sum(r["total"] for r in table if not r["province"])}


def _sources(findings: Findings) -> list[dict[str, Any]]:
    reported = {r["source"]: r["incidents"] for r in counts_table(findings.clusters, ["source"], units=[]).rows}
    statistics = Counter(s.source for s in findings.collected.statistics)
    events = Counter(e.source for e in findings.collected.incidents)
    tally = findings.tally
    return [{"source": source, "articles": n, "relevant": tally.relevant_sources[source], "events": events[source],
             "clusters": reported.get(source, 0), "statistics": statistics[source]}
            for source, n in sorted(tally.sources.items(), key=lambda kv: (-kv[1], kv[0] or "~"))]


def _article(doc_id: str, findings: Findings, **cells: Any) -> dict[str, Any]:
    return {"doc_id": doc_id, "url": _link(findings.tally.urls.get(doc_id)), **cells}


def _statistics(findings: Findings, settings: ReportSettings) -> list[dict[str, Any]]:
    rows = statistics_table(findings.collected.statistics).rows
    rows.sort(key=lambda r: r["period_end"] or r["period_start"] or r["date"] or "", reverse=True)
    return [_article(r["doc_id"], findings, type=r["type"], province=r["province"], title=r["title"],
                     period=" – ".join(dict.fromkeys(p for p in (r["period_start"], r["period_end"]) if p)),
                     time_text=r["time_text"], evidence=r["evidence"], count_text=r["count_text"], unit=r["unit"],
                     value=None if r["value"] is None else QUALIFIERS[r["qualifier"]] + _number(r["value"]))
            for r in rows[:settings.max_statistics]]


def _clusters(findings: Findings, settings: ReportSettings) -> list[dict[str, Any]]:
    """The most widely reported clusters, each with the articles and evidence behind it."""
    ranked = sorted(findings.clusters, key=lambda c: c.date or "", reverse=True)
    ranked.sort(key=lambda c: c.n_articles, reverse=True)
    return [{"id": c.cluster_id, "type": c.type, "province": c.province, "district": c.district,
             "dates": " – ".join(dict.fromkeys(d for d in (c.date, c.date_end) if d)), "n_articles": c.n_articles,
             "sources": c.sources, "evidence": c.events[0].evidence,
             "figures": [(unit, _number(v)) for unit, v in sorted(c.maxima.items())],
             "articles": [_article(e.doc_id, findings, title=e.title, source=e.source, published=e.published,
                                   evidence=e.evidence) for e in c.events]}
            for c in ranked[:settings.max_clusters]]


def context(findings: Findings, settings: ReportSettings) -> dict[str, Any]:
    """Everything the template shows, as plain values (charts as escaped SVG markup)."""
    clusters, collected = findings.clusters, findings.collected
    types = [r["type"] for r in counts_table(clusters, ["type"], units=[]).rows][:settings.top_types]
    colours = dict(zip(types, settings.palette, strict=False))
    shared = [c for c in clusters if c.n_articles > 1]
    dates = sorted(c.date for c in clusters if c.date)
    return {
        "figures": {"articles": findings.tally.articles, "relevant": findings.tally.relevant,
                    "events": len(collected.incidents), "clusters": len(clusters),
                    "merged_articles": sum(c.n_articles for c in shared), "merged_clusters": len(shared),
                    "statistics": len(collected.statistics), "foreign": collected.foreign,
                    "dated": len(dates), "first": dates[0] if dates else None, "last": dates[-1] if dates else None},
        "legend": [*colours.items(), *([(OTHER, settings.other_colour)] if len(colours) < len(
            {c.type for c in clusters}) else [])],
        "colours": colours, "other_colour": settings.other_colour, "types": types,
        "timeline": _timeline(clusters, types, settings),
        "provinces": {m: _provinces(clusters, types, settings, m) for m in ("pre2025", "2025")},
        "sources": _sources(findings),
        "statistics": _statistics(findings, settings),
        "clusters": _clusters(findings, settings),
        "extractors": sorted(e for e in findings.tally.extractors if e),
        "version": __version__,
    }


def render(findings: Findings, settings: ReportSettings, title: str, inputs: list[str]) -> str:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(loader=FileSystemLoader(data_path("templates")), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["num"] = lambda v: f"{v:,}"
    env.filters["label"] = lambda v: str(v).replace("_", " ")
    env.filters["unit"] = lambda v: settings.units.get(v, str(v).replace("_", " "))
    return env.get_template("report.html.j2").render(title=title, inputs=inputs, **context(findings, settings))


def write_report(findings: Findings, path: Path, settings: ReportSettings, title: str, inputs: list[str]) -> Path:
    """The page at `path`, written atomically as UTF-8."""
    with atomic_output(Path(path), "w", encoding="utf-8", newline="\n") as fh:
        fh.write(render(findings, settings, title, inputs))
    return Path(path)
