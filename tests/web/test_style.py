import re

import pytest

from kupiansk_map.model import LAYER_IDS, layer_spec
from kupiansk_map.web.style import (
    CHANGE_STYLES,
    INNER_STYLES,
    LAYER_STYLES,
    LEGEND,
    LEGEND_ENTRIES,
    OVERLAY_LEGEND,
    PALETTE,
    STATUS_STYLES,
    UPLOAD_COLORS,
    feature_style,
    fixed_style,
    legend_key,
    upload_legend,
    upload_style,
)

OKABE_ITO = {"#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7"}
# Paul Tol's colour-blind-safe "muted" and "light" schemes.
TOL = {
    "#332288",
    "#88CCEE",
    "#44AA99",
    "#117733",
    "#999933",
    "#DDCC77",
    "#CC6677",
    "#882255",
    "#AA4499",
    "#77AADD",
    "#99DDFF",
    "#BBCC33",
    "#AAAA00",
    "#EEDD88",
    "#EE8866",
    "#FFAABB",
    "#44BB99",
}


def test_every_layer_has_a_style_from_the_colour_blind_safe_palette():
    assert set(LAYER_STYLES) == set(LAYER_IDS)
    used = {v for style in LAYER_STYLES.values() for k, v in style.items() if k in ("color", "fillColor")}
    assert used <= OKABE_ITO | TOL | {"#FFFFFF", PALETTE["grey"]}


def test_claims_look_different_from_reported_events():
    reported = feature_style("events", {"status": "reported", "kind": "event"})
    for status in ("claimed-ua", "claimed-ru"):
        claim = feature_style("events", {"status": status, "kind": "claim"})
        assert claim["dashArray"] and claim["fillColor"] == "#FFFFFF" and claim != reported
    assert (
        feature_style("events", {"status": "claimed-ua"})["color"]
        != feature_style("events", {"status": "claimed-ru"})["color"]
    )


def test_legend_labels_claims_as_unverified_and_schematic_shapes_as_schematic():
    labels = [label for label, _, _ in LEGEND]
    assert "Claim by Ukraine, unverified" in labels and "Claim by Russia, unverified" in labels
    assert any("schematic" in label for label in labels)
    for _, kind, style in LEGEND:
        assert kind in ("fill", "line", "point", "rail") and re.fullmatch(r"#[0-9A-Fa-f]{6}", style["color"])


def test_status_styles_cover_every_non_schematic_status():
    assert set(STATUS_STYLES) == {"reported", "assessed", "claimed-ua", "claimed-ru"}


def _look(entry) -> tuple:
    """What a person can tell apart: swatch kind, outline colour and dashes, fill colour, the ladder on top."""
    style = entry.style
    fill = style.get("fillColor") if entry.kind in ("fill", "point") else None
    inner = tuple(sorted(entry.inner.items())) if entry.inner else None
    return entry.kind, style.get("color"), style.get("dashArray"), fill, inner


def _all_entries(uploads: int = len(UPLOAD_COLORS)):
    return [*LEGEND_ENTRIES, *OVERLAY_LEGEND.values(), *(upload_legend(i, f"file{i}.geojson") for i in range(uploads))]


def test_every_feature_drawn_has_a_legend_entry_drawn_like_it(layers):
    by_key = {entry.key: entry for entry in LEGEND_ENTRIES}
    for layer_id, collection in layers.items():
        if layer_spec(layer_id).basemap:  # scenery under the map, credited in the attribution, not in the legend
            continue
        for feat in collection["features"]:
            props = feat["properties"]
            key = legend_key(layer_id, props)
            assert key in by_key, f"{layer_id} {props.get('id')}: no legend entry {key!r}"
            assert dict(by_key[key].style) == feature_style(layer_id, props), f"{layer_id} {props.get('id')}"
            assert by_key[key].inner == INNER_STYLES.get(layer_id)
    # ...and the legend has no entry for a meaning that nothing is drawn as.
    drawn = {
        legend_key(layer_id, f["properties"])
        for layer_id, c in layers.items()
        if not layer_spec(layer_id).basemap
        for f in c["features"]
    }
    # An archive's states (ingest.sources) are drawn when an archive is the source: its assessment, so named.
    archive_states = {layer_id: {"status": "assessed"} for layer_id in ("occupied", "front_line", "kursk_salient")}
    for layer_id, props in archive_states.items():
        key = legend_key(layer_id, props)
        assert key == f"{layer_id}:assessed" and dict(by_key[key].style) == feature_style(layer_id, props)
        drawn.add(key)
    assert set(by_key) == drawn


def test_no_two_meanings_look_alike():
    entries = _all_entries()
    looks = {}
    for entry in entries:
        if entry.key in ("occupied:assessed", "front_line:assessed", "kursk_salient:assessed"):
            # The same meaning as the built-in layer's, from an archive; never drawn together (ingest.sources).
            twin = next(e for e in entries if e.key == entry.key.removesuffix(":assessed"))
            assert _look(entry) == _look(twin)
            continue
        assert _look(entry) not in looks, f"{entry.label!r} looks like {looks.get(_look(entry))!r}"
        looks[_look(entry)] = entry.label
    assert len({entry.key for entry in entries}) == len(entries)


def test_gains_and_losses_are_four_colours_no_layer_or_event_uses():
    change = [style["fillColor"] for style in CHANGE_STYLES.values()]
    assert len(set(change)) == 4
    others = {v for entry in LEGEND_ENTRIES for k, v in entry.style.items() if k in ("color", "fillColor")}
    assert not set(change) & others


def test_railway_and_border_look_clearly_different():
    rail, border = LAYER_STYLES["railways"], LAYER_STYLES["state_border"]
    assert rail["color"] != border["color"] and border.get("dashArray") and not rail.get("dashArray")
    assert INNER_STYLES["railways"]["color"] == "#FFFFFF" and INNER_STYLES["railways"]["dashArray"]


@pytest.mark.parametrize("count", [2, 5, len(UPLOAD_COLORS)])
def test_each_upload_has_its_own_colour_and_its_name_in_the_legend(count):
    colours = [upload_style(i)["fillColor"] for i in range(count)]
    assert len(set(colours)) == count
    assert upload_legend(1, "my_front.kml").label == "Upload: my_front.kml"
    assert upload_style(len(UPLOAD_COLORS)) == upload_style(0)  # beyond the set, colours cycle


def test_fixed_style_gives_every_feature_its_own_copy():
    style = fixed_style(CHANGE_STYLES["occupied_gained"])
    first, second = style({"id": "a"}), style({"id": "b", "status": "claimed-ru"})
    assert first == second == CHANGE_STYLES["occupied_gained"]
    first["color"] = "#123456"  # a caller that adjusts one feature's style changes no other
    assert second["color"] == CHANGE_STYLES["occupied_gained"]["color"] != "#123456"
