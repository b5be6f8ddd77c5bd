"""How a worklist row writes a result (worklist_rows.result_value_html, also the `result_value`
filter of the application page): value and unit, what was typed in another unit, "< LOD",
not detected, text escaped, and a dash without a result."""

from django.utils import translation

from portlab.testing.models import Result
from portlab.testing.templatetags.testing_tags import result_value
from portlab.testing.worklist_rows import result_value_html


def _result(**fields) -> Result:
    return Result(**{"kind": "numeric", "unit": "mg/kg", "entered_unit": "mg/kg", **fields})


def test_each_kind_of_result_is_written_as_the_lab_reads_it() -> None:
    with translation.override("en"):
        assert result_value_html(_result(value=0.041, entered_value="0.041")) == "0.041 mg/kg"
        assert result_value_html(_result(value=0.041, entered_value="41",
                                         entered_unit="µg/kg")) == \
            '0.041 mg/kg <span class="muted">(entered 41 µg/kg)</span>'
        assert result_value_html(_result(kind="below_lod", value=0.01)) == "&lt; 0.01 mg/kg (LOD)"
        assert result_value_html(_result(kind="not_detected", value=0.003)) == \
            "Not detected (LOD 0.003 mg/kg)"
        assert result_value_html(_result(kind="not_detected", value=None)) == "Not detected"
        assert result_value_html(_result(kind="text", text="<b>negative</b>")) == \
            "&lt;b&gt;negative&lt;/b&gt;"
        assert result_value_html(None) == "—"
    with translation.override("zh-hans"):
        assert result_value_html(_result(kind="not_detected", value=None)) == "未检出"


def test_the_filter_takes_a_missing_result_as_none() -> None:
    """A test without a result reaches the filter as "" (the template's failed look-up)."""
    assert result_value("") == "—"
