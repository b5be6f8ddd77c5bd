"""Real vendor exports from allotropy's MIT-licensed test data (fixtures/allotropy/README.md)."""

from pathlib import Path

import pytest

from portlab.instruments.parsers import ParseError, read

ALLOTROPY = Path(__file__).resolve().parent.parent / "fixtures" / "allotropy"


def export(name: str) -> bytes:
    return (ALLOTROPY / name).read_bytes()


def summary(rows) -> list[tuple]:
    return [(r.line, r.sample_id, r.analyte, r.kind, r.value, r.unit) for r in rows]


def test_quantstudio_ct_per_sample_well_and_target() -> None:
    result = read(export("appbio_quantstudio_example06.txt"), "asm_quantstudio",
                  filename="appbio_quantstudio_example06.txt")
    # The export's results table: well D1, Lung, TGF-B, CT 30.155 (line 67 of the file).
    assert summary(result.rows)[:2] == [(1, "Lung", "TGF-B", "numeric", "30.155", ""),
                                        (2, "Lung", "TGF-B", "numeric", "30.2", "")]
    assert len(result.rows) == 9
    assert {r.analyte for r in result.rows} == {"TGF-B", "GAPDH"}
    assert result.asm["$asm.manifest"].endswith("/qpcr.manifest")


def test_softmax_pro_absorbance_by_wavelength_per_well() -> None:
    result = read(export("abs_endpoint_plates.txt"), "asm_softmax_pro",
                  filename="abs_endpoint_plates.txt")
    assert len(result.rows) == 288  # 96 wells, 3 reads each
    assert summary(result.rows)[0] == (1, "Plate1 A1", "A426", "numeric", "0.01", "mAU")
    assert summary(result.rows)[-1] == (288, "Plate1 H12", "A426", "numeric", "2.88", "mAU")


def test_nanodrop_absorbance_and_computed_concentration() -> None:
    result = read(export("Thermo_NanoDrop_8000_example01.txt"), "asm_nanodrop",
                  filename="Thermo_NanoDrop_8000_example01.txt")
    # First line of the export: A280 10mm 3.177, conc. 1.961 mg/ml.
    assert summary(result.rows)[:2] == [(1, "baz", "A280", "numeric", "3.177", "mAU"),
                                        (1, "baz", "mass concentration", "numeric", "1.961",
                                         "mg/mL")]


def test_openlab_cds_peak_areas_of_one_injection() -> None:
    result = read(export("agilent_openlab_cds_one_injection.rslt"), "asm_openlab_cds",
                  filename="agilent_openlab_cds_one_injection.rslt")
    # Injection 10 of allotropy's Luxo HPLC result set: 28 integrated peaks, none named by the
    # method, so each is named by its retention time; areas in mAU·s as allotropy writes them.
    assert len(result.rows) == 28
    assert summary(result.rows)[0] == (1, "MPS23-17 60 40 10x 2", "RT 275.2 s", "numeric",
                                       "1146.563431618222", "mAU.s")
    assert {r.unit for r in result.rows} == {"mAU.s"}
    assert result.asm["$asm.manifest"].endswith("/liquid-chromatography.manifest")


def test_a_truncated_openlab_cds_result_set_is_refused() -> None:
    content = export("agilent_openlab_cds_one_injection.rslt")
    with pytest.raises(ParseError) as caught:
        read(content[:len(content) // 3], "asm_openlab_cds", filename="run.rslt")
    assert caught.value.line == 0
    assert "OpenLab CDS" in str(caught.value)


def test_truncated_quantstudio_export_is_refused_with_the_reason() -> None:
    content = export("appbio_quantstudio_example06.txt")
    with pytest.raises(ParseError) as caught:
        read(content[:len(content) // 2], "asm_quantstudio", filename="run.txt")
    assert caught.value.line == 0
    assert "AppBio QuantStudio" in str(caught.value)


def test_a_file_of_another_format_is_refused() -> None:
    with pytest.raises(ParseError) as caught:
        read(b"sample_id,analyte,value\nS1,PB,0.1\n", "asm_softmax_pro", filename="r.csv")
    assert "SoftMax Pro" in str(caught.value)
