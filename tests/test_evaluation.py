"""Scores and their uncertainty: bootstrap intervals over the labelled articles; event dates."""

from typing import Any

from pipeline.evaluation import headline, intervals, score


def record(doc_id: str, relevant: bool, label: str = "strike", workers: int = 100) -> dict[str, Any]:
    events = [{"type": label, "kind": "incident", "evidence": f"{workers} công nhân đình công.",
               "counts": [{"value": workers, "unit": "people"}]}] if relevant else []
    return {"doc_id": doc_id, "relevant": relevant, "event_types": [label] if relevant else [],
            "provinces": ["Bình Dương"] if relevant else [], "events": events}


def sample(n: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """n articles, all relevant; every fourth one missed by the extractor."""
    gold = {f"a{i}": record(f"a{i}", True, workers=i + 1) for i in range(n)}
    pred = {f"a{i}": record(f"a{i}", i % 4 != 0, workers=i + 1) for i in range(n)}
    return gold, pred


def test_perfect_predictions_leave_no_room_either_way() -> None:
    gold, _ = sample(20)
    spread = intervals(score(gold, gold))
    assert all(bounds == (1.0, 1.0) for bounds in spread.values())


def test_an_interval_holds_the_figure_and_narrows_with_more_articles() -> None:
    small_gold, small_pred = sample(20)
    large_gold, large_pred = sample(320)
    small, large = intervals(score(small_gold, small_pred)), intervals(score(large_gold, large_pred))
    point = headline(score(small_gold, small_pred).metrics)
    for metric in ("relevance", "event_types", "provinces", "counts", "event_evidence_recall"):
        low, high = small[metric]
        assert low < point[metric] < high or point[metric] == high == 1.0, metric
        assert large[metric][1] - large[metric][0] < (high - low) / 2, metric
    # what the extractor finds it finds right: precision-bound figures stay at 1
    assert small["count_kind_accuracy"] == (1.0, 1.0)


def test_intervals_are_reproducible() -> None:
    gold, pred = sample(40)
    assert intervals(score(gold, pred)) == intervals(score(gold, pred))


def test_no_articles_no_intervals() -> None:
    assert intervals(score({}, {})) == {}


def test_time_accuracy_compares_the_day_of_each_event_found() -> None:
    gold, _ = sample(4)
    pred = {d: {**r, "events": [dict(e) for e in r["events"]]} for d, r in gold.items()}
    for i, doc_id in enumerate(gold):
        gold[doc_id]["events"][0]["time"] = {"start": "2024-05-21"}
        pred[doc_id]["events"][0]["time"] = {"start": "2024-05-21" if i < 3 else "2024-05"}
    pred["a0"]["events"][0]["evidence"] = "Một câu khác hẳn."  # not found: not dated either
    assert score(gold, pred).metrics["event_time_accuracy"] == 0.6667


def test_an_occurrence_quoted_twice_shows_as_an_extra_event() -> None:
    gold, _ = sample(2)
    pred = {d: {**r, "events": list(r["events"])} for d, r in gold.items()}
    pred["a0"]["events"].append({**pred["a0"]["events"][0], "evidence": "Công nhân vẫn ngừng việc.", "counts": []})
    pred["a1"]["events"] = []
    assert score(gold, pred).metrics["event_count"] == {"labelled": 2, "predicted": 2, "extra": 1, "missing": 1}
