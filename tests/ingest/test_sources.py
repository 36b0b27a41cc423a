"""An archive as the map's source: its spans indexed once, its states on a date as the map's layers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from archive_samples import START, days, write_daily_geojson, write_owlmaps
from shapely.geometry import shape

from kupiansk_map.analysis import coverage, stats
from kupiansk_map.geo.measure import geodesic_area_km2
from kupiansk_map.ingest import archive_store, sources
from kupiansk_map.layers.store import load_layers


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("sources")
    path = root / "store.gpkg"
    # 10-19 Nov: sizes 0,1,1,2,3 then 15 Nov missing, then 4..7; with a Kursk salient until 18 Nov.
    plan = days([0, 1, 1, 2, 3, None, 4, 5, 6, 7])
    archive_store.import_archive(
        write_owlmaps(root / "owl", plan, salient_until=START + dt.timedelta(days=8)),
        name="owl",
        store=path,
        attribution="Made-up tracker",
    )
    archive_store.import_archive(
        write_daily_geojson(root / "near", plan), name="near", store=path, aoi="kupiansk", attribution=None
    )
    return path


def test_the_index_holds_spans_not_geometry(store: Path) -> None:
    archive = sources.ArchiveSource(store, "owl")
    assert (archive.first_day, archive.last_day) == (START, START + dt.timedelta(days=9))
    occupied = archive.spans["ukrainian_held"]
    assert occupied and all(isinstance(s.fid, int) for s in occupied)
    # The missing 15 November ends every run: the archive maps 10-14 and 16-19 November.
    assert archive.mapped_ranges("occupied") == (
        (START, START + dt.timedelta(days=4)),
        (START + dt.timedelta(days=6), START + dt.timedelta(days=9)),
    )
    assert archive.state_on("occupied", START + dt.timedelta(days=5)) is None
    assert archive._geometries == {}  # nothing read until a date is drawn


def test_situation_layers_on_a_date_carry_provenance_and_every_span(store: Path) -> None:
    archive = sources.ArchiveSource(store, "owl")
    day = START + dt.timedelta(days=2)
    layers = archive.situation_layers(day)
    assert set(layers) == {"occupied", "front_line", "kursk_salient"}
    (occupied,) = layers["occupied"]["features"]
    props = occupied["properties"]
    assert props["status"] == "assessed" and props["archive"] == "owl"
    assert "Made-up tracker" in props["source"] and "assessment, not a fact" in props["note"]
    assert props["valid_from"] == (START + dt.timedelta(days=1)).isoformat()  # 11 and 12 Nov are one state
    assert abs(geodesic_area_km2(shape(occupied["geometry"])) - props["area_km2"]) < 0.01
    # coverage reads the spans of the states the collection does not carry
    assert coverage.mapped_ranges(layers, "kupiansk") == archive.mapped_ranges("occupied")
    assert coverage.mapped_ranges(layers, "kursk") == archive.mapped_ranges("ukrainian_held")
    # the Kursk layer also holds the state before, for the change
    assert len(layers["kursk_salient"]["features"]) in (1, 2)


def test_figures_from_an_archive_follow_its_dates(store: Path) -> None:
    archive = sources.ArchiveSource(store, "owl")
    built = load_layers().layers

    def figures(day: dt.date) -> stats.SituationFigures:
        return stats.figures_on({**built, **archive.situation_layers(day)}, day)

    mapped = figures(START + dt.timedelta(days=6))
    assert mapped.city_to_front_km is not None and mapped.occupied_within_20km_km2 is not None
    assert mapped.kursk_area_km2 is not None and not mapped.not_mapped
    missing = figures(START + dt.timedelta(days=5))
    assert missing.city_to_front_km is None and missing.kursk_area_km2 is None
    assert "15 November 2024" in missing.not_mapped["kupiansk"]
    # After 18 November the archive holds no Ukrainian-held area in Russia: the Kursk figures are refused.
    late = figures(START + dt.timedelta(days=9))
    assert late.kursk_area_km2 is None and "kursk" in late.not_mapped and late.city_to_front_km is not None
    # The west edge moves 1 km a step: a bigger size is more ground within 20 km.
    assert figures(START + dt.timedelta(days=9)).occupied_within_20km_km2 > mapped.occupied_within_20km_km2


def test_an_archive_clipped_near_kupiansk_does_not_map_kursk(store: Path) -> None:
    archive = sources.ArchiveSource(store, "near")
    assert archive.mapped_ranges("ukrainian_held") == ()
    assert archive.mapped_ranges("occupied")
    layers = archive.situation_layers(START)
    assert coverage.mapped_ranges(layers, "kursk") == ()


def test_geometry_is_cached_and_bounded(store: Path) -> None:
    archive = sources.ArchiveSource(store, "owl")
    for k in range(10):
        archive.situation_layers(START + dt.timedelta(days=k))
    assert 0 < len(archive._geometries) <= sources._GEOMETRY_CACHE
    first = archive.state_on("occupied", START)
    assert first is not None and archive.geometry(first) is archive.geometry(first)


def test_an_unknown_archive_or_store_is_named(store: Path, tmp_path: Path) -> None:
    with pytest.raises(sources.SourceError, match=r"no archive named 'nope'.*near, owl"):
        sources.ArchiveSource(store, "nope")
    with pytest.raises(sources.SourceError, match="no archive store here"):
        sources.ArchiveSource(tmp_path / "absent.gpkg", "owl")
    assert sources.archive_names(tmp_path / "absent.gpkg") == []
    assert sources.archive_names(store) == ["near", "owl"]


def test_builtin_range_spans_the_story() -> None:
    first, last = sources.builtin_range(load_layers().layers)
    assert first == dt.date(2022, 2, 27) and last >= dt.date(2024, 11, 14)
