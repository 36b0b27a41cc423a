"""Cartographic styles: a colour-blind-safe palette (Okabe & Ito) and one style per layer and status.

Offers:
- ``PALETTE``: the Okabe-Ito colours by name.
- ``LAYER_STYLES``: the Leaflet path style of each layer.
- ``STATUS_STYLES``: how claims, assessments and reported events are drawn, so claims never look like fact.
- ``feature_style``: the style of one feature (its layer's style, adjusted for its status and kind).
- ``LEGEND``: the legend entries, in order.
- ``CHANGE_STYLES``, ``BAND_STYLE``, ``UPLOAD_STYLE``, ``IMPORTED_STYLES``: the analyst overlays.
"""

from __future__ import annotations

from typing import Any, Mapping

PALETTE: dict[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "grey": "#6B6B6B",
}

LAYER_STYLES: dict[str, dict[str, Any]] = {
    "occupied": {"color": PALETTE["vermillion"], "weight": 0.5, "fillColor": PALETTE["vermillion"],
                 "fillOpacity": 0.30},
    "front_line": {"color": PALETTE["vermillion"], "weight": 3.5, "opacity": 1.0},
    "front_buffer": {"color": PALETTE["orange"], "weight": 1.5, "dashArray": "6 4", "fillColor": PALETTE["orange"],
                     "fillOpacity": 0.18},
    "kursk_salient": {"color": PALETTE["blue"], "weight": 2, "fillColor": PALETTE["blue"], "fillOpacity": 0.30},
    "kupiansk": {"color": PALETTE["black"], "weight": 2, "fillColor": PALETTE["grey"], "fillOpacity": 0.15},
    "industrial_zone": {"color": PALETTE["reddish_purple"], "weight": 2, "fillColor": PALETTE["reddish_purple"],
                        "fillOpacity": 0.45},
    "oskil": {"color": PALETTE["sky_blue"], "weight": 3.5, "opacity": 0.95},
    "railways": {"color": PALETTE["black"], "weight": 2, "dashArray": "10 5", "opacity": 0.7},
    "state_border": {"color": PALETTE["black"], "weight": 2.5, "dashArray": "12 5 3 5", "opacity": 0.9},
    "places": {"color": PALETTE["black"], "weight": 1.5, "fill": True, "fillColor": "#FFFFFF", "fillOpacity": 1.0,
               "radius": 5},
    "events": {"color": PALETTE["black"], "weight": 2, "fill": True, "fillColor": PALETTE["bluish_green"],
               "fillOpacity": 0.9, "radius": 8},
    "front_overview": {"color": PALETTE["vermillion"], "weight": 2.5, "opacity": 0.9},
}

# Claims are hollow and dashed, in the claimant's colour; assessments are yellow; reported events green.
STATUS_STYLES: dict[str, dict[str, Any]] = {
    "claimed-ua": {"color": PALETTE["blue"], "fillColor": "#FFFFFF", "fillOpacity": 0.6, "dashArray": "4 3",
                   "weight": 3},
    "claimed-ru": {"color": PALETTE["vermillion"], "fillColor": "#FFFFFF", "fillOpacity": 0.6, "dashArray": "4 3",
                   "weight": 3},
    "assessed": {"fillColor": PALETTE["yellow"]},
    "reported": {"fillColor": PALETTE["bluish_green"]},
}


def feature_style(layer_id: str, properties: Mapping[str, Any]) -> dict[str, Any]:
    """The Leaflet style of one feature of ``layer_id``."""
    style = dict(LAYER_STYLES[layer_id])
    if layer_id == "events":
        style.update(STATUS_STYLES.get(properties.get("status", ""), {}))
        if properties.get("kind") == "axis":
            style = {"color": PALETTE["vermillion"], "weight": 4, "dashArray": "2 8", "opacity": 1.0,
                     "lineCap": "round"}
    elif layer_id == "industrial_zone" and properties.get("kind") == "suburb":
        style.update({"dashArray": "5 4", "fillOpacity": 0.25})
    elif layer_id == "kursk_salient" and properties.get("area_status") == "claimed-ua":
        style.update({"dashArray": "6 4", "fillOpacity": 0.18})
    return style


# Analyst overlays: ground that changed hands, distance bands, uploads and imported snapshot sets.
CHANGE_STYLES: dict[str, dict[str, Any]] = {
    "gained": {"color": PALETTE["reddish_purple"], "weight": 1.5, "fillColor": PALETTE["reddish_purple"],
               "fillOpacity": 0.55},
    "lost": {"color": PALETTE["bluish_green"], "weight": 1.5, "fillColor": PALETTE["bluish_green"],
             "fillOpacity": 0.55},
}
BAND_STYLE: dict[str, Any] = {"color": PALETTE["black"], "weight": 1, "dashArray": "3 4", "fillColor": PALETTE["yellow"],
                              "fillOpacity": 0.12}
UPLOAD_STYLE: dict[str, Any] = {"color": PALETTE["black"], "weight": 2, "fillColor": PALETTE["sky_blue"],
                                "fillOpacity": 0.35, "fill": True, "radius": 6}
IMPORTED_STYLES: dict[str, dict[str, Any]] = {
    "occupied": {**LAYER_STYLES["occupied"], "color": PALETTE["black"], "weight": 1.5, "dashArray": "6 3"},
    "front_line": {**LAYER_STYLES["front_line"], "color": PALETTE["black"], "dashArray": "8 4"},
}


# (label, swatch kind, style) in legend order. Swatch kinds: fill, line, point.
LEGEND: tuple[tuple[str, str, dict[str, Any]], ...] = (
    ("Russian-held ground (schematic)", "fill", LAYER_STYLES["occupied"]),
    ("Front line (schematic)", "line", LAYER_STYLES["front_line"]),
    ("Zone near the front line", "fill", LAYER_STYLES["front_buffer"]),
    ("Ukrainian-held area, Kursk region (schematic)", "fill", LAYER_STYLES["kursk_salient"]),
    ("Kupiansk city outline (schematic)", "fill", LAYER_STYLES["kupiansk"]),
    ("Industrial zone / suburbs entered 13 Nov 2024 (schematic)", "fill", LAYER_STYLES["industrial_zone"]),
    ("Oskil river (GSHHG)", "line", LAYER_STYLES["oskil"]),
    ("Railway (schematic)", "line", LAYER_STYLES["railways"]),
    ("State border (GSHHG)", "line", LAYER_STYLES["state_border"]),
    ("Reported event", "point", {**LAYER_STYLES["events"], **STATUS_STYLES["reported"]}),
    ("Analyst or official assessment", "point", {**LAYER_STYLES["events"], **STATUS_STYLES["assessed"]}),
    ("Claim by Ukraine, unverified", "point", {**LAYER_STYLES["events"], **STATUS_STYLES["claimed-ua"]}),
    ("Claim by Russia, unverified", "point", {**LAYER_STYLES["events"], **STATUS_STYLES["claimed-ru"]}),
    ("Assault axis, 13 Nov 2024 (schematic)", "line", feature_style("events", {"kind": "axis"})),
    ("Place", "point", LAYER_STYLES["places"]),
)
