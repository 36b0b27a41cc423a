"""app/disputes.py: two archives side by side in the app (AppTest), and the panel and styles on their own."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import archive_samples as s
import pytest
from test_app import component_args, feature_ids, run_app

from kupiansk_map import paths
from kupiansk_map.analysis import disputes
from kupiansk_map.app import disputes as app_disputes
from kupiansk_map.app.disputes import VIEW_AOI, dispute_html, dispute_legend
from kupiansk_map.ingest.archive_store import import_archive
from kupiansk_map.ingest.snapshots import parse_aoi
from kupiansk_map.layers.store import load_layers
from kupiansk_map.web import static_text
from kupiansk_map.web.style import DISPUTE_STYLES

TODAY = dt.date(2025, 1, 1)
DAY = s.START + dt.timedelta(days=1)  # a: size 0, b: size 5 (b's Russian-held ground reaches 5 km further west)
MISSING = s.START + dt.timedelta(days=2)  # missing from b


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("disputes")
    path = folder / "store.gpkg"
    plans = {"alpha": s.days([0, 0, 0, 0]), "beta": s.days([0, 5, None, 5])}
    for name, plan in plans.items():
        import_archive(
            s.write_daily_geojson(folder / name, plan),
            name=name,
            store=path,
            attribution=f"Made up by the {name} tests",
            today=TODAY,
        )
    return path


@pytest.fixture
def with_store(store: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    # The app reads the store path once, at import; a test server would take it from the environment.
    monkeypatch.setenv("KUPIANSK_MAP_STORE", str(store))
    return store


def _city():
    return load_layers().layers["kupiansk"]["features"][0]["geometry"]


def _expected(store: Path, day: dt.date, view: str = "kupiansk") -> disputes.Dispute:
    from shapely.geometry import shape

    aoi = VIEW_AOI[view]
    return disputes.dispute(
        store, "alpha", "beta", day, aoi=None if aoi is None else parse_aoi(aoi), city=shape(_city())
    )


def _panel(at) -> str:
    found = [h.proto.body for h in at.get("html") if "km-disputes" in h.proto.body]
    assert len(found) == 1, "one Two sources panel"
    return found[0]


def _figure(panel: str, key: str, side: str | None = None) -> str:
    scope = panel
    if side is not None:
        scope = re.search(rf"data-side='{side}'.*?</dl>", panel, re.S).group(0)
    return re.search(rf"data-figure='{key}'>.*?<(?:dd|strong)>([^<]*)<", scope, re.S).group(1)


def test_the_map_draws_the_disputed_ground_and_the_panel_gives_both_sources(with_store):
    at = run_app({"source": "alpha", "versus": "beta", "date": DAY.isoformat()})
    expected = _expected(with_store, DAY)
    assert expected.only_b_km2 > 1 and expected.only_a.is_empty
    groups = feature_ids(component_args(at))
    assert f'"id":"disputed-beta-{DAY.isoformat()}"' in groups
    assert f"disputed-alpha-{DAY.isoformat()}" not in groups  # alpha holds nothing beta does not
    assert "Russian-held in beta, not in alpha" in groups  # the legend row and the popup name both
    assert "Made up by the alpha tests" in groups and "Made up by the beta tests" in groups
    assert "neither is a fact" in groups
    panel = _panel(at)
    assert _figure(panel, "disputed_km2") == f"{expected.disputed_km2:,.1f} km²"
    for side, figures in (("a", expected.a), ("b", expected.b)):
        assert _figure(panel, "occupied_km2", side) == f"{figures.occupied_km2:,.1f} km²"
        assert _figure(panel, "front_distance_km", side) == f"{figures.front_distance_km:,.1f} km"
    assert "symmetric difference" in panel and "within 30 km of Kupiansk" in panel
    assert "Made up by the alpha tests" in panel


def test_a_date_one_archive_lacks_is_refused_without_numbers(with_store):
    at = run_app({"source": "alpha", "versus": "beta", "date": MISSING.isoformat()})
    panel = _panel(at)
    with pytest.raises(disputes.DisputeError) as info:
        _expected(with_store, MISSING)
    for line in str(info.value).splitlines():
        assert line.strip().replace("'", "&#x27;") in panel
    assert "km²" not in panel and "data-figure" not in panel
    assert "disputed-" not in feature_ids(component_args(at))


def test_the_panel_is_in_ukrainian(with_store):
    at = run_app({"source": "alpha", "versus": "beta", "date": DAY.isoformat(), "lang": "uk"})
    panel = _panel(at)
    assert "Два джерела" in panel and "км²" in panel
    assert "Russian-held" not in panel


def test_without_a_second_archive_nothing_is_compared(with_store):
    at = run_app({"source": "alpha", "date": DAY.isoformat()})
    assert not [h for h in at.get("html") if "km-disputes" in h.proto.body]
    assert "disputed-" not in feature_ids(component_args(at))


def test_the_overview_compares_the_whole_of_both(with_store):
    at = run_app({"source": "alpha", "versus": "beta", "date": DAY.isoformat(), "view": "overview"})
    expected = _expected(with_store, DAY, "overview")
    panel = _panel(at)
    assert _figure(panel, "disputed_km2") == f"{expected.disputed_km2:,.1f} km²"
    assert "across the whole of both archives" in panel
    assert _figure(panel, "occupied_km2", "a") == f"{expected.a.occupied_km2:,.1f} km²"
    # each archive's whole Russian-held ground counts, not only its part within 30 km of Kupiansk
    assert expected.a.occupied_km2 > _expected(with_store, DAY).a.occupied_km2 + 1


def test_the_panel_swatches_are_the_map_styles():
    css = static_text("disputes-panel.css")
    for side, style in DISPUTE_STYLES.items():
        rule = re.search(rf"\.km-{side} \{{([^}}]*)\}}", css).group(1)
        fill = style["fillColor"].lstrip("#")
        rgb = ", ".join(str(int(fill[k : k + 2], 16)) for k in (0, 2, 4))
        assert f"rgba({rgb}, {style['fillOpacity']})" in rule
        assert style["color"] in rule and f"{style['weight']}px" in rule


def test_the_two_sides_are_told_apart_without_colour():
    a, b = DISPUTE_STYLES["only_a"], DISPUTE_STYLES["only_b"]
    assert a["fillColor"] != b["fillColor"] and a["dashArray"] != b["dashArray"]
    legend = dispute_legend("A", "B")
    assert legend["only_a"].label == "Russian-held in A, not in B"
    assert legend["only_b"].label == "Russian-held in B, not in A"


def test_the_panel_escapes_archive_names(store):
    found = _expected(store, DAY)
    html = dispute_html(found, a="<b>alpha</b>", b="beta", day=DAY, aoi="kupiansk")
    assert "<b>alpha</b>" not in html and "&lt;b&gt;alpha&lt;/b&gt;" in html


def test_one_dispute_per_server(with_store):
    app_disputes.cached_dispute.clear()
    key_a = (str(with_store), "alpha", "x")
    key_b = (str(with_store), "beta", "x")
    data = str(paths.data_dir())
    first = app_disputes.cached_dispute(data, key_a, key_b, DAY, "kupiansk")
    assert app_disputes.cached_dispute(data, key_a, key_b, DAY, "kupiansk") is first
