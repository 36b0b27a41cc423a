"""Two sources side by side: where the session's archive and a second archive (``PageState.versus``) disagree.

Offers:
- ``VIEW_AOI``: the area each view compares within (an ``ingest.snapshots.AOI_PRESETS`` name; None: the whole
  of both archives).
- ``cached_dispute``: ``analysis.disputes.dispute`` for two archives on a date within a view's AOI, once per
  server (keyed by both archives' ``SourceInfo.key``: store, name and last update), or the refusal's text.
- ``dispute_script``: the Leaflet code of the two one-sided shapes, in a language, cached per server.
- ``dispute_legend``: the two legend entries, each naming which archive holds the ground and which does not.
- ``dispute_groups``: the overlay group for the map, when the session compares two archives.
- ``dispute_html``: the "Two sources" panel: each source's figures and the disputed km², or the refusal.
- ``show_dispute_panel``: the panel under the figures, when the session compares two archives.

Both archives are trackers' assessments; neither is taken as fact, and every text says which source holds what.
"""

from __future__ import annotations

import datetime as dt
from html import escape

import folium
import numpy as np
import shapely
import streamlit as st
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

from kupiansk_map.analysis import disputes
from kupiansk_map.app import session
from kupiansk_map.app.caches import SourceInfo, cached_layers
from kupiansk_map.app.session import sync_state
from kupiansk_map.geo.crs import to_lonlat, to_metric
from kupiansk_map.i18n import format_date, format_measure, translator
from kupiansk_map.ingest.snapshots import parse_aoi
from kupiansk_map.web import render, static_text
from kupiansk_map.web.style import DISPUTE_STYLES, LegendEntry, fixed_style

WEB_MERCATOR = 3857
_METRES_PER_PIXEL_AT_ZOOM_0 = 156_543.034  # as web.render: Web Mercator metres per 256-px pixel at zoom 0
VIEW_AOI: dict[str, str | None] = {"kupiansk": "kupiansk", "kursk": "kursk", "overview": None}

_SIDES = ("only_a", "only_b")


def _city(data_dir: str) -> BaseGeometry | None:
    """The Kupiansk outline (lon/lat) the front-line distances are measured from, as ``archive diff`` does."""
    features = cached_layers(data_dir).layers.get("kupiansk", {}).get("features") or []
    return shape(features[0]["geometry"]) if features else None


@st.cache_resource(show_spinner=False, max_entries=64)
def cached_dispute(
    data_dir: str, a: tuple[str, ...], b: tuple[str, ...], day: dt.date, aoi: str | None
) -> disputes.Dispute | str:
    """Archives ``a`` and ``b`` (``SourceInfo.key``) on ``day`` within the preset ``aoi``, or the ``DisputeError``
    text. One copy per server, shared read-only by every session (the shapes are not copied per run)."""
    try:
        return disputes.dispute(
            a[0], a[1], b[1], day, aoi=None if aoi is None else parse_aoi(aoi), city=_city(data_dir)
        )
    except disputes.DisputeError as exc:
        return str(exc)


def dispute_legend(a: str, b: str, *, lang: str = "en") -> dict[str, LegendEntry]:
    """The legend entry of each one-sided shape, by side (``only_a``, ``only_b``), naming both archives."""
    _ = translator(lang).gettext
    label = _("Russian-held in {holder}, not in {other}")
    return {
        "only_a": LegendEntry("dispute:only_a", label.format(holder=a, other=b), "fill", DISPUTE_STYLES["only_a"]),
        "only_b": LegendEntry("dispute:only_b", label.format(holder=b, other=a), "fill", DISPUTE_STYLES["only_b"]),
    }


def _named(name: str, attribution: str | None, lang: str) -> str:
    _ = translator(lang).gettext
    return _("{archive} ({attribution})").format(archive=name, attribution=attribution or _("no attribution given"))


@st.cache_data(show_spinner=False, max_entries=256)
def dispute_script(
    data_dir: str, a: tuple[str, ...], b: tuple[str, ...], day: dt.date, aoi: str | None, zoom: int, lang: str = "en"
) -> dict[str, str]:
    """The Leaflet code of each one-sided shape there is, by side, simplified for ``zoom``, its popup in
    ``lang``: both archives and their attributions, the date, that both are assessments, and the km²."""
    found = cached_dispute(data_dir, a, b, day, aoi)
    if isinstance(found, str):
        return {}
    _ = translator(lang).gettext
    legend = dispute_legend(found.a.name, found.b.name, lang=lang)
    title = _("Where two sources disagree")
    date = format_date(day, lang=lang)
    by_id = {f["properties"]["id"]: f for f in disputes.dispute_collection(found)["features"]}
    scripts = {}
    for side, holder, other, geometry, km2 in (
        ("only_a", found.a, found.b, found.only_a, found.only_a_km2),
        ("only_b", found.b, found.a, found.only_b, found.only_b_km2),
    ):
        feature = by_id.get(f"disputed-{holder.name}-{day.isoformat()}")
        if feature is None:  # no ground that only this source holds
            continue
        feature["geometry"] = mapping(_for_display(geometry, zoom))
        feature["properties"].update(
            name=legend[side].label,
            source=_("Archives {a} and {b}").format(
                a=_named(holder.name, holder.attribution, lang), b=_named(other.name, other.attribution, lang)
            ),
            note=_(
                "{area} that {holder} assesses as Russian-held on {date} and {other} does not. Both archives are "
                "trackers' assessments; neither is a fact."
            ).format(
                area=format_measure(km2, "km²", lang=lang, digits=1), holder=holder.name, date=date, other=other.name
            ),
        )
        script = render.drawn_layer_script(
            {"type": "FeatureCollection", "features": [feature]},
            "occupied",
            None,
            title=title,
            style=fixed_style(DISPUTE_STYLES[side]),
            legend=[legend[side]],
            lang=lang,
        )
        if script:
            scripts[side] = script
    return scripts


def _for_display(geometry: BaseGeometry, zoom: int) -> BaseGeometry:
    """``geometry`` simplified by half a pixel at ``zoom`` + 2, as ``render.simplify_for_zoom`` does, but part by
    part: the one-sided shapes of the whole front are thousands of disjoint slivers, and simplifying them as one
    shape that keeps its topology took seconds (measured: 7 s at zoom 6 on two 15,000-vertex archives). Parts
    are disjoint, so each keeps its own topology; coordinates are rounded to 1e-6° (about 0.1 m)."""
    tolerance_m = 0.5 * _METRES_PER_PIXEL_AT_ZOOM_0 / 2 ** (zoom + 2)
    parts = shapely.simplify(shapely.get_parts(to_metric(geometry, WEB_MERCATOR)), tolerance_m, preserve_topology=True)
    parts = parts[~shapely.is_empty(parts) & (shapely.get_type_id(parts) == 3)]  # polygons only
    return shapely.transform(to_lonlat(shapely.multipolygons(parts), WEB_MERCATOR), lambda xy: np.round(xy, 6))


def _pair() -> tuple[SourceInfo, SourceInfo] | None:
    """The session's source and second archive, when it compares two archives the store holds."""
    page = sync_state()
    if not page.versus:
        return None
    catalogue = session.catalogue()
    a, b = catalogue.get(page.source), catalogue.get(page.versus)
    if a is None or b is None or a.is_builtin or b.is_builtin:
        return None
    return a, b


def dispute_groups(data_dir: str, day: dt.date, view: str, zoom: int) -> list[folium.FeatureGroup]:
    """The overlay groups of the disputed ground on ``day`` in ``view`` (none without a second archive, or on
    a date either archive does not hold)."""
    pair = _pair()
    if pair is None:
        return []
    a, b = pair
    scripts = dispute_script(data_dir, a.key, b.key, day, VIEW_AOI.get(view), zoom, sync_state().lang)
    return [render.group_from_script(f"Disputed {side}", scripts[side]) for side in _SIDES if side in scripts]


def _area_words(aoi: str | None, lang: str) -> str:
    _ = translator(lang).gettext
    if aoi is None:
        return _("across the whole of both archives")
    radius = format_measure(parse_aoi(aoi).radius_km, "km", lang=lang)
    return {
        "kupiansk": _("within {radius} of Kupiansk").format(radius=radius),
        "kursk": _("within {radius} of Sudzha").format(radius=radius),
    }.get(aoi, aoi)


def dispute_html(
    found: disputes.Dispute | str, *, a: str, b: str, day: dt.date, aoi: str | None, lang: str = "en"
) -> str:
    """The "Two sources" panel for archives ``a`` and ``b`` on ``day``: each source's distance from Kupiansk to
    its front line and its Russian-held km² within ``aoi``, then the disputed km² and how it is measured; or,
    when ``found`` is a refusal's text, that text and no number. Every text is escaped."""
    _ = translator(lang).gettext
    section = _("Two sources")
    heading = _("Two sources on {date}: {a} and {b}").format(date=format_date(day, lang=lang), a=a, b=b)
    honest = _(
        "Both archives are trackers' assessments; neither is a fact. Where they disagree, the map shows who holds what."
    )
    head = (
        f"<style>{static_text('disputes-panel.css')}</style>"
        f"<section class='km-disputes' aria-label='{escape(section)}'><h3>{escape(heading)}</h3>"
        f"<p><small>{escape(honest)}</small></p>"
    )
    if isinstance(found, str):
        # The analysis names every problem on a line of its own, after its lead line.
        lead, *problems = found.splitlines()
        shown = _("No comparison on this date: the figures need both archives to hold it.")
        items = "".join(f"<li>{escape(problem.strip())}</li>" for problem in problems)
        return (
            f"{head}<div class='km-dispute-refusal' role='note'><p><strong>{escape(shown)}</strong></p>"
            f"<p>{escape(lead)}</p><ul>{items}</ul></div></section>"
        )
    area = _area_words(aoi, lang)

    def km(value: float | None) -> str:
        return _("n/a") if value is None else format_measure(value, "km", lang=lang, digits=1)

    def km2(value: float) -> str:
        return format_measure(value, "km²", lang=lang, digits=1)

    distance_label = _("Kupiansk to its front line")
    held_label = _("Russian-held {area}").format(area=area)
    cards = []
    for side, figures in (("a", found.a), ("b", found.b)):
        credit = _("Attribution: {attribution}").format(attribution=figures.attribution or _("none given"))
        cards.append(
            f"<div class='km-dispute-source' data-side='{side}' data-source='{escape(figures.name)}'>"
            f"<h4>{escape(figures.name)}</h4><p><small>{escape(credit)}</small></p><dl>"
            f"<div data-figure='front_distance_km'><dt>{escape(distance_label)}</dt>"
            f"<dd>{escape(km(figures.front_distance_km))}</dd></div>"
            f"<div data-figure='occupied_km2'><dt>{escape(held_label)}</dt>"
            f"<dd>{escape(km2(figures.occupied_km2))}</dd></div>"
            "</dl></div>"
        )
    legend = dispute_legend(found.a.name, found.b.name, lang=lang)
    sides = "".join(
        f"<li data-side='{side}'><span class='km-dispute-swatch km-{side}' aria-hidden='true'></span>"
        f"{escape(legend[side].label)}: <strong>{escape(km2(value))}</strong></li>"
        for side, value in (("only_a", found.only_a_km2), ("only_b", found.only_b_km2))
    )
    disputed = _("Disputed ground {area}").format(area=area)
    measure = _(
        "The disputed area is the geodesic area of the symmetric difference of the two Russian-held areas "
        "{area}: ground held by Russia in one source and not in the other."
    ).format(area=area)
    return (
        f"{head}<div class='km-dispute-sources'>{''.join(cards)}</div>"
        f"<div class='km-dispute-total' data-figure='disputed_km2'><span>{escape(disputed)}</span>"
        f"<strong>{escape(km2(found.disputed_km2))}</strong></div>"
        f"<ul class='km-dispute-sides'>{sides}</ul><p><small>{escape(measure)}</small></p></section>"
    )


def show_dispute_panel(data_dir: str, day: dt.date, view: str) -> None:
    """The "Two sources" panel, when the session compares two archives."""
    pair = _pair()
    if pair is None:
        return
    a, b = pair
    aoi = VIEW_AOI.get(view)
    found = cached_dispute(data_dir, a.key, b.key, day, aoi)
    st.html(dispute_html(found, a=a.name, b=b.name, day=day, aoi=aoi, lang=sync_state().lang))
