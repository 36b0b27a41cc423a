import re

from kupiansk_map.model import LAYER_IDS
from kupiansk_map.style import LAYER_STYLES, LEGEND, PALETTE, STATUS_STYLES, feature_style

OKABE_ITO = {"#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7"}


def test_every_layer_has_a_style_from_the_colour_blind_safe_palette():
    assert set(LAYER_STYLES) == set(LAYER_IDS)
    used = {v for style in LAYER_STYLES.values() for k, v in style.items() if k in ("color", "fillColor")}
    assert used <= OKABE_ITO | {"#FFFFFF", PALETTE["grey"]}


def test_claims_look_different_from_reported_events():
    reported = feature_style("events", {"status": "reported", "kind": "event"})
    for status in ("claimed-ua", "claimed-ru"):
        claim = feature_style("events", {"status": status, "kind": "claim"})
        assert claim["dashArray"] and claim["fillColor"] == "#FFFFFF" and claim != reported
    assert feature_style("events", {"status": "claimed-ua"})["color"] != feature_style(
        "events", {"status": "claimed-ru"})["color"]


def test_legend_labels_claims_as_unverified_and_schematic_shapes_as_schematic():
    labels = [label for label, _, _ in LEGEND]
    assert "Claim by Ukraine, unverified" in labels and "Claim by Russia, unverified" in labels
    assert any("schematic" in label for label in labels)
    for _, kind, style in LEGEND:
        assert kind in ("fill", "line", "point") and re.fullmatch(r"#[0-9A-Fa-f]{6}", style["color"])


def test_status_styles_cover_every_non_schematic_status():
    assert set(STATUS_STYLES) == {"reported", "assessed", "claimed-ua", "claimed-ru"}
