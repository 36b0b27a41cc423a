"""Tests for kupiansk_map.validate.checks, grouped by the module's public names."""

from __future__ import annotations

import builtins
import json
import math
from pathlib import Path
from typing import Any

import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kupiansk_map.geo.geojson import dumps, feature, feature_collection
from kupiansk_map.model import REQUIRED_PROPERTIES, STATUSES
from kupiansk_map.validate import checks as validate
from kupiansk_map.validate.checks import (
    MAX_FILE_BYTES,
    REGION_BOUNDS,
    Problem,
    load_feature_collection,
    validate_bytes,
    validate_file,
    validate_files,
    validate_object,
)

NAME = "test.geojson"
KUPIANSK = (37.6, 49.7)
FAST = settings(max_examples=200, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


# --- helpers -------------------------------------------------------------------------------------------


def _props(**changes: Any) -> dict[str, Any]:
    props = {
        "id": "f0",
        "name": "Kupiansk",
        "valid_from": "2024-11-13",
        "valid_to": None,
        "status": "reported",
        "source": "ISW",
        "note": "",
    }
    props.update(changes)
    return props


def _square(lon: float = KUPIANSK[0], lat: float = KUPIANSK[1], size: float = 0.01) -> list[list[float]]:
    """A closed counter-clockwise ring."""
    return [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]


def _point(lon: float = KUPIANSK[0], lat: float = KUPIANSK[1]) -> dict[str, Any]:
    return {"type": "Point", "coordinates": [lon, lat]}


def _polygon(*rings: list[list[float]]) -> dict[str, Any]:
    return {"type": "Polygon", "coordinates": list(rings) or [_square()]}


def _feature(geometry: Any = None, **props: Any) -> dict[str, Any]:
    return {"type": "Feature", "properties": _props(**props), "geometry": _point() if geometry is None else geometry}


def _collection(*features: Any) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": list(features)}


def _no_internal_errors(problems: list[Problem]) -> None:
    assert all(validate._INTERNAL not in p.message for p in problems), problems


def _check(
    problems: list[Problem],
    *,
    field: str | None,
    words: str,
    index: int | None = None,
    feature_id: str | None = None,
    file: str = NAME,
) -> Problem:
    """The one problem at ``index``/``field`` whose message has ``words``; checks how it prints."""
    _no_internal_errors(problems)
    found = [p for p in problems if p.index == index and p.field == field and words in p.message]
    assert len(found) == 1, f"no single problem at {index}/{field} with {words!r}: {[str(p) for p in problems]}"
    problem = found[0]
    text = str(problem)
    assert "\n" not in text
    assert text.startswith(f"{file}: ")
    if index is not None:
        where = f"feature {index}" + (f" (id {feature_id!r})" if feature_id is not None else "")
        assert f": {where}: " in text
    if field is not None:
        assert f": {field}: " in text
    assert text.endswith(problem.message)
    return problem


def _only(problems: list[Problem], **kwargs: Any) -> Problem:
    """Like ``_check``, and that problem is the only one."""
    problem = _check(problems, **kwargs)
    assert len(problems) == 1, [str(p) for p in problems]
    return problem


def _feature_problems(
    geometry: Any = None, *, strict_format: bool = False, require_model: bool = True, **props: Any
) -> list[Problem]:
    """The problems of a collection holding one feature with id 'f0' (unless changed)."""
    return validate_object(
        _collection(_feature(geometry, **props)), name=NAME, require_model=require_model, strict_format=strict_format
    )


# --- Problem -------------------------------------------------------------------------------------------


class TestProblem:
    def test_feature_level_line(self) -> None:
        problem = Problem("a.geojson", "bad date", index=3, feature_id="x", field="properties.valid_to")
        assert str(problem) == "a.geojson: feature 3 (id 'x'): properties.valid_to: bad date"

    def test_file_level_line(self) -> None:
        assert str(Problem("a.geojson", "the file is empty")) == "a.geojson: the file is empty"

    def test_feature_without_id(self) -> None:
        assert str(Problem("a", "m", index=0, field="geometry")) == "a: feature 0: geometry: m"

    def test_always_one_printable_line(self) -> None:
        problem = Problem("bad\nname\udcff", "two\nlines", index=1, feature_id="i\nd", field="f")
        text = str(problem)
        assert "\n" not in text
        text.encode("utf-8")  # no lone surrogates left to break printing

    def test_frozen(self) -> None:
        with pytest.raises(AttributeError):
            Problem("a", "m").message = "other"  # type: ignore[misc]


# --- load_feature_collection ---------------------------------------------------------------------------


class TestLoadFeatureCollection:
    def test_valid(self) -> None:
        obj, problems = load_feature_collection(json.dumps(_collection(_feature())).encode(), name=NAME)
        assert problems == []
        assert obj == _collection(_feature())

    def test_bom_is_reported_and_stripped(self) -> None:
        obj, problems = load_feature_collection(b"\xef\xbb\xbf" + json.dumps(_collection()).encode(), name=NAME)
        assert obj == _collection()
        assert "byte order mark" in _only(problems, field="encoding", words="BOM").message

    def test_latin1_reports_byte_offset(self) -> None:
        data = '{"type": "FeatureCollection", "features": [], "x": "café"}'.encode("latin-1")
        obj, problems = load_feature_collection(data, name=NAME)
        problem = _only(problems, field="encoding", words="not UTF-8")
        assert f"byte {data.index(0xE9)}" in problem.message
        assert obj is not None and obj["features"] == []  # parsing went on to find more problems

    def test_truncated_json_gives_line_and_column(self) -> None:
        data = json.dumps(_collection(_feature()), indent=1).encode()[:-40]
        obj, problems = load_feature_collection(data, name=NAME)
        assert obj is None
        problem = _only(problems, field=None, words="not valid JSON at line")
        assert "column" in problem.message and "truncated" in problem.message

    def test_syntax_error_position(self) -> None:
        obj, problems = load_feature_collection(b'{\n  "type": "FeatureCollection",\n  "features": [,]\n}', name=NAME)
        assert obj is None
        assert "line 3, column 16" in _only(problems, field=None, words="not valid JSON").message

    def test_deep_nesting_is_refused(self) -> None:
        obj, problems = load_feature_collection(b"[" * 1000 + b"]" * 1000, name=NAME)
        assert obj is None
        assert "1000 levels" in _only(problems, field=None, words="nested").message

    def test_very_deep_nesting_does_not_recurse(self) -> None:
        obj, problems = load_feature_collection(b'{"a":' * 200_000 + b"1" + b"}" * 200_000, name=NAME)
        assert obj is None
        _only(problems, field=None, words="nested")

    def test_brackets_inside_strings_do_not_count(self) -> None:
        text = json.dumps(_collection(_feature(note="[" * 500 + '\\"{' * 100)))
        obj, problems = load_feature_collection(text.encode(), name=NAME)
        assert problems == [] and obj is not None

    def test_nan_literal(self) -> None:
        obj, problems = load_feature_collection(b'{"type": "FeatureCollection", "features": [], "x": NaN}', name=NAME)
        assert obj is not None and math.isnan(obj["x"])
        _only(problems, field="json", words="NaN")

    def test_repeated_member_names(self) -> None:
        obj, problems = load_feature_collection(
            b'{"type": "FeatureCollection", "type": "x", "features": []}', name=NAME
        )
        assert obj is not None
        _only(problems, field="json", words="'type'")

    def test_top_level_not_an_object(self) -> None:
        obj, problems = load_feature_collection(b"[1, 2]", name=NAME)
        assert obj is None
        _only(problems, field=None, words="the top level is an array of 2 items")

    def test_json_null_is_not_a_collection(self) -> None:
        obj, problems = load_feature_collection(b"null", name=NAME)
        assert obj is None
        _only(problems, field=None, words="the top level is null")

    def test_oversize_is_refused(self) -> None:
        obj, problems = load_feature_collection(b"{}" * 100, name=NAME, max_bytes=199)
        assert obj is None
        assert "200 bytes" in _only(problems, field=None, words="size limit of 199 bytes").message

    def test_huge_integer(self) -> None:
        obj, problems = load_feature_collection(b'{"x": ' + b"9" * 5000 + b"}", name=NAME)
        assert obj is not None and problems == []

    def test_empty(self) -> None:
        assert load_feature_collection(b" \n", name=NAME)[0] is None
        _only(load_feature_collection(b"", name=NAME)[1], field=None, words="empty")

    def test_utf16(self) -> None:
        data = json.dumps(_collection()).encode("utf-16")
        obj, problems = load_feature_collection(data, name=NAME)
        assert obj is None
        _only(problems, field="encoding", words="UTF-16")

    def test_not_bytes(self) -> None:
        obj, problems = load_feature_collection("{}", name=NAME)  # type: ignore[arg-type]
        assert obj is None
        _only(problems, field=None, words="expected the bytes")


# --- validate_object -----------------------------------------------------------------------------------


class TestValidateObjectValid:
    def test_minimal_collection(self) -> None:
        assert validate_object(_collection(_feature()), name=NAME) == []
        assert validate_object(_collection(), name=NAME) == []

    def test_all_geometry_types(self) -> None:
        hole = [[37.602, 49.702], [37.602, 49.704], [37.604, 49.704], [37.604, 49.702], [37.602, 49.702]]
        geometries = [
            _point(),
            {"type": "MultiPoint", "coordinates": [[37.6, 49.7], [37.7, 49.8, 120.0]]},
            {"type": "LineString", "coordinates": [[37.6, 49.7], [37.7, 49.8]]},
            {"type": "MultiLineString", "coordinates": [[[37.6, 49.7], [37.7, 49.8]], [[37.0, 49.0], [37.1, 49]]]},
            _polygon(_square(), hole),
            {"type": "MultiPolygon", "coordinates": [[_square()], [_square(38.0, 50.0)]]},
        ]
        features = [_feature(g, id=f"f{i}") for i, g in enumerate(geometries)]
        for strict in (False, True):
            assert validate_object(_collection(*features), name=NAME, strict_format=strict) == []

    def test_project_writer_output_passes_strictly(self) -> None:
        square = shapely.Polygon(_square()).buffer(0.001)
        features = [
            feature(shapely.Polygon(list(reversed(square.exterior.coords))), _props(id="a", area_km2=1.23456)),
            feature(shapely.LineString([(37.1234567, 49.7654321), (37.2, 49.8)]), _props(id="b")),
            feature(shapely.Point(37.6, 49.7), _props(id="c", reported_area_km2=None, distance_km=0)),
        ]
        data = dumps(feature_collection(features)).encode()
        assert validate_bytes(data, name=NAME, strict_format=True) == []

    def test_full_property_set(self) -> None:
        problems = _feature_problems(
            valid_from=None,
            valid_to="2024-11-14",
            status="claimed-ru",
            note="said on TV",
            area_km2=0.5,
            length_km=3,
            reported_area_km2=None,
            distance_km=2.5,
        )
        assert problems == []


class TestValidateObjectFileLevel:
    def test_top_level_not_an_object(self) -> None:
        _only(validate_object([_feature()], name=NAME), field=None, words="the top level is an array")

    def test_wrong_type_says_what_it_was(self) -> None:
        problems = validate_object({"type": "Topology", "features": []}, name=NAME)
        _only(problems, field="type", words="'Topology'")

    def test_single_feature(self) -> None:
        _only(validate_object(_feature(), name=NAME), field="type", words="single Feature")

    def test_bare_geometry(self) -> None:
        _only(validate_object(_point(), name=NAME), field="type", words="bare Point")

    def test_missing_features(self) -> None:
        _only(validate_object({"type": "FeatureCollection"}, name=NAME), field="features", words='no "features"')

    def test_features_not_a_list(self) -> None:
        problems = validate_object({"type": "FeatureCollection", "features": {}}, name=NAME)
        _only(problems, field="features", words="an object")

    def test_crs_wgs84(self) -> None:
        obj = _collection(_feature()) | {"crs": {"type": "name", "properties": {"name": "EPSG:4326"}}}
        assert "just delete" in _only(validate_object(obj, name=NAME), field="crs", words="RFC 7946").message

    def test_crs_projected(self) -> None:
        for crs_name in ("urn:ogc:def:crs:EPSG::3857", "EPSG:32637"):
            obj = _collection() | {"crs": {"type": "name", "properties": {"name": crs_name}}}
            _only(validate_object(obj, name=NAME), field="crs", words="look projected")

    def test_crs_without_name(self) -> None:
        obj = _collection() | {"crs": "whatever"}
        _only(validate_object(obj, name=NAME), field="crs", words="delete the member")


class TestValidateObjectFeature:
    def test_not_an_object(self) -> None:
        problems = validate_object(_collection(_feature(), "oops"), name=NAME)
        _only(problems, field=None, index=1, words="not a Feature object")

    def test_wrong_type(self) -> None:
        bad = _feature() | {"type": "Geometry"}
        _only(
            validate_object(_collection(bad), name=NAME),
            field="type",
            index=0,
            feature_id="f0",
            words='should be "Feature"',
        )

    def test_id_from_feature_when_properties_lack_it(self) -> None:
        bad = {"type": "Feature", "id": 7, "properties": None, "geometry": None}
        problems = validate_object(_collection(bad), name=NAME, require_model=False)
        _only(problems, field="geometry", index=0, feature_id="7", words="null")

    def test_feature_id_of_wrong_type(self) -> None:
        bad = _feature() | {"id": [1]}
        _only(
            validate_object(_collection(bad), name=NAME),
            field="id",
            index=0,
            feature_id="f0",
            words="string or a number",
        )


class TestValidateObjectGeometry:
    def test_null_geometry(self) -> None:
        bad = _feature() | {"geometry": None}
        _only(validate_object(_collection(bad), name=NAME), field="geometry", index=0, feature_id="f0", words="null")

    def test_missing_geometry(self) -> None:
        bad = _feature()
        del bad["geometry"]
        _only(
            validate_object(_collection(bad), name=NAME),
            field="geometry",
            index=0,
            feature_id="f0",
            words='no "geometry"',
        )

    def test_geometry_not_an_object(self) -> None:
        _only(_feature_problems([37.6, 49.7]), field="geometry", index=0, feature_id="f0", words="an array")

    def test_unknown_type(self) -> None:
        problem = _only(
            _feature_problems({"type": "Circle", "coordinates": [37.6, 49.7]}),
            field="geometry.type",
            index=0,
            feature_id="f0",
            words="unknown geometry type 'Circle'",
        )
        assert "MultiPolygon" in problem.message

    def test_type_with_wrong_case(self) -> None:
        _only(
            _feature_problems({"type": "point", "coordinates": [37.6, 49.7]}),
            field="geometry.type",
            index=0,
            feature_id="f0",
            words='did you mean "Point"',
        )

    def test_geometry_collection(self) -> None:
        geometry = {"type": "GeometryCollection", "geometries": [_point()]}
        _only(_feature_problems(geometry), field="geometry.type", index=0, feature_id="f0", words="not supported")

    def test_missing_coordinates(self) -> None:
        _only(
            _feature_problems({"type": "Point"}),
            field="geometry.coordinates",
            index=0,
            feature_id="f0",
            words='no "coordinates"',
        )

    @pytest.mark.parametrize(
        "geometry, words",
        [
            ({"type": "Point", "coordinates": [37.6]}, "has 1 value"),
            ({"type": "Point", "coordinates": [37.6, True]}, "true, not a number"),
            ({"type": "Point", "coordinates": [37.6, "49.7"]}, "remove the quotes"),
            ({"type": "Point", "coordinates": [37.6, None]}, "null, not a number"),
            ({"type": "Point", "coordinates": [[37.6, 49.7]]}, "nested 2 arrays deep, but a Point needs 1"),
            ({"type": "Point", "coordinates": "37.6, 49.7"}, "nested 0 arrays deep"),
            ({"type": "Polygon", "coordinates": _square()}, "nested 2 arrays deep, but a Polygon needs 3"),
            ({"type": "LineString", "coordinates": [[37.6, 49.7], 5]}, "coordinates[1] should be a position"),
            ({"type": "MultiPolygon", "coordinates": [[_square()], "x"]}, "coordinates[1] should be an array of rings"),
            ({"type": "MultiPoint", "coordinates": [[37.6, 49.7, 1.0, 2.0]]}, "has 4 values"),
        ],
    )
    def test_malformed_coordinates(self, geometry: dict, words: str) -> None:
        _only(_feature_problems(geometry), field="geometry.coordinates", index=0, feature_id="f0", words=words)

    @pytest.mark.parametrize(
        "gtype", ["Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon"]
    )
    def test_empty_geometry(self, gtype: str) -> None:
        _only(
            _feature_problems({"type": gtype, "coordinates": []}),
            field="geometry.coordinates",
            index=0,
            feature_id="f0",
            words="empty",
        )

    def test_nan_coordinate(self) -> None:
        for value in (math.nan, math.inf):
            _only(
                _feature_problems(_point(37.6, value)),
                field="geometry.coordinates",
                index=0,
                feature_id="f0",
                words="NaN or Infinity",
            )

    def test_nan_coordinate_from_bytes_names_the_feature(self) -> None:
        text = json.dumps(_collection(_feature(id="a"), _feature(_point(37.6, math.nan), id="b")))
        assert "NaN" in text
        problems = validate_bytes(text.encode(), name=NAME)
        _check(problems, field="json", words="NaN")
        _check(problems, field="geometry.coordinates", index=1, feature_id="b", words="NaN or Infinity")
        assert len(problems) == 2

    def test_swapped_lat_lon_in_kupiansk(self) -> None:
        problem = _only(
            _feature_problems(_point(49.7, 37.6)),
            field="geometry.coordinates",
            index=0,
            feature_id="f0",
            words="looks like latitude and longitude are swapped; write [lon, lat]",
        )
        assert "[49.7, 37.6]" in problem.message

    def test_swapped_in_upload_too(self) -> None:
        _only(
            _feature_problems(_point(49.7, 37.6), require_model=False),
            field="geometry.coordinates",
            index=0,
            feature_id="f0",
            words="swapped",
        )

    def test_web_mercator_metres_without_crs(self) -> None:
        x, y = 4_185_700.0, 6_398_000.0  # Kupiansk in EPSG:3857
        ring = [[x, y], [x + 1000, y], [x + 1000, y + 1000], [x, y + 1000], [x, y]]
        problem = _only(
            _feature_problems(_polygon(ring)),
            field="geometry.coordinates",
            index=0,
            feature_id="f0",
            words="projected metres",
        )
        assert "EPSG:4326" in problem.message and "(5 positions like this)" in problem.message

    def test_web_mercator_metres_with_crs(self) -> None:
        obj = _collection(_feature(_point(4_185_700.0, 6_398_000.0)))
        obj["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}}
        problems = validate_object(obj, name=NAME)
        _check(problems, field="crs", words="look projected")
        _check(problems, field="geometry.coordinates", index=0, feature_id="f0", words="projected metres")
        assert len(problems) == 2

    def test_out_of_range_small_values(self) -> None:
        problem = _only(
            _feature_problems(_point(37.6, 149.7)),
            field="geometry.coordinates",
            index=0,
            feature_id="f0",
            words="outside longitude -180..180 / latitude -90..90",
        )
        assert "metres" not in problem.message

    @pytest.mark.parametrize("require_model", [True, False])
    def test_outside_region(self, require_model: bool) -> None:
        _only(
            _feature_problems(_point(2.35, 48.85), require_model=require_model),
            field="geometry.coordinates",
            index=0,
            feature_id="f0",
            words="outside the map's region",
        )

    def test_region_edges_are_inside(self) -> None:
        lon_min, lat_min, lon_max, lat_max = REGION_BOUNDS
        points = {"type": "MultiPoint", "coordinates": [[lon_min, lat_min], [lon_max, lat_max]]}
        assert _feature_problems(points) == []

    def test_line_with_one_position(self) -> None:
        _only(
            _feature_problems({"type": "LineString", "coordinates": [[37.6, 49.7]]}),
            field="geometry.coordinates",
            index=0,
            feature_id="f0",
            words="a line needs at least 2",
        )

    def test_unclosed_ring(self) -> None:
        _only(
            _feature_problems(_polygon(_square()[:-1])),
            field="geometry.coordinates",
            index=0,
            feature_id="f0",
            words="coordinates[0] is not closed",
        )

    def test_short_ring(self) -> None:
        ring = [[37.6, 49.7], [37.7, 49.7], [37.6, 49.7]]
        _only(
            _feature_problems(_polygon(ring)),
            field="geometry.coordinates",
            index=0,
            feature_id="f0",
            words="has 3 positions; a ring needs at least 4",
        )

    @pytest.mark.parametrize("strict_format", [False, True])
    def test_clockwise_outer_ring(self, strict_format: bool) -> None:
        _only(
            _feature_problems(_polygon(_square()[::-1]), strict_format=strict_format),
            field="geometry.coordinates",
            index=0,
            feature_id="f0",
            words="outer ring coordinates[0] runs clockwise",
        )

    def test_counter_clockwise_hole(self) -> None:
        hole = _square(37.602, 49.702, 0.002)
        _only(
            _feature_problems(_polygon(_square(), hole)),
            field="geometry.coordinates",
            index=0,
            feature_id="f0",
            words="hole coordinates[1] runs counter-clockwise",
        )

    def test_winding_in_multipolygon_reported_once_with_count(self) -> None:
        geometry = {"type": "MultiPolygon", "coordinates": [[_square()[::-1]], [_square(38.0, 50.0)[::-1]]]}
        problem = _only(
            _feature_problems(geometry), field="geometry.coordinates", index=0, feature_id="f0", words="runs clockwise"
        )
        assert "2 rings" in problem.message

    def test_self_intersecting_bowtie(self) -> None:
        lon, lat = KUPIANSK
        bowtie = [[lon, lat], [lon + 0.01, lat + 0.01], [lon + 0.01, lat], [lon, lat + 0.01], [lon, lat]]
        problem = _only(
            _feature_problems(_polygon(bowtie)), field="geometry", index=0, feature_id="f0", words="not valid"
        )
        assert "Self-intersection" in problem.message and "crosses itself" in problem.message

    def test_overlapping_multipolygon(self) -> None:
        geometry = {"type": "MultiPolygon", "coordinates": [[_square()], [_square(37.605, 49.705)]]}
        _only(_feature_problems(geometry), field="geometry", index=0, feature_id="f0", words="not valid")

    def test_decimals_only_in_strict_mode(self) -> None:
        geometry = _point(37.1234567, 49.7)
        assert _feature_problems(geometry) == []
        _only(
            _feature_problems(geometry, strict_format=True),
            field="geometry.coordinates",
            index=0,
            feature_id="f0",
            words="more than 6 decimals",
        )

    def test_repeated_vertex_problems_give_one_line(self) -> None:
        line = [[49.0 + i * 1e-4, 37.6] for i in range(10_000)]
        problem = _only(
            _feature_problems({"type": "LineString", "coordinates": line}),
            field="geometry.coordinates",
            index=0,
            feature_id="f0",
            words="swapped",
        )
        assert "(10000 positions like this)" in problem.message

    def test_each_kind_once_per_feature(self) -> None:
        line = [[37.6, 49.7], [37.6, "x"], [37.6, True], [37.7, "y"]]
        problems = _feature_problems({"type": "LineString", "coordinates": line})
        assert len([p for p in problems if "not a number" in p.message]) == 1


class TestValidateObjectProperties:
    def test_properties_not_an_object(self) -> None:
        bad = _feature() | {"properties": ["id", "x"]}
        _only(validate_object(_collection(bad), name=NAME), field="properties", index=0, words="not an object")

    def test_properties_missing(self) -> None:
        bad = _feature()
        del bad["properties"]
        _only(validate_object(_collection(bad), name=NAME), field="properties", index=0, words='no "properties"')

    def test_properties_null(self) -> None:
        bad = _feature() | {"properties": None}
        _only(validate_object(_collection(bad), name=NAME), field="properties", index=0, words="null")

    @pytest.mark.parametrize("key", ["id", "name", "valid_from", "valid_to", "status", "source", "note"])
    def test_missing_property(self, key: str) -> None:
        bad = _feature()
        del bad["properties"][key]
        feature_id = None if key == "id" else "f0"
        _only(
            validate_object(_collection(bad), name=NAME),
            field=f"properties.{key}",
            index=0,
            feature_id=feature_id,
            words=f"'{key}' is missing",
        )

    @pytest.mark.parametrize(
        "value, words", [("", "id is empty"), ("  ", "id is empty"), (None, "null"), (1.5, "1.5"), (True, "true")]
    )
    def test_bad_id(self, value: Any, words: str) -> None:
        _only(_feature_problems(id=value), field="properties.id", index=0, words=words)

    def test_integer_id(self) -> None:
        assert _feature_problems(id=12) == []

    def test_duplicate_ids_name_both_features(self) -> None:
        obj = _collection(_feature(id="a"), _feature(id="b"), _feature(id="a"))
        problem = _only(
            validate_object(obj, name=NAME),
            field="properties.id",
            index=2,
            feature_id="a",
            words="already used by feature 0",
        )
        assert problem.index == 2

    @pytest.mark.parametrize("key", ["name", "source"])
    def test_empty_text(self, key: str) -> None:
        _only(_feature_problems(**{key: ""}), field=f"properties.{key}", index=0, feature_id="f0", words="empty")
        _only(
            _feature_problems(**{key: 5}), field=f"properties.{key}", index=0, feature_id="f0", words="non-empty string"
        )

    def test_note_must_be_string_but_may_be_empty(self) -> None:
        assert _feature_problems(note="") == []
        _only(_feature_problems(note=None), field="properties.note", index=0, feature_id="f0", words="a string")

    def test_date_that_does_not_exist(self) -> None:
        _only(
            _feature_problems(valid_to="2024-02-30"),
            field="properties.valid_to",
            index=0,
            feature_id="f0",
            words="'2024-02-30' is a date that does not exist",
        )

    @pytest.mark.parametrize(
        "value", ["13/11/2024", "2024-11-13T00:00:00", "2024-1-3", "20241113", "2024-1１-13", 20241113, ["2024-11-13"]]
    )
    def test_badly_written_date(self, value: Any) -> None:
        _only(
            _feature_problems(valid_from=value),
            field="properties.valid_from",
            index=0,
            feature_id="f0",
            words="YYYY-MM-DD",
        )

    def test_valid_to_before_valid_from(self) -> None:
        _only(
            _feature_problems(valid_from="2024-11-13", valid_to="2024-11-01"),
            field="properties.valid_to",
            index=0,
            feature_id="f0",
            words="comes before valid_from",
        )

    def test_empty_interval(self) -> None:
        _only(
            _feature_problems(valid_from="2024-11-13", valid_to="2024-11-13"),
            field="properties.valid_to",
            index=0,
            feature_id="f0",
            words="exclusive",
        )

    @pytest.mark.parametrize("value", ["rumoured", "Reported", None, 3])
    def test_unknown_status_lists_the_statuses(self, value: Any) -> None:
        problem = _only(
            _feature_problems(status=value),
            field="properties.status",
            index=0,
            feature_id="f0",
            words="not a known status",
        )
        assert all(status in problem.message for status in STATUSES)

    @pytest.mark.parametrize("key", ["area_km2", "length_km", "reported_area_km2", "distance_km"])
    @pytest.mark.parametrize("value", [-1, math.nan, math.inf, "3", True])
    def test_bad_amount(self, key: str, value: Any) -> None:
        _only(
            _feature_problems(**{key: value}),
            field=f"properties.{key}",
            index=0,
            feature_id="f0",
            words="finite number of zero or more",
        )

    def test_null_amount(self) -> None:
        assert _feature_problems(reported_area_km2=None) == []
        _only(_feature_problems(area_km2=None), field="properties.area_km2", index=0, feature_id="f0", words="not null")

    def test_all_problems_of_a_feature_are_reported(self) -> None:
        problems = _feature_problems(_point(49.7, 37.6), name="", status="x", valid_to="2024-02-30")
        assert {p.field for p in problems} == {
            "geometry.coordinates",
            "properties.name",
            "properties.status",
            "properties.valid_to",
        }


class TestValidateObjectUploads:
    """``require_model=False``: plain GeoJSON, with the model's properties checked only where present."""

    def test_plain_features_pass(self) -> None:
        features = [
            {"type": "Feature", "properties": None, "geometry": _point()},
            {"type": "Feature", "properties": {}, "geometry": _point()},
            {"type": "Feature", "properties": {"name": None, "population": 27000}, "geometry": _point()},
            {"type": "Feature", "geometry": _polygon()},
        ]
        assert validate_object(_collection(*features), name=NAME, require_model=False) == []

    def test_present_properties_are_checked(self) -> None:
        bad = {
            "type": "Feature",
            "properties": {"status": "rumoured", "valid_from": "2024-02-30"},
            "geometry": _point(),
        }
        problems = validate_object(_collection(bad), name=NAME, require_model=False)
        _check(problems, field="properties.status", index=0, words="not a known status")
        _check(problems, field="properties.valid_from", index=0, words="does not exist")
        assert len(problems) == 2

    def test_duplicate_ids_in_upload(self) -> None:
        features = [{"type": "Feature", "properties": {"id": "x"}, "geometry": _point()}] * 2
        _only(
            validate_object(_collection(*features), name=NAME, require_model=False),
            field="properties.id",
            index=1,
            feature_id="x",
            words="already used by feature 0",
        )

    def test_geometry_is_still_checked(self) -> None:
        bad = {"type": "Feature", "properties": None, "geometry": _polygon(_square()[::-1])}
        _only(
            validate_object(_collection(bad), name=NAME, require_model=False),
            field="geometry.coordinates",
            index=0,
            words="clockwise",
        )


class TestValidateObjectLimits:
    def test_problem_count_is_capped(self) -> None:
        obj = _collection(*[_feature(_point(49.7, 37.6), id=f"f{i}", status="x") for i in range(1000)])
        problems = validate_object(obj, name=NAME)
        assert len(problems) == validate._MAX_PROBLEMS + 1
        assert "1000 more problems" in str(problems[-1])

    def test_deep_python_object(self) -> None:
        deep: Any = [37.6, 49.7]
        for _ in range(5000):
            deep = [deep]
        obj = _collection(_feature({"type": "Point", "coordinates": deep}, note=deep, name={"a": deep}))
        problems = validate_object(obj, name=NAME)
        _no_internal_errors(problems)
        assert {p.field for p in problems} == {"geometry.coordinates", "properties.note", "properties.name"}

    def test_odd_python_values(self) -> None:
        obj = _collection(
            _feature({"type": "Point", "coordinates": (10**400, 49.7)}, id=10**5000, name=object(), area_km2=10**400)
        )
        problems = validate_object(obj, name=NAME)
        _no_internal_errors(problems)
        assert len(problems) == 4
        for problem in problems:
            str(problem)

    def test_large_collection_is_valid(self) -> None:
        # Its speed is a benchmark figure (python -m bench: "validate 2,000 lines"), not a timed assertion.
        features = [
            _feature(
                {"type": "LineString", "coordinates": [[round(37 + k * 1e-3, 6), 49.7] for k in range(100)]}, id=f"f{i}"
            )
            for i in range(2000)
        ]
        data = json.dumps(_collection(*features)).encode()
        assert validate_bytes(data, name=NAME, strict_format=True) == []
        broken = data.replace(b'"f1999"', b'"f0"', 1)  # one duplicate id among 2,000 is still found
        assert [p.feature_id for p in validate_bytes(broken, name=NAME, strict_format=True)] == ["f0"]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=10), children, max_size=5),
    max_leaves=30,
)
geometry_types = st.sampled_from(
    [
        "Point",
        "MultiPoint",
        "LineString",
        "MultiLineString",
        "Polygon",
        "MultiPolygon",
        "GeometryCollection",
        "point",
        "Circle",
    ]
)
numbers = st.floats(min_value=-200, max_value=200) | st.integers(-200, 200) | json_values
positions = st.lists(numbers, min_size=0, max_size=4)
nested_coordinates = st.recursive(positions, lambda children: st.lists(children, max_size=5), max_leaves=20)
geometries = st.fixed_dictionaries({"type": geometry_types, "coordinates": nested_coordinates}) | json_values
property_values = (
    st.fixed_dictionaries(
        {},
        optional={
            key: json_values | st.sampled_from(["2024-11-13", "2024-02-30", "reported", "", "a"])
            for key in (
                "id",
                "name",
                "valid_from",
                "valid_to",
                "status",
                "source",
                "note",
                "area_km2",
                "reported_area_km2",
            )
        },
    )
    | json_values
)
geojson_like = st.fixed_dictionaries(
    {
        "type": st.sampled_from(["FeatureCollection", "Feature"]) | json_values,
        "features": st.lists(
            st.fixed_dictionaries(
                {"type": st.just("Feature") | json_values, "geometry": geometries, "properties": property_values}
            )
            | json_values,
            max_size=4,
        ),
    },
    optional={"crs": json_values},
)


class TestValidateObjectProperty:
    @FAST
    @given(value=json_values | geojson_like, require_model=st.booleans(), strict_format=st.booleans())
    def test_never_raises(self, value: Any, require_model: bool, strict_format: bool) -> None:
        problems = validate_object(value, name=NAME, require_model=require_model, strict_format=strict_format)
        assert isinstance(problems, list)
        assert all(isinstance(p, Problem) for p in problems)
        _no_internal_errors(problems)
        for problem in problems:
            assert "\n" not in str(problem)

    @FAST
    @given(data=st.data())
    def test_valid_features_pass(self, data: st.DataObject) -> None:
        lon_min, lat_min, lon_max, lat_max = REGION_BOUNDS
        count = data.draw(st.integers(0, 6))
        features = []
        for i in range(count):
            size = data.draw(st.floats(0.001, 0.5))
            lon = round(data.draw(st.floats(lon_min, lon_max - size - 1e-5)), 6)
            lat = round(data.draw(st.floats(lat_min, lat_max - size - 1e-5)), 6)
            if data.draw(st.booleans()):
                geometry = _point(lon, lat)
            else:
                geometry = _polygon([[round(x, 6), round(y, 6)] for x, y in _square(lon, lat, size)])
            start = data.draw(st.dates() | st.none())
            end = data.draw(st.dates() | st.none())
            if start is not None and end is not None and end <= start:
                start, end = (end, start) if end < start else (start, None)
            features.append(
                _feature(
                    geometry,
                    id=f"f{i}",
                    name=data.draw(st.text(min_size=1).filter(str.strip)),
                    valid_from=start and start.isoformat(),
                    valid_to=end and end.isoformat(),
                    status=data.draw(st.sampled_from(STATUSES)),
                    source=data.draw(st.text(min_size=1).filter(str.strip)),
                    note=data.draw(st.text()),
                    area_km2=data.draw(st.floats(0, 1e6)),
                )
            )
        obj = _collection(*features)
        for strict in (False, True):
            assert validate_object(obj, name=NAME, strict_format=strict) == []
        assert validate_bytes(json.dumps(obj).encode(), name=NAME, strict_format=True) == []


# --- validate_bytes ------------------------------------------------------------------------------------


class TestValidateBytes:
    def test_valid(self) -> None:
        assert validate_bytes(json.dumps(_collection(_feature())).encode(), name=NAME) == []

    def test_bom_and_more(self) -> None:
        data = b"\xef\xbb\xbf" + json.dumps(_collection(_feature(status="x"))).encode()
        problems = validate_bytes(data, name=NAME)
        _check(problems, field="encoding", words="BOM")
        _check(problems, field="properties.status", index=0, feature_id="f0", words="not a known status")
        assert len(problems) == 2

    def test_latin1_name_and_more(self) -> None:
        data = json.dumps(_collection(_feature(name="Kupiansk-Vuzlovyi é", status="x")), ensure_ascii=False).encode(
            "latin-1"
        )
        problems = validate_bytes(data, name=NAME)
        _check(problems, field="encoding", words="not UTF-8")
        _check(problems, field="properties.status", index=0, feature_id="f0", words="not a known status")

    def test_truncated(self) -> None:
        data = json.dumps(_collection(_feature())).encode()
        _only(validate_bytes(data[: len(data) // 2], name=NAME), field=None, words="truncated")

    def test_deep_nesting(self) -> None:
        _only(validate_bytes(b"[" * 1000 + b"]" * 1000, name=NAME), field=None, words="nested")

    def test_oversize_refused(self) -> None:
        data = json.dumps(_collection(_feature())).encode()
        _only(validate_bytes(data, name=NAME, max_bytes=len(data) - 1), field=None, words="size limit")
        assert validate_bytes(data, name=NAME, max_bytes=len(data)) == []

    def test_default_limit(self) -> None:
        assert MAX_FILE_BYTES == 25 * 1024 * 1024
        _only(validate_bytes(bytes(MAX_FILE_BYTES + 1), name=NAME), field=None, words="25.0 MiB")

    def test_options_are_passed_on(self) -> None:
        data = json.dumps(_collection({"type": "Feature", "properties": None, "geometry": _point(37.1234567)}))
        assert validate_bytes(data.encode(), name=NAME, require_model=False) == []
        assert len(validate_bytes(data.encode(), name=NAME, require_model=False, strict_format=True)) == 1
        assert len(validate_bytes(data.encode(), name=NAME)) == 1

    @FAST
    @given(data=st.binary(max_size=300))
    def test_arbitrary_bytes_never_raise(self, data: bytes) -> None:
        problems = validate_bytes(data, name=NAME)
        assert all(isinstance(p, Problem) for p in problems)
        _no_internal_errors(problems)

    @FAST
    @given(cut=st.integers(0, 10_000), insert=st.binary(max_size=8), require_model=st.booleans())
    def test_damaged_documents_never_raise(self, cut: int, insert: bytes, require_model: bool) -> None:
        good = json.dumps(_collection(_feature(), _feature(_polygon(), id="f1"))).encode()
        cut %= len(good) + 1
        problems = validate_bytes(
            good[:cut] + insert + good[cut + len(insert) :], name=NAME, require_model=require_model
        )
        assert all(isinstance(p, Problem) for p in problems)
        _no_internal_errors(problems)


# --- validate_file -------------------------------------------------------------------------------------


class TestValidateFile:
    def test_valid(self, tmp_path: Path) -> None:
        path = tmp_path / "ok.geojson"
        path.write_text(json.dumps(_collection(_feature())), encoding="utf-8")
        assert validate_file(path) == []
        assert validate_file(str(path)) == []

    def test_problems_name_the_path_as_given(self, tmp_path: Path) -> None:
        path = tmp_path / "bad.geojson"
        path.write_text(json.dumps(_collection(_feature(valid_to="2024-02-30"))), encoding="utf-8")
        _only(
            validate_file(path),
            file=str(path),
            field="properties.valid_to",
            index=0,
            feature_id="f0",
            words="does not exist",
        )

    def test_missing(self, tmp_path: Path) -> None:
        path = tmp_path / "nope.geojson"
        _only(validate_file(path), file=str(path), field=None, words="no such file")

    def test_directory(self, tmp_path: Path) -> None:
        _only(validate_file(tmp_path), file=str(tmp_path), field=None, words="directory")

    def test_not_a_path(self) -> None:
        _only(validate_file(3), file="<int>", field=None, words="not a file path")  # type: ignore[arg-type]

    def test_oversize_refused_without_reading(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        path = tmp_path / "big.geojson"
        with open(path, "wb") as handle:
            handle.truncate(MAX_FILE_BYTES + 1)  # sparse: no real bytes to read

        def no_open(*args: Any, **kwargs: Any) -> Any:
            raise AssertionError("the file was opened")

        monkeypatch.setattr(builtins, "open", no_open)
        _only(validate_file(path), file=str(path), field=None, words="size limit")
        _only(validate_file(path, max_bytes=1000), file=str(path), field=None, words="1000 bytes")

    def test_bom_file(self, tmp_path: Path) -> None:
        path = tmp_path / "bom.geojson"
        path.write_text(json.dumps(_collection(_feature())), encoding="utf-8-sig")
        _only(validate_file(path), file=str(path), field="encoding", words="BOM")

    def test_strict_options(self, tmp_path: Path) -> None:
        path = tmp_path / "precise.geojson"
        path.write_text(json.dumps(_collection(_feature(_point(37.1234567, 49.7)))), encoding="utf-8")
        assert validate_file(path) == []
        _only(
            validate_file(path, strict_format=True),
            file=str(path),
            field="geometry.coordinates",
            index=0,
            feature_id="f0",
            words="decimals",
        )


# --- validate_files ------------------------------------------------------------------------------------


class TestValidateFiles:
    def test_all_files_in_order(self, tmp_path: Path) -> None:
        good = tmp_path / "good.geojson"
        good.write_text(json.dumps(_collection(_feature())), encoding="utf-8")
        bad = tmp_path / "bad.geojson"
        bad.write_text(json.dumps(_collection(_feature(status="x"))), encoding="utf-8")
        missing = tmp_path / "missing.geojson"
        problems = validate_files([good, bad, str(missing)])
        assert [p.file for p in problems] == [str(bad), str(missing)]

    def test_nothing_to_check(self) -> None:
        assert validate_files([]) == []

    def test_single_path_is_not_split_into_characters(self, tmp_path: Path) -> None:
        path = tmp_path / "ok.geojson"
        path.write_text(json.dumps(_collection(_feature())), encoding="utf-8")
        assert validate_files(str(path)) == []  # type: ignore[arg-type]

    def test_options_are_passed_on(self, tmp_path: Path) -> None:
        path = tmp_path / "plain.geojson"
        path.write_text(
            json.dumps(_collection({"type": "Feature", "properties": {}, "geometry": _point()})), encoding="utf-8"
        )
        options = {"require_model": False}
        assert validate_files([path], **options) == []
        assert len(validate_files([path])) == len(REQUIRED_PROPERTIES)
