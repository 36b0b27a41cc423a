"""The truths the layers must hold: geography, dates, measures and provenance."""

from __future__ import annotations

from itertools import pairwise

import pytest
import shapely
from conftest import by_id, geom
from shapely.geometry import LineString, Point, shape
from shapely.ops import nearest_points, split

from kupiansk_map.geo.crs import to_lonlat, to_metric
from kupiansk_map.geo.measure import bearing_deg, distance_km, geodesic_area_km2, geodesic_length_km
from kupiansk_map.layers import builders as layer_builders
from kupiansk_map.layers.definitions import figures, timeline
from kupiansk_map.model import LAYER_IDS, REQUIRED_PROPERTIES, STATUSES, features_on, layer_spec, parse_iso_date

KUP, KUR = 32637, 32636
CENTRE = Point(37.6167, 49.7064)  # facts.md: Wikipedia coordinates
SUDZHA = Point(35.2706, 51.1914)


def on(layers, layer_id, day):
    found = features_on(layers[layer_id]["features"], parse_iso_date(day))  # the tests write dates as text
    assert found, f"{layer_id} has nothing valid on {day}"
    return shapely.union_all([geom(f) for f in found])


def _russia(layers):
    return layer_builders._context().russia


def _river_x_at(layers, lat):
    river = geom(layers["oskil"]["features"][0])
    crossing = river.intersection(LineString([(36.0, lat), (39.0, lat)]))
    return [p.x for p in getattr(crossing, "geoms", [crossing])]


# --- Every layer ---------------------------------------------------------------------------------------------


def test_every_layer_is_built(layers):
    assert list(layers) == list(LAYER_IDS)


def test_every_feature_carries_the_data_model(layers):
    for layer_id, collection in layers.items():
        ids = [f["properties"]["id"] for f in collection["features"]]
        assert len(ids) == len(set(ids)), f"{layer_id}: duplicate ids"
        for feat in collection["features"]:
            props = feat["properties"]
            assert set(REQUIRED_PROPERTIES) <= set(props), (layer_id, props["id"])
            assert props["status"] in STATUSES
            assert props["source"].strip() and props["name"].strip() and props["note"].strip()
            if props["valid_from"] and props["valid_to"]:
                assert props["valid_from"] < props["valid_to"]


def test_all_geometries_are_valid_and_non_empty(layers):
    for layer_id, collection in layers.items():
        for feat in collection["features"]:
            g = geom(feat)
            assert g.is_valid and not g.is_empty, (layer_id, feat["properties"]["id"], shapely.is_valid_reason(g))


def test_polygons_carry_geodesic_area_and_lines_geodesic_length(layers):
    for collection in layers.values():
        for feat in collection["features"]:
            g, props = geom(feat), feat["properties"]
            if g.geom_type.endswith("Polygon"):
                assert props["area_km2"] == pytest.approx(geodesic_area_km2(g), abs=1e-3)
            elif g.geom_type.endswith("LineString"):
                assert props["length_km"] == pytest.approx(geodesic_length_km(g), abs=1e-3)


def test_dated_layers_have_dates_and_static_layers_do_not(layers):
    for layer_id, collection in layers.items():
        for feat in collection["features"]:
            dated = feat["properties"]["valid_from"] is not None
            assert dated == layer_spec(layer_id).dated, (layer_id, feat["properties"]["id"])


def test_states_of_a_layer_do_not_overlap_in_time(layers):
    for layer_id in ("occupied", "front_line", "front_buffer", "kursk_salient"):
        props = sorted((f["properties"] for f in layers[layer_id]["features"]), key=lambda p: p["valid_from"])
        gaps = [(a["valid_to"], b["valid_from"]) for a, b in pairwise(props) if a["valid_to"] != b["valid_from"]]
        assert all(a["valid_to"] <= b["valid_from"] for a, b in pairwise(props)), layer_id
        # The one span our sources do not describe: the Kupiansk sector from 2023 until November 2024.
        assert gaps == ([] if layer_id == "kursk_salient" else [("2023-01-01", "2024-11-01")]), layer_id


def test_no_state_is_claimed_past_the_story(layers):
    for collection in layers.values():
        for feat in collection["features"]:
            if feat["properties"]["valid_from"]:
                assert feat["properties"]["valid_to"] <= timeline.STORY_END.isoformat()


def test_approximated_shapes_are_schematic(layers):
    for layer_id in (
        "kupiansk",
        "industrial_zone",
        "railways",
        "occupied",
        "front_line",
        "front_buffer",
        "kursk_salient",
        "front_overview",
    ):
        for feat in layers[layer_id]["features"]:
            assert feat["properties"]["status"] == "schematic", (layer_id, feat["properties"]["id"])
            assert "schematic" in feat["properties"]["note"].lower(), (layer_id, feat["properties"]["id"])


# --- City and front -------------------------------------------------------------------------------------------


def test_city_is_2_5_km_from_the_front_on_13_november_2024(layers):
    city = geom(layers["kupiansk"]["features"][0])
    front = on(layers, "front_line", "2024-11-13")
    assert distance_km(city, front, epsg=KUP) == pytest.approx(figures.CITY_TO_FRONT_KM.value, abs=0.1)


def test_front_comes_closest_from_the_north_north_east(layers):
    city_m = to_metric(geom(layers["kupiansk"]["features"][0]), KUP)
    front_m = to_metric(on(layers, "front_line", "2024-11-13"), KUP)
    nearest = to_lonlat(nearest_points(city_m, front_m)[1], KUP)
    assert 0.0 <= bearing_deg(CENTRE, nearest) <= 45.0


def test_every_buffer_is_a_metric_buffer_of_its_line(layers):
    fronts = by_id(layers["front_line"])
    for feat in layers["front_buffer"]["features"]:
        props = feat["properties"]
        assert props["distance_km"] == 2.5
        expected = to_metric(geom(fronts[props["front_id"]]), KUP).buffer(2_500, quad_segs=32)
        actual = to_metric(geom(feat), KUP)
        assert actual.symmetric_difference(expected).area / expected.area < 0.002, props["id"]
        assert (props["valid_from"], props["valid_to"]) == (
            fronts[props["front_id"]]["properties"]["valid_from"],
            fronts[props["front_id"]]["properties"]["valid_to"],
        )


def test_buffer_is_not_a_degree_buffer(layers):
    feat = by_id(layers["front_buffer"])["buffer-front-2024-11"]
    line = geom(by_id(layers["front_line"])["front-2024-11"])
    degree_buffer = line.buffer(2.5 / 111.0)  # the mistake: 2.5 km read as degrees of latitude
    assert geom(feat).symmetric_difference(degree_buffer).area / degree_buffer.area > 0.05


def test_buffer_builder_takes_the_distance(layers):
    wider = layer_builders.build_front_buffer(layers["front_line"], distance_km=10.0)
    feat = by_id(wider)["buffer-front-2024-11"]
    assert feat["properties"]["distance_km"] == 10.0
    front_m = to_metric(geom(by_id(layers["front_line"])["front-2024-11"]), KUP)
    edge = shapely.points(shapely.get_coordinates(to_metric(geom(feat), KUP).boundary))
    assert shapely.distance(edge, front_m).max() == pytest.approx(10_000, abs=5)
    with pytest.raises(ValueError, match="between 0 and 100 km"):
        layer_builders.build_front_buffer(layers["front_line"], distance_km=0)


@pytest.mark.parametrize(
    "day, inside",
    [
        ("2022-02-27", True),
        ("2022-06-01", True),
        ("2022-09-09", True),
        ("2022-09-10", False),
        ("2022-09-20", False),
        ("2022-12-31", False),
        ("2024-11-13", False),
    ],
)
def test_city_centre_is_behind_russian_lines_only_until_the_recapture(layers, day, inside):
    assert on(layers, "occupied", day).contains(CENTRE) is inside


def test_each_front_line_runs_along_its_occupied_edge(layers):
    occupied = by_id(layers["occupied"])
    for feat in layers["front_line"]["features"]:
        props = feat["properties"]
        state = occupied[props["id"].replace("front-", "occupied-")]
        assert (state["properties"]["valid_from"], state["properties"]["valid_to"]) == (
            props["valid_from"],
            props["valid_to"],
        )
        edge_m = to_metric(geom(state).boundary, KUP)
        front_m = to_metric(geom(feat), KUP)
        assert edge_m.buffer(1.0).contains(front_m), props["id"]
        assert front_m.length > 20_000


def test_front_line_lies_inside_ukraine(layers):
    russia_m = to_metric(_russia(layers), KUP)
    for feat in layers["front_line"]["features"]:
        inside = to_metric(geom(feat), KUP).intersection(russia_m.buffer(-50))
        assert inside.length == 0, feat["properties"]["id"]


def test_occupied_covers_at_least_30_km_around_the_city(layers):
    for feat in layers["occupied"]["features"]:
        bounds = to_metric(geom(feat), KUP).bounds
        reach = to_metric(CENTRE, KUP).buffer(30_000).bounds
        # The sector the states are drawn in reaches 30 km in every direction inside Ukraine.
        assert bounds[1] <= reach[1] and bounds[2] >= reach[2], feat["properties"]["id"]


def test_required_sector_states_exist(layers):
    for day in map(parse_iso_date, ("2022-03-01", "2022-09-15", "2022-10-15", "2024-11-13")):
        assert len(features_on(layers["occupied"]["features"], day)) == 1
        assert len(features_on(layers["front_line"]["features"], day)) == 1


def test_front_follows_the_east_bank_north_of_the_city_in_november_2024(layers):
    occupied = on(layers, "occupied", "2024-11-13")
    for lat in (49.80, 49.85, 49.90):
        (river_x,) = _river_x_at(layers, lat)
        assert occupied.contains(Point(river_x + 0.02, lat)), lat  # east bank: Russian-held
        assert not occupied.contains(Point(river_x - 0.02, lat)), lat  # west bank: not


def test_ukraine_holds_ground_east_of_the_river_around_and_south_of_the_city(layers):
    occupied = on(layers, "occupied", "2024-11-13")
    for lat in (49.70, 49.65, 49.55):
        river_x = max(_river_x_at(layers, lat))
        assert not occupied.contains(Point(river_x + 0.03, lat)), lat


def test_east_bank_was_still_held_after_ukraine_re_entered_the_city(layers):
    occupied = on(layers, "occupied", "2022-09-15")
    (river_x,) = _river_x_at(layers, 49.66)
    assert occupied.contains(Point(river_x + 0.03, 49.66))
    assert not occupied.contains(Point(river_x - 0.03, 49.66))
    assert not on(layers, "occupied", "2022-10-15").contains(Point(river_x + 0.03, 49.66))


# --- Faithful geography --------------------------------------------------------------------------------------


def test_city_outline_spans_both_banks_with_most_of_it_on_the_west(layers):
    city = geom(layers["kupiansk"]["features"][0])
    river = geom(layers["oskil"]["features"][0])
    assert city.contains(CENTRE)
    assert city.intersects(river)
    west, east = split(city, river).geoms  # the river crosses the city once
    west, east = sorted((west, east), key=lambda g: g.centroid.x)
    assert geodesic_area_km2(west) > geodesic_area_km2(east) > 3.0
    assert 15.0 < geodesic_area_km2(city) < 60.0


def test_city_centre_lies_on_the_river_within_the_datasets_accuracy(layers):
    river = geom(layers["oskil"]["features"][0])
    assert distance_km(CENTRE, river, epsg=KUP) < 1.0


def test_oskil_flows_north_to_south_through_the_city_for_25_km_each_way(layers):
    river = geom(layers["oskil"]["features"][0])
    start, end = Point(river.coords[0]), Point(river.coords[-1])
    assert start.y > end.y
    assert distance_km(Point(CENTRE.x, start.y), CENTRE, epsg=KUP) > 25
    assert distance_km(Point(CENTRE.x, end.y), CENTRE, epsg=KUP) > 25
    assert layers["oskil"]["features"][0]["properties"]["source"].startswith("GSHHG")


def test_kupiansk_vuzlovyi_is_8_km_south_south_east_across_the_river(layers):
    point = geom(by_id(layers["places"])["kupiansk-vuzlovyi"])
    assert distance_km(CENTRE, point, epsg=KUP) == pytest.approx(8.0, abs=0.3)
    assert 135 <= bearing_deg(CENTRE, point) <= 180
    assert point.x > max(_river_x_at(layers, point.y))


def test_railways_radiate_from_the_junction_to_their_towns(layers):
    places = by_id(layers["places"])
    junction = geom(places["kupiansk-vuzlovyi"])
    ends = {
        "railway-kharkiv": "kharkiv",
        "railway-valuyki": "valuyki",
        "railway-svatove": "svatove",
        "railway-lyman": "lyman",
    }
    for line_id, town in ends.items():
        line = geom(by_id(layers["railways"])[line_id])
        assert Point(line.coords[0]).distance(junction) < 1e-6
        assert distance_km(Point(line.coords[-1]), geom(places[town]), epsg=KUP) < 0.5


def test_places_sit_at_their_sourced_coordinates(layers):
    places = by_id(layers["places"])
    assert geom(places["kupiansk"]).equals_exact(CENTRE, 1e-6)
    assert geom(places["sudzha"]).equals_exact(SUDZHA, 1e-6)
    for place_id in ("kupiansk", "kupiansk-vuzlovyi", "sudzha", "kursk", "kharkiv", "belgorod"):
        assert place_id in places


def test_places_are_on_the_right_side_of_the_border(layers):
    russia = _russia(layers)
    for feat in layers["places"]["features"]:
        props = feat["properties"]
        assert russia.contains(geom(feat)) == (props["country"] == "RU"), props["id"]


def test_border_passes_between_sudzha_and_sumy_and_north_east_of_kupiansk(layers):
    border = geom(layers["state_border"]["features"][0])
    assert 5 < distance_km(SUDZHA, border, epsg=KUR) < 20
    assert 25 < distance_km(CENTRE, border, epsg=KUP) < 45
    nearest = nearest_points(CENTRE, border)[1]
    assert 0 < bearing_deg(CENTRE, nearest) < 90


# --- Kursk --------------------------------------------------------------------------------------------------


def test_kursk_areas_match_reported_figures(layers):
    for feat in layers["kursk_salient"]["features"]:
        props = feat["properties"]
        if props["reported_area_km2"] is None:
            assert props["id"] == "kursk-2024-08-06" and "no area figure" in props["note"].lower()
            continue
        assert props["area_km2"] == pytest.approx(props["reported_area_km2"], rel=0.02)
        assert geodesic_area_km2(geom(feat)) == pytest.approx(props["reported_area_km2"], rel=0.02)


def test_kursk_states_cover_the_reported_sequence(layers):
    assert geodesic_area_km2(on(layers, "kursk_salient", "2024-08-06")) < 1000
    assert on(layers, "kursk_salient", "2024-09-01") is not None
    assert 800 <= geodesic_area_km2(on(layers, "kursk_salient", "2024-10-01")) <= 900
    assert geodesic_area_km2(on(layers, "kursk_salient", "2024-11-13")) == pytest.approx(600, rel=0.02)
    peak = by_id(layers["kursk_salient"])["kursk-2024-08-20"]["properties"]
    assert peak["area_status"] == "claimed-ua"


def test_kursk_shrinks_inside_its_earlier_states_after_the_peak(layers):
    states = sorted(layers["kursk_salient"]["features"], key=lambda f: f["properties"]["valid_from"])
    peak_index = max(range(len(states)), key=lambda i: states[i]["properties"]["area_km2"])
    after = states[peak_index:]
    for earlier, later in pairwise(after):
        outside = to_metric(geom(later), KUR).difference(to_metric(geom(earlier), KUR).buffer(1.0))
        assert outside.area < 1e4, later["properties"]["id"]  # under 0.01 km², the 6-decimal rounding


def test_every_kursk_state_touches_the_border_and_lies_in_russia(layers):
    border = geom(layers["state_border"]["features"][0])
    russia_m = to_metric(_russia(layers), KUR)
    for feat in layers["kursk_salient"]["features"]:
        held_m = to_metric(geom(feat), KUR)
        assert held_m.distance(to_metric(border, KUR)) < 1.0
        assert held_m.difference(russia_m.buffer(1.0)).area < 1e4, feat["properties"]["id"]


def test_november_2024_state_contains_sudzha(layers):
    assert on(layers, "kursk_salient", "2024-11-13").contains(SUDZHA)
    assert on(layers, "kursk_salient", "2024-10-01").contains(SUDZHA)


# --- Events ---------------------------------------------------------------------------------------------------


def test_events_cover_the_story(layers):
    events = by_id(layers["events"])
    for event_id in (
        "occupation-2022",
        "recapture-2022",
        "kursk-incursion-2024",
        "assault-2024-11-13",
        "assault-entered-outskirts",
        "claim-ua-repelled",
        "claim-ru-foothold",
        "kursk-force-50000",
        "axis-north",
        "axis-north-east",
    ):
        assert event_id in events
    assault = events["assault-2024-11-13"]["properties"]
    assert (assault["waves"], assault["vehicles"], assault["event_date"]) == (4, 15, "2024-11-13")
    assert events["kursk-force-50000"]["properties"]["troops"] == 50_000
    assert events["occupation-2022"]["properties"]["event_date"] == "2022-02-27"
    assert events["kursk-incursion-2024"]["properties"]["event_date"] == "2024-08-06"


def test_each_sides_claim_is_its_own_feature_and_never_fact(layers):
    claims = [f["properties"] for f in layers["events"]["features"] if f["properties"]["kind"] == "claim"]
    statuses = {p["status"] for p in claims}
    assert {"claimed-ua", "claimed-ru"} <= statuses
    for p in claims:
        assert p["status"] in ("claimed-ua", "claimed-ru")
        assert p["claimant"] == {"claimed-ua": "Ukraine", "claimed-ru": "Russia"}[p["status"]]
        assert "verified" in p["note"]


def test_assault_axes_run_from_russian_held_ground_into_the_areas_entered(layers):
    events, zones = by_id(layers["events"]), by_id(layers["industrial_zone"])
    occupied = on(layers, "occupied", "2024-11-13")
    targets = {"axis-north": "north-eastern-suburbs", "axis-north-east": "industrial-zone"}
    for axis_id, zone_id in targets.items():
        axis = geom(events[axis_id])
        assert occupied.contains(Point(axis.coords[0]))
        assert geom(zones[zone_id]).contains(Point(axis.coords[-1]))


def test_industrial_zone_and_suburbs_are_in_the_city_facing_the_attack(layers):
    city = geom(layers["kupiansk"]["features"][0])
    zones = by_id(layers["industrial_zone"])
    assert {z["properties"]["kind"] for z in zones.values()} == {"industrial", "suburb"}
    for zone in zones.values():
        assert city.buffer(1e-6).contains(geom(zone))
        assert geom(zone).centroid.y > CENTRE.y  # the northern side, towards the attack


def test_front_overview_is_a_long_front_through_kupiansk(layers):
    feat = layers["front_overview"]["features"][0]
    assert feat["properties"]["valid_from"] == "2024-11-01"
    assert feat["properties"]["length_km"] > 850
    assert distance_km(CENTRE, geom(feat), epsg=KUP) < 10


def test_front_overview_follows_the_sector_front_near_kupiansk(layers):
    overview_m = to_metric(geom(layers["front_overview"]["features"][0]), KUP)
    sector_m = to_metric(on(layers, "front_line", "2024-11-13"), KUP)
    vertices = shapely.points(shapely.get_coordinates(sector_m))
    assert shapely.distance(vertices, overview_m).max() < 100  # metres: the overview is simplified by ~50 m


def test_an_invalid_authored_shape_is_repaired_and_the_build_says_so(caplog):
    from shapely.geometry import Polygon

    bowtie = Polygon([(37.60, 49.70), (37.62, 49.72), (37.62, 49.70), (37.60, 49.72), (37.60, 49.70)])
    with caplog.at_level("WARNING", logger="kupiansk_map.layers.build"):
        feat = layer_builders._feature(bowtie, id="bowtie", name="B", status="schematic", source="s", note="n")
    assert shape(feat["geometry"]).is_valid and feat["properties"]["area_km2"] > 0
    assert "feature 'bowtie': Self-intersection" in caplog.text and "repaired" in caplog.text
