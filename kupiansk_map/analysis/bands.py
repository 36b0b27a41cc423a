"""Distance bands from the front line, and how much of the city lies in each.

Offers:
- ``DEFAULT_DISTANCES_KM``: (2.5, 5, 10, 20).
- ``MAX_DISTANCE_KM``: 100; the largest band distance accepted.
- ``Band``: one ring between two distances from the front, its area, and the city's area and share in it.
- ``distance_bands``: the bands around a front line (a lon/lat geometry, or the ``front_line`` layer on a
  date) for a list of distances.
- ``parse_distances``: distances typed as text ("2.5, 5, 10, 20"), for the app and the command line.
- ``bands_collection``: the bands as a FeatureCollection in the project's data model, for drawing.

Each band is the ring between the previous distance (0 for the first) and its own: ground at least
``inner_km`` and less than ``outer_km`` from the front line, on either side of it. The buffers are computed
in metres in the UTM zone of the front (UTM 37N for Kupiansk; see ``crs.utm_epsg``), with 32 segments per
quarter circle; areas are geodesic on the WGS84 ellipsoid. The city's share is its area inside the ring over
its whole area, in percent; the part of the city beyond the last distance is ``100 - sum(shares)``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from shapely.geometry import Point, Polygon, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import nearest_points

from kupiansk_map.analysis import coverage
from kupiansk_map.geo import geojson
from kupiansk_map.geo.crs import to_lonlat, to_metric, utm_epsg
from kupiansk_map.geo.measure import geodesic_area_km2
from kupiansk_map.layers.definitions import shapes
from kupiansk_map.model import features_on, require_date

Collection = dict[str, Any]

DEFAULT_DISTANCES_KM: tuple[float, ...] = (2.5, 5.0, 10.0, 20.0)
MAX_DISTANCE_KM: float = 100.0
_MAX_BANDS = 50
_QUAD_SEGS = 32


@dataclass(frozen=True)
class Band:
    """Ground from ``inner_km`` (included) to ``outer_km`` (excluded) from the front line.

    ``geometry`` is in lon/lat; ``area_km2`` is the ring's area, ``city_area_km2`` and ``city_share_pct``
    the city's area inside it and that area as a share of the whole city. ``front_ids``, ``valid_from``,
    ``valid_to`` and ``status`` describe the front line the band was measured from.
    """

    inner_km: float
    outer_km: float
    area_km2: float
    city_area_km2: float
    city_share_pct: float
    geometry: BaseGeometry
    epsg: int
    front_ids: tuple[str, ...] = ()
    valid_from: str | None = None
    valid_to: str | None = None
    status: str = "schematic"

    def as_dict(self) -> dict[str, Any]:
        """The figures, without the geometry."""
        return {
            "inner_km": self.inner_km,
            "outer_km": self.outer_km,
            "area_km2": round(self.area_km2, 3),
            "city_area_km2": round(self.city_area_km2, 3),
            "city_share_pct": round(self.city_share_pct, 2),
            "front_ids": list(self.front_ids),
            "valid_from": self.valid_from,
            "valid_to": self.valid_to,
        }


@dataclass(frozen=True)
class _Front:
    geometry: BaseGeometry | None  # lon/lat; None when no front line is valid on the date
    city: BaseGeometry
    ids: tuple[str, ...]
    valid_from: str | None
    valid_to: str | None
    status: str


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)


def _check_distances(
    distances_km: Any, problems: list[str], *, name: Callable[[int], str] = "distances_km[{}]".format
) -> tuple[float, ...]:
    """The distances as floats, appending to ``problems`` what breaks the band rules (``name(i)`` names one)."""
    if isinstance(distances_km, (str, bytes)) or not isinstance(distances_km, Sequence):
        problems.append(f"distances_km: expected a list of distances in km, got {distances_km!r}")
        return ()
    if not distances_km:
        problems.append("distances_km: give at least one distance")
        return ()
    if len(distances_km) > _MAX_BANDS:
        problems.append(f"distances_km: {len(distances_km)} distances given; at most {_MAX_BANDS} are allowed")
    values: list[float] = []
    for i, value in enumerate(distances_km):
        if not _is_number(value) or not math.isfinite(float(value)):
            problems.append(f"{name(i)}: {value!r} is not a finite number")
            continue
        value = float(value)
        if value <= 0:
            problems.append(f"{name(i)}: {value:g} km is not positive")
        elif value > MAX_DISTANCE_KM:
            problems.append(f"{name(i)}: {value:g} km is over the limit of {MAX_DISTANCE_KM:g} km")
        if values and 0 < value <= values[-1]:
            problems.append(
                f"{name(i)}: {value:g} km does not increase on {values[-1]:g} km; "
                "list the distances from the nearest to the farthest, each once"
            )
        values.append(value)
    return tuple(values)


def parse_distances(text: str, *, band_rules: bool = True) -> tuple[float, ...]:
    """Distances typed as ``"2.5, 5, 10, 20"`` (commas or semicolons between them; blank parts ignored).

    With ``band_rules`` (the default) they must also be what ``distance_bands`` accepts: at least one, each
    above 0 and at most ``MAX_DISTANCE_KM``, increasing. Raises ``ValueError`` with a one-line explanation for
    a person (the app shows it, the command line prints it).
    """
    try:
        values = tuple(float(part) for part in text.replace(";", ",").split(",") if part.strip())
    except ValueError:
        raise ValueError(f"'{text}' is not a comma-separated list of numbers such as 2.5, 5, 10, 20") from None
    if band_rules:
        rules = f"give increasing distances between 0 and {MAX_DISTANCE_KM:g} km, such as 2.5, 5, 10, 20"
        if not values:
            raise ValueError(rules)
        problems: list[str] = []
        _check_distances(values, problems, name=lambda i: f"distance {i + 1}")
        if problems:
            raise ValueError(f"{rules} ({'; '.join(problems)})")
    return values


def _as_city(city: Any, problems: list[str]) -> BaseGeometry | None:
    if city is None:
        return Polygon(shapes.CITY_OUTLINE)
    if isinstance(city, Mapping):
        try:
            city = shape(city.get("geometry", city))
        except Exception as exc:
            problems.append(f"city: not a GeoJSON polygon ({exc})")
            return None
    if not isinstance(city, BaseGeometry) or city.geom_type not in ("Polygon", "MultiPolygon") or city.is_empty:
        problems.append("city: expected a non-empty lon/lat Polygon or MultiPolygon")
        return None
    return shapely.make_valid(city)


def _front_from_layers(layers: Mapping[str, Any], day: Any, city: Any, problems: list[str]) -> _Front | None:
    if day is None:
        problems.append("day: a date is needed to pick the front line")
        when = None
    else:
        when = require_date(day)
    lines = layers.get("front_line")
    if not isinstance(lines, Mapping) or not isinstance(lines.get("features"), list):
        problems.append("layers: no front_line layer loaded")
        return None
    if city is None and isinstance(layers.get("kupiansk"), Mapping) and layers["kupiansk"].get("features"):
        city = layers["kupiansk"]["features"][0]
    city_geometry = _as_city(city, problems)
    if when is None or city_geometry is None:
        return None
    current = features_on(lines["features"], when)
    geometries = [shape(feat["geometry"]) for feat in current]  # validated once, by the store
    if not current:
        return _Front(None, city_geometry, (), None, None, "schematic")
    props = [f.get("properties") or {} for f in current]
    starts = [p["valid_from"] for p in props if p.get("valid_from")]
    ends = [p["valid_to"] for p in props if p.get("valid_to")]
    statuses = {s for p in props if isinstance(s := p.get("status"), str)}
    return _Front(
        shapely.union_all(geometries) if geometries else None,
        city_geometry,
        tuple(str(p.get("id")) for p in props),
        max(starts) if starts else None,
        min(ends) if ends else None,
        statuses.pop() if len(statuses) == 1 else "schematic",
    )


def _checked(front: Any, day: Any, distances_km: Any, city: Any) -> tuple[_Front | None, tuple[float, ...]]:
    """The one place the input is checked; raises ``ValueError`` listing every problem."""
    problems: list[str] = []
    distances = _check_distances(distances_km, problems)
    if isinstance(front, Mapping):
        result = _front_from_layers(front, day, city, problems)
    elif isinstance(front, BaseGeometry):
        if front.is_empty:
            problems.append("front: the front line geometry is empty")
        elif not all(-180 <= v <= 180 for v in front.bounds[::2]) or not all(
            -90 <= v <= 90 for v in front.bounds[1::2]
        ):
            problems.append("front: the geometry is not in lon/lat degrees (coordinates out of range)")
        if day is not None:
            require_date(day)
        city_geometry = _as_city(city, problems)
        result = _Front(front, city_geometry, (), None, None, "schematic") if city_geometry is not None else None
    else:
        problems.append(
            f"front: expected a lon/lat shapely geometry or a mapping of layers, got {type(front).__name__}"
        )
        result = None
    if problems:
        raise ValueError("cannot compute distance bands:\n  " + "\n  ".join(problems))
    if isinstance(front, Mapping):
        # A date with no mapped state has no front to measure from: refused, naming the mapped ranges.
        coverage.require_mapped(front, "kupiansk", require_date(day))
    return result, distances


def distance_bands(
    front: BaseGeometry | Mapping[str, Any],
    day: dt.date | None = None,
    *,
    distances_km: Sequence[float] = DEFAULT_DISTANCES_KM,
    city: BaseGeometry | Mapping[str, Any] | None = None,
) -> list[Band]:
    """The bands between successive ``distances_km`` from the front line, with the city's share in each.

    ``front`` is a lon/lat geometry, or a mapping of layer id to FeatureCollection from which the
    ``front_line`` features valid on ``day`` are taken (and the city from ``kupiansk`` unless ``city`` is
    given). ``city`` defaults to the project's city outline. Raises ``coverage.NotMapped`` when the Kupiansk
    sector has no mapped state on ``day``; returns an empty list when no front line is valid on it. Raises
    ``ValueError`` listing every problem with the input (distances must be positive, increasing and at most
    100 km).
    """
    checked, distances = _checked(front, day, distances_km, city)
    if checked is None or checked.geometry is None:
        return []
    centre = checked.geometry.centroid
    epsg = utm_epsg(centre.x, centre.y)
    front_m = to_metric(checked.geometry, epsg)
    city_m = to_metric(checked.city, epsg)
    reach = shapely.buffer(front_m, np.asarray(distances) * 1e3, quad_segs=_QUAD_SEGS)
    inner = np.concatenate([[Polygon()], reach[:-1]])
    rings = shapely.difference(reach, inner)
    city_parts = shapely.intersection(rings, city_m)
    city_total = geodesic_area_km2(checked.city)
    bands: list[Band] = []
    for i, (ring, part) in enumerate(zip(rings, city_parts, strict=True)):
        ring_ll = to_lonlat(ring, epsg)
        city_area = 0.0 if part.is_empty or part.area == 0 else geodesic_area_km2(to_lonlat(part, epsg))
        bands.append(
            Band(
                inner_km=0.0 if i == 0 else distances[i - 1],
                outer_km=distances[i],
                area_km2=geodesic_area_km2(ring_ll),
                city_area_km2=city_area,
                city_share_pct=100.0 * city_area / city_total if city_total else 0.0,
                geometry=ring_ll,
                epsg=epsg,
                front_ids=checked.ids,
                valid_from=checked.valid_from,
                valid_to=checked.valid_to,
                status=checked.status,
            )
        )
    return bands


def _km(value: float) -> str:
    return f"{value:g} km"


def _label_point(geometry: BaseGeometry, towards: Point) -> list[float]:
    """[lon, lat] of the point of ``geometry``'s edge nearest ``towards``, rounded to 1e-5 degrees (about 1 m)."""
    point = nearest_points(geometry.boundary, towards)[0]
    return [round(point.x, 5), round(point.y, 5)]


def bands_collection(bands: Sequence[Band], *, label_latitude: float | None = None) -> Collection:
    """The bands as a FeatureCollection in the project's data model, nearest band first.

    Each feature carries ``inner_km``, ``outer_km``, ``city_area_km2``, ``city_share_pct`` and ``area_km2``,
    the validity and status of the front line it was measured from, and a map label: ``map_label`` (its outer
    distance, "5 km") at ``map_label_at``, a lon/lat point on its outer edge. The labels line up on the west
    side of the rings, each on its own ring, so they read as a scale; ``label_latitude`` puts them near that
    latitude (default: the middle of the bands).
    """
    drawn = [band for band in bands if not band.geometry.is_empty]
    if drawn:
        west, south, east, north = shapely.union_all([band.geometry for band in drawn]).bounds
        # Far to the west of every band: the nearest point of each ring's edge to it is on that ring's outside.
        towards = Point(west - (east - west) - 1.0, (south + north) / 2 if label_latitude is None else label_latitude)
    features = []
    for band in drawn:
        if band.geometry.is_empty:
            continue
        source = (
            ("Derived from front line " + ", ".join(band.front_ids))
            if band.front_ids
            else "Derived from a front line given by the user"
        )
        zone = f"UTM zone {band.epsg - 32600}N" if 32601 <= band.epsg <= 32660 else f"EPSG:{band.epsg}"
        features.append(
            geojson.feature(
                band.geometry,
                {
                    "id": f"band-{band.inner_km:g}-{band.outer_km:g}km",
                    "name": f"{_km(band.inner_km)} to {_km(band.outer_km)} from the front line",
                    "valid_from": band.valid_from,
                    "valid_to": band.valid_to,
                    "status": band.status,
                    "source": source,
                    "note": (
                        f"Ground from {_km(band.inner_km)} to {_km(band.outer_km)} from the front line, on either "
                        f"side, buffered in metres in {zone}; {band.city_share_pct:.1f}% of the city's area lies "
                        "in it. As exact as the front line"
                        + (", which is schematic." if band.status == "schematic" else ".")
                    ),
                    "area_km2": round(band.area_km2, 3),
                    "inner_km": band.inner_km,
                    "outer_km": band.outer_km,
                    "city_area_km2": round(band.city_area_km2, 3),
                    "city_share_pct": round(band.city_share_pct, 2),
                    "map_label": _km(band.outer_km),
                    "map_label_at": _label_point(band.geometry, towards),
                },
            )
        )
    return geojson.feature_collection(features)


__all__ = ["DEFAULT_DISTANCES_KM", "MAX_DISTANCE_KM", "Band", "bands_collection", "distance_bands", "parse_distances"]
