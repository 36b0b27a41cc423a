"""Measurements on the WGS84 ellipsoid and in metric CRSs: metres and km², never degrees.

Offers:
- ``geodesic_area_km2``: the area of a lon/lat (multi)polygon on the WGS84 ellipsoid.
- ``geodesic_length_km``: the length of a lon/lat line on the WGS84 ellipsoid.
- ``distance_km``: the shortest distance between two lon/lat geometries, measured in a UTM zone.
- ``bearing_deg``: the initial geodesic bearing from one lon/lat point to another.
- ``offset_point``: the lon/lat point a distance and bearing away from another.
"""

from __future__ import annotations

from typing import Any

import shapely
from pyproj import Geod
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from kupiansk_map.geo.crs import to_metric

_GEOD = Geod(ellps="WGS84")


def _xy(ring: BaseGeometry) -> tuple[Any, Any]:
    coords = shapely.get_coordinates(ring)
    return coords[:, 0], coords[:, 1]


def geodesic_area_km2(geometry: BaseGeometry) -> float:
    """Area of a lon/lat polygon or multipolygon, in km², on the WGS84 ellipsoid."""
    if geometry.geom_type in ("Polygon", "MultiPolygon"):
        # pyproj's geometry_area_perimeter, summed in the same order, but fed numpy arrays: its own
        # coords.xy conversion appends vertex by vertex in Python and dominated large archives' imports
        area_m2 = 0.0
        for polygon in getattr(geometry, "geoms", [geometry]):
            if polygon.is_empty:
                continue
            part = _GEOD.polygon_area_perimeter(*_xy(polygon.exterior))[0]
            for hole in polygon.interiors:
                part += _GEOD.polygon_area_perimeter(*_xy(hole))[0]
            area_m2 += part
    else:
        area_m2, _ = _GEOD.geometry_area_perimeter(geometry)
    return abs(area_m2) / 1e6


def geodesic_length_km(geometry: BaseGeometry) -> float:
    """Length of a lon/lat line or multiline, in km, on the WGS84 ellipsoid."""
    if geometry.geom_type == "LineString":
        return _GEOD.line_length(*_xy(geometry)) / 1e3
    if geometry.geom_type == "MultiLineString":
        length = 0.0
        for line in geometry.geoms:
            length += _GEOD.line_length(*_xy(line))
        return length / 1e3
    return _GEOD.geometry_length(geometry) / 1e3


def distance_km(a: BaseGeometry, b: BaseGeometry, *, epsg: int) -> float:
    """Shortest distance between two lon/lat geometries, in km, measured in the metric CRS ``epsg``."""
    return to_metric(a, epsg).distance(to_metric(b, epsg)) / 1e3


def bearing_deg(origin: Point, target: Point) -> float:
    """Initial bearing from ``origin`` to ``target``, in degrees clockwise from north, 0-360."""
    azimuth, _, _ = _GEOD.inv(origin.x, origin.y, target.x, target.y)
    return azimuth % 360.0


def offset_point(origin: Point, *, distance_km: float, bearing_deg: float) -> Point:
    """The point ``distance_km`` from ``origin`` along the initial bearing ``bearing_deg``."""
    lon, lat, _ = _GEOD.fwd(origin.x, origin.y, bearing_deg, distance_km * 1e3)
    return Point(lon, lat)
