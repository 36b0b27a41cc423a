"""Page panels drawn as one HTML element each, so that a date change redraws a handful of elements, not dozens.

Offers:
- ``FIGURES_SHOWN``: the figures the panel shows, in order, with their number formats.
- ``figures_html``: the figures for a date as a definition list (label, value, change), escaped.
- ``chart_html``: the Kursk area chart (SVG) in a ``<figure>`` with its title and key as the caption.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

from kupiansk_map.analysis.stats import FIGURE_LABELS, SECTOR_FIGURES, SituationFigures
from kupiansk_map.i18n import format_measure, format_number, translator
from kupiansk_map.model import require_date
from kupiansk_map.story.chapters import format_date
from kupiansk_map.web import static_text

# (figure, unit, decimals): written by Babel in the page's language.
FIGURES_SHOWN: tuple[tuple[str, str, int], ...] = (
    ("city_to_front_km", "km", 1),
    ("occupied_within_10km_km2", "km²", 0),
    ("occupied_within_20km_km2", "km²", 0),
    ("kursk_area_km2", "km²", 0),
    ("population_prewar", "", 0),
    ("population_now", "", 0),
)


def figures_html(
    figures: SituationFigures,
    *,
    lang: str = "en",
    not_mapped: Mapping[str, str] | None = None,
    archive: str | None = None,
) -> str:
    """The figures panel for ``figures.date``: a heading, a note, one ``<dt>/<dd>`` pair per figure, sources.

    A figure no layer holds on the date reads "n/a"; a figure of a sector not mapped on the date reads "not
    mapped on this date", and a note names the sector's mapped ranges. A Kursk outline with no reported figure
    reads "no reported figure" (its area only marks a place). The Kursk area carries its change since the
    previous mapped state. Every text is escaped. Labels, numbers and dates are in ``lang``; ``not_mapped``
    gives the sectors' not-mapped messages in that language (default: the figures' own, in English). With an
    ``archive`` as the source, the shapes are that archive's assessment and its Kursk area is a measured figure."""
    if not isinstance(figures, SituationFigures):
        raise TypeError(f"figures must be SituationFigures, got {type(figures).__name__}")
    _ = translator(lang).gettext
    day = format_date(require_date(figures.date, name="figures.date"), lang=lang)
    messages = {**figures.not_mapped, **(not_mapped or {})}

    def shown_value(value: float, unit: str, digits: int) -> str:
        if unit:
            return format_measure(value, unit, lang=lang, digits=digits)
        return format_number(value, lang=lang, digits=digits)

    values = figures.as_dict()
    unmapped = {key for sector in figures.not_mapped for key in SECTOR_FIGURES[sector]}
    items = []
    for key, unit, digits in FIGURES_SHOWN:
        value = values[key]
        if key in unmapped:
            shown = _("not mapped on this date")
        elif key == "kursk_area_km2" and value is not None and figures.kursk_reported_area_km2 is None and not archive:
            shown = _("no reported figure")
        else:
            shown = _("n/a") if value is None else shown_value(value, unit, digits)
        change = ""
        if key == "kursk_area_km2" and figures.kursk_change_km2 is not None:
            text = _("{change} since the previous mapped state").format(
                change=format_measure(figures.kursk_change_km2, "km²", lang=lang, sign=True)
            )
            change = f"<span class='km-change'>{escape(text)}</span>"
        items.append(
            f"<div data-figure='{key}'><dt>{escape(_(FIGURE_LABELS[key][0]))}</dt>"
            f"<dd>{escape(shown)}{change}</dd></div>"
        )
    reported = figures.kursk_reported_area_km2
    if archive:
        note = _("Population: {source}. Kursk area: the {archive} archive's assessment, measured as drawn.").format(
            source=figures.population_source or _("no source"), archive=archive
        )
        computed = _(
            "Computed from the map's layers for the chosen date. The situation is the {archive} archive's "
            "assessment; see the caveats below."
        ).format(archive=archive)
    else:
        note = _(
            "Population: {source}. Kursk area: the outline is calibrated to the reported figure ({reported} on this "
            "date)."
        ).format(
            source=figures.population_source or _("no source"),
            reported=_("none") if reported is None else format_measure(reported, "km²", lang=lang),
        )
        computed = _("Computed from the map's layers for the chosen date. Shapes are schematic; see the caveats below.")
    section, heading = _("Figures"), _("Figures for {date}").format(date=day)
    gaps = "".join(
        f"<p class='km-not-mapped' data-sector='{escape(sector)}'><strong>{escape(message[:1].upper() + message[1:])}."
        "</strong></p>"
        for sector, message in messages.items()
    )
    return (
        f"<style>{static_text('figures-panel.css')}</style>"
        f"<section aria-label='{escape(section)}'><h3>{escape(heading)}</h3>"
        f"<p><small>{escape(computed)}</small></p>{gaps}<dl class='km-figures'>{''.join(items)}</dl>"
        f"<p><small>{escape(note)}</small></p>"
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
