"""series.py: the Kursk area and the occupied ground near the city, date by date."""

import csv
import datetime as dt
import io
import re

import pytest

from kupiansk_map.analysis.series import area_series, figure_name, sample_dates, series_csv, within_key
from kupiansk_map.analysis.stats import figures_on


def test_default_sampling_covers_every_state_and_month(layers):
    dates = sample_dates(layers)
    assert dates[0] == dt.date(2022, 2, 27) and dates[-1] == dt.date(2024, 11, 14)
    assert dt.date(2024, 8, 6) in dates  # the first Kursk state begins
    for boundary in ("2022-09-10", "2022-10-01", "2024-08-20", "2024-09-15", "2024-11-01"):
        day = dt.date.fromisoformat(boundary)
        assert day in dates and day - dt.timedelta(days=1) in dates  # first and last day of each state
    assert dt.date(2023, 6, 1) in dates and dt.date(2023, 6, 2) not in dates
    assert dates == sorted(set(dates))


def test_rows_match_the_figures_of_stats(layers):
    rows = area_series(layers)
    by_date = {row["date"]: row for row in rows}
    for day in ("2022-05-01", "2022-09-15", "2023-06-01", "2024-08-20", "2024-10-01", "2024-11-13"):
        when = dt.date.fromisoformat(day)
        row = by_date.get(day) or area_series(layers, start=when, end=when)[0]
        figures = figures_on(layers, dt.date.fromisoformat(day))
        assert row["kursk_area_km2"] == figures.kursk_area_km2
        assert row["occupied_within_10km_km2"] == figures.occupied_within_10km_km2
        assert row["occupied_within_20km_km2"] == figures.occupied_within_20km_km2


def test_rows_say_which_state_holds(layers):
    rows = {r["date"]: r for r in area_series(layers)}
    assert rows["2024-11-01"]["state_change"] is True
    assert rows["2024-11-01"]["kursk_state"] == "kursk-2024-11"
    assert rows["2024-11-01"]["occupied_state"] == "occupied-2024-11"
    assert rows["2023-06-01"]["state_change"] is False
    assert rows["2023-06-01"]["kursk_area_km2"] is None  # before the incursion
    assert rows["2024-11-14"]["kursk_area_km2"] == pytest.approx(600, rel=0.02)


def test_step_days_and_custom_distances(layers):
    rows = area_series(layers, start=dt.date(2024, 11, 1), end=dt.date(2024, 11, 14), step_days=7, within_km=(5,))
    assert [r["date"] for r in rows] == ["2024-11-01", "2024-11-08", "2024-11-14"]
    assert within_key(5) in rows[0] and "occupied_within_10km_km2" not in rows[0]
    assert 0 < rows[0][within_key(5)] < figures_on(layers, dt.date(2024, 11, 1)).occupied_within_10km_km2


def test_missing_layers_give_none(layers):
    rows = area_series({"kursk_salient": layers["kursk_salient"]}, start=dt.date(2024, 9, 1), end=dt.date(2024, 9, 1))
    assert rows[0]["occupied_within_10km_km2"] is None and rows[0]["kursk_area_km2"] == pytest.approx(1000, rel=0.02)


def test_csv(layers):
    rows = area_series(layers, start=dt.date(2024, 10, 31), end=dt.date(2024, 11, 1))
    data = series_csv(rows)
    parsed = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
    assert [r["date"] for r in parsed] == ["2024-10-31", "2024-11-01"]
    assert parsed[0]["state_change"] == "true"
    assert float(parsed[1]["kursk_area_km2"]) == rows[1]["kursk_area_km2"]
    assert data.startswith(b"date,state_change,kursk_state,kursk_area_km2,occupied_state,")
    none_row = series_csv([{"date": "2024-01-01", "kursk_area_km2": None}])
    assert none_row == b"date,kursk_area_km2\n2024-01-01,\n"
    assert series_csv([]) == b"date\n"


def test_every_problem_is_named_at_once(layers):
    with pytest.raises(ValueError) as info:
        area_series(layers, start=dt.date(2024, 12, 1), end=dt.date(2024, 1, 1), step_days=0, within_km=(10, 10, 500))
    message = str(info.value)
    assert "start (2024-12-01) comes after end (2024-01-01)" in message
    assert "step_days must be a whole number" in message
    assert "within_km[1]: 10 km is listed twice" in message
    assert "within_km[2]: 500" in message
    with pytest.raises(TypeError, match=re.escape("end: expected a datetime.date, got str '2024-11-13'")):
        area_series(layers, end="2024-11-13")  # text is parsed where it enters (the CLI), not here
    with pytest.raises(ValueError, match="over the limit"):
        area_series(layers, start=dt.date(1900, 1, 1), end=dt.date(2024, 1, 1), step_days=1)
    with pytest.raises(ValueError, match="give start"):
        area_series({})


def test_every_figure_column_has_a_readable_name(layers):
    rows = area_series(layers, within_km=(2.5, 10, 20))
    names = {key: figure_name(key) for key in rows[0] if key.endswith("_km2")}
    assert names == {
        "kursk_area_km2": "Ukrainian-held area in Kursk region (map outline)",
        "occupied_within_2.5km_km2": "Russian-held ground within 2.5 km of the city",
        "occupied_within_10km_km2": "Russian-held ground within 10 km of the city",
        "occupied_within_20km_km2": "Russian-held ground within 20 km of the city",
    }
    with pytest.raises(ValueError, match="'state_change' is not a figure column"):
        figure_name("state_change")
