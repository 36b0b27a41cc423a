"""A light SVG chart of the Kursk-held area over time: no charting library for the browser to load.

Offers:
- ``kursk_area_svg``: the chart as an SVG string, with a title and a text description for screen readers.
- ``NO_FIGURE_LABEL``: the words that mark a state with no reported figure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from kupiansk_map.i18n import N_, format_measure, format_number, translator
from kupiansk_map.i18n import format_date as i18n_date
from kupiansk_map.model import require_date
from kupiansk_map.story.chapters import format_date
from kupiansk_map.web.style import PALETTE

_MARGIN = (48, 16, 36, 58)  # top, right, bottom, left
NO_FIGURE_LABEL = N_("no reported figure")
CHART_TITLE = N_("Ukrainian-held area in Kursk region over time")
_HATCH_ID = "km-chart-hatch"


def _day(value: dt.date) -> dt.date:
    return require_date(value, name="kursk_area_svg row date")


def kursk_area_svg(
    rows: Sequence[Mapping[str, Any]],
    *,
    day: dt.date | None = None,
    width: int = 720,
    height: int = 280,
    lang: str = "en",
) -> str:
    """Bars for the area of each mapped state, diamonds for the reported figures, a dashed line on ``day``.

    ``rows`` come from ``summary.kursk_series`` (``valid_from``/``valid_to`` are ``date``s; ``TypeError``
    otherwise). A state with no reported figure is drawn as a hatched outline
    labelled ``NO_FIGURE_LABEL``: its outline only marks where it was, so its area is not a figure to read off.
    Every text is escaped; the chart's own words, dates and numbers are in ``lang``.
    """
    if not rows:
        return ""
    _ = translator(lang).gettext
    no_figure = _(NO_FIGURE_LABEL)

    def km2(value: float) -> str:
        return format_measure(value, "km²", lang=lang)

    top, right, bottom, left = _MARGIN
    start = min(_day(r["valid_from"]) for r in rows) - dt.timedelta(days=3)
    end = max(_day(r["valid_to"]) for r in rows) + dt.timedelta(days=3)
    values = [r["area_km2"] for r in rows] + [r["reported_area_km2"] for r in rows if r["reported_area_km2"]]
    y_max = max(200, -(-max(values) // 200) * 200)
    span = (end - start).days

    def x(value: dt.date) -> float:
        return left + (width - left - right) * (_day(value) - start).days / span

    def y(value: float) -> float:
        return top + (height - top - bottom) * (1 - value / y_max)

    parts = [
        f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width} {height}' role='img' "
        f"aria-labelledby='km-chart-title km-chart-desc' style='max-width:100%;height:auto;font:12px "
        f"system-ui,sans-serif'>",
        f"<title id='km-chart-title'>{escape(_(CHART_TITLE))}</title>",
    ]
    desc = "; ".join(
        _("{name}, from {date}: ").format(name=r["name"], date=format_date(_day(r["valid_from"]), lang=lang))
        + (
            _("{area} on the map, reported {reported}").format(
                area=km2(r["area_km2"]), reported=km2(r["reported_area_km2"])
            )
            if r["reported_area_km2"]
            else _("{no_figure} (the outline only marks where it was)").format(no_figure=no_figure)
        )
        for r in rows
    )
    parts.append(f"<desc id='km-chart-desc'>{escape(desc)}</desc>")
    # Diagonal lines in the bar colour: an unmeasured state must not look like a solid, measured bar.
    parts.append(
        f"<defs><pattern id='{_HATCH_ID}' patternUnits='userSpaceOnUse' width='6' height='6' "
        f"patternTransform='rotate(45)'><line x1='0' y1='0' x2='0' y2='6' stroke='{PALETTE['blue']}' "
        "stroke-width='2' stroke-opacity='0.6'/></pattern></defs>"
    )
    for tick in range(0, int(y_max) + 1, 200):
        parts.append(f"<line x1='{left}' x2='{width - right}' y1='{y(tick):.1f}' y2='{y(tick):.1f}' stroke='#ddd'/>")
        parts.append(
            f"<text x='{left - 6}' y='{y(tick) + 4:.1f}' text-anchor='end' fill='#444'>"
            f"{format_number(tick, lang=lang)}</text>"
        )
    axis_title = escape(_("km² held"))
    parts.append(f"<text x='12' y='{top - 18}' fill='#444'>{axis_title}</text>")
    month = dt.date(start.year, start.month, 1)
    while month <= end:
        if month >= start:
            parts.append(
                f"<text x='{x(month):.1f}' y='{height - 12}' text-anchor='middle' fill='#444'>"
                f"{escape(i18n_date(month, lang=lang, form='month'))}</text>"
            )
        month = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    for r in rows:
        x0, x1, y0 = x(r["valid_from"]), x(r["valid_to"]), y(r["area_km2"])
        geometry = f"x='{x0:.1f}' y='{y0:.1f}' width='{max(x1 - x0 - 2, 1):.1f}' height='{y(0) - y0:.1f}'"
        if not r["reported_area_km2"]:
            parts.append(
                f"<rect {geometry} fill='url(#{_HATCH_ID})' stroke='{PALETTE['blue']}' "
                f"stroke-width='1.5' data-reported='none'><title>{escape(r['name'])}: "
                f"{escape(no_figure)}</title></rect>"
            )
            cx = (x0 + x1) / 2
            words = [escape(word) for word in no_figure.rsplit(" ", 1)]  # two short lines fit above a two-week bar
            words += [""] * (2 - len(words))
            parts.append(
                f"<text x='{cx:.1f}' y='{y0 - 22:.1f}' text-anchor='middle' fill='#222'>"
                f"<tspan x='{cx:.1f}'>{words[0]}</tspan><tspan x='{cx:.1f}' dy='14'>{words[1]}</tspan>"
                "</text>"
            )
            continue
        parts.append(
            f"<rect {geometry} fill='{PALETTE['blue']}' fill-opacity='0.55'>"
            f"<title>{escape(r['name'])}: {escape(km2(r['area_km2']))}</title></rect>"
        )
        if r["reported_area_km2"]:
            cx, cy = (x0 + x1) / 2, y(r["reported_area_km2"])
            label = escape(_("claimed") if r.get("area_status") == "claimed-ua" else _("reported"))
            parts.append(
                f"<path d='M{cx:.1f} {cy - 7:.1f} L{cx + 7:.1f} {cy:.1f} L{cx:.1f} {cy + 7:.1f} "
                f"L{cx - 7:.1f} {cy:.1f} Z' fill='{PALETTE['vermillion']}'><title>{label} "
                f"{escape(km2(r['reported_area_km2']))}</title></path>"
            )
            near_edge = cx > width - right - 120
            parts.append(
                f"<text x='{cx - 10 if near_edge else cx + 10:.1f}' y='{cy - 8:.1f}' fill='#222' "
                f"text-anchor='{'end' if near_edge else 'start'}'>{label} "
                f"{escape(format_number(r['reported_area_km2'], lang=lang))}</text>"
            )
    if day is not None and start <= day <= end:
        near_edge = x(day) > width - right - 90
        parts.append(
            f"<line x1='{x(day):.1f}' x2='{x(day):.1f}' y1='{top}' y2='{y(0):.1f}' stroke='#000' "
            f"stroke-dasharray='4 3'/><text x='{x(day) - 4 if near_edge else x(day) + 4:.1f}' "
            f"y='{top - 4}' fill='#000' text-anchor='{'end' if near_edge else 'start'}'>"
            f"{escape(format_date(day, lang=lang))}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)
