"""The map builder is pure: layers and a view state in, a folium.Map out. Assert on the generated HTML/JS."""

import copy
import dataclasses
import datetime as dt
import json
import re

import folium
import pytest
from branca.element import Element, Figure

from kupiansk_map.web.render import (
    DRAW_ORDER,
    base_map,
    build_map,
    layer_data,
    legend_rows,
    map_figure,
    situation_groups,
)
from kupiansk_map.web.style import LEGEND_ENTRIES
from kupiansk_map.web.views import DEFAULT_STATE


def html_of(fmap: folium.Map) -> str:
    return fmap.get_root().render()


def state(**changes):
    return dataclasses.replace(DEFAULT_STATE, **changes)


def test_build_map_returns_a_folium_map_with_the_dated_layers(layers):
    html = html_of(build_map(layers, state(date=dt.date(2024, 11, 13))))
    assert "occupied-2024-11" in html and "front-2024-11" in html and "kursk-2024-11" in html
    assert "occupied-2022-02-27" not in html and "kursk-2024-09-15" not in html


def test_the_date_changes_what_is_drawn(layers):
    html = html_of(build_map(layers, state(date=dt.date(2022, 5, 1))))
    assert "occupied-2022-02-27" in html and "occupation-2022" in html
    assert "occupied-2024-11" not in html and "kursk-" not in html and "claim-ru-foothold" not in html


def test_hidden_layers_are_not_sent(layers):
    html = html_of(build_map(layers, state(layers=("occupied",))))
    assert "occupied-2024-11" in html and "front-2024-11" not in html and "railway-kharkiv" not in html


def test_groups_follow_the_draw_order(layers):
    groups = situation_groups(layers, DEFAULT_STATE)
    titles = [g.layer_name for g in groups]
    assert titles[0] == "Russian-held area of Ukraine, November 2024" and titles[-1] == "Events and claims"
    # Every layer but the offline basemap, which the base map draws (only where there are no tiles).
    assert len(groups) == len(DRAW_ORDER) - 1 and "Offline basemap" not in titles


def test_styles_reach_the_map(layers):
    html = html_of(build_map(layers, DEFAULT_STATE))
    assert '"fillColor":"#D55E00"' in html  # occupied, vermillion
    assert '"color":"#0072B2"' in html  # Kursk salient and Ukrainian claims, blue
    assert '"dashArray":"4 3"' in html  # claims are dashed


def test_scale_bar_and_legend(layers):
    html = html_of(build_map(layers, DEFAULT_STATE))
    assert "L.control.scale" in html
    assert "Claim by Russia, unverified" in html and "km-legend" in html
    assert "Claim by Ukraine, unverified" in [row["label"] for row in legend_rows(LEGEND_ENTRIES)]


def test_claim_labels_say_who_claims_what_unverified(layers):
    data = layer_data(layers["events"], "events", dt.date(2024, 11, 13))
    labels = {f["properties"]["id"]: f["properties"].get("_label") for f in data["features"]}
    assert labels["claim-ua-repelled"] == "Ukraine claims: assault repelled, city held (unverified)"
    assert labels["claim-ru-foothold"] == "Russia claims: foothold on the city&#x27;s outskirts (unverified)"
    html = html_of(build_map(layers, DEFAULT_STATE))
    assert "Ukraine claims: assault repelled, city held (unverified)" in html


def test_claim_labels_can_be_translated_by_feature_id_or_by_claimant(layers):
    by_id = layer_data(
        layers["events"],
        "events",
        dt.date(2024, 11, 13),
        labels={"claim-ua-repelled": "Заява України: штурм відбито (не перевірена)"},
    )
    # With no name given in the language, a claim is labelled by its claimant (its claim text is English data).
    by_status = layer_data(layers["events"], "events", dt.date(2024, 11, 13), lang="uk")
    label = {f["properties"]["id"]: f["properties"].get("_label") for f in by_id["features"]}
    assert label["claim-ua-repelled"] == "Заява України: штурм відбито (не перевірена)"
    assert {f["properties"]["id"]: f["properties"].get("_label") for f in by_status["features"]}[
        "claim-ru-foothold"
    ] == "Заява Росії (не перевірена)"


def test_basemaps(layers):
    assert "tile.openstreetmap.org" in html_of(base_map(basemap="osm"))
    assert "arcgisonline" in html_of(base_map(basemap="satellite"))
    for fmap in (base_map(basemap="none"), base_map(basemap="osm", offline=True)):
        html = html_of(fmap)
        assert "tile.openstreetmap.org" not in html and "L.tileLayer" not in html and "km-no-tiles" in html


def test_layer_data_keeps_little_but_escaped_popups(layers):
    data = layer_data(layers["events"], "events", dt.date(2024, 11, 13))
    props = data["features"][0]["properties"]
    assert set(props) <= {
        "id",
        "status",
        "kind",
        "area_status",
        "_tooltip",
        "_popup",
        "_style",
        "_label",
        "_label_css",
        "_name",
        "_inner",
        "_label_at",
    }
    assert "<h4>" in props["_popup"]


def test_hostile_text_is_escaped_in_the_generated_map(layers):
    hostile = copy.deepcopy(layers)
    feat = hostile["events"]["features"][-3]
    feat["properties"]["name"] = "<script>alert('x')</script>"
    feat["properties"]["note"] = "<img src=x onerror=alert(1)>"
    feat["properties"]["source"] = "javascript:alert(2)"
    html = html_of(build_map(hostile, DEFAULT_STATE))
    assert "<script>alert('x')</script>" not in html
    assert "<img src=x onerror" not in html
    assert "&lt;script&gt;" in html or "\\u003cscript" in html


def test_the_builder_does_not_touch_its_input(layers):
    before = json.dumps(layers, sort_keys=True)
    html_of(build_map(layers, DEFAULT_STATE))
    assert json.dumps(layers, sort_keys=True) == before


def test_embedded_data_cannot_close_its_script_element(layers):
    hostile = copy.deepcopy(layers)
    hostile["places"]["features"][0]["properties"]["name"] = "</script><script>alert(1)</script>"
    html = html_of(build_map(hostile, DEFAULT_STATE))
    assert html.count("</script><script>alert(1)") == 0
    assert html.lower().count("<script") == html.lower().count("</script>")


def test_presenter_and_measure_tools():
    html = html_of(base_map(presenter=True, measure=True))
    assert "L.control.fullscreen" in html and "flyTo" in html
    assert "L.Control.Measure(" in html and "sqkilometers" in html and "L.Control.MousePosition(" in html
    # leaflet-measure 2.1.7 has no square kilometres of its own: the map must define them, named km².
    assert '"display": "km\\u00b2"' in html and '"display": "ha"' in html
    plain = html_of(base_map())
    assert "flyTo" not in plain and "L.Control.Measure(" not in plain


def test_village_and_claim_labels_hide_at_small_scales(layers):
    html = html_of(build_map(layers, DEFAULT_STATE))
    assert "km-zoom-small" in html and ".km-zoom-small .km-village" in html
    data = layer_data(layers["places"], "places", dt.date(2024, 11, 13))
    classes = {f["properties"]["_label_css"] for f in data["features"]}
    assert {"km-label km-city", "km-label km-town", "km-label km-village"} <= classes


def test_map_figure_is_the_page_a_map_renders_in():
    fmap = base_map(basemap="none", offline=True, view=DEFAULT_STATE.view)
    figure = map_figure(fmap)
    assert isinstance(figure, Figure) and fmap in figure._children.values()
    with pytest.raises(TypeError, match=re.escape("not inside a branca Figure (its root is a Element)")):
        map_figure(Element("<p>no page</p>"))


def test_layer_data_refuses_a_text_date(layers):
    with pytest.raises(TypeError, match=re.escape("expected a datetime.date, got str '2024-11-13'")):
        layer_data(layers["events"], "events", "2024-11-13")
