import datetime as dt
import re

import pytest

from kupiansk_map.analysis.stats import FIGURE_LABELS, SECTOR_FIGURES, figures_on


def test_figures_on_the_day_of_the_assault(layers):
    figures = figures_on(layers, dt.date(2024, 11, 13))
    assert figures.city_to_front_km == pytest.approx(2.5, abs=0.1)
    assert 0 <= figures.front_bearing_deg <= 45
    assert figures.buffer_width_km == pytest.approx(2.5, abs=0.01)
    assert figures.city_centre_occupied is False
    assert 0 < figures.occupied_within_10km_km2 < figures.occupied_within_20km_km2
    assert figures.kursk_area_km2 == pytest.approx(600, rel=0.02)
    assert figures.kursk_previous_state == "kursk-2024-09-15"
    assert figures.kursk_change_km2 == pytest.approx(600 - 850, rel=0.05)
    assert (figures.population_prewar, figures.population_now) == (26_000, 3_000)
    assert "Reuters" in figures.population_source


def test_figures_follow_the_date(layers):
    occupied = figures_on(layers, dt.date(2022, 5, 1))
    assert occupied.city_centre_occupied is True and occupied.kursk_area_km2 is None
    assert occupied.city_to_front_km > 40
    retaken = figures_on(layers, dt.date(2022, 9, 15))
    assert retaken.city_centre_occupied is False and retaken.city_to_front_km < 0.5
    after = figures_on(layers, dt.date(2022, 12, 31))
    assert after.occupied_within_10km_km2 == 0.0 and after.city_to_front_km > 10
    assert figures_on(layers, dt.date(2024, 10, 1)).kursk_area_km2 == pytest.approx(850, rel=0.02)


MAPPED_KUPIANSK = "mapped: 27 February 2022 – 31 December 2022, 1 November 2024 – 14 November 2024"


@pytest.mark.parametrize("day", ["2023-01-01", "2023-06-01", "2024-08-20", "2024-10-31"])
def test_a_date_the_sources_do_not_describe_gives_no_kupiansk_figure(layers, day):
    figures = figures_on(layers, dt.date.fromisoformat(day))
    assert not figures.sector_mapped("kupiansk")
    for key in SECTOR_FIGURES["kupiansk"]:
        assert getattr(figures, key) is None, key  # no 20.1 km for August 2024, no 0 km² for 2023
    assert figures.not_mapped["kupiansk"].startswith("the Kupiansk sector is not mapped on ")
    assert figures.not_mapped["kupiansk"].endswith(MAPPED_KUPIANSK)
    assert figures.population_prewar == 26_000  # undated facts stay


def test_kursk_on_a_kupiansk_gap_date_still_has_its_figures(layers):
    figures = figures_on(layers, dt.date(2024, 8, 20))
    assert figures.sector_mapped("kursk") and figures.kursk_reported_area_km2 == 1000
    # The state before had no reported figure (its outline only marks a place), so no change is measured from it.
    assert figures.kursk_change_km2 is None


def test_occupied_within_rings_is_an_area_of_intersection(layers):
    early = figures_on(layers, dt.date(2022, 5, 1))
    # While the whole sector was held, the 10 km ring around the city is entirely Russian-held ground.
    assert early.occupied_within_10km_km2 > 3.14 * 10**2


def test_missing_layers_give_no_figure_rather_than_a_wrong_one(layers):
    figures = figures_on({"kupiansk": layers["kupiansk"]}, dt.date(2024, 11, 13))
    assert figures.city_to_front_km is None and figures.kursk_area_km2 is None
    assert figures.population_prewar == 26_000


def test_after_the_story_there_is_no_front(layers):
    figures = figures_on(layers, dt.date(2025, 6, 1))
    assert figures.city_to_front_km is None and figures.kursk_area_km2 is None
    assert set(figures.not_mapped) == {"kupiansk", "kursk"}


def test_every_figure_has_a_label(layers):
    keys = set(figures_on(layers, dt.date(2024, 11, 13)).as_dict())
    assert set(FIGURE_LABELS) <= keys


def test_a_text_date_is_refused(layers):
    # Text is parsed where it enters (model.parse_iso_date refuses 2024-02-30); below that only dates travel.
    with pytest.raises(TypeError, match=re.escape("expected a datetime.date, got str '2024-11-13'")):
        figures_on(layers, "2024-11-13")


def test_the_figures_carry_their_date_as_a_date_and_as_text_in_as_dict(layers):
    figures = figures_on(layers, dt.date(2024, 11, 13))
    assert figures.date == dt.date(2024, 11, 13) and figures.as_dict()["date"] == "2024-11-13"


def test_buffer_width_through_the_tree_equals_every_vertex_against_the_line() -> None:
    import shapely
    from shapely.geometry import LineString, MultiLineString

    from kupiansk_map.analysis.stats import _buffer_width_km

    front = MultiLineString([[(0, 0), (1000, 300), (2500, -200)], [(4000, 0), (4500, 900)]])
    zone = front.buffer(1234.0, quad_segs=16).union(LineString([(0, 0), (0, 5000)]).buffer(50))
    vertices = shapely.points(shapely.get_coordinates(zone.boundary))
    expected = float(shapely.distance(vertices, front).max()) / 1e3
    assert abs(_buffer_width_km(zone, front) - expected) < 1e-9
