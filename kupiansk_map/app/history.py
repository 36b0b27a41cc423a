"""The figures over time as charts on the explore page, from the chosen source, with the chosen date marked.

Offers:
- ``show_history``: the four charts (distance to the front, Russian-held ground within 10 and 20 km of the city,
  the Kursk area with the reported figures numbered and listed, the weekly net change), one a row at full width,
  each with a "Download CSV" made when clicked (``history_csv``).
- ``ChartData``, ``chart_data``, ``cached_chart_data``: each chart's tables, made once per source and language.
- ``history_charts``: the charts as Altair objects by ``analysis.history.CSV_TABLES`` name (None for a chart
  the source has no figures for), without the chosen date's rule.
- ``ChartSpec``, ``cached_specs``: the Vega-Lite specs Altair builds and validates once per source and language,
  the rule layer added (``rule_layer``), their tables as named Arrow datasets; ``with_rule`` / ``chosen_rows``:
  a spec with the chosen date's row for the rule (the ``CHOSEN_DATASET`` dataset).
- ``CHART_COLOURS``: the Okabe-Ito colours the charts use (safe for colour-blind readers).

The history is computed once per source per server (``caches.cached_history``); a date step only gives the
rule the new date's row (no Altair validation, no rows re-serialised, and the same spec, so that the browser
replaces one dataset in each chart rather than building the charts again). Each chart
shades the spans no source maps (grey, "not mapped") and draws no line there; hovering anywhere over a span
shows its dates and values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st
from streamlit.dataframe_util import convert_anything_to_arrow_bytes

from kupiansk_map.analysis import history, summary
from kupiansk_map.analysis.history import History, HistoryPoint
from kupiansk_map.app.caches import SourceInfo, cached_history
from kupiansk_map.i18n import chart_locale, format_date, format_measure, translator

CHART_COLOURS: dict[str, str] = {
    "line": "#0072B2",  # blue
    "second": "#E69F00",  # orange
    "grew": "#D55E00",  # vermilion: Russian-held area grew
    "shrank": "#0072B2",  # blue: it shrank
    "claim": "#CC79A7",  # reddish purple: a claim by Ukraine
    "reported": "#009E73",  # bluish green: a reported figure
    "not_mapped": "#999999",
    "rule": "#222222",
}
_HEIGHT = 300
_FONT = 14  # px: readable on a projector at 1024x768
_NOT_MAPPED_SHADE = 0.22
_OUTLINE_SHADE = 0.1  # a Kursk outline that only marks a place: lighter than not mapped
_SEE_THROUGH = 0.001  # drawn (so that hovering shows the span's values) but not seen
_ONE_DAY = dt.timedelta(days=1)


def _iso(day: dt.date) -> str:
    return day.isoformat()


def _span_words(first: dt.date, last: dt.date | None, lang: str) -> str:
    if last is None or last == first:
        return format_date(first, lang=lang, form="short")
    return f"{format_date(first, lang=lang, form='short')} – {format_date(last, lang=lang, form='short')}"


def _extent(found: History, sector: str) -> tuple[dt.date, dt.date] | None:
    """The chart's time span: the sector's first mapped day to the day after its last."""
    ranges = found.mapped.get(sector) or ()
    if not ranges:
        return None
    return ranges[0][0], ranges[-1][1] + _ONE_DAY


def _overlaps(point: HistoryPoint, extent: tuple[dt.date, dt.date]) -> bool:
    return (point.until or extent[1]) > extent[0] and point.date < extent[1]


def _spans(
    points: Sequence[HistoryPoint], extent: tuple[dt.date, dt.date], texts: Callable[[HistoryPoint], dict[str, str]]
) -> list[dict[str, Any]]:
    """One row per point's span inside ``extent``: hovered for its values, shaded grey where not mapped."""
    first, end = extent
    rows = []
    for point in points:
        if not _overlaps(point, extent):
            continue
        until = point.until or end
        shown = texts(point)
        rows.append(
            {
                "start": _iso(max(point.date, first)),
                "end": _iso(min(until, end)),
                "shade": _NOT_MAPPED_SHADE if shown.pop("_not_mapped", "") else _SEE_THROUGH,
                **shown,
            }
        )
    return rows


CHOSEN_DATASET = "chosen"


def rule_layer(lang: str) -> dict[str, Any]:
    """The chosen date's dashed rule as a Vega-Lite layer. Its row comes in the ``CHOSEN_DATASET`` dataset
    (``chosen_rows``), so that the spec is the same on every date: a date step then replaces one dataset in the
    chart the browser already has, instead of building the chart anew."""
    _ = translator(lang).gettext
    return {
        "data": {"name": CHOSEN_DATASET},
        "mark": {"type": "rule", "color": CHART_COLOURS["rule"], "strokeDash": [6, 4], "strokeWidth": 2},
        "encoding": {
            "x": {"field": "date", "type": "temporal"},
            "tooltip": [{"field": "chosen", "type": "nominal", "title": _("Chosen date")}],
        },
    }


def chosen_rows(day: dt.date, extent: tuple[dt.date, dt.date], lang: str) -> list[dict[str, str]]:
    """The rule's row for ``day``: none when ``day`` is outside the chart's span."""
    return [{"date": _iso(day), "chosen": format_date(day, lang=lang)}] if extent[0] <= day < extent[1] else []


def _x(extent: tuple[dt.date, dt.date], lang: str, field: str = "date") -> alt.X:
    _ = translator(lang).gettext
    return alt.X(
        f"{field}:T",
        title=_("Date"),
        scale=alt.Scale(type="utc", domain=[_iso(extent[0]), _iso(extent[1])]),
        axis=alt.Axis(format="%b %Y", labelOverlap=True, tickCount=6),
    )


def _hover(data: str, tooltip: list[alt.Tooltip], extent: tuple[dt.date, dt.date], lang: str) -> alt.Chart:
    """Full-height bands, one per span: grey where not mapped (``shade``), see-through but hoverable elsewhere.
    The first layer, so its x channel sets the shared time axis."""
    return (
        alt.Chart(alt.Data(name=data))
        .mark_rect(color=CHART_COLOURS["not_mapped"])
        .encode(
            x=_x(extent, lang, "start"),
            x2="end:T",
            opacity=alt.Opacity("shade:Q", scale=None),
            tooltip=tooltip,
        )
    )


def _finish(chart: alt.LayerChart, lang: str) -> alt.LayerChart:
    locale = alt.Undefined if lang == "en" else alt.Locale.from_dict(chart_locale(lang))
    return (
        chart.properties(height=_HEIGHT)
        .configure(locale=locale)
        .configure_axis(labelFontSize=_FONT, titleFontSize=_FONT)
        .configure_legend(labelFontSize=_FONT, titleFontSize=_FONT, orient="bottom", direction="vertical", labelLimit=0)
    )


def _measure(value: float | None, unit: str, lang: str, digits: int) -> str:
    _ = translator(lang).gettext
    return _("not mapped") if value is None else format_measure(value, unit, lang=lang, digits=digits)


def _line_rows(points: Sequence[HistoryPoint], key: str, name: str) -> list[dict[str, Any]]:
    return [
        {"date": _iso(r["date"]), "value": r["value"], "run": f"{key}-{r['segment']}", "figure": name}
        for r in history.step_rows(points, key)
    ]


@dataclass(frozen=True)
class ChartData:
    """One chart's data, made once per source and language: its time span and its tables."""

    extent: tuple[dt.date, dt.date]
    frames: dict[str, list[dict[str, Any]]]


def _point_dates(p: HistoryPoint, lang: str) -> str:
    return _span_words(p.date, None if p.until is None else p.until - _ONE_DAY, lang)


def _distance_data(found: History, lang: str) -> ChartData | None:
    extent = _extent(found, "kupiansk")
    if extent is None or not found.has("city_to_front_km"):
        return None

    def texts(p: HistoryPoint) -> dict[str, str]:
        return {
            "dates": _point_dates(p, lang),
            "shown": _measure(p.city_to_front_km, "km", lang, 2),
            "_not_mapped": "1" if p.city_to_front_km is None else "",
        }

    return ChartData(
        extent,
        {
            "hover": _spans(found.points, extent, texts),
            "line": _line_rows(found.points, "city_to_front_km", ""),
        },
    )


def _within_names(lang: str) -> dict[str, str]:
    _ = translator(lang).gettext
    return {"occupied_within_10km_km2": _("Within 10 km"), "occupied_within_20km_km2": _("Within 20 km")}


def _within_data(found: History, lang: str) -> ChartData | None:
    extent = _extent(found, "kupiansk")
    if extent is None or not found.has("occupied_within_20km_km2"):
        return None

    def texts(p: HistoryPoint) -> dict[str, str]:
        return {
            "dates": _point_dates(p, lang),
            "near10": _measure(p.occupied_within_10km_km2, "km²", lang, 1),
            "near20": _measure(p.occupied_within_20km_km2, "km²", lang, 1),
            "_not_mapped": "1" if p.occupied_within_20km_km2 is None else "",
        }

    rows = [row for key, name in _within_names(lang).items() for row in _line_rows(found.points, key, name)]
    return ChartData(extent, {"hover": _spans(found.points, extent, texts), "line": rows})


def _kursk_kinds(lang: str) -> tuple[str, str]:
    _ = translator(lang).gettext
    return _("claim by Ukraine"), _("reported")


def _kursk_data(found: History, lang: str) -> ChartData | None:
    _ = translator(lang).gettext
    extent = _extent(found, "kursk")
    if extent is None or not found.has("kursk_area_km2"):
        return None

    def texts(p: HistoryPoint) -> dict[str, str]:
        shown = _measure(p.kursk_area_km2, "km²", lang, 1)
        if p.kursk_outline_only:
            shown = _("no reported figure (a schematic outline: it only marks where the area was)")
        return {"dates": _point_dates(p, lang), "shown": shown, "_not_mapped": "1" if p.kursk_area_km2 is None else ""}

    hover = _spans(found.points, extent, texts)
    for row, point in zip(hover, [p for p in found.points if _overlaps(p, extent)], strict=True):
        if point.kursk_outline_only:
            row["shade"] = _OUTLINE_SHADE

    claim, reported = _kursk_kinds(lang)
    marks = [
        {
            "date": _iso(m.date),
            "value": m.area_km2,
            "kind": claim if m.is_claim else reported,
            "label": m.source + (f" ({claim})" if m.is_claim else ""),
            "shown": format_measure(m.area_km2, "km²", lang=lang),
            "when": format_date(m.date, lang=lang),
            "number": str(i),
        }
        for i, m in enumerate((m for m in found.marks if extent[0] <= m.date < extent[1]), start=1)
    ]
    return ChartData(
        extent,
        {
            "hover": hover,
            "line": _line_rows(found.points, "kursk_area_km2", ""),
            "marks": marks,
        },
    )


def _headroom(marks: list[dict[str, Any]]) -> float | alt.UndefinedType:
    """Room above the highest reported figure for its number."""
    return max(m["value"] for m in marks) * 1.15 if marks else alt.Undefined


def _signs(lang: str) -> tuple[str, str, str]:
    _ = translator(lang).gettext
    return _("Russian-held area grew"), _("Russian-held area shrank"), _("No change")


def _weekly_data(found: History, lang: str) -> ChartData | None:
    _ = translator(lang).gettext
    extent = _extent(found, "kupiansk")
    if extent is None or not any(w.change_km2 is not None for w in found.weeks):
        return None
    grew, shrank, none = _signs(lang)
    rows = []
    for w in found.weeks:
        end = w.monday + dt.timedelta(days=7)
        if end <= extent[0] or w.monday >= extent[1]:
            continue
        week = _("Week {week} of {year}").format(week=w.week, year=w.year)
        rows.append(
            {
                "start": _iso(max(w.monday, extent[0])),
                "end": _iso(min(end, extent[1])),
                "value": w.change_km2,
                "sign": none if not w.change_km2 else grew if w.change_km2 > 0 else shrank,
                "shade": _NOT_MAPPED_SHADE if w.last_day is None else _SEE_THROUGH,
                "week": f"{week} ({_span_words(w.monday, end - _ONE_DAY, lang)})",
                "shown": (
                    _("not mapped")
                    if w.last_day is None
                    else _("no previous mapped week to compare with")
                    if w.change_km2 is None
                    else format_measure(w.change_km2, "km²", lang=lang, digits=1, sign=True)
                ),
            }
        )
    return ChartData(extent, {"weeks": rows})


def chart_data(found: History, lang: str) -> dict[str, ChartData | None]:
    """Every chart's data (by ``history.CSV_TABLES`` name), in ``lang``; None for a chart with no figures."""
    return {
        "distance": _distance_data(found, lang),
        "within": _within_data(found, lang),
        "kursk": _kursk_data(found, lang),
        "weekly": _weekly_data(found, lang),
    }


@st.cache_data(show_spinner=False, max_entries=16)
def cached_chart_data(data_dir: str, source: tuple[str, ...], lang: str) -> dict[str, ChartData | None]:
    """``chart_data`` of the source's history, once per source and language per server."""
    return chart_data(cached_history(data_dir, source), lang)


def _line(frame: str, extent: tuple[dt.date, dt.date], title: str, lang: str, **encodings: Any) -> alt.Chart:
    return (
        alt.Chart(alt.Data(name=frame))
        .mark_line(
            interpolate="step-after",
            strokeWidth=2.5,
            clip=True,
            color=alt.Undefined if encodings else CHART_COLOURS["line"],
        )
        .encode(x=_x(extent, lang), y=alt.Y("value:Q", title=title), detail="run:N", **encodings)
    )


def distance_chart(data: ChartData, lang: str) -> alt.LayerChart:
    _ = translator(lang).gettext
    hover = _hover(
        "hover",
        [alt.Tooltip("dates:N", title=_("Dates")), alt.Tooltip("shown:N", title=_("Distance to the front"))],
        data.extent,
        lang,
    )
    return _finish(alt.LayerChart(layer=[hover, _line("line", data.extent, _("Distance (km)"), lang)]), lang)


def within_chart(data: ChartData, lang: str) -> alt.LayerChart:
    _ = translator(lang).gettext
    names = _within_names(lang)
    hover = _hover(
        "hover",
        [
            alt.Tooltip("dates:N", title=_("Dates")),
            alt.Tooltip("near10:N", title=names["occupied_within_10km_km2"]),
            alt.Tooltip("near20:N", title=names["occupied_within_20km_km2"]),
        ],
        data.extent,
        lang,
    )
    domain = list(names.values())
    line = _line(
        "line",
        data.extent,
        _("Area (km²)"),
        lang,
        color=alt.Color(
            "figure:N",
            title=None,
            scale=alt.Scale(domain=domain, range=[CHART_COLOURS["second"], CHART_COLOURS["line"]]),
        ),
        strokeDash=alt.StrokeDash("figure:N", title=None, scale=alt.Scale(domain=domain, range=[[6, 3], [1, 0]])),
    )
    return _finish(alt.LayerChart(layer=[hover, line]), lang)


def kursk_chart(data: ChartData, lang: str) -> alt.LayerChart:
    _ = translator(lang).gettext
    hover = _hover(
        "hover",
        [alt.Tooltip("dates:N", title=_("Dates")), alt.Tooltip("shown:N", title=_("Area on the map"))],
        data.extent,
        lang,
    )
    claim, reported = _kursk_kinds(lang)
    kind_scale = alt.Scale(domain=[claim, reported], range=[CHART_COLOURS["claim"], CHART_COLOURS["reported"]])
    mark_tooltip = [
        alt.Tooltip("shown:N", title=_("Reported figure")),
        alt.Tooltip("label:N", title=_("Reported by")),
        alt.Tooltip("when:N", title=_("From")),
    ]
    marks = alt.Data(name="marks")
    diamonds = (
        alt.Chart(marks)
        .mark_point(shape="diamond", size=160, filled=True, opacity=1)
        .encode(
            x="date:T",
            y=alt.Y("value:Q", scale=alt.Scale(domainMax=_headroom(data.frames["marks"]))),
            color=alt.Color("kind:N", title=_("Reported figures"), scale=kind_scale),
            tooltip=mark_tooltip,
        )
    )
    labels = (
        alt.Chart(marks)
        .mark_text(align="left", dx=8, dy=-12, fontSize=_FONT, fontWeight="bold")
        .encode(
            x="date:T",
            y="value:Q",
            text="number:N",
            color=alt.Color("kind:N", scale=kind_scale, title=_("Reported figures")),
        )
    )
    line = _line("line", data.extent, _("Area (km²)"), lang)
    return _finish(alt.LayerChart(layer=[hover, line, diamonds, labels]), lang)


def weekly_chart(data: ChartData, lang: str) -> alt.LayerChart:
    _ = translator(lang).gettext
    frame = "weeks"
    grew, shrank, none = _signs(lang)
    tooltip = [alt.Tooltip("week:N", title=_("Week")), alt.Tooltip("shown:N", title=_("Net change"))]
    bars = (
        alt.Chart(alt.Data(name=frame))
        .transform_filter("isValid(datum.value)")
        .mark_rect(clip=True)
        .encode(
            x=_x(data.extent, lang, "start"),
            x2="end:T",
            y=alt.Y("value:Q", title=_("Net change (km²)")),
            y2=alt.datum(0),
            color=alt.Color(
                "sign:N",
                title=None,
                scale=alt.Scale(
                    domain=[grew, shrank, none],
                    range=[CHART_COLOURS["grew"], CHART_COLOURS["shrank"], CHART_COLOURS["not_mapped"]],
                ),
            ),
            tooltip=tooltip,
        )
    )
    return _finish(alt.LayerChart(layer=[_hover(frame, tooltip, data.extent, lang), bars]), lang)


_CHARTS: dict[str, Callable[[ChartData, str], alt.LayerChart]] = {
    "distance": distance_chart,
    "within": within_chart,
    "kursk": kursk_chart,
    "weekly": weekly_chart,
}


def history_charts(data: dict[str, ChartData | None], lang: str) -> dict[str, alt.LayerChart | None]:
    """Each chart of ``data`` (``chart_data``) in ``lang``, without the chosen date's rule (``with_rule``);
    None where the source has no figures for it."""
    charts: dict[str, alt.LayerChart | None] = {}
    for name, make in _CHARTS.items():
        found = data.get(name)
        charts[name] = None if found is None else make(found, lang)
    return charts


@dataclass(frozen=True)
class ChartSpec:
    """A chart's Vega-Lite spec with the rule layer (built and validated by Altair once), and its time span."""

    spec: Mapping[str, Any]
    extent: tuple[dt.date, dt.date]
    datasets: Mapping[str, bytes]  # the chart's tables as Arrow IPC, by the names its layers use


@st.cache_resource(show_spinner=False, max_entries=16)
def cached_specs(data_dir: str, source: tuple[str, ...], lang: str) -> dict[str, ChartSpec | None]:
    """The source's chart specs in ``lang``, once per server, shared by every session (read-only: ``with_rule``
    makes a new top-level dict), so that a date step costs no Altair validation."""
    data = cached_chart_data(data_dir, source, lang)
    out: dict[str, ChartSpec | None] = {}
    for name, chart in history_charts(data, lang).items():
        found = data.get(name)
        if chart is None or found is None:
            out[name] = None
            continue
        # The tables go as named datasets, serialised to Arrow once here: neither Altair's validation nor a date
        # step touches their rows.
        datasets = {key: convert_anything_to_arrow_bytes(pd.DataFrame(rows)) for key, rows in found.frames.items()}
        spec = chart.to_dict()
        spec = {**spec, "layer": [*spec["layer"], rule_layer(lang)], "usermeta": {"chart": name}}
        out[name] = ChartSpec(spec, found.extent, datasets)
    return out


def with_rule(chart: ChartSpec, day: dt.date, lang: str) -> dict[str, Any]:
    """``chart``'s spec with its datasets and the chosen date's row for the rule (the cached spec is not
    changed)."""
    chosen = pd.DataFrame(chosen_rows(day, chart.extent, lang), columns=["date", "chosen"])
    return {**chart.spec, "datasets": {**chart.datasets, CHOSEN_DATASET: convert_anything_to_arrow_bytes(chosen)}}


def _titles(lang: str) -> dict[str, tuple[str, str]]:
    _ = translator(lang).gettext
    grey = _("Grey: not mapped (no source describes those dates).")
    return {
        "distance": (_("Distance from the city to the front line"), grey),
        "within": (_("Russian-held ground within 10 and 20 km of the city"), grey),
        "kursk": (
            _("Ukrainian-held area in Kursk region"),
            _("Line: the area of the map's outline. Numbered diamonds: the reported figures, listed below.")
            + " "
            + grey
            + " "
            + _("Light grey: a schematic outline with no reported figure (it only marks where the area was)."),
        ),
        "weekly": (
            _("Net change per week in the Russian-held area"),
            _("Each ISO week: the area on its last mapped day minus the previous week's; none across a gap.")
            + " "
            + grey,
        ),
    }


def show_history(data_dir: str, source: SourceInfo, day: dt.date, lang: str) -> None:
    """The figures over time of ``source``, the chosen date ``day`` marked, each chart with its CSV."""
    _ = translator(lang).gettext
    specs = cached_specs(data_dir, source.key, lang)
    st.subheader(_("Figures over time"))
    st.caption(
        (
            _("From the built-in explainer's states.")
            if source.is_builtin
            else _("From the {archive} archive's states: its assessment, not facts.").format(archive=source.name)
        )
        + " "
        + _("Each value holds from the day a state begins until the next change. Hover over a chart for values.")
        + " "
        + _("Dashed line: the chosen date, {date}.").format(date=format_date(day, lang=lang))
    )
    not_mapped = {
        "distance": _("This source maps no front line near Kupiansk."),
        "within": _("This source maps no Russian-held ground near Kupiansk."),
        "kursk": _("Not mapped: this source does not map the Ukrainian-held area in Kursk region."),
        "weekly": _("No weekly change: this source does not map two weeks in a row."),
    }
    titles = _titles(lang)
    stem = "builtin" if source.is_builtin else source.name
    for name, chart in specs.items():
        title, caption = titles[name]
        with st.container(key=f"km_history_{name}"):
            st.markdown(f"**{summary.markdown_literal(title)}**")
            if chart is None:
                st.info(not_mapped[name])
                continue
            st.caption(caption)
            st.vega_lite_chart(with_rule(chart, day, lang), width="stretch")
            if name == "kursk":
                st.markdown(_marks_key(data_dir, source.key, lang))
            st.download_button(
                _("Download CSV"),
                partial(history_csv, data_dir, source.key, name),
                file_name=f"kupiansk-map-{stem}-{name}.csv",
                mime="text/csv",
                on_click="ignore",
                key=f"km_history_csv_{name}",
            )


def _marks_key(data_dir: str, source: tuple[str, ...], lang: str) -> str:
    """The Kursk chart's numbered reported figures as a Markdown list: value, who reported it, from when."""
    _ = translator(lang).gettext
    found = cached_chart_data(data_dir, source, lang)["kursk"]
    marks = [] if found is None else found.frames["marks"]
    return "\n".join(
        f"{m['number']}. "
        + summary.markdown_literal(
            _("{area}, reported by {source}, from {date}").format(area=m["shown"], source=m["label"], date=m["when"])
        )
        for m in marks
    )


def history_csv(data_dir: str, source: tuple[str, ...], table: str) -> bytes:
    """Chart ``table``'s numbers as CSV (``analysis.history.history_csv``), made when the button is clicked."""
    return history.history_csv(cached_history(data_dir, source), table)
