"""A short text summary of the situation on a date, for screen readers and for anyone who would rather read.

Offers:
- ``situation_summary``: plain-text sentences built from the figures and the events valid on the date.
- ``kursk_series``: the Kursk-held area of each mapped state, with the reported figure, for the chart.
- ``markdown_literal``: text escaped so that Markdown shows it literally (no links, no HTML, no emphasis).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from shapely.geometry import shape

from kupiansk_map.analysis.stats import SituationFigures
from kupiansk_map.geo.measure import geodesic_area_km2
from kupiansk_map.model import features_on, parse_iso_date
from kupiansk_map.story.chapters import format_date
from kupiansk_map.web.popups import status_badge

_COMPASS = (
    "north",
    "north-north-east",
    "north-east",
    "east-north-east",
    "east",
    "east-south-east",
    "south-east",
    "south-south-east",
    "south",
    "south-south-west",
    "south-west",
    "west-south-west",
    "west",
    "west-north-west",
    "north-west",
    "north-north-west",
)


_MARKDOWN_SPECIAL = set("\\`*_{}[]()<>#!|~$&")


def markdown_literal(text: str) -> str:
    """Escape every Markdown and HTML special character so that ``text`` renders as typed."""
    return "".join("\\" + ch if ch in _MARKDOWN_SPECIAL else ch for ch in str(text)).replace("\n", " ")


def _sentence(message: str) -> str:
    """A ``coverage.NotMapped`` message as a sentence."""
    return message[:1].upper() + message[1:] + "."


def _compass(bearing: float) -> str:
    return _COMPASS[int((bearing % 360) / 22.5 + 0.5) % 16]


def situation_summary(figures: SituationFigures, layers: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """Sentences describing ``figures.date``; every number comes from ``figures`` or the layers."""
    day = figures.date
    lines = []
    if not figures.sector_mapped("kupiansk"):
        lines.append(f"Kupiansk sector: not mapped on this date. {_sentence(figures.not_mapped['kupiansk'])}")
    elif figures.city_centre_occupied is True:
        lines.append(
            f"On {format_date(day)} Kupiansk was behind Russian lines; the nearest front line on the map "
            f"lay {figures.city_to_front_km:.0f} km from the city."
        )
    elif figures.city_to_front_km is not None:
        where = (
            "ran through the city, along the Oskil"
            if figures.city_to_front_km < 0.5
            else f"lay {figures.city_to_front_km:.1f} km from the city at its nearest point, to the "
            f"{_compass(figures.front_bearing_deg or 0)}"
        )
        lines.append(f"On {format_date(day)} Ukraine held Kupiansk; the front line {where}.")
        if figures.occupied_within_20km_km2:
            lines.append(
                f"Russian-held ground within 10 km of the city: {figures.occupied_within_10km_km2:,.0f} km²; "
                f"within 20 km: {figures.occupied_within_20km_km2:,.0f} km² (schematic shapes)."
            )
    else:
        lines.append(
            f"The map has no front line for {format_date(day)}: its story runs from February 2022 to 14 November 2024."
        )
    if not figures.sector_mapped("kursk"):
        lines.append(f"Kursk salient: not mapped on this date. {_sentence(figures.not_mapped['kursk'])}")
    elif figures.kursk_area_km2 is not None and figures.kursk_reported_area_km2 is None:
        # The outline only marks where the incursion was: its area is not a figure.
        lines.append("In Russia's Kursk region the map marks where Ukraine's incursion was; no area was reported.")
    elif figures.kursk_area_km2 is not None:
        text = f"In Russia's Kursk region the Ukrainian-held area on the map is {figures.kursk_area_km2:,.0f} km²"
        if figures.kursk_reported_area_km2 is not None:
            text += f", calibrated to a reported figure of {figures.kursk_reported_area_km2:,.0f} km²"
        if figures.kursk_change_km2 is not None:
            text += f" ({figures.kursk_change_km2:+,.0f} km² since the previous mapped state)"
        lines.append(text + ".")
    for feat in features_on(layers.get("events", {}).get("features", []), day):
        props = feat["properties"]
        if props.get("kind") == "axis":
            continue
        lines.append(f"{status_badge(props)}: {props['name']}. {props['note']} (Source: {props['source']}.)")
    return lines


def _day_or_none(value: str | None) -> dt.date | None:
    return None if value is None else parse_iso_date(value)


def kursk_series(layers: Mapping[str, Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One row per Kursk state: start and end (``date``s, None when open), map area, reported figure, status."""
    rows = []
    for feat in sorted(
        layers.get("kursk_salient", {}).get("features", []), key=lambda f: f["properties"]["valid_from"] or ""
    ):
        props = feat["properties"]
        rows.append(
            {
                "state": props["id"],
                "name": props["name"],
                "valid_from": _day_or_none(props["valid_from"]),
                "valid_to": _day_or_none(props["valid_to"]),
                "area_km2": round(geodesic_area_km2(shape(feat["geometry"])), 1),
                "reported_area_km2": props.get("reported_area_km2"),
                "area_status": props.get("area_status"),
            }
        )
    return rows
