"""Page panels drawn as one HTML element each, so that a date change redraws a handful of elements, not dozens.

Offers:
- ``FIGURES_SHOWN``: the figures the panel shows, in order, with their number formats.
- ``figures_html``: the figures for a date as a definition list (label, value, change), escaped.
- ``chart_html``: the Kursk area chart (SVG) in a ``<figure>`` with its title and key as the caption.
"""

from __future__ import annotations

from html import escape

from kupiansk_map.analysis.stats import FIGURE_LABELS, SECTOR_FIGURES, SituationFigures
from kupiansk_map.model import require_date
from kupiansk_map.story.chapters import format_date
from kupiansk_map.web import static_text

FIGURES_SHOWN: tuple[tuple[str, str], ...] = (
    ("city_to_front_km", "{:.1f} km"),
    ("occupied_within_10km_km2", "{:,.0f} km²"),
    ("occupied_within_20km_km2", "{:,.0f} km²"),
    ("kursk_area_km2", "{:,.0f} km²"),
    ("population_prewar", "{:,}"),
    ("population_now", "{:,}"),
)


def figures_html(figures: SituationFigures) -> str:
    """The figures panel for ``figures.date``: a heading, a note, one ``<dt>/<dd>`` pair per figure, sources.

    A figure no layer holds on the date reads "n/a"; a figure of a sector not mapped on the date reads "not
    mapped on this date", and a note names the sector's mapped ranges. A Kursk outline with no reported figure
    reads "no reported figure" (its area only marks a place). The Kursk area carries its change since the
    previous mapped state. Every text is escaped."""
    if not isinstance(figures, SituationFigures):
        raise TypeError(f"figures must be SituationFigures, got {type(figures).__name__}")
    day = format_date(require_date(figures.date, name="figures.date"))
    values = figures.as_dict()
    unmapped = {key for sector in figures.not_mapped for key in SECTOR_FIGURES[sector]}
    items = []
    for key, fmt in FIGURES_SHOWN:
        value = values[key]
        if key in unmapped:
            shown = "not mapped on this date"
        elif key == "kursk_area_km2" and value is not None and figures.kursk_reported_area_km2 is None:
            shown = "no reported figure"
        else:
            shown = "n/a" if value is None else fmt.format(value)
        change = ""
        if key == "kursk_area_km2" and figures.kursk_change_km2 is not None:
            change = (
                f"<span class='km-change'>{figures.kursk_change_km2:+,.0f} km² since the previous mapped state</span>"
            )
        items.append(
            f"<div data-figure='{key}'><dt>{escape(FIGURE_LABELS[key][0])}</dt><dd>{escape(shown)}{change}</dd></div>"
        )
    reported = figures.kursk_reported_area_km2
    note = (
        f"Population: {figures.population_source or 'no source'}. Kursk area: the outline is calibrated to the "
        f"reported figure ({'none' if reported is None else f'{reported:,.0f} km²'} on this date)."
    )
    gaps = "".join(
        f"<p class='km-not-mapped' data-sector='{escape(sector)}'><strong>{escape(message[:1].upper() + message[1:])}."
        "</strong></p>"
        for sector, message in figures.not_mapped.items()
    )
    return (
        f"<style>{static_text('figures-panel.css')}</style>"
        f"<section aria-label='Figures'><h3>Figures for {escape(day)}</h3>"
        "<p><small>Computed from the map's layers for the chosen date. Shapes are schematic; see the caveats "
        f"below.</small></p>{gaps}<dl class='km-figures'>{''.join(items)}</dl><p><small>{escape(note)}</small></p>"
        "</section>"
    )


def chart_html(svg: str, *, title: str, caption: str) -> str:
    """``svg`` (trusted, drawn by ``chart``) with an escaped title and caption; empty when there is no chart."""
    if not isinstance(svg, str):
        raise TypeError(f"svg must be a str, got {type(svg).__name__}")
    if not svg:
        return ""
    return (
        f"<style>{static_text('chart-panel.css')}</style><figure class='km-chart'><h3>{escape(title)}</h3>{svg}"
        f"<figcaption>{escape(caption)}</figcaption></figure>"
    )
