"""The view state: date, preset view, visible layers, buffer distance and basemap, and its URL form.

Offers:
- ``View``, ``VIEWS``: the preset views (bounds, centre, zoom).
- ``LAYER_GROUPS``: the layer toggles, grouped as the app shows them.
- ``BASEMAPS``: the basemap choices.
- ``ViewState``: one complete, validated state of the map.
- ``DEFAULT_STATE``, ``timeline_dates``: defaults and the dates the timeline offers.
- ``from_query_params`` / ``to_query_params``: the URL interface (``date``, ``view``, ``layers``,
  ``buffer_km``, ``basemap``); bad values fall back to defaults and are reported, never raised.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, replace

from kupiansk_map.i18n import N_, format_number, translator
from kupiansk_map.layers.definitions import timeline
from kupiansk_map.model import MAP_LAYER_IDS, parse_iso_date

BUFFER_KM_RANGE = (0.5, 20.0)


@dataclass(frozen=True)
class View:
    """A preset view: ``bounds`` as ((south, west), (north, east))."""

    id: str
    label: str
    bounds: tuple[tuple[float, float], tuple[float, float]]

    @property
    def center(self) -> tuple[float, float]:
        (south, west), (north, east) = self.bounds
        return ((south + north) / 2, (west + east) / 2)

    def zoom(self, *, width_px: int = 620, height_px: int = 560) -> int:
        """The largest whole zoom at which the bounds fit a map of the given size (Web Mercator)."""
        (south, west), (north, east) = self.bounds

        def mercator_y(lat: float) -> float:
            return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

        x_fraction = (east - west) / 360.0
        y_fraction = (mercator_y(north) - mercator_y(south)) / (2 * math.pi)
        zoom_x = math.log2(width_px / 256 / x_fraction)
        zoom_y = math.log2(height_px / 256 / y_fraction)
        return max(1, min(18, math.floor(min(zoom_x, zoom_y))))


VIEWS: dict[str, View] = {
    "overview": View("overview", N_("Overview: the whole front"), ((44.3, 31.3), (51.8, 38.8))),  # Crimea included
    "kupiansk": View("kupiansk", N_("Kupiansk"), ((49.60, 37.42), (49.84, 37.84))),
    "kursk": View("kursk", N_("Kursk salient"), ((50.95, 34.75), (51.55, 35.80))),
}

LAYER_GROUPS: dict[str, tuple[tuple[str, str], ...]] = {
    N_("Situation"): (
        ("occupied", N_("Russian-held ground")),
        ("front_line", N_("Front line")),
        ("front_buffer", N_("Zone near the front")),
        ("kursk_salient", N_("Kursk salient")),
        ("front_overview", N_("Whole front (overview)")),
        ("front_area", N_("Whole Russian-held area (overview)")),
    ),
    N_("Places"): (
        ("kupiansk", N_("City outline")),
        ("industrial_zone", N_("Industrial zone and suburbs")),
        ("places", N_("Settlements")),
    ),
    N_("Context"): (("oskil", N_("Oskil river")), ("railways", N_("Railways")), ("state_border", N_("State border"))),
    N_("Events & claims"): (("events", N_("Events, claims and assault axes")),),
}

BASEMAPS: dict[str, str] = {
    "osm": N_("OpenStreetMap"),
    "satellite": N_("Satellite (Esri World Imagery)"),
    "terrain": N_("Terrain (OpenTopoMap)"),
    "none": N_("None: the project's own context layers"),
}


@dataclass(frozen=True)
class ViewState:
    """Everything the map shows: the date, the preset view, the visible layers, the buffer and the basemap."""

    date: dt.date
    view: str
    layers: tuple[str, ...]
    buffer_km: float
    basemap: str


DEFAULT_STATE = ViewState(
    date=timeline.ASSAULT, view="kupiansk", layers=MAP_LAYER_IDS, buffer_km=timeline.FRONT_BUFFER_KM, basemap="osm"
)


def timeline_dates() -> tuple[dt.date, ...]:
    """The dates the timeline offers: every key date, in order."""
    return tuple(sorted({day for day, _ in timeline.KEY_DATES}))


def _first(value: str | list[str]) -> str:
    return value[-1] if isinstance(value, list) else value


def _choice(
    params: Mapping[str, str | list[str]],
    key: str,
    choices: Mapping[str, object],
    problems: list[str],
    lang: str = "en",
) -> str | None:
    """The value of ``key`` if it is one of ``choices``; otherwise None, with a message when it was given."""
    if key not in params:
        return None
    raw = _first(params[key])
    if raw in choices:
        return raw
    problems.append(
        translator(lang)
        .gettext("{key}: {value} is not one of {choices}")
        .format(key=key, value=repr(raw), choices=", ".join(choices))
    )
    return None


def from_query_params(
    params: Mapping[str, str | list[str]], *, default: ViewState = DEFAULT_STATE, lang: str = "en"
) -> tuple[ViewState, list[str]]:
    """Read a state from URL query parameters; each bad value falls back to the default with a message (in
    ``lang``; the parameters and values are quoted as typed)."""
    _ = translator(lang).gettext
    state, problems = default, []
    if "date" in params:
        raw = _first(params["date"])
        try:
            state = replace(state, date=parse_iso_date(raw))
        except ValueError as exc:
            # The parser's English detail in English; elsewhere the expected form, in words.
            detail = str(exc) if lang == "en" else _("{value} is not a date (YYYY-MM-DD)").format(value=repr(raw))
            problems.append(_("date: {problem}; showing {default}").format(problem=detail, default=default.date))
    view = _choice(params, "view", VIEWS, problems, lang)
    if view:
        state = replace(state, view=view)
    if "layers" in params:
        raw = _first(params["layers"])
        wanted = [part.strip() for part in raw.split(",") if part.strip()]
        unknown = [part for part in wanted if part not in MAP_LAYER_IDS]
        if unknown:
            problems.append(_("layers: unknown layer(s) {layers} ignored").format(layers=", ".join(map(repr, unknown))))
        state = replace(state, layers=tuple(layer for layer in MAP_LAYER_IDS if layer in wanted))
    if "buffer_km" in params:
        raw = _first(params["buffer_km"])
        low, high = BUFFER_KM_RANGE
        try:
            value = float(raw)
            if not math.isfinite(value) or not low <= value <= high:
                raise ValueError
            state = replace(state, buffer_km=round(value, 1))
        except ValueError:
            problems.append(
                _("buffer_km: {value} is not a distance between {low} and {high} km").format(
                    value=repr(raw),
                    low=format_number(low, lang=lang, digits=-1),
                    high=format_number(high, lang=lang, digits=-1),
                )
            )
    basemap = _choice(params, "basemap", BASEMAPS, problems, lang)
    if basemap:
        state = replace(state, basemap=basemap)
    return state, problems


def to_query_params(state: ViewState) -> dict[str, str]:
    """The URL query parameters that reproduce ``state``."""
    return {
        "date": state.date.isoformat(),
        "view": state.view,
        "layers": ",".join(state.layers),
        "buffer_km": f"{state.buffer_km:g}",
        "basemap": state.basemap,
    }
