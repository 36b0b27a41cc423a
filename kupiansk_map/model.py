"""The data model shared by the build, the validator, the figures and the app.

Offers:
- ``STATUSES``, ``REQUIRED_PROPERTIES``: what every feature carries.
- ``LayerSpec``, ``LAYERS``, ``LAYER_IDS``, ``layer_spec``: the published layers and their file names.
- ``BASEMAP_LAYER_ID``: the offline basemap's layer, drawn under the map when there are no tiles, never toggled;
  ``MAP_LAYER_IDS``: every other layer, the ones a view state shows or hides.
- ``parse_iso_date``: strict ``YYYY-MM-DD`` parsing, for where dates enter (URL, command line, files).
- ``require_date``: a ``datetime.date`` or a ``TypeError``, for the functions below that boundary.
- ``is_valid_on``: whether a feature's ``valid_from``/``valid_to`` interval covers a date.
- ``features_on``: the features of a collection valid on a date.
- ``STATUS_LABELS``: plain-words meaning of each status, for popups and the README.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from kupiansk_map.i18n import N_

STATUSES: tuple[str, ...] = ("reported", "claimed-ua", "claimed-ru", "assessed", "schematic")

STATUS_LABELS: dict[str, str] = {
    "reported": N_("reported by a named source"),
    "claimed-ua": N_("claim by the Ukrainian side, not independently verified"),
    "claimed-ru": N_("claim by the Russian side, not independently verified"),
    "assessed": N_("assessment from open-source trackers or a measured reference dataset"),
    "schematic": N_("approximate shape drawn for illustration; position and outline are not exact"),
}

REQUIRED_PROPERTIES: tuple[str, ...] = ("id", "name", "valid_from", "valid_to", "status", "source", "note")


@dataclass(frozen=True)
class LayerSpec:
    """One published layer: its id, file name, title, geometry kind and description."""

    id: str
    title: str
    geometry_type: str
    description: str
    dated: bool
    basemap: bool = False

    @property
    def file(self) -> str:
        return f"{self.id}.geojson"


LAYERS: tuple[LayerSpec, ...] = (
    LayerSpec(
        "kupiansk",
        N_("Kupiansk city outline"),
        "Polygon",
        "Schematic outline of Kupiansk on both banks of the Oskil.",
        False,
    ),
    LayerSpec(
        "industrial_zone",
        N_("Industrial zone and suburbs"),
        "Polygon",
        "The industrial zone and the northern suburbs that the 13 November 2024 assault partly entered.",
        False,
    ),
    LayerSpec(
        "oskil",
        N_("Oskil river"),
        "LineString",
        "The Oskil from above Valuyki to its confluence with the Siverskyi Donets, from GSHHG.",
        False,
    ),
    LayerSpec(
        "railways",
        N_("Railways"),
        "LineString",
        "Railway lines radiating from the Kupiansk junction, drawn schematically between stations.",
        False,
    ),
    LayerSpec(
        "occupied",
        N_("Russian-held ground, Kupiansk sector"),
        "Polygon",
        "Dated polygons of ground held by Russian forces within about 60 km of Kupiansk.",
        True,
    ),
    LayerSpec(
        "front_line",
        N_("Front line, Kupiansk sector"),
        "LineString",
        "Dated front lines: the edge of the occupied ground inside Ukraine.",
        True,
    ),
    LayerSpec(
        "front_buffer",
        N_("Zone near the front line"),
        "Polygon",
        "For each dated front line, the ground within a set distance of it (2.5 km by default).",
        True,
    ),
    LayerSpec(
        "kursk_salient",
        N_("Ukrainian-held area in Kursk region"),
        "Polygon",
        "Dated polygons of the area held by Ukrainian forces in Russia's Kursk region, "
        "with their areas calibrated to reported figures.",
        True,
    ),
    LayerSpec(
        "state_border",
        N_("Russia-Ukraine state border"),
        "LineString",
        "The Russia-Ukraine border around the Kursk salient and north-east of Kupiansk, from GSHHG.",
        False,
    ),
    LayerSpec("places", N_("Places"), "Point", "Cities, towns and villages named in the story.", False),
    LayerSpec(
        "events",
        N_("Events and claims"),
        "Point/LineString",
        "Dated events, the assault axes of 13 November 2024, and each side's claims.",
        True,
    ),
    LayerSpec(
        "front_overview",
        N_("Whole front line, November 2024"),
        "LineString",
        "The front line of more than 1,000 km at small scale, for the overview map.",
        True,
    ),
    LayerSpec(
        "front_area",
        N_("Russian-held area of Ukraine, November 2024"),
        "Polygon",
        "The whole Russian-held area of Ukraine, Crimea included, at small scale: Ukraine's land beyond the whole "
        "front line, built from the front line, the GSHHG national border and coastline.",
        True,
    ),
    LayerSpec(
        "basemap",
        N_("Offline basemap"),
        "Polygon/LineString/Point",
        "Sea, lakes, the Kakhovka reservoir until 6 June 2023, national borders and main rivers from GSHHG, and "
        "cities of 50,000 or more from GeoNames, at several levels of detail; drawn when there are no map tiles.",
        False,  # only the Kakhovka reservoir has a date, an end (valid_to)
        basemap=True,
    ),
)

LAYER_IDS: tuple[str, ...] = tuple(spec.id for spec in LAYERS)
BASEMAP_LAYER_ID = "basemap"
MAP_LAYER_IDS: tuple[str, ...] = tuple(spec.id for spec in LAYERS if not spec.basemap)


def layer_spec(layer_id: str) -> LayerSpec:
    """The spec of the layer called ``layer_id``; raises ``KeyError`` naming the known ids."""
    for spec in LAYERS:
        if spec.id == layer_id:
            return spec
    raise KeyError(f"unknown layer {layer_id!r}; known layers: {', '.join(LAYER_IDS)}")


def parse_iso_date(value: Any) -> _dt.date:
    """Parse a strict ``YYYY-MM-DD`` string (or pass a ``date`` through).

    Raises ``ValueError`` with a message that quotes the value, for wrong types,
    wrong formats and dates that do not exist such as ``2024-02-30``.
    """
    if isinstance(value, _dt.datetime):
        raise ValueError(f"expected a date, got a date-time {value!r}")
    if isinstance(value, _dt.date):
        return value
    if not isinstance(value, str):
        raise ValueError(f"expected an ISO date string YYYY-MM-DD, got {type(value).__name__} {value!r}")
    if len(value) != 10 or value[4] != "-" or value[7] != "-":
        raise ValueError(f"expected an ISO date YYYY-MM-DD, got {value!r}")
    try:
        return _dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a date that exists") from None


def require_date(value: Any, *, name: str = "day") -> _dt.date:
    """``value`` when it is a ``datetime.date`` (not a date-time); raises ``TypeError`` naming its type otherwise.

    For the functions below the boundary: text dates are parsed once where they enter (the URL, the command
    line, a file) with ``parse_iso_date``, and only ``date`` objects travel further.
    """
    if isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
        return value
    raise TypeError(
        f"{name}: expected a datetime.date, got {type(value).__name__} {value!r} "
        "(parse text with parse_iso_date where it enters)"
    )


@lru_cache(maxsize=4096)
def _parsed_bound(value: str) -> _dt.date:
    return parse_iso_date(value)


def _bound(value: Any) -> _dt.date:
    """A feature's ``valid_from``/``valid_to``, parsed once per distinct string (layers hold a few hundred)."""
    return _parsed_bound(value) if isinstance(value, str) else parse_iso_date(value)


def _covers(properties: Mapping[str, Any], day: _dt.date) -> bool:
    start = properties.get("valid_from")
    if start is not None and day < _bound(start):
        return False
    end = properties.get("valid_to")
    return end is None or day < _bound(end)


def is_valid_on(properties: Mapping[str, Any], day: _dt.date) -> bool:
    """True when ``valid_from <= day < valid_to``; a null bound is open. ``day`` must be a ``date``."""
    return _covers(properties, require_date(day))


def features_on(features: Iterable[Mapping[str, Any]], day: _dt.date) -> list[Mapping[str, Any]]:
    """The GeoJSON features whose validity interval covers ``day`` (a ``date``)."""
    day = require_date(day)
    return [f for f in features if _covers(f.get("properties") or {}, day)]
