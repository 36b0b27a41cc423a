"""A short text summary of the situation on a date, for screen readers and for anyone who would rather read.

Offers:
- ``situation_summary``: plain-text sentences built from the figures and the events valid on the date, in a
  language (``lang``).
- ``kursk_series``: the Kursk-held area of each mapped state, with the reported figure, for the chart.
- ``markdown_literal``: text escaped so that Markdown shows it literally (no links, no HTML, no emphasis).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from shapely.geometry import shape

from kupiansk_map.analysis import coverage
from kupiansk_map.analysis.stats import SituationFigures
from kupiansk_map.geo.measure import geodesic_area_km2
from kupiansk_map.i18n import N_, format_measure, translator
from kupiansk_map.model import features_on, parse_iso_date
from kupiansk_map.story.chapters import format_date
from kupiansk_map.web.popups import status_badge

_COMPASS = (
    N_("north"),
    N_("north-north-east"),
    N_("north-east"),
    N_("east-north-east"),
    N_("east"),
    N_("east-south-east"),
    N_("south-east"),
    N_("south-south-east"),
    N_("south"),
    N_("south-south-west"),
    N_("south-west"),
    N_("west-south-west"),
    N_("west"),
    N_("west-north-west"),
    N_("north-west"),
    N_("north-north-west"),
)


_MARKDOWN_SPECIAL = set("\\`*_{}[]()<>#!|~$&")


def markdown_literal(text: str) -> str:
    """Escape every Markdown and HTML special character so that ``text`` renders as typed."""
    return "".join("\\" + ch if ch in _MARKDOWN_SPECIAL else ch for ch in str(text)).replace("\n", " ")


def _sentence(message: str) -> str:
    """A ``coverage.NotMapped`` message as a sentence."""
    return message[:1].upper() + message[1:] + "."


def _not_mapped(figures: SituationFigures, layers: Mapping[str, Mapping[str, Any]], sector: str, lang: str) -> str:
    """The figures' not-mapped message for ``sector``, in ``lang``."""
    if lang == "en":
        return figures.not_mapped[sector]
    return coverage.describe_not_mapped(layers, sector, figures.date, lang=lang) or figures.not_mapped[sector]


def _compass(bearing: float) -> str:
    return _COMPASS[int((bearing % 360) / 22.5 + 0.5) % 16]


def situation_summary(
    figures: SituationFigures,
    layers: Mapping[str, Mapping[str, Any]],
    *,
    lang: str = "en",
    names: Mapping[str, str] | None = None,
    notes: Mapping[str, str] | None = None,
    archive: str | None = None,
) -> list[str]:
    """Sentences describing ``figures.date`` in ``lang``; every number comes from ``figures`` or the layers.

    ``archive`` names the archive the situation layers come from (None: the built-in schematic explainer); the
    sentences then say whose assessment the shapes are.

    ``names`` and ``notes`` give the events' names and notes in ``lang`` by feature id; their sources are the
    data's own citations; the sentences around them are translated."""
    names, notes = names or {}, notes or {}
    _ = translator(lang).gettext
    day = figures.date
    when = format_date(day, lang=lang)

    def km(value: float, digits: int) -> str:
        return format_measure(value, "km", lang=lang, digits=digits)

    def km2(value: float, *, sign: bool = False) -> str:
        return format_measure(value, "km²", lang=lang, sign=sign)

    lines = []
    if not figures.sector_mapped("kupiansk"):
        lines.append(
            _("Kupiansk sector: not mapped on this date. {reason}").format(
                reason=_sentence(_not_mapped(figures, layers, "kupiansk", lang))
            )
        )
    elif figures.city_centre_occupied is True:
        lines.append(
            _(
                "On {date} Kupiansk was behind Russian lines; the nearest front line on the map lay {distance} "
                "from the city."
            ).format(date=when, distance=km(figures.city_to_front_km or 0, 0))
        )
    elif figures.city_to_front_km is not None:
        if figures.city_to_front_km < 0.5:
            text = _("On {date} Ukraine held Kupiansk; the front line ran through the city, along the Oskil.")
        else:
            text = _(
                "On {date} Ukraine held Kupiansk; the front line lay {distance} from the city at its nearest "
                "point, to the {direction}."
            )
        lines.append(
            text.format(
                date=when,
                distance=km(figures.city_to_front_km, 1),
                direction=_(_compass(figures.front_bearing_deg or 0)),
            )
        )
        if figures.occupied_within_20km_km2:
            whose = (
                _("(schematic shapes)")
                if archive is None
                else _("(the {archive} archive's assessment)").format(archive=archive)
            )
            lines.append(
                _(
                    "Russian-held ground within 10 km of the city: {within_10}; within 20 km: {within_20} {whose}."
                ).format(
                    whose=whose,
                    within_10=km2(figures.occupied_within_10km_km2 or 0),
                    within_20=km2(figures.occupied_within_20km_km2),
                )
            )
    else:
        lines.append(
            _("The map has no front line for {date}: its story runs from February 2022 to 14 November 2024.").format(
                date=when
            )
        )
    if not figures.sector_mapped("kursk"):
        lines.append(
            _("Kursk salient: not mapped on this date. {reason}").format(
                reason=_sentence(_not_mapped(figures, layers, "kursk", lang))
            )
        )
    elif figures.kursk_area_km2 is not None and archive is not None:
        text = _(
            "In Russia's Kursk region the Ukrainian-held area in the {archive} archive's assessment is {area}"
        ).format(archive=archive, area=km2(figures.kursk_area_km2))
        if figures.kursk_change_km2 is not None:
            text += _(" ({change} since the previous mapped state)").format(
                change=km2(figures.kursk_change_km2, sign=True)
            )
        lines.append(text + ".")
    elif figures.kursk_area_km2 is not None and figures.kursk_reported_area_km2 is None:
        # The outline only marks where the incursion was: its area is not a figure.
        lines.append(_("In Russia's Kursk region the map marks where Ukraine's incursion was; no area was reported."))
    elif figures.kursk_area_km2 is not None:
        text = _("In Russia's Kursk region the Ukrainian-held area on the map is {area}").format(
            area=km2(figures.kursk_area_km2)
        )
        if figures.kursk_reported_area_km2 is not None:
            text += _(", calibrated to a reported figure of {area}").format(area=km2(figures.kursk_reported_area_km2))
        if figures.kursk_change_km2 is not None:
            text += _(" ({change} since the previous mapped state)").format(
                change=km2(figures.kursk_change_km2, sign=True)
            )
        lines.append(text + ".")
    for feat in features_on(layers.get("events", {}).get("features", []), day):
        props = feat["properties"]
        if props.get("kind") == "axis":
            continue
        lines.append(
            _("{status}: {name}. {note} (Source: {source}.)").format(
                status=status_badge(props, lang=lang),
                name=names.get(str(props["id"]), props["name"]),
                note=notes.get(str(props["id"]), props["note"]),
                source=props["source"],
            )
        )
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
