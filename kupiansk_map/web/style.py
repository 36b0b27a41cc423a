"""Cartographic styles: colour-blind-safe palettes (Okabe & Ito, extended with Paul Tol's muted set), one style
per layer and status, and the legend that describes them.

Offers:
- ``PALETTE``: the Okabe-Ito colours and the Tol colours used here, by name.
- ``LAYER_STYLES``: the Leaflet path style of each layer.
- ``INNER_STYLES``: a second line drawn on top of a layer's lines (the railway's white ladder).
- ``BASEMAP_STYLES``: the offline basemap's look, by feature ``kind`` (sea, lake, river, border, city): quiet
  colours under the map's own layers.
- ``STATUS_STYLES``: how claims, assessments and reported events are drawn, so claims never look like fact.
- ``feature_style``: the style of one feature (its layer's style, adjusted for its status and kind).
- ``legend_key``: the legend entry (its key) that a feature of a published layer is drawn as.
- ``LegendEntry``, ``LEGEND_ENTRIES``: the legend of the published layers, in order; ``LEGEND``: the same as
  ``(label, kind, style)`` tuples.
- ``CHANGE_STYLES``, ``BAND_STYLE``, ``IMPORTED_STYLES``, ``OVERLAY_LEGEND``: the analyst overlays and their
  legend entries; ``UPLOAD_COLORS``, ``upload_style``, ``upload_legend``: one colour per upload.
- ``fixed_style``: a style function that draws every feature of an overlay alike.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from kupiansk_map.i18n import N_

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
    # Paul Tol's muted set, for meanings beyond the eight Okabe-Ito colours.
    "tol_indigo": "#332288",
    "tol_teal": "#44AA99",
    "tol_olive": "#999933",
    "tol_wine": "#882255",
    "tol_purple": "#AA4499",
    "white": "#FFFFFF",
}

LAYER_STYLES: dict[str, dict[str, Any]] = {
    "occupied": {
        "color": PALETTE["vermillion"],
        "weight": 0.5,
        "fillColor": PALETTE["vermillion"],
        "fillOpacity": 0.30,
    },
    "front_line": {"color": PALETTE["vermillion"], "weight": 3.5, "opacity": 1.0},
    "front_buffer": {
        "color": PALETTE["orange"],
        "weight": 1.5,
        "dashArray": "6 4",
        "fillColor": PALETTE["orange"],
        "fillOpacity": 0.18,
    },
    "kursk_salient": {"color": PALETTE["blue"], "weight": 2, "fillColor": PALETTE["blue"], "fillOpacity": 0.30},
    "kupiansk": {"color": PALETTE["black"], "weight": 2, "fillColor": PALETTE["grey"], "fillOpacity": 0.15},
    "industrial_zone": {
        "color": PALETTE["reddish_purple"],
        "weight": 2,
        "fillColor": PALETTE["reddish_purple"],
        "fillOpacity": 0.45,
    },
    "oskil": {"color": PALETTE["sky_blue"], "weight": 3.5, "opacity": 0.95},
    # The classic railway symbol: a black line with a white dashed line on top (INNER_STYLES), a ladder.
    "railways": {"color": PALETTE["black"], "weight": 5, "opacity": 0.9},
    "state_border": {"color": PALETTE["tol_purple"], "weight": 2.5, "dashArray": "14 5 2 5", "opacity": 0.95},
    "places": {
        "color": PALETTE["black"],
        "weight": 1.5,
        "fill": True,
        "fillColor": "#FFFFFF",
        "fillOpacity": 1.0,
        "radius": 5,
    },
    "events": {
        "color": PALETTE["black"],
        "weight": 2,
        "fill": True,
        "fillColor": PALETTE["bluish_green"],
        "fillOpacity": 0.9,
        "radius": 8,
    },
    "front_overview": {"color": PALETTE["vermillion"], "weight": 2.5, "dashArray": "12 6", "opacity": 0.9},
    "front_area": {
        "color": PALETTE["vermillion"],
        "weight": 1,
        "dashArray": "3 3",
        "opacity": 0.8,
        "fillColor": PALETTE["vermillion"],
        "fillOpacity": 0.16,
    },
    "basemap": {
        "color": PALETTE["grey"],
        "weight": 1,
        "fill": True,
        "fillColor": "#FFFFFF",
        "fillOpacity": 1.0,
        "radius": 2.5,
        "className": "km-city-dot",
    },
}
# Water in a pale blue, borders in a mid grey dash-dot, rivers thin: a basemap that never competes with the layers.
BASEMAP_STYLES: dict[str, dict[str, Any]] = {
    "sea": {"color": "#8DB3D3", "weight": 0.8, "fillColor": "#CFE2F0", "fillOpacity": 1.0, "className": "km-sea"},
    "lake": {"color": "#8DB3D3", "weight": 0.6, "fillColor": "#CFE2F0", "fillOpacity": 1.0, "className": "km-lake"},
    "river": {"color": "#7FA9CC", "weight": 1.4, "opacity": 1.0, "className": "km-river"},
    "border": {"color": "#7A7A7A", "weight": 1.3, "dashArray": "8 3 2 3", "opacity": 1.0, "className": "km-border"},
}
INNER_STYLES: dict[str, dict[str, Any]] = {
    "railways": {"color": PALETTE["white"], "weight": 2.5, "dashArray": "7 7", "opacity": 1.0, "interactive": False},
}

# Claims are hollow and dashed, in the claimant's colour; assessments are yellow; reported events green.
STATUS_STYLES: dict[str, dict[str, Any]] = {
    "claimed-ua": {
        "color": PALETTE["blue"],
        "fillColor": "#FFFFFF",
        "fillOpacity": 0.6,
        "dashArray": "4 3",
        "weight": 3,
    },
    "claimed-ru": {
        "color": PALETTE["vermillion"],
        "fillColor": "#FFFFFF",
        "fillOpacity": 0.6,
        "dashArray": "4 3",
        "weight": 3,
    },
    "assessed": {"fillColor": PALETTE["yellow"]},
    "reported": {"fillColor": PALETTE["bluish_green"]},
}


def feature_style(layer_id: str, properties: Mapping[str, Any]) -> dict[str, Any]:
    """The Leaflet style of one feature of ``layer_id``."""
    style = dict(LAYER_STYLES[layer_id])
    if layer_id == "basemap":
        style = dict(BASEMAP_STYLES.get(str(properties.get("kind", "")), style))
    elif layer_id == "events":
        style.update(STATUS_STYLES.get(properties.get("status", ""), {}))
        if properties.get("kind") == "axis":
            style = {
                "color": PALETTE["vermillion"],
                "weight": 4,
                "dashArray": "2 8",
                "opacity": 1.0,
                "lineCap": "round",
            }
    elif layer_id == "industrial_zone" and properties.get("kind") == "suburb":
        style.update({"dashArray": "5 4", "fillOpacity": 0.25})
    elif layer_id == "kursk_salient" and properties.get("area_status") == "claimed-ua":
        style.update({"dashArray": "6 4", "fillOpacity": 0.18})
    return style


def legend_key(layer_id: str, properties: Mapping[str, Any]) -> str:
    """The key of the ``LEGEND_ENTRIES`` entry that a feature of ``layer_id`` is drawn as (see ``feature_style``)."""
    if layer_id == "events":
        if properties.get("kind") == "axis":
            return "events:axis"
        return f"events:{properties.get('status', '')}"
    if layer_id == "industrial_zone" and properties.get("kind") == "suburb":
        return "industrial_zone:suburb"
    if layer_id == "kursk_salient" and properties.get("area_status") == "claimed-ua":
        return "kursk_salient:claimed-ua"
    if properties.get("status") == "assessed" and f"{layer_id}:assessed" in _ASSESSED_KEYS:
        return f"{layer_id}:assessed"  # an archive's state (ingest.sources): its assessment, not our drawing
    return layer_id


_ASSESSED_KEYS = frozenset({"occupied:assessed", "front_line:assessed", "kursk_salient:assessed"})


@dataclass(frozen=True)
class LegendEntry:
    """One legend row: what it means (``key``), its text, its swatch kind (fill, line, point or rail) and the
    style it is drawn with (``inner``: the line drawn on top, for rail)."""

    key: str
    label: str
    kind: str
    style: Mapping[str, Any]
    inner: Mapping[str, Any] | None = field(default=None)

    def as_dict(self) -> dict[str, Any]:
        """The entry as JSON-ready data for the browser."""
        return {
            "key": self.key,
            "label": self.label,
            "kind": self.kind,
            "style": dict(self.style),
            "inner": dict(self.inner) if self.inner else None,
        }


def _event(**status: Any) -> dict[str, Any]:
    return {**LAYER_STYLES["events"], **status}


# The legend of the published layers, in order.
LEGEND_ENTRIES: tuple[LegendEntry, ...] = (
    LegendEntry("occupied", N_("Russian-held ground (schematic)"), "fill", LAYER_STYLES["occupied"]),
    LegendEntry("front_line", N_("Front line (schematic)"), "line", LAYER_STYLES["front_line"]),
    LegendEntry(
        "front_overview", N_("Whole front line, November 2024 (schematic)"), "line", LAYER_STYLES["front_overview"]
    ),
    LegendEntry(
        "front_area", N_("Russian-held area of Ukraine, Nov 2024 (schematic)"), "fill", LAYER_STYLES["front_area"]
    ),
    LegendEntry(
        "occupied:assessed", N_("Russian-held ground (an archive's assessment)"), "fill", LAYER_STYLES["occupied"]
    ),
    LegendEntry(
        "front_line:assessed", N_("Front line (edge of an archive's assessment)"), "line", LAYER_STYLES["front_line"]
    ),
    LegendEntry("front_buffer", N_("Zone near the front line"), "fill", LAYER_STYLES["front_buffer"]),
    LegendEntry(
        "kursk_salient", N_("Ukrainian-held area, Kursk region (schematic)"), "fill", LAYER_STYLES["kursk_salient"]
    ),
    LegendEntry(
        "kursk_salient:assessed",
        N_("Ukrainian-held area in Russia (an archive's assessment)"),
        "fill",
        LAYER_STYLES["kursk_salient"],
    ),
    LegendEntry(
        "kursk_salient:claimed-ua",
        N_("Area Ukraine claimed in Kursk region, unverified"),
        "fill",
        feature_style("kursk_salient", {"area_status": "claimed-ua"}),
    ),
    LegendEntry("kupiansk", N_("Kupiansk city outline (schematic)"), "fill", LAYER_STYLES["kupiansk"]),
    LegendEntry(
        "industrial_zone",
        N_("Industrial zone entered 13 Nov 2024 (schematic)"),
        "fill",
        LAYER_STYLES["industrial_zone"],
    ),
    LegendEntry(
        "industrial_zone:suburb",
        N_("Suburbs entered 13 Nov 2024 (schematic)"),
        "fill",
        feature_style("industrial_zone", {"kind": "suburb"}),
    ),
    LegendEntry("oskil", N_("Oskil river (GSHHG)"), "line", LAYER_STYLES["oskil"]),
    LegendEntry("railways", N_("Railway (schematic)"), "rail", LAYER_STYLES["railways"], INNER_STYLES["railways"]),
    LegendEntry("state_border", N_("State border (GSHHG)"), "line", LAYER_STYLES["state_border"]),
    LegendEntry("events:reported", N_("Reported event"), "point", _event(**STATUS_STYLES["reported"])),
    LegendEntry("events:assessed", N_("Analyst or official assessment"), "point", _event(**STATUS_STYLES["assessed"])),
    LegendEntry(
        "events:claimed-ua", N_("Claim by Ukraine, unverified"), "point", _event(**STATUS_STYLES["claimed-ua"])
    ),
    LegendEntry("events:claimed-ru", N_("Claim by Russia, unverified"), "point", _event(**STATUS_STYLES["claimed-ru"])),
    LegendEntry(
        "events:axis", N_("Assault axis, 13 Nov 2024 (schematic)"), "line", feature_style("events", {"kind": "axis"})
    ),
    LegendEntry("places", N_("Place"), "point", LAYER_STYLES["places"]),
)
# (label, swatch kind, style) in legend order, for callers that need only these.
LEGEND: tuple[tuple[str, str, Mapping[str, Any]], ...] = tuple((e.label, e.kind, e.style) for e in LEGEND_ENTRIES)


# Analyst overlays: ground that changed hands, distance bands, uploads and imported snapshot sets. Gains and
# losses on each front are four meanings, so four Tol colours no layer uses; losses also get a dashed outline.
CHANGE_STYLES: dict[str, dict[str, Any]] = {
    "occupied_gained": {
        "color": PALETTE["tol_wine"],
        "weight": 1.5,
        "fillColor": PALETTE["tol_wine"],
        "fillOpacity": 0.55,
    },
    "occupied_lost": {
        "color": PALETTE["tol_olive"],
        "weight": 2,
        "dashArray": "5 3",
        "fillColor": PALETTE["tol_olive"],
        "fillOpacity": 0.5,
    },
    "kursk_salient_gained": {
        "color": PALETTE["tol_indigo"],
        "weight": 1.5,
        "fillColor": PALETTE["tol_indigo"],
        "fillOpacity": 0.5,
    },
    "kursk_salient_lost": {
        "color": PALETTE["tol_teal"],
        "weight": 2,
        "dashArray": "5 3",
        "fillColor": PALETTE["tol_teal"],
        "fillOpacity": 0.5,
    },
}
BAND_STYLE: dict[str, Any] = {
    "color": PALETTE["black"],
    "weight": 1.5,
    "dashArray": "1 5",
    "lineCap": "round",
    "fillColor": PALETTE["black"],
    "fillOpacity": 0.04,
}
IMPORTED_STYLES: dict[str, dict[str, Any]] = {
    "occupied": {**LAYER_STYLES["occupied"], "color": PALETTE["black"], "weight": 1.5, "dashArray": "6 3"},
    "front_line": {**LAYER_STYLES["front_line"], "color": PALETTE["black"], "dashArray": "8 4"},
}
OVERLAY_LEGEND: dict[str, LegendEntry] = {
    "occupied_gained": LegendEntry(
        "change:occupied_gained",
        N_("Russian gains near Kupiansk between the dates"),
        "fill",
        CHANGE_STYLES["occupied_gained"],
    ),
    "occupied_lost": LegendEntry(
        "change:occupied_lost",
        N_("Russian losses near Kupiansk between the dates"),
        "fill",
        CHANGE_STYLES["occupied_lost"],
    ),
    "kursk_salient_gained": LegendEntry(
        "change:kursk_salient_gained",
        N_("Ukrainian gains in Kursk region between the dates"),
        "fill",
        CHANGE_STYLES["kursk_salient_gained"],
    ),
    "kursk_salient_lost": LegendEntry(
        "change:kursk_salient_lost",
        N_("Ukrainian losses in Kursk region between the dates"),
        "fill",
        CHANGE_STYLES["kursk_salient_lost"],
    ),
    "bands": LegendEntry("bands", N_("Distance band from the front line (km on the map)"), "fill", BAND_STYLE),
    "imported:occupied": LegendEntry(
        "imported:occupied", N_("Imported set: Russian-held ground"), "fill", IMPORTED_STYLES["occupied"]
    ),
    "imported:front_line": LegendEntry(
        "imported:front_line", N_("Imported set: front line"), "line", IMPORTED_STYLES["front_line"]
    ),
}

# One colour per upload, cycling (Tol's light set, none of them a colour of a published layer); uploads keep a
# solid outline in a darker edge so that they read as "yours" and never as a project layer.
UPLOAD_COLORS: tuple[str, ...] = (
    "#77AADD",
    "#EE8866",
    "#EEDD88",
    "#FFAABB",
    "#99DDFF",
    "#44BB99",
    "#BBCC33",
    "#AAAA00",
)


def upload_style(index: int) -> dict[str, Any]:
    """The style of the ``index``-th upload (0-based): its own colour from ``UPLOAD_COLORS``, cycling."""
    color = UPLOAD_COLORS[index % len(UPLOAD_COLORS)]
    return {
        "color": color,
        "weight": 3,
        "fillColor": color,
        "fillOpacity": 0.4,
        "fill": True,
        "radius": 6,
        "dashArray": "10 2 2 2",
    }


def upload_legend(index: int, name: str) -> LegendEntry:
    """The legend entry of the ``index``-th upload, called after its file ``name``."""
    return LegendEntry(f"upload:{index}", f"Upload: {name}", "fill", upload_style(index))


def fixed_style(style: Mapping[str, Any]) -> Callable[[Mapping[str, Any]], dict[str, Any]]:
    """A style function (as ``render.layer_data`` takes) giving every feature its own copy of ``style``."""
    return lambda properties: dict(style)
