"""The date control: a date input, steps by a day, a week or a month, and a scale with playback.

The scale is a small custom component (``web/static/timeline/``): the source's whole range, proportional to
time, with the key dates marked and labelled, and playback at 1, 4 or 10 dates per second over a loop range.
Every control writes the session's date (``DATE_KEY``), so the map, the figures and the URL follow it. No widget
has that key: the date input is a view of it (see ``_input_key``).

Offers:
- ``KEY_DATES``: the built-in explainer's key dates, with their (untranslated) labels.
- ``STEPS``: the step buttons: name, days or months, keyboard shortcut.
- ``SPEEDS``: the playback speeds, in dates per second.
- ``step_date``: a date moved by a step, kept inside a range.
- ``timeline_controls``: the whole control, drawn under the map (the scale at the end of the run).
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import streamlit as st
import streamlit.components.v1 as components
from streamlit.delta_generator import DeltaGenerator

from kupiansk_map.i18n import N_, format_date, translator
from kupiansk_map.layers.definitions import timeline as definitions

KEY_DATES: tuple[tuple[dt.date, str], ...] = definitions.KEY_DATES
SPEEDS: tuple[int, ...] = (1, 4, 10)
DATE_KEY = "date"
SCALE_KEY = "timeline_scale"
INPUT_KEY_PREFIX = "km_date_input_"
_INPUT_SHOWN_KEY = "km_date_input_shown"
_PLAYBACK_STEP_KEY = "km_playback_step"
_STATIC = Path(__file__).resolve().parents[1] / "web" / "static" / "timeline"
_SCALE = components.declare_component("km_timeline", path=str(_STATIC))


@dataclass(frozen=True)
class Step:
    """One step button: ``days`` or ``months`` (signed), its label, the key that presses it and its help."""

    name: str
    label: str
    help: str
    shortcut: str
    days: int = 0
    months: int = 0


# Month keys follow the ARIA slider pattern that the scale uses too: Page Up moves forward in time.
STEPS: tuple[Step, ...] = (
    Step("month_back", N_("−1 month"), N_("One month back (key: Page Down)"), "PageDown", months=-1),
    Step("week_back", N_("−1 week"), N_("One week back (key: Shift+Left)"), "Shift+Left", days=-7),
    Step("day_back", N_("−1 day"), N_("One day back (key: Left)"), "Left", days=-1),
    Step("day_forward", N_("+1 day"), N_("One day forward (key: Right)"), "Right", days=1),
    Step("week_forward", N_("+1 week"), N_("One week forward (key: Shift+Right)"), "Shift+Right", days=7),
    Step("month_forward", N_("+1 month"), N_("One month forward (key: Page Up)"), "PageUp", months=1),
)


def _clamp(day: dt.date, first: dt.date, last: dt.date) -> dt.date:
    return max(first, min(last, day))


def _add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by whole months, on the same day of the month where it exists, else on the month's last."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def step_date(day: dt.date, *, days: int = 0, months: int = 0, first: dt.date, last: dt.date) -> dt.date:
    """``day`` moved by ``months`` and then ``days``, clamped to ``[first, last]``."""
    if first > last:
        raise ValueError(f"the range {first} to {last} is empty")
    moved = _add_months(day, months) if months else day
    return _clamp(moved + dt.timedelta(days=days), first, last)


def _on_step(days: int, months: int, first: dt.date, last: dt.date) -> None:
    day = _clamp(st.session_state[DATE_KEY], first, last)
    st.session_state[DATE_KEY] = step_date(day, days=days, months=months, first=first, last=last)


def _input_key(day: dt.date) -> str:
    """The date input's widget key while it shows ``day``: a new one whenever the date was changed by anything but
    the input itself.

    Every rerun carries the value each widget holds in the browser, and a rerun that the map's report of a pan
    sends while a picked date is on its way carries the input's older value. Under the same key, Streamlit would
    take that for a visitor's change and put the older date back; under a new key it belongs to a widget no longer
    drawn, and is dropped."""
    number, shown = st.session_state.get(_INPUT_SHOWN_KEY, (0, None))
    if shown != day:
        number += 1
        st.session_state[_INPUT_SHOWN_KEY] = (number, day)
    return f"{INPUT_KEY_PREFIX}{number}"


def _on_input(key: str) -> None:
    """A date typed or picked in the date input: the session's date, with no new key for the input. A value
    for an input drawn under an older key is stale, and changes nothing (Streamlit can still hold such a
    widget's callback when the run that replaced it ended in a rerun)."""
    number, _ = st.session_state.get(_INPUT_SHOWN_KEY, (0, None))
    day = st.session_state.get(key)
    if key == f"{INPUT_KEY_PREFIX}{number}" and isinstance(day, dt.date):  # emptied: the date stays as it was
        st.session_state[DATE_KEY] = day
        st.session_state[_INPUT_SHOWN_KEY] = (number, day)


def _on_scale(first: dt.date, last: dt.date) -> None:
    """The scale sent a date (a click, a drag, a key or playback): it becomes the session's date."""
    value = st.session_state.get(SCALE_KEY)
    if not isinstance(value, Mapping):
        return
    try:
        day = dt.date.fromisoformat(str(value.get("date")))
    except ValueError:
        return  # not a date: the scale only sends ISO dates, so nothing a visitor did is lost
    st.session_state[DATE_KEY] = _clamp(day, first, last)
    st.session_state[_PLAYBACK_STEP_KEY] = bool(value.get("playing"))


def playback_step() -> bool:
    """Whether this run draws a step of playback (and nothing else changed): then only the map and the date are
    drawn, and the figures, the summary and the charts wait for the pause, which the scale sends as a value of
    its own. Reading it ends it, so the next run of any other cause draws everything."""
    return bool(st.session_state.pop(_PLAYBACK_STEP_KEY, False))


@functools.lru_cache(maxsize=16)
def _long_dates(first: dt.date, last: dt.date, lang: str) -> tuple[str, ...]:
    """Every date of the range in the long style, for the scale's own text and aria-valuetext while it moves."""
    return tuple(format_date(first + dt.timedelta(days=n), lang=lang) for n in range((last - first).days + 1))


def _texts(lang: str) -> dict[str, Any]:
    words = translator(lang)
    return {
        "scale": words.gettext("Date scale"),
        "controls": words.gettext("Playback"),
        "play": words.gettext("Play"),
        "pause": words.gettext("Pause"),
        "speed": words.gettext("Speed"),
        "speeds": {
            str(n): words.ngettext("{n} date per second", "{n} dates per second", n).format(n=n) for n in SPEEDS
        },
        "loop_from": words.gettext("Loop from"),
        "loop_to": words.gettext("to"),
        "key_dates": words.gettext("Key dates"),
        "pick": words.gettext("Go to {date}"),
    }


def timeline_controls(
    *, first: dt.date, last: dt.date, key_dates: Sequence[tuple[dt.date, str]], lang: str
) -> Callable[[], None]:
    """The date control, at full width: a date input and six step buttons in a row that wraps, then the scale
    with playback. ``key_dates`` are marked on the scale with their labels (translated here, with gettext).

    Returns ``draw_scale``: call it once, at the end of the run, and the scale is drawn in its place under the
    buttons. The scale paces playback by what the server acknowledges, so the acknowledgement must come after
    everything the run shows for the date: a value sent sooner would cut the run short (Streamlit stops a
    run for the next one), leaving the figures of an older date on the page and the URL behind the map."""
    if first > last:
        raise ValueError(f"the range {first} to {last} is empty")
    _ = translator(lang).gettext
    day = _clamp(st.session_state.get(DATE_KEY, last), first, last)
    st.session_state[DATE_KEY] = day  # a date input refuses a value outside its range; it is never widened
    input_key = _input_key(day)
    with st.container(horizontal=True, vertical_alignment="bottom", gap="xsmall", key="km_date_steps"):
        st.date_input(
            _("Date"),
            value=day,
            key=input_key,
            on_change=_on_input,
            args=(input_key,),
            min_value=first,
            max_value=last,
            format="DD.MM.YYYY" if lang == "uk" else "DD/MM/YYYY",
            width=150,
        )
        for step in STEPS:
            forward = step.days > 0 or step.months > 0
            st.button(
                _(step.label),
                key=f"date_{step.name}",
                help=_(step.help),
                shortcut=step.shortcut,
                on_click=_on_step,
                args=(step.days, step.months, first, last),
                disabled=(day >= last) if forward else (day <= first),
            )
    slot = st.empty()
    return functools.partial(_draw_scale, slot, first=first, last=last, key_dates=tuple(key_dates), lang=lang)


def _draw_scale(
    slot: DeltaGenerator, *, first: dt.date, last: dt.date, key_dates: Sequence[tuple[dt.date, str]], lang: str
) -> None:
    _ = translator(lang).gettext
    day = _clamp(st.session_state.get(DATE_KEY, last), first, last)
    held = st.session_state.get(SCALE_KEY)
    with slot:
        _SCALE(
            first=first.isoformat(),
            last=last.isoformat(),
            date=day.isoformat(),
            # the number of the last value the scale sent that this run has applied: its acknowledgement
            seq=held.get("seq", 0) if isinstance(held, Mapping) else 0,
            key_dates=[
                {"date": kd.isoformat(), "label": _(label)} for kd, label in sorted(key_dates) if first <= kd <= last
            ],
            long_dates=list(_long_dates(first, last, lang)),
            speeds=list(SPEEDS),
            texts=_texts(lang),
            key=SCALE_KEY,
            default=None,
            on_change=functools.partial(_on_scale, first, last),
        )
