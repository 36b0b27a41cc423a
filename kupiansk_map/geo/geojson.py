"""RFC 7946 GeoJSON output: deterministic, rounded, correctly wound.

Offers:
- ``COORDINATE_DECIMALS``: the rounding of every coordinate on disk (6 decimals, about 0.1 m).
- ``to_rfc7946``: a shapely geometry rounded to 6 decimals with counter-clockwise outer rings.
- ``feature``: one GeoJSON Feature dict with properties in a stable order.
- ``feature_collection``: a FeatureCollection dict (no ``crs`` member).
- ``dumps``: the byte-stable text of a collection, as written to ``data/geo/``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from typing import Any

import shapely
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from kupiansk_map.model import REQUIRED_PROPERTIES

COORDINATE_DECIMALS = 6


def to_rfc7946(geometry: BaseGeometry) -> BaseGeometry:
    """Round to ``COORDINATE_DECIMALS`` and orient polygons: outer rings counter-clockwise, holes clockwise."""
    if geometry is None or geometry.is_empty:
        raise ValueError("cannot write an empty geometry")
    rounded = shapely.set_precision(geometry, 10**-COORDINATE_DECIMALS)
    if rounded.is_empty:
        raise ValueError("geometry collapsed to nothing when rounded to 6 decimals")
    return shapely.orient_polygons(rounded, exterior_cw=False)


def _clean_number(value: Any) -> Any:
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"property value {value!r} is not a finite number")
        return round(value, 3)
    return value


def feature(geometry: BaseGeometry, properties: Mapping[str, Any]) -> dict[str, Any]:
    """A Feature with the required properties first, then the rest in alphabetical order."""
    missing = [key for key in REQUIRED_PROPERTIES if key not in properties]
    if missing:
        raise ValueError(f"feature {properties.get('id')!r} lacks required properties: {', '.join(missing)}")
    ordered = {key: _clean_number(properties[key]) for key in REQUIRED_PROPERTIES}
    for key in sorted(k for k in properties if k not in ordered):
        ordered[key] = _clean_number(properties[key])
    return {"type": "Feature", "properties": ordered, "geometry": mapping(to_rfc7946(geometry))}


def feature_collection(features: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """A FeatureCollection of ``features``, in the given order."""
    return {"type": "FeatureCollection", "features": list(features)}


def _round_coords(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return [_round_coords(v) for v in value]
    if isinstance(value, float):
        return round(value, COORDINATE_DECIMALS)
    return value


def dumps(collection: Mapping[str, Any]) -> str:
    """Serialize a collection the same way every time: compact features, one per line."""
    lines = []
    for feat in collection["features"]:
        geom = dict(feat["geometry"])
        geom["coordinates"] = _round_coords(geom["coordinates"])
        if geom["type"] == "GeometryCollection":
            raise ValueError("GeometryCollection is not used in this project's layers")
        lines.append(
            json.dumps(
                {"type": "Feature", "properties": feat["properties"], "geometry": geom},
                ensure_ascii=False,
                separators=(",", ":"),
                allow_nan=False,
            )
        )
    body = ",\n".join(lines)
    return '{"type":"FeatureCollection","features":[\n' + body + "\n]}\n"
