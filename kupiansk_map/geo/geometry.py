"""Geometry operations the layer builders share. Metric work happens in a UTM zone, in metres.

Offers:
- ``border_sides``: the Russian and the Ukrainian side of a border line, as lon/lat polygons.
- ``east_of``: the region east of a north-to-south line, as a lon/lat polygon.
- ``sector``: a rectangle around a centre, in metres.
- ``river_north_of``: the part of a north-to-south river above a latitude.
- ``front_line_of``: the edge of an occupied area inside a region (leaving out the region's own edge).
- ``front_buffer``: the zone within a distance of a front line, in metres.
- ``calibrate_area``: grow or shrink an outline until its clipped area matches a target.
- ``drop_slivers``: remove polygon parts below an area; ``largest_part`` keeps only the largest.
- ``repaired``: a valid version of a geometry, and what was wrong with it.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise

import shapely
from shapely.geometry import LineString, MultiLineString, MultiPolygon, Point, Polygon
from shapely.geometry.base import BaseGeometry
from shapely.ops import linemerge

# Lon/lat window the border split covers: wide enough for Kursk and Kupiansk.
_BORDER_WINDOW = (33.0, 46.0, 40.5, 53.0)
_QUAD_SEGS = 32


def _polygonal(geometry: BaseGeometry) -> BaseGeometry:
    """Keep only the polygon parts of an overlay result."""
    if isinstance(geometry, (Polygon, MultiPolygon)):
        return geometry
    parts = [g for g in getattr(geometry, "geoms", []) if isinstance(g, (Polygon, MultiPolygon))]
    return shapely.union_all(parts) if parts else Polygon()


def border_sides(border: LineString) -> tuple[Polygon, Polygon]:
    """Split a lon/lat window by a border running from the north-west to the south-east.

    Returns ``(north_east, south_west)``: for the Russia-Ukraine border, Russia then Ukraine.
    """
    _, _, lon_max, lat_max = _BORDER_WINDOW
    (x0, y0), (x1, y1) = border.coords[0], border.coords[-1]
    if not (y0 > y1 and x0 < x1):
        raise ValueError("the border must run from north-west to south-east")
    # Extend the ends to the window's edges, then close around the north-east.
    ring = [(x0, lat_max), *border.coords, (lon_max, y1), (lon_max, lat_max)]
    north_east = shapely.make_valid(Polygon(ring))
    north_east = _polygonal(north_east.intersection(shapely.box(*_BORDER_WINDOW)))
    south_west = _polygonal(shapely.box(*_BORDER_WINDOW).difference(north_east))
    return north_east, south_west


def east_of(line: LineString, *, far_lon: float = 45.0) -> Polygon:
    """The region east of a line drawn from north to south (lon/lat)."""
    coords = list(line.coords)
    if coords[0][1] <= coords[-1][1]:
        raise ValueError("the line must run from north to south")
    ring = [*coords, (far_lon, coords[-1][1]), (far_lon, coords[0][1])]
    polygon = Polygon(ring)
    if not polygon.is_valid:
        raise ValueError(f"the line crosses itself: {shapely.is_valid_reason(polygon)}")
    return polygon


def sector(centre: Point, *, extent_m: tuple[float, float, float, float]) -> Polygon:
    """A rectangle around a metric ``centre``; ``extent_m`` is (west, south, east, north) in metres."""
    west, south, east, north = extent_m
    return shapely.box(centre.x - west, centre.y - south, centre.x + east, centre.y + north)


def river_north_of(river: LineString, lat: float) -> LineString:
    """The upstream part of a north-to-south lon/lat river, down to the latitude ``lat``."""
    coords = list(river.coords)
    kept = [coords[0]]
    for (x0, y0), (x1, y1) in pairwise(coords):
        if y1 > lat:
            kept.append((x1, y1))
            continue
        t = (y0 - lat) / (y0 - y1)
        kept.append((x0 + t * (x1 - x0), lat))
        break
    return LineString(kept)


def front_line_of(
    occupied: BaseGeometry, region: BaseGeometry, *, tolerance_m: float = 1.0, min_length_m: float = 100.0
) -> LineString | MultiLineString:
    """The edge of ``occupied`` that lies inside ``region``: the front, without the region's own edge.

    Both geometries are metric. Pieces shorter than ``min_length_m`` (slivers at corners) are dropped.
    """
    edge = occupied.boundary.difference(_edge_zone(region, tolerance_m))
    merged = linemerge(edge) if not isinstance(edge, LineString) else edge
    pieces = [g for g in getattr(merged, "geoms", [merged]) if g.length >= min_length_m]
    if not pieces:
        raise ValueError("the occupied area has no edge inside the region")
    return pieces[0] if len(pieces) == 1 else MultiLineString(sorted(pieces, key=lambda g: -g.length))


_EDGE_ZONES: dict[tuple[int, float], tuple[BaseGeometry, BaseGeometry]] = {}


def _edge_zone(region: BaseGeometry, tolerance_m: float) -> BaseGeometry:
    """``region``'s boundary buffered by ``tolerance_m``, kept for the same region object: an import derives
    the front of hundreds of days inside one region, and this buffer cost as much as the rest."""
    key = (id(region), tolerance_m)
    cached = _EDGE_ZONES.get(key)
    if cached is not None and cached[0] is region:
        return cached[1]
    zone = region.boundary.buffer(tolerance_m, quad_segs=4)
    if len(_EDGE_ZONES) >= 16:
        _EDGE_ZONES.clear()
    _EDGE_ZONES[key] = (region, zone)  # holding the region keeps its id from being reused
    return zone


def front_buffer(front: BaseGeometry, *, distance_km: float) -> BaseGeometry:
    """The zone within ``distance_km`` of a metric front line."""
    if not 0 < distance_km <= 100:
        raise ValueError(f"buffer distance must be between 0 and 100 km, got {distance_km}")
    return front.buffer(distance_km * 1e3, quad_segs=_QUAD_SEGS)


def repaired(geometry: BaseGeometry) -> tuple[BaseGeometry, str | None]:
    """``(geometry, None)`` when it is valid; else a repaired copy and the reason it was invalid.

    Polygons are repaired with ``make_valid`` and keep only their polygonal parts (a self-intersecting ring
    becomes the areas it encloses). Raises ``ValueError`` when nothing is left.
    """
    if geometry.is_valid:
        return geometry, None
    reason = shapely.is_valid_reason(geometry)
    fixed = shapely.make_valid(geometry)
    if geometry.geom_type in ("Polygon", "MultiPolygon"):
        fixed = _polygonal(fixed)
    if fixed.is_empty:
        raise ValueError(f"the geometry cannot be repaired: {reason}")
    return fixed, reason


def drop_slivers(geometry: BaseGeometry, *, min_area_m2: float) -> BaseGeometry:
    """Remove the parts of a metric (multi)polygon smaller than ``min_area_m2``."""
    parts = [g for g in getattr(geometry, "geoms", [geometry]) if g.area >= min_area_m2]
    if not parts:
        raise ValueError("nothing is left after removing slivers")
    return parts[0] if len(parts) == 1 else MultiPolygon(parts)


def largest_part(geometry: BaseGeometry) -> BaseGeometry:
    """The largest polygon of a (multi)polygon."""
    return max(getattr(geometry, "geoms", [geometry]), key=lambda g: g.area)


def calibrate_area(
    outline: BaseGeometry,
    *,
    clip: BaseGeometry,
    target_km2: float,
    area_km2: Callable[[BaseGeometry], float],
    rel_tolerance: float = 5e-4,
) -> BaseGeometry:
    """Buffer a metric ``outline`` in or out until the largest part of ``outline ∩ clip`` has the target area.

    ``area_km2`` measures a metric geometry (geodesically, by the caller's choice). Raises
    ``ValueError`` when the target cannot be reached inside ``clip``.
    """

    def shaped(d: float) -> BaseGeometry:
        grown = outline.buffer(d, quad_segs=_QUAD_SEGS, join_style="round") if d else outline
        clipped = _polygonal(grown.intersection(clip))
        return largest_part(clipped) if not clipped.is_empty else clipped

    low, high = -20_000.0, 20_000.0
    if area_km2(shaped(high)) < target_km2:
        raise ValueError(f"cannot grow the outline to {target_km2} km² inside its clip")
    for _ in range(60):
        mid = (low + high) / 2
        candidate = shaped(mid)
        area = area_km2(candidate) if not candidate.is_empty else 0.0
        if abs(area - target_km2) <= rel_tolerance * target_km2:
            return candidate
        low, high = (mid, high) if area < target_km2 else (low, mid)
    raise ValueError(f"could not calibrate the outline to {target_km2} km²")
