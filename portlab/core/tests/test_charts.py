import re

import pytest

from portlab.core.charts import (
    QUARTER_STEPS,
    Bar,
    ChartPoint,
    column_chart,
    levey_jennings,
    line_chart,
    nice_ceiling,
    row_chart,
)


@pytest.mark.parametrize(("value", "expected"), [(0, 1.0), (-3, 1.0), (0.3, 0.5), (1, 1.0),
                                                 (7, 10.0), (12, 20.0), (21, 25.0),
                                                 (240, 250.0), (501, 1000.0)])
def test_round_axis_ends(value: float, expected: float) -> None:
    assert nice_ceiling(value) == expected


@pytest.mark.parametrize(("value", "expected"), [(1, 1.0), (3, 4.0), (4.5, 5.0), (6, 8.0),
                                                 (9, 10.0), (30, 40.0), (168, 200.0)])
def test_axis_ends_whose_quarters_are_round(value: float, expected: float) -> None:
    assert nice_ceiling(value, QUARTER_STEPS) == expected


def _widths(svg: str) -> list[float]:
    return [float(w) for w in re.findall(r'<rect x="\d+" y="[\d.]+" width="([\d.]+)"', svg)]


def test_row_bars_are_proportional_to_the_axis_end() -> None:
    svg = row_chart([Bar("a", 5), Bar("b", 10)], "t", width=300, label_width=100, text_width=0,
                    maximum=20)
    assert _widths(svg) == [50.0, 100.0]


def test_row_text_and_links() -> None:
    svg = row_chart([Bar("ICP-MS", 12.0, href="/x?a=1&b=2", text="12.0 h")], "hours", ticks=4,
                    maximum=24)
    assert '<a href="/x?a=1&amp;b=2">' in svg and ">12.0 h</text>" in svg
    assert [t for t in re.findall(r">([\d.]+)</text>", svg)] == ["0", "6", "12", "18", "24"]


def test_labels_and_titles_are_escaped() -> None:
    for svg in (row_chart([Bar("<b>", 1)], "t&t"), column_chart([Bar("<b>", 1)], "t&t"),
                line_chart(["<b>"], {"<i>": [0.5]}, "t&t"),
                levey_jennings([ChartPoint("<b>", 1.0)], 1.0, 0.1, "t&t")):
        assert "<b>" not in svg and "&lt;b&gt;" in svg
        assert 'aria-label="t&amp;t"' in svg and "<title>t&amp;t</title>" in svg


def test_levey_jennings_colours_rejected_points_and_needs_a_spread() -> None:
    svg = levey_jennings([ChartPoint("1", 10.0), ChartPoint("2", 13.5, "reject")], 10.0, 1.0,
                         "QC")
    assert svg.count('fill="#b42318" stroke="#fff"') == 1
    with pytest.raises(ValueError, match="sd must be greater than 0"):
        levey_jennings([], 10.0, 0.0, "QC")


def test_line_chart_leaves_gaps_for_missing_values() -> None:
    svg = line_chart(["v1", "v2", "v3"], {"AUC": [0.5, None, 1.0]}, "m")
    assert svg.count("<circle") == 2
