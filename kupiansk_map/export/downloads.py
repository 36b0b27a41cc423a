"""What users can download: layers as GeoJSON, all layers as one GeoPackage, the figures as CSV.

Offers:
- ``layer_geojson``: one layer as RFC 7946 GeoJSON bytes, in full or filtered to a date.
- ``geopackage``: every layer in one GeoPackage file (one table per layer), as bytes.
- ``figures_csv``: the figures for a date as CSV bytes, with labels and units.
- ``refusal``: why a layer cannot be downloaded filtered to a date (its sector is not mapped then), or None.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import geopandas as gpd

from kupiansk_map.analysis import coverage
from kupiansk_map.analysis.stats import FIGURE_LABELS, SituationFigures
from kupiansk_map.geo.geojson import dumps
from kupiansk_map.model import features_on


def refusal(layers: Mapping[str, Mapping[str, Any]], layer_id: str, day: dt.date | None) -> str | None:
    """The not-mapped message when ``layer_id`` belongs to a sector with no mapped state on ``day``, else None
    (also None with no ``day``, or for a layer outside the sectors)."""
    sector = coverage.sector_of(layer_id)
    if day is None or sector is None:
        return None
    try:
        coverage.require_mapped(layers, sector, day)
    except coverage.NotMapped as exc:
        return str(exc)
    return None


def layer_geojson(collection: Mapping[str, Any], *, day: dt.date | None = None) -> bytes:
    """The layer as GeoJSON; with ``day``, only the features valid on that date."""
    features = collection["features"] if day is None else features_on(collection["features"], day)
    return dumps({"type": "FeatureCollection", "features": list(features)}).encode("utf-8")


def geopackage(layers: Mapping[str, Mapping[str, Any]], *, day: dt.date | None = None) -> bytes:
    """Every layer as a table of one GeoPackage (EPSG:4326); with ``day``, filtered to that date."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "kupiansk-map.gpkg"
        for layer_id, collection in layers.items():
            features = collection["features"] if day is None else features_on(collection["features"], day)
            if not features:
                continue
            frame = gpd.GeoDataFrame.from_features(list(features), crs="EPSG:4326")
            frame.to_file(path, layer=layer_id, driver="GPKG", engine="pyogrio")
        return path.read_bytes()


def figures_csv(figures: SituationFigures) -> bytes:
    """The figures as CSV: figure, label, value, unit."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["date", "figure", "label", "value", "unit"])
    values = figures.as_dict()
    for key, (label, unit) in FIGURE_LABELS.items():
        value = values[key]
        writer.writerow([figures.date, key, label, "" if value is None else value, unit])
    writer.writerow(
        [figures.date, "population_source", "Source of the population figures", figures.population_source or "", ""]
    )
    return out.getvalue().encode("utf-8")
