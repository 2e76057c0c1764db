import json
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from models.training import learned_config
from pipeline.cli import app
from pipeline.evaluation import BEYOND_OFFICIAL, load_jsonl, score
from pipeline.extractor import Extractor
from pipeline.ingest import read_articles

GOLD = Path(__file__).resolve().parents[2] / "shared" / "gold"
SCORER = GOLD.parent / "eval" / "score.py"
pytestmark = pytest.mark.skipif(not GOLD.exists(), reason="needs ../shared/gold beside the project")


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> Path:
    model = tmp_path_factory.mktemp("models") / "labour"
    result = CliRunner().invoke(app, ["train", str(GOLD / "labor-dev.jsonl"), str(GOLD / "labor-dev-articles.jsonl"),
                                      "-o", str(model), "--folds", "3"])
    assert result.exit_code == 0, result.output
    return model


def test_trained_model_records_what_it_learned_from(trained: Path) -> None:
    meta = json.loads((trained / "meta.json").read_text())
    assert {s["role"] for s in meta["trained_on"]} == {"labels", "articles"}
    assert all(len(s["sha256"]) == 64 for s in meta["trained_on"])
    assert meta["articles"] == 30
    assert meta["cross_validation"]["folds"] == 3
    assert 0 < meta["cross_validation"]["metrics"]["relevance"]["f1"] <= 1
    # the cross-validated figures come with how far another sample like this could move them
    low, high = meta["cross_validation"]["intervals"]["counts"]
    assert low <= meta["cross_validation"]["metrics"]["counts"]["f1"] <= high
    assert {"scikit-learn", "skops", "underthesea"} <= set(meta["versions"])
    # the count filter's threshold is chosen by the same cross-validation, and saved
    search = learned_config()["training"]
    assert len(meta["cross_validation"]["trials"]) == len(search["C"]) * len(search["threshold"]) * len(
        search["count_threshold"])
    assert meta["count_threshold"] in search["count_threshold"]
    # settings are judged by their mean over several shuffled splits; of those within one
    # standard error of the best, the most regularised (smallest C) wins
    assert meta["cross_validation"]["repeats"] == search["repeats"] > 1
    trials = meta["cross_validation"]["trials"]
    chosen = next(t for t in trials
                  if t["params"] == meta["params"] and t["count_threshold"] == meta["count_threshold"])
    best = max(trials, key=lambda t: t["objective"])
    near = [t for t in trials if t["objective"] >= best["objective"] - best["objective_se"]]
    assert chosen in near and chosen["params"]["C"] == min(t["params"]["C"] for t in near)
    saved = tomllib.loads((trained / "config.toml").read_text())
    assert saved["components"]["count_filter"]["threshold"] == meta["count_threshold"]
    # every learned component is retrained and saved beside the config that loads it
    assert {p.name for p in trained.glob("*.skops")} == {"sentence_types.skops", "count_filter.skops"}
    assert {"sentence_types", "count_filter"} <= {name for name, _ in Extractor.load(trained).components}


def test_reloaded_model_predicts_the_same_and_evaluate_agrees(trained: Path, tmp_path: Path) -> None:
    articles = [a for a in read_articles([GOLD / "labor-dev-articles.jsonl"])]
    first = [Extractor.load(trained)(a).to_json() for a in articles]
    again = [Extractor.load(str(trained))(a).to_json() for a in articles]
    assert first == again
    assert Extractor.load(trained).name == "labour"

    predictions = tmp_path / "pred.jsonl"
    result = CliRunner().invoke(app, ["evaluate", str(GOLD / "labor-dev.jsonl"), "--articles",
                                      str(GOLD / "labor-dev-articles.jsonl"), "--model", str(trained),
                                      "--predictions", str(predictions), "--json", "--intervals"])
    assert result.exit_code == 0, result.output
    assert load_jsonl(predictions) == first
    report = json.loads(result.output)
    assert set(report) == {"metrics", "per_label", "confusions", "misses", "intervals"}
    low, high = report["intervals"]["counts"]
    assert low <= report["metrics"]["counts"]["f1"] <= high


def test_metrics_are_the_official_scorers(trained: Path, tmp_path: Path) -> None:
    """Our evaluate must report exactly what ../shared/eval/score.py reports."""
    extractor = Extractor.load()
    predictions = tmp_path / "pred.jsonl"
    with predictions.open("w", encoding="utf-8") as fh:
        for article in read_articles([GOLD / "dev-articles.jsonl"]):
            fh.write(json.dumps(extractor(article).to_json(), ensure_ascii=False) + "\n")
    official = json.loads(subprocess.run([sys.executable, str(SCORER), str(GOLD / "dev.jsonl"), str(predictions),
                                          "--json"], capture_output=True, text=True, check=True).stdout)
    ours = score({r["doc_id"]: r for r in load_jsonl(GOLD / "dev.jsonl")},
                 {r["doc_id"]: r for r in load_jsonl(predictions)})
    assert set(ours.metrics) - set(official) == set(BEYOND_OFFICIAL)
    for key, value in official.items():
        if key != "per_label_f1":
            assert ours.metrics[key] == value, key
    assert official["per_label_f1"] == {label: m["f1"] for label, m in ours.per_label.items()}


def test_of_settings_that_score_alike_the_most_regularised_is_chosen() -> None:
    from models.training import one_standard_error

    def trial(c: float, threshold: float, mean: float, se: float) -> dict[str, object]:
        return {"params": {"C": c, "threshold": threshold}, "objective": mean, "objective_se": se}
    alike = [trial(0.3, 0.2, 3.70, 0.02), trial(0.03, 0.3, 3.69, 0.01), trial(0.03, 0.2, 3.60, 0.01)]
    assert one_standard_error(alike) == 1
    apart = [trial(0.3, 0.2, 3.70, 0.02), trial(0.03, 0.3, 3.67, 0.01)]
    assert one_standard_error(apart) == 0


def test_training_refuses_records_without_their_articles(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["train", str(GOLD / "labor-dev.jsonl"), "-o", str(tmp_path / "m")])
    assert result.exit_code == 2
    assert "no article text" in result.output
