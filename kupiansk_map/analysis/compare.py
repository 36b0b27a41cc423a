"""Compare two dates: the ground that changed hands in each dated polygon layer.

Offers:
- ``utm_epsg`` (from ``crs``): the metric CRS (a northern UTM zone, standard 6° zones) for a longitude; 37N east
  of 36° E, 36N from 30° E to 36° E. The analysis modules share it.
- ``LayerChange``: one layer's areas on both dates, the ground gained and lost, and those areas as lon/lat
  geometries.
- ``Comparison``: the two dates and one ``LayerChange`` per compared layer; ``as_dict`` for JSON.
- ``compare_dates``: compute a ``Comparison`` from a mapping of layer id to FeatureCollection.
- ``comparison_layers``: the gained and lost ground as FeatureCollections in the project's data model.
- ``as_rows``: one plain dict per layer, for a table or CSV.
- ``ROW_LABELS``: a plain-words label and unit for each key of those rows, for tables people read.

How it measures: the union of a layer's features valid on each date is projected to the UTM zone of the
layer (EPSG:32637 for the Kupiansk sector, 32636 for Kursk); ``gained`` (held on ``d2`` but not on ``d1``)
and ``lost`` (held on ``d1`` but not on ``d2``) are computed there with shapely, then brought back to lon/lat
and measured geodesically on the WGS84 ellipsoid, like every area in the project. Overlay slivers are
dropped: parts smaller than ``min_part_km2`` (1 ha by default) or narrower than about 2 m on average. So
``gained_km2 - lost_km2`` can differ from ``net_km2`` (the difference of the two dates' areas) by those
slivers, a few hectares at most.

Derived features (``comparison_layers``): ``id`` ``<layer>-gained-<d1>-<d2>`` (or ``lost``), ``valid_from`` =
``d1`` and ``valid_to`` = the day after ``d2``, so they show on every date of the compared interval, both
ends included; ``status`` is the status of the compared features when they all share one, else
``schematic`` (a difference of schematic shapes is no more exact than they are); ``source`` names the
compared feature ids; ``area_km2`` is geodesic. Empty changes give no feature.

Coverage (``coverage``): a date on which a compared layer's sector has no mapped state is refused with
``coverage.NotMapped`` (a ``ValueError`` naming the mapped ranges), so a date after the data's end never reads as
"everything lost". When unmapped spans lie between the two dates, the change has no date of its own: its
``undated`` field (and ``undated`` in rows and JSON, and the derived features' note) says it "happened at an
unknown time between X and Y".
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon, shape
from shapely.geometry.base import BaseGeometry

from kupiansk_map.analysis import coverage
from kupiansk_map.geo import geojson
from kupiansk_map.geo.crs import to_lonlat, to_metric, utm_epsg
from kupiansk_map.geo.measure import geodesic_area_km2
from kupiansk_map.i18n import N_
from kupiansk_map.model import features_on, layer_spec, require_date

Collection = dict[str, Any]

DEFAULT_LAYER_IDS: tuple[str, ...] = ("occupied", "kursk_salient")
_POLYGONAL = ("Polygon", "MultiPolygon")
_SLIVER_HALF_WIDTH_M = 1.0  # area / perimeter below this: a part narrower than about 2 m


@dataclass(frozen=True)
class LayerChange:
    """One layer between two dates. Areas in km², geodesic; geometries in lon/lat WGS84 (maybe empty)."""

    layer_id: str
    epsg: int
    area_d1_km2: float
    area_d2_km2: float
    gained_km2: float
    lost_km2: float
    net_km2: float
    ids_d1: tuple[str, ...]
    ids_d2: tuple[str, ...]
    status: str
    gained: BaseGeometry
    lost: BaseGeometry
    undated: str | None = None  # "happened at an unknown time between X and Y", when unmapped spans lie between

    def as_dict(self) -> dict[str, Any]:
        """The figures, without the geometries."""
        return {
            "layer": self.layer_id,
            "epsg": self.epsg,
            "area_d1_km2": self.area_d1_km2,
            "area_d2_km2": self.area_d2_km2,
            "gained_km2": self.gained_km2,
            "lost_km2": self.lost_km2,
            "net_km2": self.net_km2,
            "ids_d1": list(self.ids_d1),
            "ids_d2": list(self.ids_d2),
            "status": self.status,
            "undated": self.undated,
        }


@dataclass(frozen=True)
class Comparison:
    """Two dates (``d1`` <= ``d2``) and the change in each compared layer, in the order asked."""

    d1: dt.date
    d2: dt.date
    changes: tuple[LayerChange, ...]

    def change(self, layer_id: str) -> LayerChange:
        for change in self.changes:
            if change.layer_id == layer_id:
                return change
        raise KeyError(f"layer {layer_id!r} was not compared; compared: {', '.join(c.layer_id for c in self.changes)}")

    def as_dict(self) -> dict[str, Any]:
        return {"d1": self.d1.isoformat(), "d2": self.d2.isoformat(), "layers": [c.as_dict() for c in self.changes]}


# --- input checks: the one place that gathers every problem -------------------------------------------


def _checked(
    layers: Any, d1: Any, d2: Any, layer_ids: Any, min_part_km2: Any
) -> tuple[dt.date, dt.date, tuple[str, ...]]:
    problems: list[str] = []
    dates: list[dt.date] = []
    for label, value in (("d1", d1), ("d2", d2)):
        dates.append(require_date(value, name=label))
    if len(dates) == 2 and dates[0] > dates[1]:
        problems.append(
            f"d1 ({dates[0].isoformat()}) comes after d2 ({dates[1].isoformat()}); give the earlier date first"
        )
    if isinstance(layer_ids, str):
        layer_ids = (layer_ids,)
    ids = tuple(layer_ids) if isinstance(layer_ids, Iterable) else ()
    if not ids:
        problems.append("layer_ids: name at least one layer to compare")
    if (
        not isinstance(min_part_km2, (int, float))
        or isinstance(min_part_km2, bool)
        or not math.isfinite(min_part_km2)
        or min_part_km2 < 0
    ):
        problems.append(f"min_part_km2 must be a finite number of zero or more, got {min_part_km2!r}")
    if not isinstance(layers, Mapping):
        problems.append(f"layers must map layer ids to FeatureCollections, got {type(layers).__name__}")
        ids = ()
    for layer_id in ids:
        if not isinstance(layer_id, str):
            problems.append(f"layer_ids: {layer_id!r} is not a layer id")
            continue
        collection = layers.get(layer_id)
        if collection is None:
            problems.append(f"layer {layer_id}: not loaded (available: {', '.join(sorted(layers)) or 'none'})")
            continue
        features = collection.get("features") if isinstance(collection, Mapping) else None
        if not isinstance(features, list):
            problems.append(f"layer {layer_id}: not a FeatureCollection with a features array")
            continue
        for index, feat in enumerate(features):
            props = feat.get("properties") if isinstance(feat, Mapping) else None
            fid = props.get("id") if isinstance(props, Mapping) else None
            where = f"layer {layer_id}: feature {index} (id {fid!r})"
            geometry = feat.get("geometry") if isinstance(feat, Mapping) else None
            gtype = geometry.get("type") if isinstance(geometry, Mapping) else None
            if gtype not in _POLYGONAL:
                problems.append(
                    f"{where}: geometry.type: {gtype!r} is not a Polygon or MultiPolygon; "
                    "only polygon layers can be compared"
                )
            # The features' dates are not checked again: the store (or the upload) validated the layers.
    if problems:
        raise ValueError(_problem_message("cannot compare the dates", problems))
    _check_mapped(layers, ids, dates[0], dates[1])
    return dates[0], dates[1], ids


def _check_mapped(layers: Mapping[str, Any], ids: tuple[str, ...], d1: dt.date, d2: dt.date) -> None:
    """Refuse a date on which a compared layer's sector has no mapped state (every such date named at once)."""
    refused: list[coverage.NotMapped] = []
    for sector in dict.fromkeys(s for s in map(coverage.sector_of, ids) if s is not None):
        for day in dict.fromkeys((d1, d2)):
            try:
                coverage.require_mapped(layers, sector, day)
            except coverage.NotMapped as exc:
                refused.append(exc)
    if refused:
        first = refused[0]
        raise coverage.NotMapped(first.sector, first.day, first.ranges, also=tuple(str(e) for e in refused[1:]))


def _problem_message(title: str, problems: list[str], *, limit: int = 20) -> str:
    shown = problems[:limit]
    if len(problems) > limit:
        shown.append(f"... and {len(problems) - limit} more problems")
    return f"{title}:\n  " + "\n  ".join(shown)


# --- the computation ----------------------------------------------------------------------------------


def _union(features: Sequence[Mapping[str, Any]]) -> BaseGeometry:
    if not features:
        return Polygon()
    geometries = np.array([shape(f["geometry"]) for f in features], dtype=object)
    geometries = shapely.make_valid(geometries)
    return shapely.union_all(geometries)


def _polygon_parts(geometry: BaseGeometry, *, min_area_m2: float) -> BaseGeometry:
    """The polygon parts of a metric overlay result, without slivers (vectorised)."""
    parts = shapely.get_parts(shapely.get_parts(geometry))
    if parts.size == 0:
        return Polygon()
    kind = shapely.get_type_id(parts)
    parts = parts[kind == 3]  # Polygon
    if parts.size == 0:
        return Polygon()
    area = shapely.area(parts)
    perimeter = shapely.length(parts)
    with np.errstate(divide="ignore", invalid="ignore"):
        keep = (area >= min_area_m2) & (area > 0) & (area / perimeter >= _SLIVER_HALF_WIDTH_M)
    kept = parts[keep]
    if kept.size == 0:
        return Polygon()
    return kept[0] if kept.size == 1 else MultiPolygon(list(kept))


def _area_km2(geometry: BaseGeometry) -> float:
    return 0.0 if geometry.is_empty else geodesic_area_km2(geometry)


def _status(features: Iterable[Mapping[str, Any]]) -> str:
    statuses = {s for f in features if isinstance(s := (f.get("properties") or {}).get("status"), str)}
    return statuses.pop() if len(statuses) == 1 else "schematic"


def _ids(features: Iterable[Mapping[str, Any]]) -> tuple[str, ...]:
    return tuple(str((f.get("properties") or {}).get("id")) for f in features)


def _layer_change(
    layers_all: Mapping[str, Any], layer_id: str, d1: dt.date, d2: dt.date, *, min_part_km2: float
) -> LayerChange:
    features = list(layers_all[layer_id]["features"])
    on_d1, on_d2 = features_on(features, d1), features_on(features, d2)
    before, after = _union(on_d1), _union(on_d2)
    both = shapely.union_all([before, after])
    if both.is_empty:
        epsg = utm_epsg(0.0)
        gained = lost = Polygon()
    else:
        centre = both.centroid
        epsg = utm_epsg(centre.x, centre.y)
        before_m, after_m = to_metric(before, epsg), to_metric(after, epsg)
        min_m2 = min_part_km2 * 1e6
        gained = _polygon_parts(shapely.difference(after_m, before_m), min_area_m2=min_m2)
        lost = _polygon_parts(shapely.difference(before_m, after_m), min_area_m2=min_m2)
        gained = to_lonlat(gained, epsg) if not gained.is_empty else gained
        lost = to_lonlat(lost, epsg) if not lost.is_empty else lost
    area1, area2 = _area_km2(before), _area_km2(after)
    sector = coverage.sector_of(layer_id)
    undated = None
    if sector is not None:
        undated = coverage.undated_change(coverage.mapped_ranges(layers_all, sector), d1, d2)
    return LayerChange(
        layer_id=layer_id,
        epsg=epsg,
        area_d1_km2=area1,
        area_d2_km2=area2,
        gained_km2=_area_km2(gained),
        lost_km2=_area_km2(lost),
        net_km2=area2 - area1,
        ids_d1=_ids(on_d1),
        ids_d2=_ids(on_d2),
        status=_status([*on_d1, *on_d2]),
        gained=gained,
        lost=lost,
        undated=undated,
    )


def compare_dates(
    layers: Mapping[str, Mapping[str, Any]],
    d1: dt.date,
    d2: dt.date,
    *,
    layer_ids: Sequence[str] = DEFAULT_LAYER_IDS,
    min_part_km2: float = 0.01,
) -> Comparison:
    """The ground gained and lost in each of ``layer_ids`` between ``d1`` and ``d2`` (``d1`` <= ``d2``).

    Raises ``ValueError`` listing every problem at once: bad or reversed dates, unknown or missing layers,
    features that are not polygons (each named by layer, index and id); then ``coverage.NotMapped`` when a
    compared sector has no mapped state on either date. The layers are trusted otherwise: the store validated
    them when they were loaded.
    """
    day1, day2, ids = _checked(layers, d1, d2, layer_ids, min_part_km2)
    changes = tuple(_layer_change(layers, layer_id, day1, day2, min_part_km2=float(min_part_km2)) for layer_id in ids)
    return Comparison(day1, day2, changes)


# --- output -------------------------------------------------------------------------------------------


def _title(layer_id: str) -> str:
    try:
        return layer_spec(layer_id).title
    except KeyError:
        return layer_id


def _change_feature(change: LayerChange, comparison: Comparison, kind: str) -> dict[str, Any] | None:
    geometry = change.gained if kind == "gained" else change.lost
    if geometry.is_empty:
        return None
    d1, d2 = comparison.d1.isoformat(), comparison.d2.isoformat()
    held, not_held = (d2, d1) if kind == "gained" else (d1, d2)
    area = change.gained_km2 if kind == "gained" else change.lost_km2
    ids1 = ", ".join(change.ids_d1) or "no feature"
    ids2 = ", ".join(change.ids_d2) or "no feature"
    utm = f"UTM zone {change.epsg - 32600}N" if 32601 <= change.epsg <= 32660 else f"EPSG:{change.epsg}"
    properties = {
        "id": f"{change.layer_id}-{kind}-{d1}-{d2}",
        "name": f"{_title(change.layer_id)}: {kind} between {d1} and {d2}",
        "valid_from": d1,
        "valid_to": (comparison.d2 + dt.timedelta(days=1)).isoformat(),
        "status": change.status,
        "source": f"Derived from layer {change.layer_id}: {ids1} ({d1}) compared with {ids2} ({d2})",
        "note": (
            f"Ground in this layer on {held} but not on {not_held}, computed with shapely in {utm}; "
            "area measured on the WGS84 ellipsoid. As exact as the compared shapes"
            + (", which are schematic." if change.status == "schematic" else ".")
            + (f" No source dates this change: it {change.undated}." if change.undated else "")
        ),
        "area_km2": round(area, 3),
        "change": kind,
        "layer": change.layer_id,
    }
    return geojson.feature(geometry, properties)


def comparison_layers(comparison: Comparison) -> dict[str, Collection]:
    """``{"<layer>_gained": FeatureCollection, "<layer>_lost": ...}`` for drawing; empty changes give empty
    collections. Features follow the project's data model (see the module docstring)."""
    out: dict[str, Collection] = {}
    for change in comparison.changes:
        for kind in ("gained", "lost"):
            feat = _change_feature(change, comparison, kind)
            out[f"{change.layer_id}_{kind}"] = geojson.feature_collection([feat] if feat else [])
    return out


ROW_LABELS: dict[str, tuple[str, str]] = {
    "layer": (N_("Layer id"), ""),
    "title": (N_("Layer"), ""),
    "date_1": (N_("Earlier date"), ""),
    "date_2": (N_("Later date"), ""),
    "area_date_1_km2": (N_("Area on the earlier date"), "km²"),
    "area_date_2_km2": (N_("Area on the later date"), "km²"),
    "gained_km2": (N_("Gained"), "km²"),
    "lost_km2": (N_("Lost"), "km²"),
    "net_change_km2": (N_("Net change"), "km²"),
    "undated": (N_("When the change happened"), ""),
}


def as_rows(comparison: Comparison, *, digits: int = 2) -> list[dict[str, Any]]:
    """One row per layer: layer, title, the dates, both areas, gained, lost and net change (km²), and
    ``undated`` (the words for a change no source dates, or None)."""
    return [
        {
            "layer": c.layer_id,
            "title": _title(c.layer_id),
            "date_1": comparison.d1.isoformat(),
            "date_2": comparison.d2.isoformat(),
            "area_date_1_km2": round(c.area_d1_km2, digits),
            "area_date_2_km2": round(c.area_d2_km2, digits),
            "gained_km2": round(c.gained_km2, digits),
            "lost_km2": round(c.lost_km2, digits),
            "net_change_km2": round(c.net_km2, digits),
            "undated": c.undated,
        }
        for c in comparison.changes
    ]


__all__ = [
    "DEFAULT_LAYER_IDS",
    "ROW_LABELS",
    "Comparison",
    "LayerChange",
    "as_rows",
    "compare_dates",
    "comparison_layers",
    "utm_epsg",
]
