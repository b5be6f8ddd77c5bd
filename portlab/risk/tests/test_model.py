"""Risk scoring: input checks, ranking metrics, determinism, and the published benchmark."""

from __future__ import annotations

import csv
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from portlab.risk.evaluate import evaluate, main
from portlab.risk.features import (
    REQUIRED_COLUMNS,
    DeclarationRowError,
    MissingColumnError,
    SingleClassError,
    read_declarations,
)
from portlab.risk.model import english, explain, load, reasons, save, score, train
from portlab.risk.ranking import ranking_metrics

DATASET = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "customs-declarations"


def _declarations(count: int, seed: int = 0) -> list[dict[str, Any]]:
    """Synthetic declarations where two importers and one HS6 code carry most frauds."""
    rng = np.random.default_rng(seed)
    rows = []
    for index in range(count):
        importer = f"IMP{rng.integers(0, 12)}"
        hs6 = ["440890", "690722", "850440", "010121"][rng.integers(0, 4)]
        risky = importer in ("IMP0", "IMP1") or hs6 == "850440"
        rows.append({
            "Declaration ID": str(1000 + index),
            "Date": f"2020-{1 + index * 12 // count:02d}-{1 + index % 28:02d}",
            "Office ID": str(rng.integers(10, 13)), "Process Type": "B",
            "Import Type": "11", "Import Use": "21", "Payment Type": "11",
            "Mode of Transport": "10", "Declarant ID": f"DEC{rng.integers(0, 5)}",
            "Importer ID": importer, "Seller ID": f"SEL{rng.integers(0, 20)}",
            "Courier ID": "", "HS6 Code": hs6, "Country of Departure": "CN",
            "Country of Origin": ["CN", "BE"][rng.integers(0, 2)], "Tax Rate": "8.0",
            "Tax Type": "A", "Country of Origin Indicator": "G",
            "Net Mass": f"{rng.uniform(1, 500):.1f}", "Item Price": f"{rng.uniform(1e3, 1e6):.1f}",
            "Fraud": str(int(rng.random() < (0.7 if risky else 0.1))),
        })  # fmt: skip
    return rows


def _write_csv(path: Path, rows: list[dict[str, Any]]) -> Path:
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_bad_amount_in_csv_is_reported_by_line_and_column(tmp_path: Path) -> None:
    rows = _declarations(5)
    rows[2]["Net Mass"] = "12kg"
    with pytest.raises(DeclarationRowError) as caught:
        read_declarations(_write_csv(tmp_path / "bad.csv", rows))
    assert (caught.value.line, caught.value.column) == (4, "Net Mass")
    assert "line 4, column 'Net Mass'" in str(caught.value)


def test_negative_mass_is_refused_with_its_line(tmp_path: Path) -> None:
    rows = _declarations(5)
    rows[4]["Net Mass"] = "-3.0"
    with pytest.raises(DeclarationRowError) as caught:
        read_declarations(_write_csv(tmp_path / "negative.csv", rows))
    assert (caught.value.line, caught.value.column) == (6, "Net Mass")
    assert "negative" in str(caught.value)


def test_negative_price_in_records_counts_lines_as_a_csv_would() -> None:
    model = train(_declarations(60), rounds=5)
    rows = _declarations(3)
    rows[1]["Item Price"] = -1
    with pytest.raises(DeclarationRowError) as caught:
        score(model, rows)
    assert (caught.value.line, caught.value.column) == (3, "Item Price")


def test_earliest_bad_line_is_reported_whatever_the_column(tmp_path: Path) -> None:
    rows = _declarations(6)
    rows[4]["Net Mass"] = "-1"
    rows[1]["Date"] = "31/12/2020"
    rows[3]["Fraud"] = "yes"
    with pytest.raises(DeclarationRowError) as caught:
        read_declarations(_write_csv(tmp_path / "bad.csv", rows), require_label=True)
    assert (caught.value.line, caught.value.column) == (3, "Date")


def test_row_with_missing_fields_is_refused(tmp_path: Path) -> None:
    path = _write_csv(tmp_path / "short.csv", _declarations(3))
    with path.open("a") as handle:
        handle.write("1,2020-02-02,30\n")
    with pytest.raises(DeclarationRowError) as caught:
        read_declarations(path)
    assert caught.value.line == 5


def test_missing_column_is_named(tmp_path: Path) -> None:
    rows = [{k: v for k, v in row.items() if k != "HS6 Code"} for row in _declarations(3)]
    with pytest.raises(MissingColumnError) as caught:
        read_declarations(_write_csv(tmp_path / "nohs.csv", rows))
    assert caught.value.missing == ["HS6 Code"]


def test_training_without_labels_column_is_refused() -> None:
    rows = [{k: v for k, v in row.items() if k != "Fraud"} for row in _declarations(10)]
    with pytest.raises(MissingColumnError) as caught:
        train(rows)
    assert caught.value.missing == ["Fraud"]


def test_training_on_a_single_class_is_refused() -> None:
    rows = _declarations(30)
    for row in rows:
        row["Fraud"] = "0"
    with pytest.raises(SingleClassError, match="single class"):
        train(rows)


def test_ranking_metrics_on_a_hand_made_example() -> None:
    # 30 rows: 1% inspects ceil(0.3) = 1 row, 5% ceil(1.5) = 2, 10% ceil(3.0) = 3.
    scores = np.zeros(30)
    scores[[4, 7, 9, 12]] = [0.9, 0.8, 0.8, 0.7]  # rows 7 and 9 tie: 7 comes first
    labels = np.zeros(30, dtype=int)
    labels[[4, 9, 12, 20]] = 1
    metrics = ranking_metrics(labels, scores)
    assert metrics["precision@1%"] == 1.0
    assert metrics["precision@5%"] == 0.5
    assert metrics["precision@10%"] == 2 / 3
    assert metrics["recall@1%"] == 0.25
    assert metrics["recall@5%"] == 0.25
    assert metrics["recall@10%"] == 0.5
    # AUC over 4 x 26 (fraud, clean) pairs, a tie counting half. Clean rows: 7 at 0.8, 25 at
    # 0. Fraud 4 beats all 26; 9 beats 25 and ties 7; 12 beats 25; 20 ties 25 zeros.
    assert math.isclose(metrics["roc_auc"], (26 + 25.5 + 25 + 12.5) / 104)


def test_same_data_and_seed_give_the_same_model_and_scores() -> None:
    rows = _declarations(300)
    first, second = train(rows, rounds=40), train(rows, rounds=40)
    assert first.version == second.version
    assert np.array_equal(score(first, rows[:50]), score(second, rows[:50]))


def test_saved_model_scores_like_the_original(tmp_path: Path) -> None:
    rows = _declarations(300)
    model = train(rows, rounds=40)
    save(model, tmp_path / "model.json")
    loaded = load(tmp_path / "model.json")
    assert loaded.version == model.version
    assert loaded.feature_names == model.feature_names
    assert np.array_equal(score(loaded, rows), score(model, rows))


def test_risky_importer_ranks_high_and_reasons_name_it() -> None:
    rows = _declarations(600, seed=1)
    model = train(rows, rounds=60)
    assert set(model.holdout_metrics) >= {"precision@5%", "roc_auc"}
    assert model.feature_names[0] == "Tax Rate"
    risky = dict(rows[0], **{"Importer ID": "IMP0", "HS6 Code": "850440"})
    clean = dict(rows[0], **{"Importer ID": "IMP7", "HS6 Code": "440890"})
    risky_score, clean_score = score(model, [risky, clean])
    assert risky_score > clean_score
    explained = reasons(model, risky, top=3)
    assert len(explained) == 3
    assert all("raises risk" in line or "lowers risk" in line for line in explained)
    assert any("Importer ID IMP0" in line or "HS6 Code 850440" in line for line in explained)


def test_every_required_column_is_used_by_the_test_data() -> None:
    assert set(REQUIRED_COLUMNS) <= set(_declarations(1)[0])


@pytest.mark.skipif(
    not (DATASET / "train.csv").exists(),
    reason=f"customs declarations dataset not found at {DATASET} (see ../shared/data)",
)
def test_beats_published_lightgbm_on_the_2021_quarter() -> None:
    # Paper (Jeong et al. 2022, Table 3): LightGBM precision 0.762 at 5%, 0.641 at 10%.
    result = evaluate(DATASET / "train.csv", DATASET / "valid.csv")
    assert (result["n_train"], result["n_test"]) == (37385, 8134)
    assert result["precision@5%"] > 0.762
    assert result["precision@10%"] > 0.641
    assert result["roc_auc"] > 0.85


def test_command_line_reports_bad_input_plainly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = _declarations(5)
    rows[0]["Item Price"] = "abc"
    path = _write_csv(tmp_path / "bad.csv", rows)
    assert main(["--train", str(path), "--test", str(path), "--json"]) == 2
    assert "line 2, column 'Item Price': not a number" in capsys.readouterr().err


def test_explain_gives_the_same_probability_as_score_in_one_pass() -> None:
    rows = _declarations(300)
    model = train(rows, rounds=40)
    probability, explained = explain(model, rows[5], top=2)
    assert math.isclose(probability, score(model, [rows[5]])[0], rel_tol=1e-9)
    assert [english(reason) for reason in explained] == reasons(model, rows[5], top=2)
