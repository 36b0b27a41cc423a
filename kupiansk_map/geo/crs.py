"""Coordinate reference systems: lon/lat WGS84 on disk, UTM for every metric operation.

Offers:
- ``WGS84``: EPSG:4326, the CRS of every file on disk (axis order lon, lat).
- ``to_metric``: a lon/lat shapely geometry projected to a UTM zone (metres).
- ``to_lonlat``: the inverse.
- ``utm_epsg``: the EPSG code of the standard UTM zone for a longitude (37N east of 36° E, 36N from 30° E).
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry.base import BaseGeometry

WGS84 = 4326


@lru_cache(maxsize=8)
def _transformer(src: int, dst: int) -> Transformer:
    return Transformer.from_crs(src, dst, always_xy=True)


def _transform(geometry: BaseGeometry, src: int, dst: int) -> BaseGeometry:
    transformer = _transformer(src, dst)
    return shapely.transform(geometry, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1])))


def to_metric(geometry: BaseGeometry, epsg: int) -> BaseGeometry:
    """Project a lon/lat geometry to the metric CRS ``epsg`` (a UTM zone)."""
    return _transform(geometry, WGS84, epsg)


def to_lonlat(geometry: BaseGeometry, epsg: int) -> BaseGeometry:
    """Unproject a geometry from the metric CRS ``epsg`` to lon/lat WGS84."""
    return _transform(geometry, epsg, WGS84)


def utm_epsg(lon: float, lat: float = 50.0) -> int:
    """EPSG code of the standard UTM zone containing ``lon`` (northern zones for ``lat`` >= 0)."""
    if not (math.isfinite(lon) and -180.0 <= lon <= 180.0 and math.isfinite(lat) and -90.0 <= lat <= 90.0):
        raise ValueError(f"({lon}, {lat}) is not a longitude, latitude pair")
    zone = min(int((lon + 180.0) // 6.0) + 1, 60)
    return (32600 if lat >= 0 else 32700) + zone
