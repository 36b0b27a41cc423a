"""The app's session state: one typed home for what a visitor's page shows, and its URL form.

Streamlit deletes a widget's value from session state after any run that does not draw that widget (the date
slider is not drawn in presenter mode, the analyst tools only when they are on), and a value once set by code can later
shadow the widget's own. So the values live here, in one frozen ``PageState`` per session, and every widget key is
pinned at the start of each run: written back with its current value, or the state's when Streamlit dropped it.

Offers:
- ``MapView``: a map centre and whole zoom, as the URL carries them (``lat``, ``lon``, ``zoom``).
- ``ImportedSet``: a snapshot archive imported in this session.
- ``PageState``: the view state, the source (``source``, and ``versus``: a second archive to compare with), the modes
  (presenter, analyst), the chapter, the language and the map view.
- ``Ranges``: the sources a link may name, each with its first and last day.
- ``WIDGET_KEYS``: the session-state key of each widget that edits the state.
- ``from_query_params`` / ``to_query_params``: the URL interface; bad values fall back and are reported.
- ``widget_values``: the value each widget key should hold for a state.
- ``WidgetSession``: what ``pin_widgets`` and ``capture`` use of ``st.session_state`` (a plain dict will do).
- ``pin_widgets``: keep every widget's value through a run that does not draw the widget.
- ``capture``: the state with the values the widgets hold now.
- ``within_sources``: the state made to fit the sources there are (a date inside the source's range).
- ``with_map_view``: the state after the map reported where it is.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, Protocol

from kupiansk_map.i18n import format_date, translator
from kupiansk_map.ingest.sources import BUILTIN
from kupiansk_map.model import MAP_LAYER_IDS
from kupiansk_map.story import presenter
from kupiansk_map.story.chapters import LANGUAGES, Story
from kupiansk_map.web.views import BASEMAPS, DEFAULT_STATE, VIEWS, ViewState
from kupiansk_map.web.views import from_query_params as view_from_query_params
from kupiansk_map.web.views import to_query_params as view_to_query_params

ZOOM_RANGE = (1, 18)
# Five decimals of a degree are about a metre: finer than any screen pixel at the zooms the map offers.
_COORD_DIGITS = 5

# Widget keys: the explore page's controls, and the modes and language shared by both pages.
LAYER_KEY_PREFIX = "layer_"
WIDGET_KEYS: tuple[str, ...] = (
    "source",
    "versus",
    "date",
    "view",
    "buffer_km",
    "basemap",
    "present",
    "analyst",
    "lang",
    *(f"{LAYER_KEY_PREFIX}{layer_id}" for layer_id in MAP_LAYER_IDS),
)


@dataclass(frozen=True)
class MapView:
    """Where the map looks: the centre in degrees (WGS 84) and a whole Web Mercator zoom."""

    lat: float
    lon: float
    zoom: int

    @property
    def center(self) -> tuple[float, float]:
        return (self.lat, self.lon)


@dataclass(frozen=True)
class ImportedSet:
    """A snapshot archive imported in this session (analyst tools): its name, its layers, the dates its states
    start on, and what the import reported. It lives in the session only."""

    name: str
    layers: Mapping[str, Mapping[str, Any]]
    dates: tuple[dt.date, ...]


@dataclass(frozen=True)
class PageState:
    """Everything one visitor's page shows.

    ``map_view`` is where the map is now (reported by the map, or opened from the URL); ``map_request`` is the
    view the map was last told to show. The map is told again only when its view must change (another preset
    view, or a base map rebuilt for another basemap or tool set), so that a pan in progress is never pulled back.
    ``map_signature`` names the base map the request was made for. ``settled`` is False until the session's
    second run: the first sends the map before anything heavy (``first_run_done`` once it has), and the rest
    follows in the next run, which the map's first report of its view causes (or the first interaction).
    ``link_problems`` are the link's bad values, shown until the visitor changes a setting.
    """

    view: ViewState = DEFAULT_STATE
    source: str = BUILTIN
    versus: str = ""  # a second archive whose disagreement with ``source`` the map draws; "" for none
    present: bool = False
    analyst: bool = False
    chapter: int = 1
    lang: str = "en"
    map_view: MapView | None = None
    map_request: MapView | None = None
    map_signature: tuple[Any, ...] = ()
    settled: bool = False
    first_run_done: bool = False
    link_problems: tuple[str, ...] = ()
    imported: ImportedSet | None = None
    import_messages: tuple[str, ...] = ()


Ranges = Mapping[str, tuple[dt.date, dt.date]]


def _first(value: str | list[str]) -> str:
    return value[-1] if isinstance(value, list) else value


def _map_view(params: Mapping[str, str | list[str]], problems: list[str], lang: str = "en") -> MapView | None:
    """The ``lat``/``lon``/``zoom`` of the URL, all three or none."""
    _ = translator(lang).gettext
    given = [key for key in ("lat", "lon", "zoom") if key in params]
    if not given:
        return None
    if len(given) < 3:
        problems.append(
            _("{keys}: a map view needs lat, lon and zoom together; showing the preset view").format(
                keys=", ".join(given)
            )
        )
        return None
    raw = {key: _first(params[key]) for key in ("lat", "lon", "zoom")}
    try:
        lat, lon, zoom = float(raw["lat"]), float(raw["lon"]), int(raw["zoom"])
    except ValueError:
        problems.append(
            _("lat/lon/zoom: {lat}, {lon}, {zoom} are not numbers; showing the preset view").format(
                lat=repr(raw["lat"]), lon=repr(raw["lon"]), zoom=repr(raw["zoom"])
            )
        )
        return None
    low, high = ZOOM_RANGE
    if not (
        math.isfinite(lat) and math.isfinite(lon) and -85 <= lat <= 85 and -180 <= lon <= 180 and low <= zoom <= high
    ):
        problems.append(
            _(
                "lat/lon/zoom: {lat}, {lon}, {zoom} is not a map view (latitude -85 to 85, longitude -180 to 180, "
                "zoom {low} to {high}); showing the preset view"
            ).format(lat=f"{lat:g}", lon=f"{lon:g}", zoom=zoom, low=low, high=high)
        )
        return None
    return MapView(round(lat, _COORD_DIGITS), round(lon, _COORD_DIGITS), zoom)


def _sources(
    params: Mapping[str, str | list[str]], view: ViewState, ranges: Ranges, problems: list[str], lang: str
) -> tuple[str, str, ViewState]:
    """The link's ``source`` and ``versus``, checked against ``ranges``, and its date, refused outside the
    source's range (the date becomes the source's default: the assault's date if it holds it, else its last)."""
    _ = translator(lang).gettext
    source = _first(params.get("source", BUILTIN))
    if source not in ranges:
        problems.append(
            _("{key}: {value} is not one of {choices}").format(
                key="source", value=repr(source), choices=", ".join(ranges)
            )
        )
        source = BUILTIN
    versus = _first(params.get("versus", ""))
    if versus and (versus not in ranges or source == BUILTIN or versus in (BUILTIN, source)):
        problems.append(
            _("{key}: {value} is not one of {choices}").format(
                key="versus",
                value=repr(versus),
                choices=", ".join(name for name in ranges if name not in (BUILTIN, source)) or "-",
            )
        )
        versus = ""
    first, last = ranges[source]
    if not first <= view.date <= last:
        fallback = DEFAULT_STATE.date if first <= DEFAULT_STATE.date <= last else last
        problems.append(
            _("date: {date} is outside the dates of source {source} ({first} – {last}); showing {shown}").format(
                date=view.date.isoformat(),
                source=source,
                first=format_date(first, lang=lang),
                last=format_date(last, lang=lang),
                shown=format_date(fallback, lang=lang),
            )
        )
        view = replace(view, date=fallback)
    return source, versus, view


def from_query_params(
    params: Mapping[str, str | list[str]], *, story: Story, offline: bool = False, ranges: Ranges | None = None
) -> tuple[PageState, list[str]]:
    """The page state a link opens, and one message per bad value (each replaced by its default).

    ``story`` bounds the chapter number; ``offline`` forces the basemap to none. ``ranges`` are the sources
    the link may name (the built-in one included) with their first and last days: a ``date`` outside the
    source's is refused, never shown. Without ``ranges`` only the built-in source is known, with any date."""
    # The whole app follows the language, not only presenter mode; the messages about the link are in it too.
    raw_lang = _first(params.get("lang", "en"))
    lang = raw_lang if raw_lang in LANGUAGES else presenter.PresenterState().lang
    view, problems = view_from_query_params(params, lang=lang)
    if offline:
        view = replace(view, basemap="none")
    shown, presenter_problems = presenter.from_query_params(params, story=story, lang=lang)
    problems += presenter_problems
    if shown is None and raw_lang not in LANGUAGES:  # presenter mode reports its own
        problems.append(
            translator(lang)
            .gettext("{key}: {value} is not one of {choices}")
            .format(key="lang", value=repr(raw_lang), choices=", ".join(LANGUAGES))
        )
    map_view = _map_view(params, problems, lang)
    source, versus = BUILTIN, ""
    if ranges is not None:
        source, versus, view = _sources(params, view, ranges, problems, lang)
    state = PageState(
        view=view,
        source=source,
        versus=versus,
        present=shown is not None,
        analyst=_first(params.get("analyst", "")) == "1",
        chapter=(shown or presenter.PresenterState()).chapter,
        lang=lang,
        map_view=map_view,
        map_request=map_view,
    )
    state = replace(state, link_problems=tuple(problems))
    return state, problems


def to_query_params(state: PageState) -> dict[str, str]:
    """The URL that reopens ``state``: the chapter in presenter mode, otherwise the view and the map's view; the
    language whenever it is not English."""
    if state.present:
        return presenter.to_query_params(presenter.PresenterState(state.chapter, state.lang))
    params = view_to_query_params(state.view)
    if state.source != BUILTIN:
        params["source"] = state.source
    if state.versus:
        params["versus"] = state.versus
    if state.lang != "en":
        params["lang"] = state.lang
    if state.analyst:
        params["analyst"] = "1"
    if state.map_view is not None:
        params.update(
            {
                "lat": f"{state.map_view.lat:.{_COORD_DIGITS}f}",
                "lon": f"{state.map_view.lon:.{_COORD_DIGITS}f}",
                "zoom": str(state.map_view.zoom),
            }
        )
    return params


def widget_values(state: PageState) -> dict[str, Any]:
    """The value each widget key holds for ``state``."""
    return {
        "source": state.source,
        "versus": state.versus,
        "date": state.view.date,
        "view": state.view.view,
        "buffer_km": state.view.buffer_km,
        "basemap": state.view.basemap,
        "present": state.present,
        "analyst": state.analyst,
        "lang": state.lang,
        **{f"{LAYER_KEY_PREFIX}{layer_id}": layer_id in state.view.layers for layer_id in MAP_LAYER_IDS},
    }


class WidgetSession(Protocol):
    """The part of ``st.session_state`` the widget functions use; Streamlit's keys may also be ints, so its
    proxy is no ``MutableMapping[str, Any]``, but it and any ``dict[str, ...]`` have these methods."""

    def __contains__(self, key: object, /) -> bool: ...
    def __getitem__(self, key: str, /) -> Any: ...
    def __setitem__(self, key: str, value: Any, /) -> None: ...
    def get(self, key: str, default: Any, /) -> Any: ...


def pin_widgets(session: WidgetSession, state: PageState) -> None:
    """Write every widget key back with its value (from ``state`` where Streamlit dropped it or never had it).

    Call before any widget is drawn in the run: a value written by code survives runs that do not draw its
    widget (Streamlit's documented way to keep it), and writing the current value stops an older one from
    shadowing it."""
    for key, value in widget_values(state).items():
        session[key] = session.get(key, value)


def capture(session: WidgetSession, state: PageState) -> PageState:
    """``state`` updated with the values the widgets hold in ``session`` (keys that are absent keep theirs).

    Choosing another preset view forgets the map's own view, so that the map moves to the preset."""
    held = {key: session[key] for key in WIDGET_KEYS if key in session}
    current = widget_values(state)
    if all(held[key] == current[key] for key in held):
        return state
    state = replace(state, link_problems=())  # the visitor has changed a setting: the link's message has served
    layers = tuple(
        layer_id
        for layer_id in MAP_LAYER_IDS
        if held.get(f"{LAYER_KEY_PREFIX}{layer_id}", layer_id in state.view.layers)
    )
    day = held.get("date", state.view.date)
    if not isinstance(day, dt.date):
        raise TypeError(f"the date widget holds {type(day).__name__} {day!r}, not a date")
    basemap = held.get("basemap", state.view.basemap)
    view = ViewState(
        date=day,
        view=held.get("view", state.view.view),
        layers=layers,
        buffer_km=float(held.get("buffer_km", state.view.buffer_km)),
        basemap=basemap if basemap in BASEMAPS else state.view.basemap,
    )
    lang = held.get("lang", state.lang)
    new = replace(
        state,
        view=view,
        source=str(held.get("source", state.source)),
        versus=str(held.get("versus", state.versus) or ""),
        present=bool(held.get("present", state.present)),
        analyst=bool(held.get("analyst", state.analyst)),
        lang=lang if lang in LANGUAGES else state.lang,
    )
    if view.view != state.view.view and view.view in VIEWS:
        new = replace(new, map_view=None, map_request=None)
    return new


def within_sources(state: PageState, ranges: Ranges) -> PageState:
    """``state`` made to fit the sources there are: an unknown source becomes the built-in one, an unknown
    second archive none, and a date outside the source's range the source's default (the assault's date if it
    holds it, else its last day). Used after the visitor picks another source, or the store changes."""
    source = state.source if state.source in ranges else BUILTIN
    versus = state.versus if source != BUILTIN and state.versus in ranges and state.versus != source else ""
    first, last = ranges[source]
    view = state.view
    if not first <= view.date <= last:
        view = replace(view, date=DEFAULT_STATE.date if first <= DEFAULT_STATE.date <= last else last)
    if (source, versus, view) == (state.source, state.versus, state.view):
        return state
    return replace(state, source=source, versus=versus, view=view)


def with_map_view(state: PageState, returned: Mapping[str, Any] | None) -> PageState:
    """``state`` with the view the map reported (streamlit-folium's ``zoom`` and ``center``), if it sent one."""
    if not returned:
        return state
    center, zoom = returned.get("center"), returned.get("zoom")
    if not isinstance(center, Mapping) or not isinstance(zoom, (int, float)):
        return state
    try:
        lat, lon = float(center["lat"]), float(center["lng"])
    except (KeyError, TypeError, ValueError):
        return state
    if not (math.isfinite(lat) and math.isfinite(lon)):
        return state
    low, high = ZOOM_RANGE
    view = MapView(round(lat, _COORD_DIGITS), round(lon, _COORD_DIGITS), max(low, min(high, round(zoom))))
    return state if view == state.map_view else replace(state, map_view=view)
