import csv
import datetime as dt
import io
import json

import pyogrio

from kupiansk_map.analysis.stats import figures_on
from kupiansk_map.export.downloads import figures_csv, geopackage, layer_geojson


def test_layer_geojson_in_full_and_filtered(layers):
    full = json.loads(layer_geojson(layers["occupied"]))
    assert len(full["features"]) == 4 and "crs" not in full
    one = json.loads(layer_geojson(layers["occupied"], day=dt.date(2024, 11, 13)))
    assert [f["properties"]["id"] for f in one["features"]] == ["occupied-2024-11"]


def test_geopackage_holds_every_layer(layers, tmp_path):
    path = tmp_path / "all.gpkg"
    path.write_bytes(geopackage(layers))
    names = {name for name, _ in pyogrio.list_layers(path)}
    assert names == set(layers)
    frame = pyogrio.read_dataframe(path, layer="kursk_salient")
    assert len(frame) == 4 and frame.crs.to_epsg() == 4326
    assert set(frame["status"]) == {"schematic"}


def test_geopackage_filtered_to_a_date(layers, tmp_path):
    path = tmp_path / "day.gpkg"
    path.write_bytes(geopackage(layers, day=dt.date(2022, 5, 1)))
    names = {name for name, _ in pyogrio.list_layers(path)}
    assert "kursk_salient" not in names and "occupied" in names


def test_figures_csv(layers):
    rows = list(csv.DictReader(io.StringIO(figures_csv(figures_on(layers, dt.date(2024, 11, 13))).decode("utf-8"))))
    by_key = {r["figure"]: r for r in rows}
    assert float(by_key["city_to_front_km"]["value"]) == 2.5 and by_key["city_to_front_km"]["unit"] == "km"
    assert by_key["population_source"]["value"].startswith("Reuters")
