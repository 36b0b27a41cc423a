import datetime as dt
import re

import pytest

from kupiansk_map.analysis.summary import kursk_series
from kupiansk_map.web.chart import kursk_area_svg


def test_chart_has_a_bar_per_state_a_diamond_per_figure_and_the_date(layers):
    svg = kursk_area_svg(kursk_series(layers), day=dt.date(2024, 11, 13))
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert svg.count("<rect") == 4 and svg.count("<path") == 3  # the first state has no reported figure
    assert "claimed 1,000" in svg and "reported 850" in svg and "reported 600" in svg
    assert "13 November 2024</text>" in svg and "stroke-dasharray='4 3'" in svg
    assert "<title id='km-chart-title'>" in svg and "<desc" in svg


def test_chart_escapes_names_and_handles_no_data(layers):
    rows = kursk_series(layers)
    rows[0]["name"] = "<script>alert(1)</script>"
    svg = kursk_area_svg(rows)
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "stroke-dasharray='4 3'" not in svg  # no date given
    assert kursk_area_svg([]) == ""


def test_a_state_with_no_reported_figure_is_hatched_and_labelled_not_drawn_like_a_measured_one(layers):
    rows = kursk_series(layers)
    assert rows[0]["valid_from"] == dt.date(2024, 8, 6) and rows[0]["reported_area_km2"] is None
    svg = kursk_area_svg(rows)
    bars = re.findall(r"<rect [^>]*>", svg)
    assert len(bars) == 4
    first, measured = bars[0], bars[1:]
    assert "fill='url(#km-chart-hatch)'" in first and "stroke=" in first and "data-reported='none'" in first
    assert "<pattern id='km-chart-hatch'" in svg
    assert all("url(#" not in bar and "data-reported" not in bar for bar in measured)
    assert "<title>Incursion begins: no reported figure</title>" in svg
    assert "<tspan" in svg and re.search(r">no reported</tspan><tspan[^>]*>figure</tspan>", svg)
    desc = re.search(r"<desc id='km-chart-desc'>([^<]*)</desc>", svg).group(1)
    first_entry, *others = desc.split("; ")
    assert first_entry.startswith("Incursion begins, from 6 August 2024: no reported figure")
    assert "km²" not in first_entry  # the outline's area is not offered as a figure
    assert len(others) == 3 and all("reported" in entry and "km²" in entry for entry in others)


def test_a_text_date_in_a_row_is_refused(layers):
    rows = kursk_series(layers)
    rows[0]["valid_from"] = "2024-08-06"
    with pytest.raises(TypeError, match=re.escape("expected a datetime.date, got str '2024-08-06'")):
        kursk_area_svg(rows)
