"""Tooltip and popup text for features. Every value is HTML-escaped here, once, before it reaches Leaflet.

Every function takes ``lang`` (default English): the labels come from the gettext catalogue (``i18n``), dates
and numbers are written by Babel. The data's own texts (name, source, note) are shown as the data has them.

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

from kupiansk_map.i18n import N_, format_measure, format_number, translator
from kupiansk_map.model import STATUS_LABELS
from kupiansk_map.story.chapters import format_date

_BADGES = {
    "claimed-ua": N_("Claim by Ukraine (unverified)"),
    "claimed-ru": N_("Claim by Russia (unverified)"),
    "reported": N_("Reported"),
    "assessed": N_("Assessed"),
    "schematic": N_("Schematic shape"),
}
_COUNTS = (
    ("waves", N_("Waves")),
    ("vehicles", N_("Vehicles")),
    ("troops", N_("Troops")),
    ("population_prewar", N_("Population before the war")),
    ("population_nov_2024", N_("Population, Nov 2024")),
)


def _day(value: str, lang: str) -> str:
    return format_date(dt.date.fromisoformat(value), lang=lang)


def date_range(properties: Mapping[str, Any], *, lang: str = "en") -> str:
    """``valid_from``/``valid_to`` in words; ``valid_to`` is exclusive, so the last day shown is the day before."""
    _ = translator(lang).gettext
    start, end = properties.get("valid_from"), properties.get("valid_to")
    if end is None:
        if start is None:
            return _("Not dated: holds throughout")
        return _("From {date}").format(date=_day(start, lang))
    last = (dt.date.fromisoformat(end) - dt.timedelta(days=1)).isoformat()
    if start is None:
        return _("Until {date}").format(date=_day(last, lang))
    if start == last:
        return _("On {date}").format(date=_day(start, lang))
    return _("{start} to {end}").format(start=_day(start, lang), end=_day(last, lang))


def status_badge(properties: Mapping[str, Any], *, lang: str = "en") -> str:
    """The status as a short label: claims name the claimant and say they are unverified."""
    status = str(properties.get("status", ""))
    return translator(lang).gettext(_BADGES[status]) if status in _BADGES else status


def claim_label(properties: Mapping[str, Any], *, lang: str = "en") -> str:
    """ "Ukraine claims: assault repelled, city held (unverified)": the claimant, the ``claim`` and the caveat."""
    _ = translator(lang).gettext
    ukraine = properties.get("status") == "claimed-ua"
    claim = str(properties.get("claim") or "").strip()
    if not claim:
        return _("Ukraine claims (unverified)") if ukraine else _("Russia claims (unverified)")
    text = _("Ukraine claims: {claim} (unverified)") if ukraine else _("Russia claims: {claim} (unverified)")
    return text.format(claim=claim)


def tooltip_html(properties: Mapping[str, Any], *, lang: str = "en", name: str | None = None) -> str:
    """Hover text: the name (``name``, or the data's) and the status, escaped."""
    shown = str(properties.get("name", "")) if name is None else name
    return f"<b>{escape(shown)}</b><br><i>{escape(status_badge(properties, lang=lang))}</i>"


def _measures(properties: Mapping[str, Any], lang: str) -> list[tuple[str, str]]:
    _ = translator(lang).gettext
    rows = []
    if properties.get("area_km2") is not None:
        rows.append((_("Area on the map"), format_measure(properties["area_km2"], "km²", lang=lang, digits=1)))
    if properties.get("reported_area_km2") is not None:
        source = properties.get("area_source") or properties.get("source", "")
        area = format_measure(properties["reported_area_km2"], "km²", lang=lang)
        rows.append((_("Reported figure"), f"{area} ({source})"))
    if properties.get("share_of_ukraine_pct") is not None:
        share = format_number(properties["share_of_ukraine_pct"], lang=lang, digits=1)
        whole = format_measure(properties["ukraine_area_km2"], "km²", lang=lang)
        rows.append(
            (
                _("Share of Ukraine on the map"),
                _("{share} of {area}").format(share=f"{share} %", area=whole)
                + f" ({properties.get('ukraine_area_source', '')})",
            )
        )
    if properties.get("reported_share") is not None:
        # the figure's words are marked for the catalogue where they are defined (definitions/figures.py)
        rows.append((_("Reported figure"), f"{_(properties['reported_share'])} ({properties.get('area_source', '')})"))
    if properties.get("length_km") is not None:
        rows.append((_("Length on the map"), format_measure(properties["length_km"], "km", lang=lang, digits=1)))
    if properties.get("distance_km") is not None:
        rows.append(
            (_("Distance from the line"), format_measure(properties["distance_km"], "km", lang=lang, digits=-1))
        )
    for key, label in _COUNTS:
        if properties.get(key) is not None:
            rows.append((_(label), format_number(properties[key], lang=lang)))
    return rows


def popup_html(
    properties: Mapping[str, Any],
    *,
    layer_title: str,
    lang: str = "en",
    name: str | None = None,
    note: str | None = None,
) -> str:
    """The popup: every field escaped; schematic shapes and claims say what they are. ``layer_title`` is shown
    as given (translate it first); ``name`` and ``note`` replace the data's (their texts in ``lang``)."""
    _ = translator(lang).gettext
    status = str(properties.get("status", ""))
    rows = [
        (_("Dates"), date_range(properties, lang=lang)),
        (_("Status"), status_badge(properties, lang=lang)),
        (_("Source"), str(properties.get("source", ""))),
        *_measures(properties, lang),
    ]
    body = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in rows)
    warning = ""
    if status == "schematic":
        text = _("Schematic: an approximate shape drawn for illustration, not an exact position.")
        warning = f"<p class='km-warn'>{escape(text)}</p>"
    elif status.startswith("claimed-"):
        warning = f"<p class='km-warn'>{escape(_(STATUS_LABELS[status]).capitalize())}.</p>"
    shown = str(properties.get("name", "")) if name is None else name
    return (
        f"<div class='km-popup'><div class='km-layer'>{escape(layer_title)}</div>"
        f"<h4>{escape(shown)}</h4>{warning}<table>{body}</table>"
        f"<p>{escape(str(properties.get('note', '')) if note is None else note)}</p></div>"
    )
