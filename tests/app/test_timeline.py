"""The date control (app.timeline): steps, their clamping and keys, the date input's range, a URL date outside it."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from conftest import ROOT, date_input
from streamlit.testing.v1 import AppTest

from kupiansk_map.app import timeline
from kupiansk_map.app.caches import cached_layers
from kupiansk_map.ingest import sources
from kupiansk_map.paths import data_dir

APP = str(ROOT / "app.py")
FIRST, LAST = dt.date(2022, 2, 27), dt.date(2024, 11, 14)


def _run(query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(query or {})
    at.run()
    assert not at.exception, at.exception
    return at


def _date_param(at: AppTest) -> str:
    value = at.query_params["date"]
    return value[-1] if isinstance(value, list) else value


def _press(at: AppTest, name: str) -> dt.date:
    at.button(key=f"date_{name}").click().run()
    assert not at.exception, at.exception
    day = date_input(at).value
    assert _date_param(at) == day.isoformat()  # the URL follows
    return day


def _scale_args(at: AppTest) -> dict:
    (scale,) = [el for el in at.get("component_instance") if el.proto.component_name.endswith("km_timeline")]
    return json.loads(scale.proto.json_args)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2024, 1, 31), 1, dt.date(2024, 2, 29)),  # no 31 February: the month's last day
        (dt.date(2023, 1, 31), 1, dt.date(2023, 2, 28)),
        (dt.date(2024, 3, 31), -1, dt.date(2024, 2, 29)),
        (dt.date(2023, 12, 15), 1, dt.date(2024, 1, 15)),  # over a year's end, the day kept
        (dt.date(2024, 1, 15), -1, dt.date(2023, 12, 15)),
    ],
)
def test_a_month_step_keeps_the_day_of_the_month_where_it_exists(day, months, expected):
    assert timeline.step_date(day, months=months, first=dt.date(2000, 1, 1), last=dt.date(2030, 1, 1)) == expected


def test_steps_are_clamped_to_the_range():
    assert timeline.step_date(dt.date(2024, 11, 10), days=7, first=FIRST, last=LAST) == LAST
    assert timeline.step_date(dt.date(2022, 3, 10), months=-1, first=FIRST, last=LAST) == FIRST
    with pytest.raises(ValueError, match="empty"):
        timeline.step_date(FIRST, days=1, first=LAST, last=FIRST)


def test_the_built_in_range_runs_from_the_first_to_the_last_mapped_day():
    assert sources.builtin_range(cached_layers(str(data_dir())).layers) == (FIRST, LAST)


def test_the_date_input_spans_the_range_and_the_steps_move_the_date():
    at = _run({"date": "2024-08-31"})
    picker = date_input(at)
    assert (picker.min, picker.max) == (FIRST, LAST)
    assert picker.value == dt.date(2024, 8, 31)
    assert _press(at, "day_forward") == dt.date(2024, 9, 1)
    assert _press(at, "day_back") == dt.date(2024, 8, 31)
    assert _press(at, "week_forward") == dt.date(2024, 9, 7)
    assert _press(at, "week_back") == dt.date(2024, 8, 31)
    assert _press(at, "month_forward") == dt.date(2024, 9, 30)  # no 31 September
    assert _press(at, "month_back") == dt.date(2024, 8, 30)
    assert _scale_args(at)["date"] == "2024-08-30"  # the scale is told too


def test_the_steps_stop_at_the_ends_and_are_disabled_there():
    at = _run({"date": "2024-11-10"})
    assert _press(at, "week_forward") == LAST
    assert all(at.button(key=f"date_{name}").disabled for name in ("day_forward", "week_forward", "month_forward"))
    assert not at.button(key="date_day_back").disabled
    at = _run({"date": "2022-03-20"})
    assert _press(at, "month_back") == FIRST
    assert all(at.button(key=f"date_{name}").disabled for name in ("day_back", "week_back", "month_back"))
    assert _press(at, "day_forward") == FIRST + dt.timedelta(days=1)


def test_each_step_names_its_key():
    at = _run()
    for step in timeline.STEPS:
        button = at.button(key=f"date_{step.name}")
        assert step.shortcut.replace("Page", "Page ") in button.help or step.shortcut in button.help


def test_a_url_date_outside_the_range_is_refused_not_added():
    at = _run({"date": "2030-01-01"})
    shown = dt.date(2024, 11, 13)  # the source's default date: the assault's, which it holds
    assert date_input(at).value == shown
    assert _date_param(at) == shown.isoformat()
    warnings = " ".join(w.value for w in at.warning).replace("\\", "")  # markdown escapes
    assert "2030-01-01 is outside the dates of source builtin (27 February 2022 – 14 November 2024)" in warnings
    assert "showing 13 November 2024" in warnings
    args = _scale_args(at)
    assert (args["first"], args["last"], args["date"]) == ("2022-02-27", "2024-11-14", "2024-11-13")
    at.run()  # the message stays until the visitor changes a setting
    assert "2030-01-01" in " ".join(w.value for w in at.warning)
    assert _press(at, "day_back") == shown - dt.timedelta(days=1)
    assert "2030-01-01" not in " ".join(w.value for w in at.warning)


def test_the_scale_gets_the_key_dates_and_every_text_in_ukrainian():
    at = _run({"lang": "uk"})
    args = _scale_args(at)
    assert [entry["date"] for entry in args["key_dates"]] == sorted(day.isoformat() for day, _ in timeline.KEY_DATES)
    assert {entry["label"] for entry in args["key_dates"]} >= {"Купʼянськ окуповано"}
    assert len(args["long_dates"]) == (LAST - FIRST).days + 1
    assert args["long_dates"][0] == "27 лютого 2022\u202fр."
    assert args["texts"]["play"] == "Відтворити" and args["texts"]["speeds"]["10"] == "10 дат на секунду"
    assert date_input(at).label == "Дата"
    assert at.button(key="date_week_forward").label == "+1 тиждень"


def test_a_rerun_carrying_the_inputs_older_value_does_not_take_the_date_back():
    # The browser sends every widget's value with each rerun; the map's report of a pan, sent while a date picked
    # elsewhere was on its way, carries the date input's older value. That value must not win.
    at = _run({"date": "2024-08-31"})
    stale = at._tree.get_widget_states()  # the widgets as the browser held them before the pick
    assert _press(at, "day_forward") == dt.date(2024, 9, 1)
    at._run(stale)  # the late rerun, with the input's value from before
    assert not at.exception, at.exception
    assert date_input(at).value == dt.date(2024, 9, 1)
    assert _date_param(at) == "2024-09-01"
    assert _press(at, "day_forward") == dt.date(2024, 9, 2)  # and the controls go on from there


def test_a_date_picked_in_the_input_is_the_date():
    at = _run({"date": "2024-08-31"})
    key = date_input(at).key
    date_input(at).set_value(dt.date(2023, 5, 4)).run()
    assert at.session_state["date"] == dt.date(2023, 5, 4) and _date_param(at) == "2023-05-04"
    assert date_input(at).key == key  # the input keeps its key (and its focus in the browser)
    assert _press(at, "week_back") == dt.date(2023, 4, 27)
    assert date_input(at).key != key
