"""Figures for a date, every one computed from the layers, never typed in.

Offers:
- ``SituationFigures``: the figures for one date.
- ``figures_on``: compute them from a mapping of layer id to FeatureCollection.
- ``FIGURE_LABELS``: plain-words labels and units, for tables, the CLI and the app.
- ``SECTOR_FIGURES``: which figures belong to which sector (see ``coverage``).

A sector not mapped on the date (``coverage.mapped_ranges``) gets no figures at all, and its message is kept in
``not_mapped``: a state the sources do not describe must not give numbers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from typing import Any

import numpy as np
import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import nearest_points

from kupiansk_map.analysis import coverage
from kupiansk_map.geo.crs import to_lonlat, to_metric
from kupiansk_map.geo.measure import bearing_deg, geodesic_area_km2
from kupiansk_map.i18n import N_
from kupiansk_map.layers.definitions.timeline import KUPIANSK_UTM_EPSG as KUP
from kupiansk_map.model import features_on, is_valid_on, require_date

FIGURE_LABELS: dict[str, tuple[str, str]] = {
    "city_to_front_km": (N_("Shortest distance from the city outline to the front line"), "km"),
    "front_bearing_deg": (N_("Direction from the city centre to the nearest front point"), "°"),
    "buffer_width_km": (N_("Width of the zone drawn along the front line (measured)"), "km"),
    "city_centre_occupied": (N_("City centre inside Russian-held ground"), ""),
    "occupied_within_10km_km2": (N_("Russian-held ground within 10 km of the city"), "km²"),
    "occupied_within_20km_km2": (N_("Russian-held ground within 20 km of the city"), "km²"),
    "kursk_area_km2": (N_("Ukrainian-held area in Kursk region (map outline)"), "km²"),
    "kursk_reported_area_km2": (N_("Reported figure the outline is calibrated to"), "km²"),
    "kursk_change_km2": (N_("Change in the Kursk area since the previous mapped state"), "km²"),
    "population_prewar": (N_("Kupiansk population before the full-scale invasion"), "people"),
    "population_now": (N_("Kupiansk population, November 2024"), "people"),
}

SECTOR_FIGURES: dict[str, tuple[str, ...]] = {
    "kupiansk": (
        "city_to_front_km",
        "front_bearing_deg",
        "buffer_width_km",
        "city_centre_occupied",
        "occupied_within_10km_km2",
        "occupied_within_20km_km2",
    ),
    "kursk": ("kursk_area_km2", "kursk_reported_area_km2", "kursk_change_km2", "kursk_previous_state"),
}


@dataclass(frozen=True)
class SituationFigures:
    """The figures for ``date``; a figure is None when no layer holds it on that date.

    ``not_mapped`` maps each sector with no mapped state on the date to the message naming its mapped ranges."""

    date: dt.date
    city_to_front_km: float | None
    front_bearing_deg: float | None
    buffer_width_km: float | None
    city_centre_occupied: bool | None
    occupied_within_10km_km2: float | None
    occupied_within_20km_km2: float | None
    kursk_area_km2: float | None
    kursk_reported_area_km2: float | None
    kursk_change_km2: float | None
    kursk_previous_state: str | None
    population_prewar: int | None
    population_now: int | None
    population_source: str | None
    not_mapped: dict[str, str] = field(default_factory=dict)

    def sector_mapped(self, sector: str) -> bool:
        """Whether ``sector`` (``kupiansk`` or ``kursk``) has a mapped state on the date."""
        return sector not in self.not_mapped

    def as_dict(self) -> dict[str, Any]:
        """The figures as plain data (the date as ``YYYY-MM-DD``), for JSON and tables."""
        return {**asdict(self), "date": self.date.isoformat()}


def _union(features: list[Mapping[str, Any]]) -> BaseGeometry | None:
    if not features:
        return None
    return shapely.union_all([shape(f["geometry"]) for f in features])


def _buffer_width_km(zone_m: BaseGeometry, front_m: BaseGeometry) -> float:
    """How far the zone's edge lies from the front: the largest distance of any edge vertex, in km.

    Each vertex's distance is to the nearest of the front's segments, found through an STRtree: the same number
    as measuring to the whole line, but not every vertex against every segment (a whole front has thousands)."""
    vertices = shapely.points(shapely.get_coordinates(zone_m.boundary))
    segments = []
    for part in shapely.get_parts(shapely.get_parts(front_m).tolist()):
        coords = shapely.get_coordinates(part)
        if len(coords) >= 2:
            segments.append(shapely.linestrings(np.stack([coords[:-1], coords[1:]], axis=1)))
    if not segments or not len(vertices):
        return float(shapely.distance(vertices, front_m).max()) / 1e3
    _, distances = shapely.STRtree(np.concatenate(segments)).query_nearest(vertices, return_distance=True)
    return float(distances.max()) / 1e3


def _area_km2_metric(geometry_m: BaseGeometry) -> float:
    return 0.0 if geometry_m.is_empty else geodesic_area_km2(to_lonlat(geometry_m, KUP))


def _kursk(
    features: list[Mapping[str, Any]], day: dt.date
) -> tuple[float | None, float | None, float | None, str | None]:
    current = features_on(features, day)
    if not current:
        return None, None, None, None
    props = current[0]["properties"]
    area = geodesic_area_km2(shape(current[0]["geometry"]))
    earlier = [
        f
        for f in features
        if f["properties"]["valid_from"] and props["valid_from"] and f["properties"]["valid_from"] < props["valid_from"]
    ]
    if not earlier:
        return area, props.get("reported_area_km2"), None, None
    previous = max(earlier, key=lambda f: f["properties"]["valid_from"])
    if previous["properties"].get("status") == "schematic" and previous["properties"].get("reported_area_km2") is None:
        # The previous outline only marks a place (no reported figure): a change from it is no figure either.
        # (An archive's states are its assessment, measured as drawn: a change between them is a figure.)
        return area, props.get("reported_area_km2"), None, None
    change = area - geodesic_area_km2(shape(previous["geometry"]))
    return area, props.get("reported_area_km2"), change, previous["properties"]["id"]


def figures_on(layers: Mapping[str, Mapping[str, Any]], day: dt.date) -> SituationFigures:
    """Compute the figures for ``day`` (a ``date``) from the layers present in ``layers`` (missing layers give
    None). Raises ``TypeError`` for a ``day`` that is not a ``date``.

    A sector with no mapped state on ``day`` gives None for all its figures and an entry in ``not_mapped``."""
    day = require_date(day)
    not_mapped: dict[str, str] = {}
    for sector in coverage.SECTORS:
        try:
            coverage.require_mapped(layers, sector, day)
        except coverage.NotMapped as exc:
            not_mapped[sector] = str(exc)

    def valid(layer_id: str) -> list[Mapping[str, Any]]:
        return features_on(layers.get(layer_id, {}).get("features", []), day)

    city_features = layers.get("kupiansk", {}).get("features", [])
    city = _union(city_features)
    centre = city.centroid if city is not None else None
    places = {f["properties"]["id"]: f for f in layers.get("places", {}).get("features", [])}
    if "kupiansk" in places:
        centre = shape(places["kupiansk"]["geometry"])

    front = _union(valid("front_line"))
    occupied = _union(valid("occupied"))
    buffers = valid("front_buffer")

    city_to_front = bearing = buffer_width = None
    within: dict[int, float | None] = {10: None, 20: None}
    centre_occupied = None
    if city is not None:
        city_m = to_metric(city, KUP)
        if front is not None:
            front_m = to_metric(front, KUP)
            city_to_front = city_m.distance(front_m) / 1e3
            nearest = to_lonlat(nearest_points(city_m, front_m)[1], KUP)
            bearing = bearing_deg(centre, nearest)
            if buffers:
                zone_m = to_metric(_union(buffers), KUP)
                buffer_width = _buffer_width_km(zone_m, front_m)
        if occupied is not None:
            occupied_m = to_metric(occupied, KUP)
            for km in within:
                within[km] = _area_km2_metric(occupied_m.intersection(city_m.buffer(km * 1e3, quad_segs=32)))
            centre_occupied = bool(occupied.contains(centre)) if centre is not None else None

    kursk_area, kursk_reported, kursk_change, kursk_previous = _kursk(
        layers.get("kursk_salient", {}).get("features", []), day
    )

    prewar = now = pop_source = None
    if city_features:
        props = city_features[0]["properties"]
        prewar, now, pop_source = (
            props.get("population_prewar"),
            props.get("population_nov_2024"),
            props.get("population_source"),
        )
        if not is_valid_on(props, day):
            prewar = now = None

    def r(value: float | None, digits: int = 2) -> float | None:
        return None if value is None else round(value, digits)

    figures = SituationFigures(
        date=day,
        city_to_front_km=r(city_to_front),
        front_bearing_deg=r(bearing, 0),
        buffer_width_km=r(buffer_width),
        city_centre_occupied=centre_occupied,
        occupied_within_10km_km2=r(within[10], 1),
        occupied_within_20km_km2=r(within[20], 1),
        kursk_area_km2=r(kursk_area, 1),
        kursk_reported_area_km2=kursk_reported,
        kursk_change_km2=r(kursk_change, 1),
        kursk_previous_state=kursk_previous,
        population_prewar=int(prewar) if prewar is not None else None,
        population_now=int(now) if now is not None else None,
        population_source=pop_source,
        not_mapped=not_mapped,
    )
    # A sector the sources do not describe on this date gives no numbers, whatever its layers hold.
    withheld: dict[str, Any] = {key: None for sector in not_mapped for key in SECTOR_FIGURES[sector]}
    return replace(figures, **withheld)
