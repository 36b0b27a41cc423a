import datetime as dt

import pytest

from kupiansk_map.analysis.stats import figures_on
from kupiansk_map.analysis.summary import kursk_series, markdown_literal, situation_summary


def test_summary_on_the_day_of_the_assault(layers):
    lines = situation_summary(figures_on(layers, dt.date(2024, 11, 13)), layers)
    text = " ".join(lines)
    assert "13 November 2024" in text and "2.5 km" in text and "north-north-east" in text
    assert "600 km²" in text
    assert "Claim by Russia (unverified)" in text and "Claim by Ukraine (unverified)" in text
    assert "Four-wave assault" in text


def test_summary_follows_the_date(layers):
    assert "behind Russian lines" in " ".join(situation_summary(figures_on(layers, dt.date(2022, 5, 1)), layers))
    assert "along the Oskil" in " ".join(situation_summary(figures_on(layers, dt.date(2022, 9, 15)), layers))
    after = " ".join(situation_summary(figures_on(layers, dt.date(2025, 1, 1)), layers))
    assert "Kupiansk sector: not mapped on this date" in after and "Kursk salient: not mapped on this date" in after


def test_summary_of_a_gap_date_names_the_mapped_ranges_and_no_distance(layers):
    text = " ".join(situation_summary(figures_on(layers, dt.date(2024, 8, 20)), layers))
    assert "Kupiansk sector: not mapped on this date." in text
    assert "mapped: 27 February 2022 – 31 December 2022, 1 November 2024 – 14 November 2024" in text
    assert " km from the city" not in text and "front line lay" not in text
    assert "1,000 km²" in text  # Kursk is mapped that day


def test_summary_gives_no_area_for_an_outline_without_a_reported_figure(layers):
    text = " ".join(situation_summary(figures_on(layers, dt.date(2024, 8, 6)), layers))
    assert "no area was reported" in text and "168" not in text


def test_kursk_series_lists_each_state_with_its_figure(layers):
    rows = kursk_series(layers)
    assert [r["valid_from"] for r in rows] == [
        dt.date(2024, 8, 6),
        dt.date(2024, 8, 20),
        dt.date(2024, 9, 15),
        dt.date(2024, 11, 1),
    ]
    assert rows[-1]["area_km2"] == pytest.approx(600, rel=0.02) and rows[-1]["reported_area_km2"] == 600
    assert rows[1]["area_status"] == "claimed-ua" and rows[0]["reported_area_km2"] is None


def test_markdown_literal_disarms_markup():
    out = markdown_literal("<script>x</script> [a](javascript:alert(1)) **b**")
    assert "<script>" not in out and "](" not in out and "**" not in out
