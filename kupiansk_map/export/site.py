"""A static website of the map: plain files that any static host or CDN can serve as they are (no Python).

Layout of the site (every link is relative, so the folder can live at any URL or be opened from disk)::

    index.html                      links to everything below
    story/en.html, story/uk.html    the chaptered story (``story_export.story_html``)
    maps/<view>-<date>.html         one self-contained map per preset view and key date (no tile requests)
    data/<layer>.geojson            the layers, byte-identical to ``data/geo/`` when built from it
    data/catalog.json               the catalog of the layers written
    .kupiansk-map-site.json         the list of files written, so a later export can replace exactly those

Offers:
- ``SITE_MARKER``: the name of the file list written into the site.
- ``SiteError``: the site cannot be written; the message names the folder and the reason.
- ``map_page_name(view, day)``: the relative path of one map page.
- ``site_files(layers, story)``: every file of the site, relative path -> bytes (pure, nothing written).
- ``write_site(out_dir, layers, story)``: write the site. A new or empty ``out_dir`` is built in a temporary
  sibling folder and renamed into place in one step; a folder holding an earlier export gets each file replaced
  atomically, and the files of the earlier export that are no longer produced are removed. Nothing outside
  ``out_dir`` is touched apart from the temporary sibling, and a non-empty folder that is not an earlier export
  is refused.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from kupiansk_map import atomic
from kupiansk_map.export.story_page import map_html, story_html
from kupiansk_map.geo import geojson
from kupiansk_map.i18n import format_number, language_name, translator
from kupiansk_map.layers.build import catalog
from kupiansk_map.layers.definitions import timeline
from kupiansk_map.model import LAYERS, MAP_LAYER_IDS
from kupiansk_map.story.chapters import LANGUAGES, Story, format_date
from kupiansk_map.web import static_text
from kupiansk_map.web.views import VIEWS, ViewState, timeline_dates

SITE_MARKER = ".kupiansk-map-site.json"
_GENERATOR = "kupiansk-map export --site"


class SiteError(RuntimeError):
    """The site cannot be written where asked."""


def map_page_name(view: str, day: dt.date) -> str:
    """The relative path of the map page for ``view`` on ``day``, e.g. ``maps/kupiansk-2024-11-13.html``."""
    return f"maps/{view}-{day.isoformat()}.html"


# The index page's template (web/static/site-index.html), compiled once; autoescape escapes every text put in.
_INDEX = jinja2.Environment(autoescape=True, keep_trailing_newline=True).from_string(static_text("site-index.html"))


def _index_html(layers: Mapping[str, Mapping[str, Any]], story: Story, lang: str) -> str:
    _ = translator(lang).gettext
    labels = {day: _(label) for day, label in timeline.KEY_DATES}
    data_note = _("GeoJSON (RFC 7946, WGS84 lon/lat), one file per layer; {catalog} lists them with their checksums.")
    before, _sep, after = data_note.partition("{catalog}")
    return _INDEX.render(
        lang=lang,
        css=Markup(static_text("site-index.css")),  # our own stylesheet, not text to escape
        title=story.title[lang],
        t={
            "page_title": _("{title}: maps, story and data").format(title=story.title[lang]),
            "intro": _(
                "Maps of the Russian assault on Kupiansk on 13 November 2024 and of the area Ukraine held in Russia's "
                "Kursk region, from the occupation of February 2022 to November 2024. Every page works offline: the "
                "scripts and the data are inside it, and an offline basemap of the sea, borders, rivers and cities "
                "stands in for map tiles."
            ),
            "note": _(
                "Most shapes are schematic; claims by either side are shown as claims and were not independently "
                "verified. Sources are named in each page's popups and in the story."
            ),
            "story": _("The story, chapter by chapter"),
            "maps": _("Maps by date and view"),
            "date": _("Date"),
            "data": _("Data"),
            "file": _("File"),
            "layer": _("Layer"),
            "features": _("Features"),
        },
        story_links=[{"code": code, "title": story.title[code], "language": language_name(code)} for code in LANGUAGES],
        views=[_(view.label) for view in VIEWS.values()],
        rows=[
            {
                "date": format_date(day, lang=lang),
                "label": labels.get(day, ""),
                "cells": [
                    {"href": map_page_name(view_id, day), "label": _(view.label)} for view_id, view in VIEWS.items()
                ],
            }
            for day in timeline_dates()
        ],
        data_note=(before, after),
        files=[
            {
                "name": spec.file,
                "title": _(spec.title),
                "count": format_number(len(layers[spec.id]["features"]), lang=lang),
            }
            for spec in LAYERS
            if spec.id in layers
        ],
    )


def site_files(layers: Mapping[str, Mapping[str, Any]], story: Story, *, lang: str = "en") -> dict[str, bytes]:
    """Every file of the site (relative POSIX path -> content), built in memory; layers missing from ``layers``
    are left out of the data folder and the maps. The index and the map pages are in ``lang``; the story is
    there in every language."""
    files: dict[str, bytes] = {"index.html": _index_html(layers, story, lang).encode("utf-8")}
    for code in LANGUAGES:
        files[f"story/{code}.html"] = story_html(layers, story, lang=code).encode("utf-8")
    present = tuple(layer for layer in MAP_LAYER_IDS if layer in layers)
    for view in VIEWS:
        for day in timeline_dates():
            state = ViewState(date=day, view=view, layers=present, buffer_km=timeline.FRONT_BUFFER_KM, basemap="none")
            files[map_page_name(view, day)] = map_html(layers, state, lang=lang).encode("utf-8")
    texts = {spec.file: geojson.dumps(layers[spec.id]).encode("utf-8") for spec in LAYERS if spec.id in layers}
    for name, text in texts.items():
        files[f"data/{name}"] = text
    files["data/catalog.json"] = (json.dumps(catalog(layers, texts), indent=2, ensure_ascii=False) + "\n").encode()
    return files


def _marker(files: Mapping[str, bytes]) -> bytes:
    return (json.dumps({"generator": _GENERATOR, "files": sorted(files)}, indent=1) + "\n").encode()


def _previous_files(out_dir: Path) -> list[str] | None:
    """The files an earlier export listed in its marker, or None when ``out_dir`` holds no readable marker."""
    try:
        data = json.loads((out_dir / SITE_MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("generator") != _GENERATOR or not isinstance(data.get("files"), list):
        return None
    return [name for name in data["files"] if isinstance(name, str) and _is_inside(name)]


def _is_inside(name: str) -> bool:
    """True for a relative path that stays inside the site folder."""
    parts = Path(name).parts
    return bool(parts) and not Path(name).is_absolute() and ".." not in parts


def _fill(folder: Path, files: Mapping[str, bytes]) -> None:
    atomic.write_files(folder, {**files, SITE_MARKER: _marker(files)})


def _update_in_place(out_dir: Path, staging: Path, files: Mapping[str, bytes], previous: list[str]) -> None:
    """Move each staged file over its counterpart (one ``os.replace`` each), then drop the stale ones."""
    for name in files:
        target = out_dir / name
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging / name, target)
    for name in set(previous) - set(files):
        stale = out_dir / name
        if stale.is_file() and not stale.is_symlink():
            stale.unlink()
        parent = stale.parent
        while parent != out_dir and parent.is_dir() and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent
    os.replace(staging / SITE_MARKER, out_dir / SITE_MARKER)


def write_site(
    out_dir: Path | str, layers: Mapping[str, Mapping[str, Any]], story: Story, *, lang: str = "en"
) -> list[Path]:
    """Write the static site into ``out_dir`` (index and maps in ``lang``); return the paths written (marker
    excluded).

    Raises ``SiteError`` when ``out_dir`` is a file, is a non-empty folder that an earlier export did not write,
    or cannot be written.
    """
    out_dir = Path(out_dir).absolute()
    if out_dir.exists() and not out_dir.is_dir():
        raise SiteError(f"{out_dir} exists and is not a folder")
    previous: list[str] | None = None
    if out_dir.is_dir() and any(out_dir.iterdir()):
        previous = _previous_files(out_dir)
        if previous is None:
            raise SiteError(
                f"{out_dir} is not empty and was not written by `{_GENERATOR}`; choose a new or empty folder"
            )
    if not out_dir.parent.is_dir():
        raise SiteError(f"cannot write {out_dir}: the folder {out_dir.parent} does not exist")
    files = site_files(layers, story, lang=lang)
    try:
        staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", suffix=".tmp", dir=out_dir.parent))
    except OSError as exc:
        raise SiteError(f"cannot write {out_dir}: {exc.strerror or exc}") from None
    try:
        _fill(staging, files)
        if previous is None:
            if out_dir.is_dir():
                out_dir.rmdir()  # empty (checked above); fails safely if something appeared meanwhile
            atomic.replace_folder(staging, out_dir)
        else:
            _update_in_place(out_dir, staging, files, previous)
    except OSError as exc:
        raise SiteError(f"cannot write {out_dir}: {exc.strerror or exc}") from None
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return [out_dir / name for name in sorted(files)]
