"""Where the map's situation layers come from: the built-in explainer, or one archive of the local archive store.

Offers:
- ``BUILTIN``: the name of the built-in source (the project's schematic explainer).
- ``REPLACED_LAYERS``: the layers an archive replaces (``occupied``, ``front_line``, ``front_buffer``,
  ``kursk_salient``); the context layers, the events and the story stay.
- ``HIDDEN_LAYERS``: the built-in overview of the whole front (``front_overview``, ``front_area``), which an
  archive's own shapes would contradict: not drawn with an archive as the source.
- ``ARCHIVE_LAYERS``: which archive layer draws which map layer (``ukrainian_held`` draws ``kursk_salient``).
- ``SourceError``: a source that cannot be used (an unknown name, no store); the message names it.
- ``StateSpan``: one stored state of an archive layer: its first day, the day after its last, its row.
- ``ArchiveSource``: one archive's index, read once (its states' spans and measures, no geometry), with
  ``situation_layers(day)``: the states that hold on ``day`` as the map's layers, each geometry read from the
  store when first asked for (a small LRU cache).
- ``NEAR_KUPIANSK``: a box of about 100 km around the city (lon0, lat0, lon1, lat1): what figures near the city
  need of a whole-front state, and where an archive's zone near the front is drawn (as the built-in zone is,
  along the Kupiansk sector's front only).
- ``builtin_range``: the first and last day the built-in layers map.
- ``archive_names``: the archives a store holds (none when it has no file).

Why an index: an archive of the whole front holds hundreds of states of thousands of vertices each. The app
keeps only their dates in memory and reads one state's geometry when a date needs it (well under a
millisecond from the GeoPackage), so one server can serve many sessions and dates from one copy.

Each layer ``situation_layers`` returns holds the state on the day (the Kursk layer also the state before it,
for the change) and, as the foreign member ``valid_spans``, the spans on which the layer has any state, so that
``analysis.coverage`` knows every date the archive maps without holding every state. Every feature says it is
that archive's assessment (``status: assessed``), with its attribution.
"""

from __future__ import annotations

import bisect
import datetime as dt
import os
import sqlite3
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from threading import Lock
from typing import Any

import shapely
from shapely.geometry import Point, mapping
from shapely.geometry.base import BaseGeometry

from kupiansk_map.geo.crs import to_metric
from kupiansk_map.ingest import archive_store
from kupiansk_map.ingest.snapshots import AOI_PRESETS
from kupiansk_map.layers.definitions import places
from kupiansk_map.model import parse_iso_date, require_date

BUILTIN = "builtin"
ARCHIVE_LAYERS: dict[str, str] = {"occupied": "occupied", "front_line": "front_line", "kursk_salient": "ukrainian_held"}
REPLACED_LAYERS: tuple[str, ...] = ("occupied", "front_line", "front_buffer", "kursk_salient")
HIDDEN_LAYERS: tuple[str, ...] = ("front_overview", "front_area")
_LAYER_NAMES = {
    "occupied": "Russian-held ground",
    "front_line": "Front line",
    "kursk_salient": "Ukrainian-held area in Russia",
}
_LON, _LAT = places.KUPIANSK.lonlat
NEAR_KUPIANSK: tuple[float, float, float, float] = (_LON - 1.5, _LAT - 1.0, _LON + 1.5, _LAT + 1.0)
_GEOMETRY_CACHE = 48  # states: a few dates of every layer, and playback's look-ahead


class SourceError(ValueError):
    """A source that cannot be used; the message names it and what is wrong."""


@dataclass(frozen=True)
class StateSpan:
    """One stored state: it holds from ``valid_from`` up to, not including, ``valid_to``."""

    fid: int
    valid_from: dt.date
    valid_to: dt.date
    measure: float | None  # area_km2 (geodesic) or length_km, as the store measured it
    source: str
    note: str | None

    def holds_on(self, day: dt.date) -> bool:
        return self.valid_from <= day < self.valid_to


def _covers(aoi_text: str | None, preset: str) -> bool:
    """Whether an archive clipped to ``aoi_text`` (None: the whole front) covers the centre of AOI ``preset``."""
    if aoi_text is None:
        return True
    aoi = archive_store.aoi_from_text(aoi_text)
    if aoi is None:
        return True
    lon, lat, _radius = AOI_PRESETS[preset]
    return bool(aoi.metric().contains(to_metric(Point(lon, lat), aoi.epsg)))


class ArchiveSource:
    """Archive ``name`` of the store at ``store``: its spans per layer, read once; geometry on demand.

    Raises ``SourceError`` when the store or the archive is not there (naming what the store holds)."""

    def __init__(self, store: str | os.PathLike, name: str) -> None:
        self.store = Path(store)
        self.name = name
        try:
            with archive_store.reading(self.store) as con:
                meta = archive_store.archive_meta(con, name)
                rows = con.execute(
                    "SELECT fid, layer, valid_from, valid_to, coalesce(area_km2, length_km), source, note "
                    "FROM states WHERE archive = ? ORDER BY layer, valid_from",
                    (name,),
                ).fetchall()
        except archive_store.ArchiveError as exc:
            raise SourceError(str(exc)) from None
        self.attribution: str | None = meta.get("attribution")
        self.updated_at: str = str(meta.get("updated_at"))
        self.aoi: str | None = meta.get("aoi")
        if meta["first_day"] is None:
            raise SourceError(f"archive {name!r} holds no day yet")
        self.first_day: dt.date = meta["first_day"]
        self.last_day: dt.date = meta["last_day"]
        spans: dict[str, list[StateSpan]] = {layer: [] for layer in archive_store.LAYERS}
        for fid, layer, start, end, measure, source, note in rows:
            spans[layer].append(
                StateSpan(int(fid), parse_iso_date(start), parse_iso_date(end), measure, str(source), note)
            )
        # A sector the archive's area does not reach is not mapped by it, whatever it holds elsewhere.
        reaches = {"kupiansk": _covers(self.aoi, "kupiansk"), "kursk": _covers(self.aoi, "kursk")}
        if not reaches["kupiansk"]:
            spans["occupied"], spans["front_line"] = [], []
        if not reaches["kursk"]:
            spans["ukrainian_held"] = []
        self.spans: dict[str, tuple[StateSpan, ...]] = {layer: tuple(items) for layer, items in spans.items()}
        self._starts = {layer: [s.valid_from for s in items] for layer, items in self.spans.items()}
        self._merged = {layer: _merged(items) for layer, items in self.spans.items()}
        self._geometries: OrderedDict[int, BaseGeometry] = OrderedDict()
        self._lock = Lock()  # sessions share one index; the cache and the connection are used one at a time
        self._con: sqlite3.Connection | None = None

    @property
    def key(self) -> tuple[str, str, str]:
        """What caches of this source's figures and scripts are keyed by: a re-import gives another key."""
        return (str(self.store), self.name, self.updated_at)

    def state_on(self, layer: str, day: dt.date) -> StateSpan | None:
        """The state of archive layer ``layer`` that holds on ``day``, or None."""
        require_date(day)
        k = bisect.bisect_right(self._starts[layer], day) - 1
        if k >= 0 and self.spans[layer][k].holds_on(day):
            return self.spans[layer][k]
        return None

    def previous_state(self, layer: str, state: StateSpan) -> StateSpan | None:
        k = bisect.bisect_left(self._starts[layer], state.valid_from) - 1
        return self.spans[layer][k] if k >= 0 else None

    def change_dates(self, layer: str) -> tuple[dt.date, ...]:
        """The first day of every state of archive layer ``layer``."""
        return tuple(self._starts[layer])

    def mapped_ranges(self, layer: str) -> tuple[tuple[dt.date, dt.date], ...]:
        """The merged spans (first and last day, both included) on which ``layer`` has a state."""
        return tuple((a, b - dt.timedelta(days=1)) for a, b in self._merged[layer])

    def geometry(self, state: StateSpan) -> BaseGeometry:
        """The state's geometry (lon/lat), read from the store the first time and kept in a small LRU cache."""
        with self._lock:
            cached = self._geometries.get(state.fid)
            if cached is not None:
                self._geometries.move_to_end(state.fid)
                return cached
            if self._con is None:
                self._con = archive_store.open_read_only(self.store)
            geometry = archive_store.read_state_geometry(self._con, state.fid)
            self._geometries[state.fid] = geometry
            while len(self._geometries) > _GEOMETRY_CACHE:
                self._geometries.popitem(last=False)
            return geometry

    def _feature(
        self, map_layer: str, state: StateSpan, bbox: tuple[float, float, float, float] | None = None
    ) -> dict[str, Any]:
        geometry = self.geometry(state)
        if bbox is not None:
            geometry = shapely.clip_by_rect(geometry, *bbox)
        props: dict[str, Any] = {
            "id": f"{self.name}-{map_layer}-{state.valid_from.isoformat()}",
            "name": f"{_LAYER_NAMES[map_layer]} ({self.name})",
            "valid_from": state.valid_from.isoformat(),
            "valid_to": state.valid_to.isoformat(),
            "status": archive_store.STATUS,
            "source": state.source,
            "note": f"The {self.name} archive's assessment, not a fact. " + (state.note or ""),
            "archive": self.name,
        }
        if state.measure is not None:
            props["length_km" if map_layer == "front_line" else "area_km2"] = round(state.measure, 3)
        return {"type": "Feature", "properties": props, "geometry": mapping(geometry)}

    def situation_layers(
        self, day: dt.date, *, near: tuple[float, float, float, float] | None = None
    ) -> dict[str, dict[str, Any]]:
        """``occupied``, ``front_line`` and ``kursk_salient`` on ``day`` as FeatureCollections (see the module
        docstring): the state that holds on the day, if any, and every span the layer maps.

        ``near`` (lon0, lat0, lon1, lat1) clips the Russian-held ground and the front line to that box (the Kursk
        area stays whole): enough for the figures near a city, and far less work on a state of the whole front.
        Their measures stay the whole state's."""
        require_date(day)
        out: dict[str, dict[str, Any]] = {}
        for map_layer, layer in ARCHIVE_LAYERS.items():
            features = []
            state = self.state_on(layer, day)
            if state is not None:
                if map_layer == "kursk_salient":
                    previous = self.previous_state(layer, state)
                    if previous is not None:
                        features.append(self._feature(map_layer, previous))
                features.append(self._feature(map_layer, state, None if map_layer == "kursk_salient" else near))
            out[map_layer] = {
                "type": "FeatureCollection",
                "features": features,
                "valid_spans": [[a.isoformat(), b.isoformat()] for a, b in self._merged[layer]],
            }
        return out

    def describe(self) -> str:
        """A line for people: the name, the days and the attribution."""
        days = f"{self.first_day.isoformat()} to {self.last_day.isoformat()}"
        return f"{self.name} ({days}" + (f"; {self.attribution})" if self.attribution else ")")


def _merged(spans: Sequence[StateSpan]) -> list[tuple[dt.date, dt.date]]:
    """Touching spans joined: (first day, day after the last)."""
    merged: list[tuple[dt.date, dt.date]] = []
    for span in spans:
        if merged and span.valid_from <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], span.valid_to))
        else:
            merged.append((span.valid_from, span.valid_to))
    return merged


def builtin_range(layers: Mapping[str, Mapping[str, Any]]) -> tuple[dt.date, dt.date]:
    """The first and last day on which any built-in situation layer has a state (``valid_to`` exclusive)."""
    starts, ends = [], []
    for layer_id in ("occupied", "front_line", "kursk_salient"):
        for feat in (layers.get(layer_id) or {}).get("features", []):
            props = feat.get("properties") or {}
            if props.get("valid_from"):
                starts.append(parse_iso_date(props["valid_from"]))
            if props.get("valid_to"):
                ends.append(parse_iso_date(props["valid_to"]) - dt.timedelta(days=1))
    if not starts or not ends:
        raise SourceError("the built-in layers hold no dated situation state")
    return min(starts), max(ends)


def archive_names(store: str | os.PathLike) -> list[str]:
    """The names of the archives in ``store`` that hold at least one day; none when there is no store file."""
    return [row["name"] for row in archive_store.list_archives(store) if row.get("first_day")]


__all__ = [
    "ARCHIVE_LAYERS",
    "BUILTIN",
    "HIDDEN_LAYERS",
    "REPLACED_LAYERS",
    "ArchiveSource",
    "SourceError",
    "StateSpan",
    "archive_names",
    "builtin_range",
]
