"""history.py: the figures over time, once per change date, with gaps where nothing is mapped."""

from __future__ import annotations

import datetime as dt

import archive_samples as s
import pytest
from shapely.geometry import LineString, Polygon, box, mapping

from kupiansk_map.analysis import history
from kupiansk_map.analysis.history import HistoryPoint
from kupiansk_map.analysis.stats import figures_on
from kupiansk_map.geo.crs import to_lonlat
from kupiansk_map.ingest.archive_store import import_archive
from kupiansk_map.ingest.sources import ArchiveSource

KUP = 32637
X0, Y0 = 400_000.0, 5_506_000.0  # near Kupiansk, in UTM 37N metres
D = dt.date


def _ll(geometry_m):
    return mapping(to_lonlat(geometry_m, KUP))


def _feature(fid: str, geometry_m, start: str | None = None, end: str | None = None, **props) -> dict:
    return {
        "type": "Feature",
        "properties": {"id": fid, "valid_from": start, "valid_to": end, **props},
        "geometry": _ll(geometry_m),
    }


def _fc(*features: dict) -> dict:
    return {"type": "FeatureCollection", "features": list(features)}


CITY = box(X0, Y0, X0 + 2_000, Y0 + 2_000)


def _front(east_km: float) -> LineString:
    x = X0 + 2_000 + east_km * 1e3
    return LineString([(x, Y0 - 60_000), (x, Y0 + 60_000)])


def _held(east_km: float) -> Polygon:
    x = X0 + 2_000 + east_km * 1e3
    return box(x, Y0 - 60_000, X0 + 100_000, Y0 + 60_000)  # the east edge stays: nearer is larger


@pytest.fixture
def made_up() -> dict:
    """Two Kupiansk states (5 km, then 3 km east of the city) with a gap before a third (8 km); two Kursk
    states, one with a reported figure claimed by Ukraine, one reported."""
    return {
        "kupiansk": _fc(_feature("city", CITY)),
        "front_line": _fc(
            _feature("f1", _front(5), "2024-01-01", "2024-01-10"),
            _feature("f2", _front(3), "2024-01-10", "2024-01-20"),
            _feature("f3", _front(8), "2024-02-01", "2024-02-15"),
        ),
        "occupied": _fc(
            _feature("o1", _held(5), "2024-01-01", "2024-01-10"),
            _feature("o2", _held(3), "2024-01-10", "2024-01-20"),
            _feature("o3", _held(8), "2024-02-01", "2024-02-15"),
        ),
        "kursk_salient": _fc(
            _feature(
                "k1",
                box(X0 - 90_000, Y0 + 150_000, X0 - 60_000, Y0 + 180_000),
                "2024-01-05",
                "2024-01-12",
                reported_area_km2=1000,
                area_source="Ukrainian officials",
                area_status="claimed-ua",
            ),
            _feature(
                "k2",
                box(X0 - 90_000, Y0 + 150_000, X0 - 70_000, Y0 + 170_000),
                "2024-01-12",
                "2024-01-20",
                reported_area_km2=400,
                area_source="Reuters",
                area_status="reported",
            ),
        ),
    }


def _by_date(found: history.History) -> dict[dt.date, HistoryPoint]:
    return {p.date: p for p in found.points}


def test_one_point_per_change_date_with_the_figures_of_stats(made_up):
    found = history.history_of(made_up)
    assert [p.date for p in found.points] == [
        D(2024, 1, 1),
        D(2024, 1, 5),
        D(2024, 1, 10),
        D(2024, 1, 12),
        D(2024, 1, 20),
        D(2024, 2, 1),
        D(2024, 2, 15),
    ]
    points = _by_date(found)
    assert points[D(2024, 1, 1)].city_to_front_km == 5.0
    assert points[D(2024, 1, 10)].city_to_front_km == 3.0
    assert points[D(2024, 2, 1)].city_to_front_km == 8.0
    assert points[D(2024, 1, 1)].until == D(2024, 1, 5) and points[D(2024, 2, 15)].until is None
    for point in found.points:
        figures = figures_on(made_up, point.date)
        assert point.city_to_front_km == figures.city_to_front_km
        assert point.occupied_within_10km_km2 == figures.occupied_within_10km_km2
        assert point.occupied_within_20km_km2 == figures.occupied_within_20km_km2
        assert point.kursk_area_km2 == figures.kursk_area_km2
    # Held ground starts 5 km east of the city: some of it lies within 10 km, more within 20 km.
    near = points[D(2024, 1, 1)]
    assert 0 < near.occupied_within_10km_km2 < near.occupied_within_20km_km2
    assert points[D(2024, 1, 10)].occupied_within_10km_km2 > near.occupied_within_10km_km2
    assert points[D(2024, 1, 5)].kursk_area_km2 == pytest.approx(900, rel=0.01)  # 30 x 30 km
    assert points[D(2024, 1, 12)].kursk_area_km2 == pytest.approx(400, rel=0.01)


def test_not_mapped_dates_are_gaps_not_zeros_or_carried_values(made_up):
    points = _by_date(history.history_of(made_up))
    for day in (D(2024, 1, 20), D(2024, 2, 15)):  # nothing mapped from here on (until the next state)
        point = points[day]
        assert point.city_to_front_km is None and point.occupied_within_10km_km2 is None
        assert point.occupied_within_20km_km2 is None and point.occupied_area_km2 is None
        assert point.kursk_area_km2 is None
    assert points[D(2024, 1, 1)].kursk_area_km2 is None  # Kursk not mapped before 5 January
    assert points[D(2024, 2, 1)].kursk_area_km2 is None
    # A sector the layers hold features for but no mapped span does not cover is a gap too.
    found = history.history_from(lambda _day: made_up, dates=[D(2023, 12, 25), D(2024, 1, 1)])
    assert found.points[0].city_to_front_km is None and found.points[1].city_to_front_km == 5.0


def test_a_source_with_no_kursk_has_no_kursk_figures(made_up):
    found = history.history_of({k: v for k, v in made_up.items() if k != "kursk_salient"})
    assert not found.has("kursk_area_km2") and found.has("city_to_front_km")
    assert found.mapped["kursk"] == ()


def test_weekly_change_is_the_difference_of_the_last_mapped_days():
    def point(day: dt.date, until: dt.date | None, area: float | None) -> HistoryPoint:
        return HistoryPoint(day, until, None, None, None, area, None)

    # Mon 1 Jan 2024 (ISO week 1): 100 km², 100 from Thu 11 Jan, 130 from Tue 16 Jan to Sat 20 Jan; nothing
    # mapped until Thu 1 Feb, then 150 until Wed 14 Feb.
    points = [
        point(D(2024, 1, 1), D(2024, 1, 11), 100.0),
        point(D(2024, 1, 11), D(2024, 1, 16), 110.0),
        point(D(2024, 1, 16), D(2024, 1, 21), 130.0),
        point(D(2024, 1, 21), D(2024, 2, 1), None),
        point(D(2024, 2, 1), D(2024, 2, 15), 150.0),
        point(D(2024, 2, 15), None, None),
    ]
    mapped = ((D(2024, 1, 1), D(2024, 1, 20)), (D(2024, 2, 1), D(2024, 2, 14)))
    weeks = {w.week: w for w in history.weekly_change(points, mapped=mapped)}
    assert sorted(weeks) == [1, 2, 3, 4, 5, 6, 7]
    assert weeks[1].last_day == D(2024, 1, 7) and weeks[1].area_km2 == 100.0 and weeks[1].change_km2 is None
    assert weeks[2].last_day == D(2024, 1, 14) and weeks[2].change_km2 == 10.0
    assert weeks[3].last_day == D(2024, 1, 20) and weeks[3].area_km2 == 130.0 and weeks[3].change_km2 == 20.0
    assert weeks[4].last_day is None and weeks[4].area_km2 is None and weeks[4].change_km2 is None
    # Week 5's last mapped day is Sun 4 Feb, but a gap lies between it and week 3: no week holds that change.
    assert weeks[5].area_km2 == 150.0 and weeks[5].change_km2 is None
    assert weeks[6].change_km2 == 0.0
    assert weeks[7].last_day == D(2024, 2, 14) and weeks[7].change_km2 == 0.0
    assert all(w.monday.weekday() == 0 for w in weeks.values())


def test_weekly_change_from_the_history_never_bridges_a_gap(made_up):
    weeks = history.history_of(made_up).weeks
    by_week = {(w.year, w.week): w for w in weeks}
    # 1-10 Jan the held area is o1's, 10-19 Jan o2's (nearer the city, so larger); 20-31 Jan not mapped.
    assert by_week[(2024, 2)].change_km2 is not None and by_week[(2024, 2)].change_km2 > 0
    assert by_week[(2024, 4)].change_km2 is None and by_week[(2024, 5)].change_km2 is None


def test_reported_marks_keep_their_source_and_status(made_up, layers):
    marks = history.reported_marks(made_up)
    assert [(m.date, m.area_km2, m.source, m.status, m.is_claim) for m in marks] == [
        (D(2024, 1, 5), 1000.0, "Ukrainian officials", "claimed-ua", True),
        (D(2024, 1, 12), 400.0, "Reuters", "reported", False),
    ]
    built_in = history.reported_marks(layers)
    assert [m.area_km2 for m in built_in] == [1000.0, 850.0, 600.0]
    assert built_in[0].is_claim and built_in[0].date == D(2024, 8, 20)
    assert history.history_of(layers).marks == built_in


def test_the_distance_falls_back_to_the_whole_line_when_the_nearest_point_is_outside_the_box(made_up):
    far = {**made_up, "front_line": _fc(_feature("far", _front(45), "2024-01-01", "2024-01-20"))}
    point = history.history_of(far).points[0]
    assert point.city_to_front_km == 45.0 and not point.distance_clipped
    # A line whose part inside the box is farther than the box's margin while another part, outside it, is
    # nearer than that part: measured on the whole line.
    corner = LineString([(X0 + 2_000 + 29_000, Y0 + 2_000 + 29_000), (X0 + 2_000 + 31_000, Y0 + 1_000)])
    bent = {**made_up, "front_line": _fc(_feature("bent", corner, "2024-01-01", "2024-01-20"))}
    point = history.history_of(bent).points[0]
    assert point.city_to_front_km == figures_on(bent, D(2024, 1, 1)).city_to_front_km
    assert 30 < point.city_to_front_km < 31  # the part inside the box is 41 km away
    assert not point.distance_clipped
    assert history.history_of(made_up).points[0].distance_clipped


def test_step_rows_close_each_run_and_leave_gaps(made_up):
    rows = history.step_rows(history.history_of(made_up).points, "city_to_front_km")
    assert [(r["date"], r["value"], r["segment"]) for r in rows] == [
        (D(2024, 1, 1), 5.0, 1),
        (D(2024, 1, 5), 5.0, 1),
        (D(2024, 1, 10), 3.0, 1),
        (D(2024, 1, 12), 3.0, 1),
        (D(2024, 1, 19), 3.0, 1),  # the run's last day
        (D(2024, 2, 1), 8.0, 2),
        (D(2024, 2, 14), 8.0, 2),
    ]
    assert rows[0]["last_day"] == D(2024, 1, 4)


def test_bad_options_are_refused(made_up):
    with pytest.raises(ValueError, match="within_km"):
        history.history_of(made_up, within_km=(10, 40))
    with pytest.raises(ValueError, match="no change dates"):
        history.history_from(lambda _day: made_up, dates=[])
    with pytest.raises(KeyError, match="not a history figure"):
        history.history_of(made_up).points[0].value("nope")


def test_an_archive_history_matches_the_figures_of_each_date(tmp_path, layers):
    store = tmp_path / "store.gpkg"
    plan = s.days([0, 0, 3, None, None, 6, 6, 9])
    import_archive(s.write_daily_geojson(tmp_path / "a", plan), name="a", store=store, today=D(2025, 1, 1))
    archive = ArchiveSource(store, "a")
    found = history.archive_history(archive, layers)
    starts = {st.valid_from for states in archive.spans.values() for st in states}
    assert starts <= {p.date for p in found.points}
    gap = s.START + dt.timedelta(days=3)
    assert _by_date(found)[gap].city_to_front_km is None and _by_date(found)[gap].occupied_area_km2 is None
    for point in found.points:
        figures = figures_on({**layers, **archive.situation_layers(point.date)}, point.date)
        assert point.city_to_front_km == figures.city_to_front_km
        assert point.occupied_within_20km_km2 == figures.occupied_within_20km_km2
    assert not found.has("kursk_area_km2")
    assert [m.area_km2 for m in found.marks] == [1000.0, 850.0, 600.0]  # the reported figures, to compare with
