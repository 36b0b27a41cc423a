"""coverage.py: the date ranges each sector's sources describe, and the refusal of dates outside them."""

import datetime as dt

import pytest

from kupiansk_map.analysis import coverage
from kupiansk_map.analysis.coverage import NotMapped

D = dt.date


def _layer(*spans):
    return {
        "type": "FeatureCollection",
        "features": [{"properties": {"id": f"s{i}", "valid_from": a, "valid_to": b}} for i, (a, b) in enumerate(spans)],
    }


def test_the_built_timeline_maps_the_kupiansk_sector_only_while_sources_describe_it(layers):
    assert coverage.mapped_ranges(layers, "kupiansk") == (
        (D(2022, 2, 27), D(2022, 12, 31)),
        (D(2024, 11, 1), D(2024, 11, 14)),
    )
    assert coverage.mapped_ranges(layers, "kursk") == ((D(2024, 8, 6), D(2024, 11, 14)),)
    # Each Kupiansk layer has the same coverage as the sector.
    for layer_id in coverage.SECTORS["kupiansk"]:
        assert coverage.mapped_ranges(layers, layer_id) == coverage.mapped_ranges(layers, "kupiansk")


def test_ranges_merge_when_they_touch_or_overlap_and_keep_gaps():
    layers = {
        "occupied": _layer(("2024-01-01", "2024-02-01"), ("2024-02-01", "2024-03-01")),
        "front_line": _layer(("2024-02-15", "2024-03-10"), ("2024-05-01", "2024-05-02")),
    }
    assert coverage.mapped_ranges(layers, "kupiansk") == (
        (D(2024, 1, 1), D(2024, 3, 9)),
        (D(2024, 5, 1), D(2024, 5, 1)),
    )
    assert coverage.mapped_ranges(layers, "kursk") == ()


def test_open_bounds_are_open():
    ranges = coverage.mapped_ranges({"kursk_salient": _layer((None, "2024-01-01"))}, "kursk")
    assert coverage.is_mapped(ranges, D(1990, 1, 1)) and not coverage.is_mapped(ranges, D(2024, 1, 1))


def test_not_mapped_names_the_sector_the_date_and_the_ranges(layers):
    with pytest.raises(NotMapped) as info:
        coverage.require_mapped(layers, "kupiansk", D(2024, 8, 20))
    assert isinstance(info.value, ValueError)
    assert str(info.value) == (
        "the Kupiansk sector is not mapped on 20 August 2024; mapped: 27 February 2022 – 31 December 2022, "
        "1 November 2024 – 14 November 2024"
    )
    assert coverage.require_mapped(layers, "kupiansk", D(2022, 12, 31))  # the last described day is mapped
    with pytest.raises(NotMapped, match="not mapped on 15 November 2024"):  # the day after the data ends
        coverage.require_mapped(layers, "kursk", D(2024, 11, 15))
    with pytest.raises(KeyError, match="unknown sector 'donbas'"):
        coverage.mapped_ranges(layers, "donbas")


def test_undated_change_between_two_mapped_dates(layers):
    ranges = coverage.mapped_ranges(layers, "kupiansk")
    assert coverage.unmapped_between(ranges, D(2022, 10, 1), D(2024, 11, 13)) == ((D(2023, 1, 1), D(2024, 10, 31)),)
    assert coverage.undated_change(ranges, D(2022, 10, 1), D(2024, 11, 13)) == (
        "happened at an unknown time between 31 December 2022 and 1 November 2024"
    )
    assert coverage.undated_change(ranges, D(2022, 3, 1), D(2022, 12, 31)) is None
    assert coverage.sector_of("front_buffer") == "kupiansk" and coverage.sector_of("places") is None
