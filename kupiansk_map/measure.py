"""Measurements on the WGS84 ellipsoid and in metric CRSs: metres and km², never degrees.

Offers:
- ``geodesic_area_km2``: the area of a lon/lat (multi)polygon on the WGS84 ellipsoid.
- ``geodesic_length_km``: the length of a lon/lat line on the WGS84 ellipsoid.
- ``distance_km``: the shortest distance between two lon/lat geometries, measured in a UTM zone.
- ``bearing_deg``: the initial geodesic bearing from one lon/lat point to another.
- ``offset_point``: the lon/lat point a distance and bearing away from another.
"""

from __future__ import annotations

from pyproj import Geod
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from .crs import to_metric

_GEOD = Geod(ellps="WGS84")


def geodesic_area_km2(geometry: BaseGeometry) -> float:
    """Area of a lon/lat polygon or multipolygon, in km², on the WGS84 ellipsoid."""
    area_m2, _ = _GEOD.geometry_area_perimeter(geometry)
    return abs(area_m2) / 1e6


def geodesic_length_km(geometry: BaseGeometry) -> float:
    """Length of a lon/lat line or multiline, in km, on the WGS84 ellipsoid."""
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
