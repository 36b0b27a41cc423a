"""The figures-over-time charts in the app (AppTest): drawn for the built-in source and an archive source, the
chosen date's rule moved by a date step, and the CSV downloads holding the history's numbers."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import archive_samples as s
import pyarrow as pa
import pytest
from conftest import date_input
from test_app import run_app

from kupiansk_map.analysis import history
from kupiansk_map.app.caches import cached_layers
from kupiansk_map.ingest.archive_store import import_archive
from kupiansk_map.ingest.sources import ArchiveSource
from kupiansk_map.paths import data_dir

CHARTS = ("distance", "within", "kursk", "weekly")


def _charts(at) -> dict[str, dict]:
    """Each history chart's Vega-Lite spec, by the name it carries in ``usermeta``, with its named datasets (sent
    as Arrow) read back into ``datasets`` as rows."""
    out = {}
    for el in at.get("vega_lite_chart"):
        spec = json.loads(el.proto.spec)
        if "chart" in spec.get("usermeta", {}):
            spec["datasets"] = {
                d.name: pa.ipc.open_stream(d.data.data).read_all().to_pylist() for d in el.proto.datasets
            }
            out[spec["usermeta"]["chart"]] = spec
    return out


def _rule_dates(spec: dict) -> list[str]:
    assert spec["layer"][-1]["data"] == {"name": "chosen"}
    return [v["date"] for v in spec["datasets"]["chosen"]]


@pytest.fixture(autouse=True)
def served(monkeypatch) -> dict[str, object]:
    """The deferred downloads each run registers, by file id: what a click on the button would serve."""
    from streamlit.runtime.media_file_manager import MediaFileManager

    found: dict[str, object] = {}
    original = MediaFileManager.add_deferred

    def add_deferred(self, data, mimetype, coordinates, file_name=None, **kwargs):
        file_id = original(self, data, mimetype, coordinates, file_name=file_name, **kwargs)
        found[file_id] = data
        return file_id

    monkeypatch.setattr(MediaFileManager, "add_deferred", add_deferred)
    return found


def _csv(at, served: dict, name: str) -> list[dict[str, str]]:
    """What the chart's "Download CSV" button serves, made as a click would make it."""
    (button,) = [b for b in at.get("download_button") if b.proto.id.endswith(f"km_history_csv_{name}")]
    assert button.proto.label == "Download CSV" and button.proto.deferred_file_id
    data = served[button.proto.deferred_file_id]()
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


def test_the_built_in_source_draws_four_charts_with_the_rule_on_the_chosen_date():
    at = run_app({"date": "2024-11-13"})
    charts = _charts(at)
    assert set(charts) == set(CHARTS)
    for name, spec in charts.items():
        assert _rule_dates(spec) == ["2024-11-13"], name
        assert spec["layer"][-1]["mark"]["type"] == "rule"
        assert spec["config"]["axis"]["labelFontSize"] >= 14
    kursk = charts["kursk"]
    marks = next(layer for layer in kursk["layer"] if layer["mark"].get("shape") == "diamond")
    labels = [v["label"] for v in kursk["datasets"][marks["data"]["name"]]]
    assert labels[0].endswith("(claim by Ukraine)") and "Reuters, 14 Nov 2024" in labels[1]


def test_a_date_step_moves_only_the_rule():
    at = run_app({"date": "2024-11-13"})
    before = _charts(at)
    date_input(at).set_value(dt.date(2022, 9, 10)).run()
    after = _charts(at)
    for name in CHARTS:
        # The same spec (so the browser keeps the chart and swaps one dataset); only the rule's row changes.
        spec_before, spec_after = dict(before[name]), dict(after[name])
        data_before, data_after = spec_before.pop("datasets"), spec_after.pop("datasets")
        assert spec_before == spec_after, name
        assert {k: v for k, v in data_before.items() if k != "chosen"} == {
            k: v for k, v in data_after.items() if k != "chosen"
        }
    assert _rule_dates(after["distance"]) == ["2022-09-10"]
    assert _rule_dates(after["kursk"]) == []  # outside the Kursk chart's span: no rule there


def test_the_built_in_csv_downloads_hold_the_history(served):
    at = run_app({"date": "2024-11-13"})
    found = history.history_of(cached_layers(str(data_dir())).layers)
    rows = _csv(at, served, "distance")
    by_day = {r["first day"]: r for r in rows}
    assert by_day["2022-02-27"]["distance from the city to the front line (km)"] == "51.93"
    assert by_day["2024-11-01"]["distance from the city to the front line (km)"] == str(
        found.point_on(dt.date(2024, 11, 1)).city_to_front_km
    )
    assert by_day["2023-01-01"]["distance from the city to the front line (km)"] == ""
    assert by_day["2023-01-01"]["note"] == "not mapped"
    kursk = {r["first day"]: r for r in _csv(at, served, "kursk")}
    assert kursk["2024-08-20"]["reported figure (km²)"] == "1000.0"
    assert kursk["2024-08-20"]["status of the reported figure"] == "claimed-ua: a claim by Ukraine"
    assert kursk["2024-11-01"]["Ukrainian-held area in Kursk region on the map (km²)"] == "600.2"
    assert kursk["2024-08-06"]["Ukrainian-held area in Kursk region on the map (km²)"] == ""  # only marks a place
    weekly = _csv(at, served, "weekly")
    assert weekly[0]["ISO week"] == "2022-W08"
    changes = {r["ISO week"]: r["net change from the previous week (km²)"] for r in weekly}
    assert changes["2022-W36"] == str(round(5341.8 - 13117.0, 1))
    within = _csv(at, served, "within")
    assert within[0]["Russian-held ground within 20 km of the city (km²)"] == str(
        found.points[0].occupied_within_20km_km2
    )


@pytest.fixture
def archive_store(tmp_path, monkeypatch):
    store = tmp_path / "store.gpkg"
    plan = s.days([0, 0, 3, None, None, 6, 6, 9, 9, 9, 12, 12, 12, 12, 15])
    import_archive(s.write_daily_geojson(tmp_path / "src", plan), name="sample", store=store, today=dt.date(2025, 1, 1))
    monkeypatch.setenv("KUPIANSK_MAP_STORE", str(store))
    # The app's modules read the store's path once, at import: point them at this one.
    return store


def test_an_archive_source_draws_its_charts_and_says_kursk_is_not_mapped(archive_store, served):
    day = s.START + dt.timedelta(days=2)
    at = run_app({"source": "sample", "date": day.isoformat()})
    charts = _charts(at)
    assert set(charts) == {"distance", "within", "weekly"}
    assert _rule_dates(charts["distance"]) == [day.isoformat()]
    assert any("does not map the Ukrainian-held area in Kursk region" in i.value for i in at.info)
    assert any("sample archive's states" in c.value for c in at.caption)
    found = history.archive_history(ArchiveSource(archive_store, "sample"), cached_layers(str(data_dir())).layers)
    rows = {r["first day"]: r for r in _csv(at, served, "distance")}
    gap = (s.START + dt.timedelta(days=3)).isoformat()
    assert rows[gap]["note"] == "not mapped" and rows[gap]["distance from the city to the front line (km)"] == ""
    for point in found.points:
        if point.until is not None and point.city_to_front_km is not None:
            assert rows[point.date.isoformat()]["distance from the city to the front line (km)"] == str(
                point.city_to_front_km
            )
    # The line has a gap there: two runs.
    line = next(layer for layer in charts["distance"]["layer"] if layer["mark"]["type"] == "line")
    assert len({v["run"] for v in charts["distance"]["datasets"][line["data"]["name"]]}) == 2
