import datetime as dt

from kupiansk_map.chart import kursk_area_svg
from kupiansk_map.summary import kursk_series


def test_chart_has_a_bar_per_state_a_diamond_per_figure_and_the_date(layers):
    svg = kursk_area_svg(kursk_series(layers), day=dt.date(2024, 11, 13))
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert svg.count("<rect") == 4 and svg.count("<path") == 3  # the first state has no reported figure
    assert "claimed 1,000" in svg and "reported 850" in svg and "reported 600" in svg
    assert "13 Nov 2024" in svg and "stroke-dasharray='4 3'" in svg
    assert "<title id='km-chart-title'>" in svg and "<desc" in svg


def test_chart_escapes_names_and_handles_no_data(layers):
    rows = kursk_series(layers)
    rows[0]["name"] = "<script>alert(1)</script>"
    svg = kursk_area_svg(rows)
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "stroke-dasharray='4 3'" not in svg  # no date given
    assert kursk_area_svg([]) == ""
