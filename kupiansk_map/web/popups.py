"""Tooltip and popup text for features. Every value is HTML-escaped here, once, before it reaches Leaflet.

Offers:
- ``date_range``: a feature's validity in plain words.
- ``status_badge``: the status in plain words, naming the claimant for claims.
- ``claim_label``: a claim's map label, saying who claims what and that it is unverified.
- ``tooltip_html``: the short hover text.
- ``popup_html``: the full popup: name, dates, status, source, note and measures.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from html import escape
from typing import Any

from kupiansk_map.model import STATUS_LABELS
from kupiansk_map.story.chapters import format_date


def _day(value: str) -> str:
    return format_date(dt.date.fromisoformat(value))


def date_range(properties: Mapping[str, Any]) -> str:
    """``valid_from``/``valid_to`` in words; ``valid_to`` is exclusive, so the last day shown is the day before."""
    start, end = properties.get("valid_from"), properties.get("valid_to")
    if end is None:
        return "Not dated: holds throughout" if start is None else f"From {_day(start)}"
    last = (dt.date.fromisoformat(end) - dt.timedelta(days=1)).isoformat()
    if start is None:
        return f"Until {_day(last)}"
    if start == last:
        return f"On {_day(start)}"
    return f"{_day(start)} to {_day(last)}"


def status_badge(properties: Mapping[str, Any]) -> str:
    """The status as a short label: claims name the claimant and say they are unverified."""
    status = str(properties.get("status", ""))
    if status == "claimed-ua":
        return "Claim by Ukraine (unverified)"
    if status == "claimed-ru":
        return "Claim by Russia (unverified)"
    return {"reported": "Reported", "assessed": "Assessed", "schematic": "Schematic shape"}.get(status, status)


def claim_label(properties: Mapping[str, Any]) -> str:
    """ "Ukraine claims: assault repelled, city held (unverified)": the claimant, the ``claim`` and the caveat."""
    side = "Ukraine" if properties.get("status") == "claimed-ua" else "Russia"
    claim = str(properties.get("claim") or "").strip()
    return f"{side} claims: {claim} (unverified)" if claim else f"{side} claims (unverified)"


def tooltip_html(properties: Mapping[str, Any]) -> str:
    """Hover text: the name and the status, escaped."""
    return f"<b>{escape(str(properties.get('name', '')))}</b><br><i>{escape(status_badge(properties))}</i>"


def _measures(properties: Mapping[str, Any]) -> list[tuple[str, str]]:
    rows = []
    if properties.get("area_km2") is not None:
        rows.append(("Area on the map", f"{properties['area_km2']:,.1f} km²"))
    if properties.get("reported_area_km2") is not None:
        source = properties.get("area_source") or properties.get("source", "")
        rows.append(("Reported figure", f"{properties['reported_area_km2']:,.0f} km² ({source})"))
    if properties.get("share_of_ukraine_pct") is not None:
        rows.append(
            (
                "Share of Ukraine on the map",
                f"{properties['share_of_ukraine_pct']:.1f} % of {properties['ukraine_area_km2']:,.0f} km² "
                f"({properties.get('ukraine_area_source', '')})",
            )
        )
    if properties.get("reported_share") is not None:
        rows.append(("Reported figure", f"{properties['reported_share']} ({properties.get('area_source', '')})"))
    if properties.get("length_km") is not None:
        rows.append(("Length on the map", f"{properties['length_km']:,.1f} km"))
    if properties.get("distance_km") is not None:
        rows.append(("Distance from the line", f"{properties['distance_km']:g} km"))
    for key, label in (
        ("waves", "Waves"),
        ("vehicles", "Vehicles"),
        ("troops", "Troops"),
        ("population_prewar", "Population before the war"),
        ("population_nov_2024", "Population, Nov 2024"),
    ):
        if properties.get(key) is not None:
            rows.append((label, f"{properties[key]:,.0f}"))
    return rows


def popup_html(properties: Mapping[str, Any], *, layer_title: str) -> str:
    """The popup: every field escaped; schematic shapes and claims say what they are."""
    status = str(properties.get("status", ""))
    rows = [
        ("Dates", date_range(properties)),
        ("Status", status_badge(properties)),
        ("Source", str(properties.get("source", ""))),
        *_measures(properties),
    ]
    body = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in rows)
    warning = ""
    if status == "schematic":
        warning = (
            "<p class='km-warn'>Schematic: an approximate shape drawn for illustration, not an exact position.</p>"
        )
    elif status.startswith("claimed-"):
        warning = f"<p class='km-warn'>{escape(STATUS_LABELS[status].capitalize())}.</p>"
    return (
        f"<div class='km-popup'><div class='km-layer'>{escape(layer_title)}</div>"
        f"<h4>{escape(str(properties.get('name', '')))}</h4>{warning}<table>{body}</table>"
        f"<p>{escape(str(properties.get('note', '')))}</p></div>"
    )
