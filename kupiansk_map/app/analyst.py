"""Analyst tools: compare dates, distance bands, the area series, uploads and snapshot archives.

Offers:
- ``upload_results``
- ``overlay_groups``
- ``parse_distances``
- ``COMPARE_COLUMNS``
- ``BAND_COLUMNS``
- ``show_table``
- ``show_analysis``
- ``import_archive``
- ``show_snapshot_import``
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import numbers
import tempfile
from dataclasses import replace
from functools import partial
from pathlib import Path

import pandas as pd
import streamlit as st

from kupiansk_map.analysis import bands, compare, series, summary
from kupiansk_map.app import state as page_state
from kupiansk_map.app.caches import (
    bands_refusal,
    cached_bands,
    cached_comparison,
    cached_series,
    comparable_layers,
)
from kupiansk_map.app.session import STATE_KEY, current_source, sync_state
from kupiansk_map.i18n import N_, chart_locale, format_number, translator
from kupiansk_map.ingest import snapshots, uploads
from kupiansk_map.layers.store import read_layer
from kupiansk_map.story.chapters import format_date
from kupiansk_map.web import render
from kupiansk_map.web.style import IMPORTED_STYLES, OVERLAY_LEGEND, fixed_style, upload_legend
from kupiansk_map.web.views import ViewState


def upload_results() -> dict[str, uploads.UploadResult]:
    """This session's uploads, read once each. They live in the session only, never in data/geo/."""
    memo = st.session_state.setdefault("_upload_results", {})
    files = st.session_state.get("uploads") or []
    current = {f"{f.name}:{f.file_id}": f for f in files}
    for key in [k for k in memo if k not in current]:
        del memo[key]
    for key, file in current.items():
        if key not in memo:
            memo[key] = uploads.read_upload(file.getvalue(), name=file.name)
    return memo


def overlay_groups(data_dir: str, state: ViewState) -> list:
    """The analyst overlays chosen below the map: change between dates, distance bands, uploads."""
    ss, scripts = st.session_state, []
    if not ss.get("analyst"):
        return []
    lang = sync_state().lang
    _ = translator(lang).gettext
    if ss.get("cmp_on") and ss.get("cmp_d1") and ss.get("cmp_d2"):
        d1, d2 = sorted((ss["cmp_d1"], ss["cmp_d2"]))
        source = current_source().key
        overlays = cached_comparison(
            data_dir, d1, d2, comparable_layers(data_dir, d1, d2, lang, source)[0], lang, source
        )[1]
        scripts += list(overlays.items())
    if ss.get("bands_on"):
        distances = parse_distances(ss.get("bands_km", ""))[0]
        if distances:
            script = cached_bands(data_dir, state.date, distances, lang, current_source().key)[1]
            if script:
                scripts.append(("Distance bands", script))
    imported = sync_state().imported
    if imported is not None and st.session_state.get("imported_mode", "off") != "off":
        for layer_id in ("occupied", "front_line"):
            entry = OVERLAY_LEGEND[f"imported:{layer_id}"]
            script = render.drawn_layer_script(
                imported.layers.get(layer_id, {}),
                layer_id,
                state.date,
                title=_("Imported: {name}").format(name=imported.name),
                style=fixed_style(IMPORTED_STYLES[layer_id]),
                legend=[dataclasses.replace(entry, label=f"{_(entry.label)} ({imported.name})")],
                lang=lang,
            )
            if script:
                scripts.append((f"Imported {layer_id}", script))
    for index, result in enumerate(upload_results().values()):
        entry = upload_legend(index, result.name)  # each upload its own colour, named in the legend
        entry = dataclasses.replace(entry, label=_("Upload: {name}").format(name=result.name))
        for name, collection in result.layers.items():
            script = render.drawn_layer_script(
                collection,
                "occupied",
                state.date,
                title=_("Upload: {name}").format(name=result.name),
                style=fixed_style(entry.style),
                legend=[entry],
                lang=lang,
            )
            if script:
                scripts.append((f"Upload {result.name} {name}", script))
    return [render.group_from_script(name, script) for name, script in scripts]


def parse_distances(text: str) -> tuple[tuple[float, ...], str | None]:
    """Distances typed as "2.5, 5, 10": increasing, positive, at most 100 km; or an explanation."""
    try:
        return bands.parse_distances(text), None
    except ValueError as exc:
        return (), str(exc)


COMPARE_DEFAULTS = (dt.date(2024, 9, 15), dt.date(2024, 11, 13))  # the Kursk salient's shrinking, before the assault
COMPARE_COLUMNS = ("title", "area_date_1_km2", "area_date_2_km2", "gained_km2", "lost_km2", "net_change_km2")


BAND_COLUMNS = {
    "band": (N_("Distance from the front line"), ""),
    "area_km2": (N_("Area of the band"), "km²"),
    "city_km2": (N_("Kupiansk outline in the band"), "km²"),
    "city_share_pct": (N_("Share of the Kupiansk outline"), "%"),
}


def show_table(rows: list[dict], columns: dict[str, tuple[str, str]], *, lang: str = "en") -> None:
    """``rows`` as a table of the given columns, headed by their labels and units, in ``lang`` (numbers with
    that language's signs, layer titles translated).

    A static table rather than a data grid: its headers wrap instead of being cut short, it fits its column at
    any width, and a screen reader reads it as a table."""
    _ = translator(lang).gettext

    def header(label: str, unit: str) -> str:
        return f"{_(label)} ({_(unit) if unit != '%' else unit})" if unit else _(label)

    frame = pd.DataFrame(rows)[list(columns)]
    if "title" in frame:
        frame["title"] = frame["title"].map(_)
    frame = frame.rename(columns={key: header(label, unit) for key, (label, unit) in columns.items()})
    st.table(frame.style.format(partial(_cell, lang=lang)), hide_index=True)


def _cell(value: object, *, lang: str) -> object:
    """A table cell: numbers in ``lang``'s signs (two decimals for measures, none for counts), text as it is."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return value
    return format_number(float(value), lang=lang, digits=0 if isinstance(value, numbers.Integral) else 2)


def show_analysis(data_dir: str, state: ViewState) -> None:
    """Analyst tools: compare dates, distance bands, the area series, and bringing your own layers."""
    lang = sync_state().lang
    _ = translator(lang).gettext

    def day_words(day: dt.date) -> str:
        return format_date(day, lang=lang)

    st.header(_("Analyst tools"))
    source = current_source()
    tabs = st.tabs(
        [_("Compare dates"), _("Distance bands"), _("Area over time"), _("Your own layers"), _("Snapshot archives")]
    )
    with tabs[0]:
        # Any two days of the source; a date it does not hold is refused below, with the reason.
        for key, default in (("cmp_d1", COMPARE_DEFAULTS[0]), ("cmp_d2", COMPARE_DEFAULTS[1])):
            held = st.session_state.get(key, default)
            if not source.holds(held):
                held = source.first_day if key == "cmp_d1" else source.default_date()
            st.session_state[key] = held
        cols = st.columns(2)
        for column, label, key in ((cols[0], _("From"), "cmp_d1"), (cols[1], _("To"), "cmp_d2")):
            column.date_input(
                label, key=key, min_value=source.first_day, max_value=source.last_day, format="DD.MM.YYYY"
            )
        st.toggle(_("Show the change on the map"), key="cmp_on")
        d1, d2 = sorted((st.session_state["cmp_d1"], st.session_state["cmp_d2"]))
        layer_ids, refused = comparable_layers(data_dir, d1, d2, lang, source.key)
        rows = cached_comparison(data_dir, d1, d2, layer_ids, lang, source.key)[0]
        period = _("{start} to {end}").format(start=day_words(d1), end=day_words(d2))
        st.markdown(f"**{summary.markdown_literal(period)}**")
        for message in refused:  # a date with no mapped state gives no change, not "everything lost"
            st.warning(summary.markdown_literal(_("Not compared: {reason}.").format(reason=message)))
        if rows:
            show_table(rows, {key: compare.ROW_LABELS[key] for key in COMPARE_COLUMNS}, lang=lang)
        for row in rows:
            if row["undated"]:
                text = _("{layer}: no source dates this change; it {when}.").format(
                    layer=_(row["title"]), when=row["undated"]
                )
                st.warning(summary.markdown_literal(text))
        st.caption(
            _(
                "Gained: held on the later date but not the earlier one, by the side each layer names; lost: "
                "the reverse. Overlays in UTM, areas geodesic."
            )
        )
    with tabs[1]:
        st.text_input(_("Distances from the front line (km)"), value="2.5, 5, 10, 20", key="bands_km")
        st.toggle(_("Show the bands on the map"), key="bands_on")
        distances, problem = parse_distances(st.session_state["bands_km"])
        if problem:
            st.error(summary.markdown_literal(problem))
        elif refusal := bands_refusal(data_dir, state.date, lang, source.key):
            st.info(summary.markdown_literal(_("No bands: {reason}.").format(reason=refusal)))
        else:
            rows = cached_bands(data_dir, state.date, distances, lang, source.key)[0]
            if rows:
                show_table(rows, BAND_COLUMNS, lang=lang)
                st.caption(
                    _(
                        "Each band is the ring between two distances from the front line on the chosen date; "
                        "the city columns give how much of the Kupiansk outline lies in it."
                    )
                )
            else:
                st.info(_("No front line is mapped on this date."))
    with tabs[2]:
        rows = cached_series(data_dir)
        value_columns = [key for key in (rows[0] if rows else {}) if key.endswith("_km2")]
        # One point per figure and date with a value; each unbroken run is its own line (``run``), so a date
        # with no mapped state shows as a gap, never as a zero or a line drawn across it.
        long = pd.DataFrame(
            [
                {"date": row["date"], "figure": _(series.figure_name(key)), "km2": row[key], "run": f"{key}-{run}"}
                for key in value_columns
                for row, run in zip(rows, series.segments(rows, key), strict=True)
                if run is not None
            ],
            columns=["date", "figure", "km2", "run"],
        )
        # The legend goes under the chart, one name a line and never cut short: the names are long. Month names
        # and number signs on the axes follow the language (CLDR through Babel, as Vega-Lite's locale).
        locale = {} if lang == "en" else {"config": {"locale": chart_locale(lang)}}
        st.vega_lite_chart(
            long.dropna(),
            {
                **locale,
                "mark": {"type": "line", "interpolate": "step-after", "point": True},
                "encoding": {
                    "x": {"field": "date", "type": "temporal", "title": _("Date")},
                    "y": {"field": "km2", "type": "quantitative", "title": _("Area (km²)")},
                    "detail": {"field": "run", "type": "nominal"},
                    "color": {
                        "field": "figure",
                        "type": "nominal",
                        "legend": {"title": None, "orient": "bottom", "direction": "vertical", "labelLimit": 0},
                    },
                },
            },
            width="stretch",
        )
        st.caption(_("Gaps in the lines are dates with no mapped state: the sources do not describe them."))
        st.download_button(
            _("Area series as CSV"), series.series_csv(rows), file_name="kupiansk-map-series.csv", mime="text/csv"
        )
    with tabs[3]:
        st.file_uploader(
            _("GeoJSON, GeoPackage, KML/KMZ or a zipped Shapefile"),
            accept_multiple_files=True,
            type=["geojson", "json", "gpkg", "kml", "kmz", "zip"],
            key="uploads",
            help=_("Up to {size} MB each. Uploads stay in your session.").format(size=uploads.MAX_FILE_BYTES // 2**20),
        )
        for result in upload_results().values():
            drawn = (
                translator(lang)
                .ngettext("{count} feature drawn", "{count} features drawn", result.feature_count)
                .format(count=format_number(result.feature_count, lang=lang))
            )
            st.markdown(
                f"**{summary.markdown_literal(result.name)}**: {drawn}"
                + (_(", following the timeline") if result.dated else "")
            )
            for upload_problem in result.problems[:20]:
                st.warning(summary.markdown_literal(str(upload_problem)))
            if len(result.problems) > 20:
                st.warning(_("... and {count} more problems.").format(count=len(result.problems) - 20))
    with tabs[4]:
        show_snapshot_import(lang)


def import_archive(data: bytes, name: str, aoi: str, lang: str = "en") -> None:
    """Import an uploaded zip of daily snapshots into this session, with a progress bar."""
    _ = translator(lang).gettext
    with tempfile.TemporaryDirectory(prefix="kupiansk-import-") as folder:
        src, out = Path(folder) / "days", Path(folder) / "out"
        src.mkdir()
        problems = uploads.extract_zip(data, name=name, target=src)
        if problems:
            _set_import(messages=[str(p) for p in problems])
            return
        bar = st.progress(0.0, text=_("Importing..."))

        def progress(done: int, total: int, current: str) -> None:
            bar.progress(done / max(total, 1), text=f"{done} / {total}: {current}")

        try:
            report = snapshots.import_snapshots(src, aoi=aoi, out_dir=out, progress=progress)
        except ValueError as exc:
            _set_import(messages=[f"{name}: {exc}"])
            return
        loaded = {layer_id: read_layer(out / f"{layer_id}.geojson")[0] for layer_id in ("occupied", "front_line")}
        dates = {
            dt.date.fromisoformat(f["properties"]["valid_from"]) for v in loaded.values() if v for f in v["features"]
        }
        imported = page_state.ImportedSet(
            name=name, layers={k: v for k, v in loaded.items() if v}, dates=tuple(sorted(dates))
        )
        _set_import(
            imported=imported,
            messages=[
                _("{name}: {days} day(s) imported into {states} state(s)").format(
                    name=name, days=report.days_imported, states=report.states
                ),
                *report.problems,
            ],
        )


def _set_import(*, messages: list[str], imported: page_state.ImportedSet | None = None) -> None:
    """Keep an import's outcome in the session state (a failed import keeps the set imported before it)."""
    page = st.session_state[STATE_KEY]
    st.session_state[STATE_KEY] = replace(
        page, import_messages=tuple(messages), imported=imported if imported is not None else page.imported
    )


def show_snapshot_import(lang: str = "en") -> None:
    _ = translator(lang).gettext
    st.caption(
        _(
            "A zip of daily files (the date in each name, YYYYMMDD or YYYY-MM-DD), each a FeatureCollection "
            "of the occupied area that day, such as a DeepStateMap archive. The import stays in your session."
        )
    )
    archive = st.file_uploader(_("Snapshot archive (.zip)"), type=["zip"], key="archive")
    areas = {"kupiansk": _("30 km around Kupiansk"), "kursk": _("60 km around Sudzha")}
    aoi = st.selectbox(_("Area of interest"), list(areas), key="archive_aoi", format_func=areas.__getitem__)
    if archive is not None and aoi is not None and st.button(_("Import"), key="archive_import"):
        import_archive(archive.getvalue(), archive.name, aoi, lang)
    page = sync_state()
    for message in page.import_messages[:30]:
        st.info(summary.markdown_literal(message))
    if page.imported is not None:
        modes = {
            "off": _("Not on the map"),
            "beside": _("Beside the built-in layers"),
            "instead": _("In place of the built-in front"),
        }
        st.radio(_("Show the imported set"), list(modes), key="imported_mode", horizontal=True, format_func=modes.get)
        dates = page.imported.dates
        if dates:
            first, last = format_date(dates[0], lang=lang), format_date(dates[-1], lang=lang)
            st.caption(
                _("Imported states from {first} to {last}; their dates join the timeline.").format(
                    first=first, last=last
                )
            )
