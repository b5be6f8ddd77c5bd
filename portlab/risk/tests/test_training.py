"""Retraining on labelled declarations, using the new model, and adapting target rates."""

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from portlab.core.errors import ConflictError
from portlab.risk import selectors
from portlab.risk.configuration import risk_rule_create, sampling_rate_set
from portlab.risk.importing import declarations_import
from portlab.risk.models import Declaration, ModelVersion, SamplingRate, Selection
from portlab.risk.services import declaration_submit
from portlab.risk.tests.conftest import RISKY_IMPORTER, declaration_data, history_csv
from portlab.risk.training import model_train_from_history, sampling_rates_adapt

DATASET = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "customs-declarations"


def test_risk_train_records_a_model_version(db, settings, capsys) -> None:
    declarations_import(actor=None, text=history_csv(400))
    call_command("risk_train", "--rounds", "30", "--no-adapt")
    version = ModelVersion.objects.get()
    assert version.active
    assert version.trained_rows == 400
    assert version.positives == Declaration.objects.filter(nonconforming=True).count()
    assert set(version.holdout_metrics) == {"precision@1%", "precision@5%", "precision@10%",
                                            "recall@1%", "recall@5%", "recall@10%", "roc_auc"}
    path = Path(version.file_path)
    assert path.parent == settings.PORTLAB_MODELS_DIR
    assert json.loads(path.read_text())["version"] == version.version
    assert f"model {version.version}: 400 declarations" in capsys.readouterr().out


def test_new_model_scores_and_explains_declarations(officer) -> None:
    declarations_import(actor=None, text=history_csv(400))
    version = model_train_from_history(rounds=30)
    risk_rule_create(actor=officer, explanation="Rice from Vietnam: aflatoxin alerts",
                     weight=0.7, hs_prefixes="1006", countries="VN")
    risky = declaration_submit(actor=officer, data=declaration_data(
        number="020220261000000100", importer_code=RISKY_IMPORTER, origin_country="VN",
        departure_country="VN"))
    plain = declaration_submit(actor=officer, data=declaration_data(
        number="020220261000000101", importer_code="1201960A30", origin_country="US",
        departure_country="US"))
    assert risky.risk_score.model_version == version
    assert risky.risk_score.model_probability > plain.risk_score.model_probability
    assert risky.risk_score.rule_weight == 0.7
    kinds = [reason["kind"] for reason in risky.risk_score.reasons]
    assert kinds == ["rule", "model", "model", "model"]
    assert risky.risk_score.reasons[0]["text"] == "Rice from Vietnam: aflatoxin alerts"
    assert plain.risk_score.rule_weight == 0.0


def test_single_class_history_is_a_clear_error(db) -> None:
    declarations_import(actor=None, text=history_csv(30).replace(",USD,1", ",USD,0"))
    with pytest.raises(CommandError) as caught:
        call_command("risk_train", "--rounds", "5")
    assert str(caught.value) == ("All 30 labelled declarations are conforming; training needs "
                                 "both conforming and nonconforming ones.")
    assert ModelVersion.objects.count() == 0


def test_no_history_is_a_clear_error(db) -> None:
    with pytest.raises(CommandError, match="No declaration has a label yet"):
        call_command("risk_train")


def test_frequent_hits_raise_the_category_rate(officer) -> None:
    sampling_rate_set(actor=officer, hs_chapter="", credit_grade="general", rate=1.0)
    for index in range(24):
        chapter_code = "1006302000" if index < 20 else "8471300000"
        declaration = declaration_submit(actor=officer, data=declaration_data(
            number=f"{index:018d}", hs_code=chapter_code, importer_code="1201960A10"))
        declaration.nonconforming = index < 12 or index == 23  # rice: 12 of 20
        declaration.save()
    sampling_rate_set(actor=officer, hs_chapter="10", credit_grade="general", rate=0.05)
    assert Selection.objects.exclude(lane="release").count() == 24
    changes = sampling_rates_adapt(actor=officer)
    # Overall 13 of 24; rice 12 of 20 = 60% is not twice 54%: unchanged. Now make rice worse.
    assert changes == []
    Declaration.objects.filter(hs_code="8471300000").update(nonconforming=False)
    Declaration.objects.filter(hs_code="1006302000", number__lt="000000000000000006").update(
        nonconforming=True)
    Declaration.objects.filter(hs_code="1006302000", number__gte="000000000000000006").update(
        nonconforming=False)
    for index in range(24, 44):
        declaration_submit(actor=officer, data=declaration_data(
            number=f"{index:018d}", hs_code="8471300000", importer_code="1201960A10"))
    Declaration.objects.filter(hs_code="8471300000").update(nonconforming=False)
    # Rice 6 of 20 (30%) against 6 of 44 overall (13.6%): at least twice, so raised by half.
    changes = sampling_rates_adapt(actor=officer)
    assert [(c["hs_chapter"], c["credit_grade"], c["before"], c["after"]) for c in changes] == [
        ("10", "general", 0.05, 0.075)]
    assert SamplingRate.objects.get(hs_chapter="10", credit_grade="general").rate == 0.075
    assert selectors.target_rate("10", "general") == 0.075


def test_an_adapted_rate_moves_its_version_so_a_stale_save_is_refused(officer) -> None:
    """The adaptation is a change like an officer's: a save from a page loaded before it is
    a conflict (issue 11 item 3), not a silent overwrite of the adapted rate."""
    test_frequent_hits_raise_the_category_rate(officer)
    rate = SamplingRate.objects.get(hs_chapter="10", credit_grade="general")
    assert rate.version == 2  # set by the officer (1), adapted (2)
    with pytest.raises(ConflictError):
        sampling_rate_set(actor=officer, hs_chapter="10", credit_grade="general", rate=0.5,
                          expected_version=1, version_required=True)
    assert SamplingRate.objects.get(pk=rate.pk).rate == 0.075


@pytest.mark.skipif(not (DATASET / "valid.csv").exists(),
                    reason=f"customs declarations dataset not found at {DATASET}")
def test_risk_evaluate_command_on_the_published_dataset(capsys) -> None:
    call_command("risk_evaluate", "--train", str(DATASET / "valid.csv"),
                 "--test", str(DATASET / "valid.csv"), "--json")
    result = json.loads(capsys.readouterr().out)
    assert (result["n_train"], result["n_test"]) == (8134, 8134)
    assert set(result) >= {"precision@5%", "recall@5%", "roc_auc", "model_version"}


def test_risk_evaluate_command_reports_bad_input(tmp_path, capsys) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("Declaration ID\n1\n", encoding="utf-8")
    with pytest.raises(CommandError, match="evaluation failed"):
        call_command("risk_evaluate", "--train", str(path), "--test", str(path), "--json")
    assert "missing required column(s): Date" in capsys.readouterr().err
