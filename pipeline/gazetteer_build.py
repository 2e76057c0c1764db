"""Regenerate the gazetteer's generated tables: provinces.tsv, districts.tsv, communes.tsv.

Run as `python -m pipeline.gazetteer_build` (needs the `gazetteer` extra). The tables are
built once and shipped as data so that the pipeline never depends on the packages they come
from: province codes and short names from the spec's provinces.tsv (the authority), old
districts and communes with their 2025 destinations from underthesea's address mapping, and
official 2025 ward codes from `vietnam-provinces`. The hand-kept files (aliases, zones,
foreign names, cues) are only checked here, so a typo in them fails the build.
"""

from __future__ import annotations

import csv
import importlib.util
import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pipeline.normalise import normalise_str
from pipeline.places import display_form, place_key
from pipeline.resources import data_path, read_tsv

ROOT = Path(__file__).resolve().parents[1]
SPEC_PROVINCES = ROOT.parent / "shared" / "spec" / "provinces.tsv"
PRE, NEW = "pre2025", "2025"


def _mapping() -> dict[str, Any]:
    spec = importlib.util.find_spec("underthesea")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("underthesea is not installed")
    path = Path(spec.submodule_search_locations[0]) / "address" / "data" / "mapping.json"
    return json.loads(path.read_text(encoding="utf-8"))


def _ward_codes_2025() -> dict[tuple[str, str], str]:
    """(2025 province code, ward key) -> official 2025 ward code."""
    try:
        from vietnam_provinces import NESTED_DIVISIONS_JSON_PATH
    except ImportError as exc:
        raise SystemExit("pip install 'vnsec[gazetteer]' (vietnam-provinces) to rebuild") from exc
    codes: dict[tuple[str, str], str] = {}
    for prov in json.loads(Path(NESTED_DIVISIONS_JSON_PATH).read_text(encoding="utf-8")):
        for ward in prov["wards"]:
            codes[(f"{prov['code']:02d}", place_key(ward["name"]).casefold())] = f"{ward['code']:05d}"
    return codes


def _unit_types() -> list[str]:
    """Administrative unit types, longest first, as the unit words of cues.tsv name them."""
    types = {row["means"] for row in read_tsv("gazetteer", "cues.tsv")
             if row["kind"] in ("commune_unit", "district_unit")}
    return sorted(types, key=len, reverse=True)


def split_unit(full: str, types: list[str]) -> tuple[str, str]:
    """'Thị xã Quế Võ' -> ('Quế Võ', 'thị xã')."""
    full = display_form(full)
    for unit in types:
        if full.casefold().startswith(unit + " "):
            return full[len(unit) + 1:], unit
    raise ValueError(f"no unit word in {full!r}")


def province_rows(mapping: dict[str, Any]) -> list[dict[str, str]]:
    """63 pre-2025 rows and 34 2025 rows; the spec's table wins over the mapping's names."""
    new_names = {v["code"]: normalise_str(v["name"]) for v in mapping["province_names"].values()}
    if SPEC_PROVINCES.exists():
        with SPEC_PROVINCES.open(encoding="utf-8", newline="") as fh:
            spec = list(csv.DictReader(fh, delimiter="\t"))
        pre = [(r["code_pre2025"], r["short_pre2025"], r["name_pre2025"], r["code_2025"], r["short_2025"])
               for r in spec]
    else:
        old, new_of = mapping["old_province_names"], mapping["province_mapping"]
        pre = []
        for key, v in sorted(old.items(), key=lambda kv: kv[1]["code"]):
            target = mapping["province_names"][new_of[key]]
            pre.append((v["code"], v["short"], v["name"], target["code"], target["short"]))
    rows = [{"code": c, "short": normalise_str(s), "name": normalise_str(n), "era": PRE,
             "code_2025": c25, "short_2025": normalise_str(s25)} for c, s, n, c25, s25 in pre]
    for code, short in sorted({(r["code_2025"], r["short_2025"]) for r in rows}):
        rows.append({"code": code, "short": short, "name": new_names[code], "era": NEW,
                     "code_2025": code, "short_2025": short})
    return rows


def admin_rows(mapping: dict[str, Any]) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """Districts, and one commune row per (old commune, 2025 ward it went wholly or partly into)."""
    types = _unit_types()
    ward_codes = _ward_codes_2025()
    old_code = {k: v["code"] for k, v in mapping["old_province_names"].items()}
    new_code = {k: v["code"] for k, v in mapping["province_names"].items()}
    districts: set[tuple[str, str, str]] = set()
    communes: set[tuple[str, ...]] = set()
    for rec in mapping["ward_mapping"]:
        pcode = old_code[rec["old_province_key"]]
        district, d_unit = split_unit(rec["old_district"], types)
        districts.add((pcode, district, d_unit))
        if not rec["old_ward"]:  # island districts without communes, and a few garbled keys
            continue
        commune, c_unit = split_unit(rec["old_ward"], types)
        code25 = new_code[rec["new_province_key"]]
        ward, w_unit, w_code = "", "", ""
        if rec["new_ward"]:
            ward, w_unit = split_unit(rec["new_ward"], types)
            w_code = ward_codes.get((code25, place_key(rec["new_ward"]).casefold()), "")
        communes.add((pcode, district, commune, c_unit, code25, ward, w_unit, w_code))
    d_rows = [dict(zip(("province_code", "district", "unit"), d, strict=True)) for d in sorted(districts)]
    c_cols = ("province_code", "district", "commune", "unit", "province_2025_code", "ward_2025",
              "ward_2025_unit", "ward_2025_code")
    c_rows = [dict(zip(c_cols, c, strict=True)) for c in sorted(communes)]
    return d_rows, c_rows


def check_curated() -> list[str]:
    """Problems in the hand-kept files: unknown provinces or districts, duplicate names."""
    pre = {r["short"] for r in read_tsv("gazetteer", "provinces.tsv") if r["era"] == PRE}
    code_of = {r["short"]: r["code"] for r in read_tsv("gazetteer", "provinces.tsv") if r["era"] == PRE}
    districts = {(r["province_code"], r["district"]) for r in read_tsv("gazetteer", "districts.tsv")}
    problems: list[str] = []
    seen: dict[str, str] = {}

    def check(file: str, name: str, province: str | None, district: str | None) -> None:
        key = place_key(name)
        if key in seen and seen[key] != file:
            problems.append(f"{file}: {name!r} also in {seen[key]}")
        seen[key] = file
        if province is None or province == "-":
            return
        if province not in pre:
            problems.append(f"{file}: {name!r} -> unknown province {province!r}")
        elif district and (code_of[province], district) not in districts:
            problems.append(f"{file}: {name!r} -> no district {district!r} in {province}")

    for row in read_tsv("gazetteer", "aliases.tsv"):
        check("aliases.tsv", row["alias"], row["province"], row["district"])
    for row in read_tsv("gazetteer", "foreign.tsv"):
        check("foreign.tsv", row["name"], None, None)
    for row in read_tsv("gazetteer", "former_districts.tsv"):
        if (code_of.get(row["province"]), row["district"]) in districts:
            problems.append(f"former_districts.tsv: {row['district']!r} is still a district of {row['province']}")
        check("former_districts.tsv", row["district"], row["province"], row["became"] or None)
    seen.clear()  # zone names live in their own namespace, after a zone word
    for row in read_tsv("gazetteer", "industrial_zones.tsv"):
        check("industrial_zones.tsv", row["zone"], row["province"], row["district"])
    return problems


def _write(name: str, rows: Iterable[dict[str, str]], comment: str) -> int:
    rows = list(rows)
    path = data_path("gazetteer", name)
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write(f"# {comment}\n# Generated by `python -m pipeline.gazetteer_build`; do not edit by hand.\n")
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), delimiter="\t", lineterminator="\n",
                                quoting=csv.QUOTE_NONE)
        writer.writeheader()
        writer.writerows(rows)
    return len(rows)


def main() -> None:
    mapping = _mapping()
    districts, communes = admin_rows(mapping)
    counts = {
        "provinces.tsv": _write("provinces.tsv", province_rows(mapping),
                                "Provinces before (era pre2025) and after (era 2025) the 2025 merger."),
        "districts.tsv": _write("districts.tsv", districts,
                                "District-level units as of 30 June 2025, by pre-2025 province code."),
        "communes.tsv": _write("communes.tsv", communes,
                               "Communes as of 30 June 2025 and the 2025 ward each went (wholly or partly) "
                               "into."),
    }
    for name, n in counts.items():
        print(f"{name}: {n} rows")
    problems = check_curated()
    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
