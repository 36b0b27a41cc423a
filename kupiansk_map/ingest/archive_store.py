"""The local archive store: real daily front-line archives, kept as change points in one GeoPackage file.

Offers:
- ``STORE_ENV`` (``KUPIANSK_MAP_STORE``) and ``default_store_path()``: where the store lives unless
  ``--store`` says otherwise: the variable if set, else ``archives/store.gpkg`` in the checkout (git-ignored,
  outside ``data/geo/``).
- ``LAYERS``: ``occupied``, ``ukrainian_held`` and the derived ``front_line``.
- ``FRONT_BOX``: where an unclipped archive's front line is derived (see below).
- ``ArchiveError``: a refused import or a bad request; the message names the file and the problem.
- ``ImportReport`` and ``import_archive``: add an archive or extend it with newer days.
- ``list_archives``, ``archive_info``, ``remove_archive``: what the store holds.
- ``read_state(store, name, day, *, layer, bbox=None)``: one layer's geometry on one date (lon/lat), or None.
- ``read_state_geometry(con, fid)``: one state's geometry by its row id (``sources.ArchiveSource`` indexes them).
- ``aoi_from_text``: the area of interest an archive row records.
- ``day_status(store, name, day)``: what the archive holds for one date: ``ok``, ``skipped``, ``missing``, or
  ``None`` for a date outside its days; ``NOT_MAPPED`` words it for a refusal.
- ``export_archive``: an archive, or one date of it, as ``.geojson``, ``.gpkg`` or the area series ``.csv``.
- ``open_read_only(store)``: a SQLite connection that cannot write (``mode=ro``), for the app; ``reading(store)``
  the same as a context manager that leaves an open connection given to it open.
- ``archive_meta(store, name)``: one archive's row (``first_day``/``last_day`` as dates).

The file is a standard GeoPackage 1.3 (``application_id`` GPKG, ``gpkg_spatial_ref_sys``, ``gpkg_contents``,
``gpkg_geometry_columns``): QGIS and GDAL open ``states`` as a feature table in EPSG:4326 (lon/lat) and
``archives`` and ``days`` as attribute tables.
- ``archives``: name, format, attribution, licence, imported_at/updated_at (UTC), source_path, aoi, first and
  last day.
- ``days``: one row per date seen: file, sha256, ``status`` ok/skipped/missing and the reason.
- ``states``: one row per change point: archive, layer, ``valid_from``, ``valid_to`` (the day after the last
  day, exclusive), days, ``status`` (``assessed``: a tracker's assessment, never a fact), ``source`` (the
  archive's name and the user's attribution), note, area_km2 (geodesic) or length_km, first and last file.

A state is stored only when a layer differs from the day before (compared after rounding to 6 decimals);
a missing or skipped day ends every run, so no state covers a day nobody looked at.

Atomic: one import is one SQLite transaction (rollback journal, ``synchronous=FULL``); a process killed at any
moment, even by SIGKILL, leaves the store as it was, and SQLite rolls the journal back on the next open.
Idempotent: a day already stored with the same sha256 is "unchanged". Incremental: days after the archive's
last day extend its open states in place; an older day it does not hold is refused (remove and re-import).
Strict: by default any bad day (corrupt, no polygon, wrong coordinate order, in the future, a date twice)
refuses the whole import, naming each file; ``skip_bad=True`` records such days as skipped instead.

Front line: the occupied edge inside Ukraine, as ``import-snapshots`` derives it (``snapshots._front``: the
state border from GSHHG and the AOI's edge left out). With ``aoi`` everything is clipped to it. Unclipped
archives keep the whole front for ``occupied`` and ``ukrainian_held``, but the project has no coastline
and its border extract stops at 49.8° N, so ``front_line`` is derived only inside ``FRONT_BOX``
(34–39.2° E, 47.9–52.2° N: Kursk, Sumy, Kharkiv, Kupiansk, Lyman, Bakhmut, Pokrovsk); elsewhere a shore or
the Russian border would pass for front.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import sqlite3
import struct
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.geometry import Polygon, box
from shapely.geometry.base import BaseGeometry

from kupiansk_map import atomic
from kupiansk_map.geo import geojson
from kupiansk_map.geo.crs import to_lonlat, to_metric
from kupiansk_map.geo.measure import geodesic_area_km2, geodesic_length_km
from kupiansk_map.ingest.formats import DEFAULT_KML_LAYERS, ArchiveDay, FormatError, open_source
from kupiansk_map.ingest.snapshots import Aoi, _Day, _Frame, _frame, _front, parse_aoi
from kupiansk_map.ingest.snapshots import _polygonal as _metric_polygonal
from kupiansk_map.model import require_date

STORE_ENV = "KUPIANSK_MAP_STORE"  # paths.STORE_ENV
LAYERS: tuple[str, ...] = ("occupied", "ukrainian_held", "front_line")
FRONT_BOX: tuple[float, float, float, float] = (34.0, 47.9, 39.2, 52.2)
STATUS = "assessed"
_WHOLE_FRONT_EPSG = 32637
_BORDER_TOLERANCE_M = 1000.0
_GPKG_APPLICATION_ID = 0x47504B47  # "GPKG"
_GPKG_VERSION = 10300

Progress = Callable[[int, int, str], None]


class ArchiveError(ValueError):
    """A refused import or request; ``problems`` lists one line per file when there are several."""

    def __init__(self, message: str, problems: Sequence[str] = ()) -> None:
        super().__init__(message + ("".join(f"\n  {p}" for p in problems)))
        self.problems = list(problems)


def default_store_path() -> Path:
    """``$KUPIANSK_MAP_STORE`` if set, else ``archives/store.gpkg`` in the checkout (``paths.store_path``)."""
    from kupiansk_map import paths

    return paths.store_path()


# --- GeoPackage plumbing ------------------------------------------------------------------------------

_SCHEMA = """
CREATE TABLE IF NOT EXISTS gpkg_spatial_ref_sys (
  srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,
  organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
CREATE TABLE IF NOT EXISTS gpkg_contents (
  table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE, description TEXT DEFAULT '',
  last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
  CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
CREATE TABLE IF NOT EXISTS gpkg_geometry_columns (
  table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL,
  z TINYINT NOT NULL, m TINYINT NOT NULL,
  CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
CREATE TABLE IF NOT EXISTS archives (
  fid INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL UNIQUE, format TEXT NOT NULL, attribution TEXT,
  licence TEXT, imported_at DATETIME NOT NULL, updated_at DATETIME NOT NULL, source_path TEXT NOT NULL, aoi TEXT,
  first_day DATE, last_day DATE);
CREATE TABLE IF NOT EXISTS days (
  fid INTEGER PRIMARY KEY AUTOINCREMENT, archive TEXT NOT NULL, date DATE NOT NULL, file TEXT, sha256 TEXT,
  status TEXT NOT NULL CHECK (status IN ('ok', 'skipped', 'missing')), reason TEXT, UNIQUE (archive, date));
CREATE TABLE IF NOT EXISTS states (
  fid INTEGER PRIMARY KEY AUTOINCREMENT, geom GEOMETRY, archive TEXT NOT NULL, layer TEXT NOT NULL,
  valid_from DATE NOT NULL, valid_to DATE NOT NULL, days INTEGER NOT NULL, status TEXT NOT NULL,
  source TEXT NOT NULL, note TEXT, area_km2 REAL, length_km REAL, first_file TEXT, last_file TEXT);
CREATE INDEX IF NOT EXISTS states_lookup ON states (archive, layer, valid_from);
"""

_WGS84_WKT = (
    'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],'
    'AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",'
    '0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],'
    'AUTHORITY["EPSG","4326"]]'
)


def _create_schema(con: sqlite3.Connection) -> None:
    """The GeoPackage tables and ours, inside the caller's transaction (so a killed import leaves none)."""
    con.execute(f"PRAGMA application_id = {_GPKG_APPLICATION_ID}")
    con.execute(f"PRAGMA user_version = {_GPKG_VERSION}")
    for statement in _SCHEMA.split(";"):
        if statement.strip():
            con.execute(statement)
    con.executemany(
        "INSERT OR IGNORE INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, ?)",
        [
            ("Undefined cartesian SRS", -1, "NONE", -1, "undefined", "undefined cartesian coordinate reference system"),
            ("Undefined geographic SRS", 0, "NONE", 0, "undefined", "undefined geographic coordinate reference system"),
            ("WGS 84 geodetic", 4326, "EPSG", 4326, _WGS84_WKT, "longitude/latitude coordinates in decimal degrees"),
        ],
    )
    con.executemany(
        "INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) "
        "VALUES (?, ?, ?, ?, ?)",
        [
            ("states", "features", "states", "Change points of each archive's layers", 4326),
            ("archives", "attributes", "archives", "The archives imported", None),
            ("days", "attributes", "days", "Every day seen in each archive", None),
        ],
    )
    con.execute("INSERT OR IGNORE INTO gpkg_geometry_columns VALUES ('states', 'geom', 'GEOMETRY', 4326, 0, 0)")


def _has_schema(con: sqlite3.Connection) -> bool:
    return con.execute("SELECT count(*) FROM sqlite_master WHERE name = 'states'").fetchone()[0] > 0


def _connect(store: Path) -> sqlite3.Connection:
    """A writable connection in autocommit mode (each caller opens its own transaction)."""
    store.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(store, isolation_level=None, timeout=30)
    con.execute("PRAGMA journal_mode = DELETE")  # a rollback journal: one file, which QGIS and GDAL open as is
    con.execute("PRAGMA synchronous = FULL")
    return con


def open_read_only(store: str | os.PathLike) -> sqlite3.Connection:
    """A connection to ``store`` that refuses every write (SQLite ``mode=ro``); raises ``ArchiveError`` if absent."""
    path = Path(store)
    if not path.is_file():
        raise ArchiveError(f"{path}: no archive store here (import an archive first: kupiansk-map archive import)")
    if Path(f"{path}-journal").exists():
        _recover(path)
    con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False)
    con.execute("PRAGMA query_only = ON")
    return con


def _recover(path: Path) -> None:
    """Roll back what a killed import left (a hot journal), which a ``mode=ro`` connection cannot do itself.

    This only returns the file to its last committed state; a reader without write access gets SQLite's own
    error instead. A journal that an import still running holds is not hot, and SQLite leaves it alone.
    """
    try:
        con = sqlite3.connect(path, timeout=5)
        try:
            con.execute("SELECT count(*) FROM sqlite_master").fetchone()  # the first read rolls a hot journal back
        finally:
            con.close()
    except sqlite3.Error:
        pass  # the read-only connection will report the problem


def _blob(geometry: BaseGeometry) -> bytes:
    """A GeoPackage geometry blob: header (magic, version, flags: xy envelope, little-endian), srs 4326, WKB."""
    x0, y0, x1, y1 = geometry.bounds
    return b"GP\x00\x03" + struct.pack("<i4d", 4326, x0, x1, y0, y1) + shapely.to_wkb(geometry, byte_order=1)


_ENVELOPE_BYTES = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}


def _geometry(blob: bytes) -> BaseGeometry:
    flags = blob[3]
    return shapely.from_wkb(blob[8 + _ENVELOPE_BYTES[(flags >> 1) & 0x07] :])


def _store_path(store: str | os.PathLike | None) -> Path:
    return Path(store) if store is not None else default_store_path()


# --- frames: where layers are clipped and the front derived -------------------------------------------


@lru_cache(maxsize=1)
def _whole_front_frame() -> _Frame:
    from kupiansk_map.layers.builders import state_border

    border_line, russia = state_border()
    box_m = to_metric(box(*FRONT_BOX), _WHOLE_FRONT_EPSG)
    pad = 0.02
    clip = (FRONT_BOX[0] - pad, FRONT_BOX[1] - pad, FRONT_BOX[2] + pad, FRONT_BOX[3] + pad)
    russia_m = to_metric(shapely.clip_by_rect(russia, *clip), _WHOLE_FRONT_EPSG)
    region_m = box_m.difference(russia_m)
    zone = to_metric(shapely.clip_by_rect(border_line, *clip), _WHOLE_FRONT_EPSG).buffer(
        _BORDER_TOLERANCE_M, quad_segs=16
    )
    centre = ((FRONT_BOX[0] + FRONT_BOX[2]) / 2, (FRONT_BOX[1] + FRONT_BOX[3]) / 2)
    return _Frame(Aoi("front box", centre[0], centre[1], 1.0), _WHOLE_FRONT_EPSG, box_m, clip, region_m, zone)


def _rounded(geometry: BaseGeometry) -> BaseGeometry:
    """``geojson.to_rfc7946``; a geometry already on the 6-decimal grid (as archives' files are) is only
    oriented, since snapping thousands of vertices that would not move is most of a day's cost."""
    if geometry.is_empty:
        return Polygon()
    coords = shapely.get_coordinates(geometry)
    scale = 10.0**geojson.COORDINATE_DECIMALS
    if np.array_equal(np.round(coords * scale) / scale, coords):
        return shapely.orient_polygons(geometry, exterior_cw=False)
    try:
        return geojson.to_rfc7946(geometry)
    except ValueError:  # collapsed when rounded
        return Polygon()


def _clip_metric(geometry: BaseGeometry, frame: _Frame) -> BaseGeometry:
    """``geometry`` (lon/lat) inside the frame's area, in metres; slivers under 100 m² dropped."""
    clipped = shapely.clip_by_rect(geometry, *frame.clip_box)
    if clipped.is_empty:
        return Polygon()
    if not clipped.is_valid:
        clipped = shapely.make_valid(clipped)
    return _metric_polygonal(shapely.intersection(to_metric(clipped, frame.epsg), frame.aoi_m))


def _key(geometry: BaseGeometry) -> bytes:
    return b"" if geometry.is_empty else shapely.to_wkb(shapely.normalize(geometry))


def _prepare(record: ArchiveDay, aoi: Aoi | None) -> dict[str, BaseGeometry]:
    out: dict[str, BaseGeometry] = {}
    for layer, geometry in record.layers.items():
        if aoi is not None:
            frame = _frame(aoi, _BORDER_TOLERANCE_M)
            clipped = _clip_metric(geometry, frame)
            out[layer] = Polygon() if clipped.is_empty else _rounded(to_lonlat(clipped, frame.epsg))
        else:
            out[layer] = _rounded(geometry)
    return out


def _front_of(occupied: BaseGeometry, day: dt.date, name: str, aoi: Aoi | None) -> BaseGeometry:
    """The day's front line (lon/lat, maybe empty), derived as ``import-snapshots`` does."""
    frame = _frame(aoi, _BORDER_TOLERANCE_M) if aoi is not None else _whole_front_frame()
    if occupied.is_empty:
        return shapely.LineString()
    occupied_m = _clip_metric(occupied, frame)
    return _front(_Day(day, name, occupied, occupied_m, b"", 0, 0), frame)


# --- runs of identical days ---------------------------------------------------------------------------


@dataclass
class _Run:
    layer: str
    geometry: BaseGeometry
    key: bytes
    valid_from: dt.date
    last_day: dt.date
    days: int
    first_file: str
    last_file: str
    fid: int | None = None  # set when the run was already in the store
    changed: bool = True


def _iso(day: dt.date) -> str:
    return day.isoformat()


def _note(layer: str, aoi: Aoi | None) -> str:
    where = f"clipped to {aoi.describe()}" if aoi is not None else "the whole front, unclipped"
    if layer == "front_line":
        extent = (
            f"inside {aoi.describe()}"
            if aoi is not None
            else f"only within {FRONT_BOX[0]:g}–{FRONT_BOX[2]:g}° E, {FRONT_BOX[1]:g}–{FRONT_BOX[3]:g}° N, "
            "where the project's border data can tell front from border (it has no coastline)"
        )
        return (
            "Derived: the edge of the occupied area inside Ukraine, without the state border and the edge of the "
            f"area, {extent}."
        )
    what = "Russian-held area" if layer == "occupied" else "Ukrainian-held area inside Russia"
    return f"{what} as the archive assessed it, {where}; identical consecutive days are one state."


class _Writer:
    """Opens, extends and closes the runs of one archive inside the import's transaction."""

    def __init__(self, con: sqlite3.Connection, name: str, source: str, aoi: Aoi | None) -> None:
        self.con, self.name, self.source, self.aoi = con, name, source, aoi
        self.runs: dict[str, _Run] = {}
        self.added = 0
        self.extended = 0

    def load_open(self, last_ok: dt.date) -> None:
        """The states that end the day after ``last_ok`` continue into the import."""
        rows = self.con.execute(
            "SELECT fid, layer, geom, valid_from, days, first_file, last_file FROM states "
            "WHERE archive = ? AND valid_to = ?",
            (self.name, _iso(last_ok + dt.timedelta(days=1))),
        ).fetchall()
        for fid, layer, blob, valid_from, days, first_file, last_file in rows:
            geometry = _geometry(blob)
            self.runs[layer] = _Run(
                layer,
                geometry,
                _key(geometry),
                dt.date.fromisoformat(valid_from),
                last_ok,
                days,
                first_file,
                last_file,
                fid,
                changed=False,
            )

    def day(self, day: dt.date, file: str, layers: dict[str, BaseGeometry], consecutive: bool) -> None:
        for layer in LAYERS:
            geometry = layers.get(layer)
            if layer == "front_line" and geometry is None:
                continue
            geometry = geometry if geometry is not None else Polygon()
            run = self.runs.get(layer)
            key = _key(geometry)
            if run is not None and consecutive and run.key == key:
                run.last_day, run.last_file, run.days, run.changed = day, file, run.days + 1, True
                continue
            if run is not None:
                self.close(layer)
            if not geometry.is_empty:
                self.runs[layer] = _Run(layer, geometry, key, day, day, 1, file, file)

    def same_occupied(self, occupied: BaseGeometry, consecutive: bool) -> bool:
        run = self.runs.get("occupied")
        return run is not None and consecutive and run.key == _key(occupied)

    def close(self, layer: str) -> None:
        run = self.runs.pop(layer)
        if not run.changed:
            return
        valid_to = _iso(run.last_day + dt.timedelta(days=1))
        if run.fid is not None:
            self.con.execute(
                "UPDATE states SET valid_to = ?, days = ?, last_file = ? WHERE fid = ?",
                (valid_to, run.days, run.last_file, run.fid),
            )
            self.extended += 1
            return
        line = layer == "front_line"
        measure = geodesic_length_km(run.geometry) if line else geodesic_area_km2(run.geometry)
        self.con.execute(
            "INSERT INTO states (geom, archive, layer, valid_from, valid_to, days, status, source, note, area_km2, "
            "length_km, first_file, last_file) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                _blob(run.geometry),
                self.name,
                layer,
                _iso(run.valid_from),
                valid_to,
                run.days,
                STATUS,
                self.source,
                _note(layer, self.aoi),
                None if line else round(measure, 3),
                round(measure, 3) if line else None,
                run.first_file,
                run.last_file,
            ),
        )
        self.added += 1

    def close_all(self) -> None:
        for layer in list(self.runs):
            self.close(layer)


# --- the import ---------------------------------------------------------------------------------------


@dataclass
class ImportReport:
    """What an import did; ``outcome`` is ``created``, ``extended`` or ``unchanged``."""

    name: str
    store: str
    format: str
    outcome: str = "unchanged"
    days_added: int = 0
    days_unchanged: int = 0
    days_skipped: int = 0
    days_missing: int = 0
    states_added: int = 0
    states_extended: int = 0
    first_day: str | None = None
    last_day: str | None = None
    skipped: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def summary(self) -> str:
        if self.outcome == "unchanged":
            return f"{self.name}: unchanged ({self.days_unchanged} day(s) already in the store, no new state)"
        verb = "created" if self.outcome == "created" else "extended"
        return (
            f"{self.name}: {verb} with {self.days_added} new day(s) up to {self.last_day}: "
            f"{self.states_added} new state(s), {self.states_extended} extended; {self.days_skipped} skipped, "
            f"{self.days_missing} missing, {self.days_unchanged} unchanged"
        )


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _aoi_text(aoi: Aoi | None) -> str | None:
    return None if aoi is None else f"{aoi.name}: {aoi.lon:.6f},{aoi.lat:.6f},{aoi.radius_km:g}"


def aoi_from_text(text: str | None) -> Aoi | None:
    """The ``Aoi`` an archive row's ``aoi`` column holds (None: the whole front, unclipped)."""
    if not text:
        return None
    label, values = text.split(": ", 1)
    lon, lat, radius = (float(v) for v in values.split(","))
    return Aoi(label, lon, lat, radius)


def _source_text(name: str, attribution: str | None) -> str:
    return f"Archive {name}: {attribution}" if attribution else f"Archive {name} (no attribution given)"


def import_archive(
    source: str | os.PathLike,
    *,
    name: str,
    store: str | os.PathLike | None = None,
    attribution: str | None = None,
    licence: str | None = None,
    aoi: str | tuple[float, float, float] | Aoi | None = None,
    progress: Progress | None = None,
    skip_bad: bool = False,
    today: dt.date | None = None,
    kml_layers: Sequence[tuple[str, str]] = DEFAULT_KML_LAYERS,
) -> ImportReport:
    """Add the archive at ``source`` to ``store`` as ``name``, or extend it with newer days (module docstring).

    Raises ``ArchiveError`` (the store unchanged) for a bad name or AOI, an unreadable source, a conflict with
    what is stored, or, unless ``skip_bad``, any bad day. ``progress(done, total, file)`` follows each day.
    """
    name = (name or "").strip()
    if not name or len(name) > 100 or any(c in name for c in "\n\r\t"):
        raise ArchiveError(f"archive name {name!r}: give a short name on one line (1-100 characters)")
    try:
        area = parse_aoi(aoi) if aoi is not None else None
    except ValueError as exc:
        raise ArchiveError(str(exc)) from None
    try:
        src = open_source(source, kml_layers=kml_layers)
    except FormatError as exc:
        raise ArchiveError(str(exc)) from None
    today = today or dt.date.today()
    path = _store_path(store)
    created = not path.exists()
    con = _connect(path)
    committed = False
    try:
        con.execute("BEGIN IMMEDIATE")  # one transaction: a killed import leaves nothing behind
        if not _has_schema(con):
            _create_schema(con)
        try:
            report = _import(
                con,
                src,
                name=name,
                store=path,
                attribution=attribution,
                licence=licence,
                aoi=area,
                progress=progress,
                skip_bad=skip_bad,
                today=today,
            )
        except FormatError as exc:  # found while reading, such as a zip expanding past its declared sizes
            raise ArchiveError(f"{exc}; the store is unchanged") from None
        con.execute("COMMIT")
        committed = True
        return report
    except BaseException:
        if con.in_transaction:
            con.execute("ROLLBACK")
        raise
    finally:
        con.close()
        if created and not committed:  # a refused first import leaves no empty store behind
            path.unlink(missing_ok=True)


def _import(
    con: sqlite3.Connection,
    src: Any,
    *,
    name: str,
    store: Path,
    attribution: str | None,
    licence: str | None,
    aoi: Aoi | None,
    progress: Progress | None,
    skip_bad: bool,
    today: dt.date,
) -> ImportReport:
    existing = con.execute(
        "SELECT format, attribution, licence, aoi, last_day FROM archives WHERE name = ?", (name,)
    ).fetchone()
    conflicts: list[str] = []
    if existing is not None:
        stored_format, stored_attribution, stored_licence, stored_aoi, _ = existing
        if stored_format != src.format:
            conflicts.append(f"{src.path}: the archive {name!r} is {stored_format}, but this source is {src.format}")
        if _aoi_text(aoi) != stored_aoi:
            conflicts.append(
                f"--aoi: the archive {name!r} was imported "
                f"{'with --aoi ' + stored_aoi if stored_aoi else 'unclipped'}; give the same area"
            )
        if attribution is not None and attribution != stored_attribution:
            conflicts.append(
                f"--attribution: the archive {name!r} is attributed to {stored_attribution!r}; "
                "remove it and import it again to change that"
            )
        if licence is not None and licence != stored_licence:
            conflicts.append(f"--licence: the archive {name!r} has the licence text {stored_licence!r}")
        attribution, licence = stored_attribution, stored_licence
    if conflicts:
        raise ArchiveError(f"cannot extend archive {name!r}; the store is unchanged:", conflicts)
    report = ImportReport(name, str(store), src.format, ignored=list(src.ignored))
    stored = {
        d: (sha, status)
        for d, sha, status in con.execute("SELECT date, sha256, status FROM days WHERE archive = ?", (name,))
    }
    last_row = con.execute(
        "SELECT date, status FROM days WHERE archive = ? ORDER BY date DESC LIMIT 1", (name,)
    ).fetchone()
    last_seen = dt.date.fromisoformat(last_row[0]) if last_row else None
    writer = _Writer(con, name, _source_text(name, attribution), aoi)
    previous_ok: dt.date | None = None
    if last_seen is not None and last_row[1] == "ok":
        previous_ok = last_seen
        writer.load_open(last_seen)
    problems: list[str] = []
    seen_now: dict[dt.date, str] = {}
    front_cache: tuple[bytes, BaseGeometry] | None = None
    for done, record in enumerate(src.days(), start=1):
        day_text = _iso(record.day)
        problem = record.problem
        if record.day in seen_now:
            problem = f"the same date twice ({day_text}): {seen_now[record.day]} was read first"
        elif record.day == dt.date.min:
            pass
        elif record.day > today:
            problem = problem or f"the date {day_text} is in the future (today is {_iso(today)})"
        if problem is None and day_text in stored and stored[day_text][1] != "missing":
            sha, status = stored[day_text]
            if sha == record.sha256 and status == "ok":
                report.days_unchanged += 1
                seen_now[record.day] = record.file
                if progress:
                    progress(done, src.total, record.file)
                continue
            problem = (
                f"{day_text} is already in the archive from other content (status {status}); remove the "
                "archive and import it again to replace a day"
            )
        elif problem is None and last_seen is not None and record.day <= last_seen:
            problem = (
                f"{day_text} is before the archive's last day {_iso(last_seen)} and cannot be slotted in; "
                "remove the archive and import it again to fill it"
            )
        if record.day != dt.date.min:
            seen_now.setdefault(record.day, record.file)
        if problem is not None:
            problems.append(f"{record.file}: {problem}")
            if skip_bad:
                report.skipped.append(f"{record.file}: {problem}")
            if (
                skip_bad
                and record.day != dt.date.min
                and record.day <= today
                and day_text not in stored
                and (last_seen is None or record.day > last_seen)
                and seen_now.get(record.day) == record.file
            ):
                _record_gap(con, name, last_seen, record.day, report)
                con.execute(
                    "INSERT INTO days (archive, date, file, sha256, status, reason) VALUES (?, ?, ?, ?, 'skipped', ?)",
                    (name, day_text, record.file, record.sha256, problem),
                )
                report.days_skipped += 1
                last_seen, previous_ok = record.day, None
                for layer in list(writer.runs):
                    writer.close(layer)
            if progress:
                progress(done, src.total, record.file)
            continue
        _record_gap(con, name, last_seen, record.day, report)
        consecutive = previous_ok is not None and record.day == previous_ok + dt.timedelta(days=1)
        layers = _prepare(record, aoi)
        occupied = layers.get("occupied", Polygon())
        key = _key(occupied)
        if writer.same_occupied(occupied, consecutive) and "front_line" in writer.runs:
            layers["front_line"] = writer.runs["front_line"].geometry
        elif front_cache is not None and front_cache[0] == key:
            layers["front_line"] = front_cache[1]
        else:
            layers["front_line"] = _front_of(occupied, record.day, record.file, aoi)
            front_cache = (key, layers["front_line"])
        writer.day(record.day, record.file, layers, consecutive)
        con.execute(
            "INSERT INTO days (archive, date, file, sha256, status) VALUES (?, ?, ?, ?, 'ok')",
            (name, day_text, record.file, record.sha256),
        )
        report.days_added += 1
        report.first_day = report.first_day or day_text
        report.last_day = day_text
        last_seen = previous_ok = record.day
        if progress:
            progress(done, src.total, record.file)
    if problems and not skip_bad:
        raise ArchiveError(
            f"{src.path}: {len(problems)} bad day(s); nothing was imported and the store is "
            "unchanged (--skip-bad records them as skipped instead):",
            problems,
        )
    writer.close_all()
    report.states_added, report.states_extended = writer.added, writer.extended
    if report.days_added == 0 and report.days_skipped == 0:
        if existing is None:
            raise ArchiveError(f"{src.path}: no day could be imported; the store is unchanged")
        return report
    report.outcome = "created" if existing is None else "extended"
    first, last = con.execute("SELECT min(date), max(date) FROM days WHERE archive = ?", (name,)).fetchone()
    if existing is None:
        con.execute(
            "INSERT INTO archives (name, format, attribution, licence, imported_at, updated_at, source_path, "
            "aoi, first_day, last_day) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                name,
                src.format,
                attribution,
                licence,
                _now(),
                _now(),
                str(Path(src.path).resolve()),
                _aoi_text(aoi),
                first,
                last,
            ),
        )
    else:
        con.execute(
            "UPDATE archives SET updated_at = ?, source_path = ?, first_day = ?, last_day = ? WHERE name = ?",
            (_now(), str(Path(src.path).resolve()), first, last, name),
        )
    _update_extent(con)
    return report


def _record_gap(
    con: sqlite3.Connection, name: str, last_seen: dt.date | None, day: dt.date, report: ImportReport
) -> None:
    """A 'missing' row for each date between the last day seen and ``day``."""
    if last_seen is None:
        return
    gap = last_seen + dt.timedelta(days=1)
    rows = []
    while gap < day:
        rows.append((name, _iso(gap)))
        gap += dt.timedelta(days=1)
    con.executemany("INSERT INTO days (archive, date, status) VALUES (?, ?, 'missing')", rows)
    report.days_missing += len(rows)


def _update_extent(con: sqlite3.Connection) -> None:
    """``gpkg_contents``' bounds for the states table, from the envelopes in the geometry blobs."""
    x0 = y0 = float("inf")
    x1 = y1 = float("-inf")
    for (blob,) in con.execute("SELECT geom FROM states"):
        if blob and len(blob) >= 40:
            a, b, c, d = struct.unpack_from("<4d", blob, 8)
            x0, x1, y0, y1 = min(x0, a), max(x1, b), min(y0, c), max(y1, d)
    values = (x0, y0, x1, y1) if x0 != float("inf") else (None, None, None, None)
    con.execute(
        "UPDATE gpkg_contents SET min_x = ?, min_y = ?, max_x = ?, max_y = ?, "
        "last_change = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE table_name = 'states'",
        values,
    )


# --- reading ------------------------------------------------------------------------------------------


def _reader(store: str | os.PathLike | sqlite3.Connection | None) -> tuple[sqlite3.Connection, bool]:
    if isinstance(store, sqlite3.Connection):
        return store, False
    return open_read_only(_store_path(store)), True


@contextmanager
def reading(store: str | os.PathLike | sqlite3.Connection | None) -> Iterator[sqlite3.Connection]:
    """A read-only connection to ``store`` (the default store for None), closed after unless it was given open."""
    con, owned = _reader(store)
    try:
        yield con
    finally:
        if owned:
            con.close()


def archive_meta(store: str | os.PathLike | sqlite3.Connection | None, name: str) -> dict[str, Any]:
    """Archive ``name``'s metadata row, with ``first_day`` and ``last_day`` as ``date`` (None if it holds no day).

    Raises ``ArchiveError`` when the store holds no archive ``name`` (naming those it holds)."""
    with reading(store) as con:
        row = _archive_row(con, name)
    for key in ("first_day", "last_day"):
        row[key] = None if row.get(key) is None else dt.date.fromisoformat(row[key])
    return row


def _day(value: dt.date) -> str:
    return require_date(value).isoformat()


def read_state(
    store: str | os.PathLike | sqlite3.Connection | None,
    name: str,
    day: dt.date,
    *,
    layer: str = "occupied",
    bbox: tuple[float, float, float, float] | None = None,
) -> BaseGeometry | None:
    """``layer`` of archive ``name`` on ``day`` in lon/lat, clipped to ``bbox`` (lon0, lat0, lon1, lat1) if given.

    None when no state covers the day (the layer was empty, or the day was missing, skipped or not in the
    archive). ``store`` may be an open connection (``open_read_only``), which is then left open.
    """
    if layer not in LAYERS:
        raise ArchiveError(f"layer {layer!r} is not one of {', '.join(LAYERS)}")
    con, owned = _reader(store)
    try:
        row = con.execute(
            "SELECT geom FROM states WHERE archive = ? AND layer = ? AND valid_from <= ? AND "
            "valid_to > ? ORDER BY valid_from DESC LIMIT 1",
            (name, layer, _day(day), _day(day)),
        ).fetchone()
    except sqlite3.OperationalError:
        if _has_schema(con):
            raise
        row = None  # an empty store: its first import never committed
    finally:
        if owned:
            con.close()
    if row is None:
        return None
    geometry = _geometry(row[0])
    if bbox is not None:
        geometry = shapely.clip_by_rect(geometry, *bbox)
        if geometry.is_empty:
            return None
    return geometry


def read_state_geometry(con: sqlite3.Connection, fid: int) -> BaseGeometry:
    """The geometry (lon/lat) of the state with row id ``fid``, on an open connection (``open_read_only``).

    Raises ``ArchiveError`` when no state has that id (the archive was removed or re-imported meanwhile)."""
    row = con.execute("SELECT geom FROM states WHERE fid = ?", (int(fid),)).fetchone()
    if row is None:
        raise ArchiveError(f"no state {fid} in the store (was the archive removed or re-imported?)")
    return _geometry(row[0])


def day_status(store: str | os.PathLike | sqlite3.Connection | None, name: str, day: dt.date) -> str | None:
    """``ok``, ``skipped`` or ``missing`` for a day archive ``name`` has seen; None outside its days.

    Raises ``ArchiveError`` when the store holds no archive ``name`` (naming those it holds)."""
    with reading(store) as con:
        _archive_row(con, name)
        row = con.execute("SELECT status FROM days WHERE archive = ? AND date = ?", (name, _day(day))).fetchone()
    return None if row is None else str(row[0])


NOT_MAPPED = {
    None: "is outside the days it holds",
    "missing": "is a day missing from it",
    "skipped": "is a day skipped on import (bad data)",
}


def _archive_row(con: sqlite3.Connection, name: str) -> dict[str, Any]:
    if not _has_schema(con):
        raise ArchiveError(f"no archive named {name!r} in the store (it is empty)")
    con.row_factory = sqlite3.Row
    try:
        row = con.execute("SELECT * FROM archives WHERE name = ?", (name,)).fetchone()
    finally:
        con.row_factory = None
    if row is None:
        names = [n for (n,) in con.execute("SELECT name FROM archives ORDER BY name")]
        raise ArchiveError(
            f"no archive named {name!r} in the store"
            + (f" (it holds {', '.join(names)})" if names else " (it is empty)")
        )
    out = dict(row)
    out.pop("fid", None)
    return out


def list_archives(store: str | os.PathLike | None = None) -> list[dict[str, Any]]:
    """Every archive: its metadata, the days it holds by status and its number of states."""
    path = _store_path(store)
    if not path.is_file():
        return []
    con = open_read_only(path)
    try:
        if not _has_schema(con):  # a first import was killed before it committed
            return []
        names = [n for (n,) in con.execute("SELECT name FROM archives ORDER BY name")]
        return [_summary(con, n) for n in names]
    finally:
        con.close()


def _summary(con: sqlite3.Connection, name: str) -> dict[str, Any]:
    out = _archive_row(con, name)
    counts = dict(con.execute("SELECT status, count(*) FROM days WHERE archive = ? GROUP BY status", (name,)))
    out["days"] = {status: counts.get(status, 0) for status in ("ok", "skipped", "missing")}
    out["states"] = dict(
        con.execute("SELECT layer, count(*) FROM states WHERE archive = ? GROUP BY layer ORDER BY layer", (name,))
    )
    return out


def archive_info(name: str, store: str | os.PathLike | None = None) -> dict[str, Any]:
    """One archive: ``list_archives``' fields plus its gaps, skipped days and per-layer state ranges."""
    con = open_read_only(_store_path(store))
    try:
        out = _summary(con, name)
        out["skipped"] = [
            {"date": d, "file": f, "reason": r}
            for d, f, r in con.execute(
                "SELECT date, file, reason FROM days WHERE archive = ? AND status = 'skipped' ORDER BY date", (name,)
            )
        ]
        missing = [
            dt.date.fromisoformat(d)
            for (d,) in con.execute(
                "SELECT date FROM days WHERE archive = ? AND status = 'missing' ORDER BY date", (name,)
            )
        ]
        gaps: list[list[str]] = []
        for day in missing:
            if gaps and dt.date.fromisoformat(gaps[-1][1]) + dt.timedelta(days=1) == day:
                gaps[-1][1] = day.isoformat()
            else:
                gaps.append([day.isoformat(), day.isoformat()])
        out["gaps"] = gaps
        out["layers"] = {
            layer: {"states": n, "first": a, "last_valid_to": b}
            for layer, n, a, b in con.execute(
                "SELECT layer, count(*), min(valid_from), max(valid_to) FROM states WHERE archive = ? GROUP BY layer "
                "ORDER BY layer",
                (name,),
            )
        }
        return out
    finally:
        con.close()


def remove_archive(name: str, store: str | os.PathLike | None = None) -> int:
    """Delete archive ``name`` (its days and states) in one transaction; returns the number of states removed."""
    path = _store_path(store)
    if not path.is_file():
        raise ArchiveError(f"{path}: no archive store here")
    con = _connect(path)
    try:
        con.execute("BEGIN IMMEDIATE")
        _archive_row(con, name)
        removed = con.execute("DELETE FROM states WHERE archive = ?", (name,)).rowcount
        con.execute("DELETE FROM days WHERE archive = ?", (name,))
        con.execute("DELETE FROM archives WHERE name = ?", (name,))
        _update_extent(con)
        con.execute("COMMIT")
        return removed
    except BaseException:
        if con.in_transaction:
            con.execute("ROLLBACK")
        raise
    finally:
        con.close()


# --- export -------------------------------------------------------------------------------------------

EXPORT_SUFFIXES: tuple[str, ...] = (".geojson", ".gpkg", ".csv")
SERIES_COLUMNS: tuple[str, ...] = ("date", "occupied_km2", "ukrainian_held_km2", "front_length_km")


def _states(con: sqlite3.Connection, name: str, day: str | None) -> Iterator[dict[str, Any]]:
    query = (
        "SELECT fid, geom, layer, valid_from, valid_to, days, status, source, note, area_km2, length_km, "
        "first_file, last_file FROM states WHERE archive = ?"
    )
    args: tuple[Any, ...] = (name,)
    if day is not None:
        query += " AND valid_from <= ? AND valid_to > ?"
        args += (day, day)
    for row in con.execute(query + " ORDER BY layer, valid_from", args):
        _fid, blob, layer, valid_from, valid_to, days, status, source, note, area, length, first, last = row
        props: dict[str, Any] = {
            "id": f"{name}-{layer}-{valid_from}",
            "name": f"{layer.replace('_', ' ')}, {valid_from} to {valid_to}",
            "valid_from": valid_from,
            "valid_to": valid_to,
            "status": status,
            "source": source,
            "note": note,
            "layer": layer,
            "days": days,
            "first_file": first,
            "last_file": last,
        }
        if area is not None:
            props["area_km2"] = area
        if length is not None:
            props["length_km"] = length
        yield {"geometry": _geometry(blob), "properties": props}


def series_rows(con: sqlite3.Connection, name: str, day: str | None = None) -> list[dict[str, Any]]:
    """The area series: for each ok day, each layer's measure from the state that covers it (0 when none)."""
    query = "SELECT date FROM days WHERE archive = ? AND status = 'ok'"
    args: tuple[Any, ...] = (name,)
    if day is not None:
        query += " AND date = ?"
        args += (day,)
    dates = [d for (d,) in con.execute(query + " ORDER BY date", args)]
    spans = {
        layer: con.execute(
            "SELECT valid_from, valid_to, coalesce(area_km2, length_km) FROM states WHERE "
            "archive = ? AND layer = ? ORDER BY valid_from",
            (name, layer),
        ).fetchall()
        for layer in LAYERS
    }
    rows = []
    index = dict.fromkeys(LAYERS, 0)
    for date in dates:
        row: dict[str, Any] = {"date": date}
        for layer, column in zip(LAYERS, ("occupied_km2", "ukrainian_held_km2", "front_length_km"), strict=True):
            items = spans[layer]
            k = index[layer]
            while k < len(items) and items[k][1] <= date:
                k += 1
            index[layer] = k
            row[column] = items[k][2] if k < len(items) and items[k][0] <= date else 0.0
        rows.append(row)
    return rows


def export_archive(
    name: str, out: str | os.PathLike, *, store: str | os.PathLike | None = None, day: dt.date | None = None
) -> int:
    """Write archive ``name`` (every state, or the states of ``day``) to ``out``; returns features or rows written.

    ``.geojson``: one RFC 7946 FeatureCollection; ``.gpkg``: one layer per store layer; ``.csv``: the area
    series (``SERIES_COLUMNS``). The file is written to a temporary sibling and renamed.
    """
    target = Path(out)
    suffix = target.suffix.lower()
    if suffix not in EXPORT_SUFFIXES:
        raise ArchiveError(f"--out {target}: write .geojson, .gpkg or .csv")
    day_text = _day(day) if day is not None else None
    con = open_read_only(_store_path(store))
    try:
        _archive_row(con, name)
        if suffix == ".csv":
            rows = series_rows(con, name, day_text)
            buffer = io.StringIO()
            writer = csv.DictWriter(buffer, fieldnames=list(SERIES_COLUMNS), lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
            _write_atomic(target, buffer.getvalue().encode("utf-8"))
            return len(rows)
        states = list(_states(con, name, day_text))
    finally:
        con.close()
    if suffix == ".geojson":
        features = [geojson.feature(s["geometry"], s["properties"]) for s in states]
        _write_atomic(target, geojson.dumps(geojson.feature_collection(features)).encode("utf-8"))
        return len(features)
    _write_gpkg(target, states)
    return len(states)


def _write_atomic(target: Path, data: bytes) -> None:
    try:
        atomic.write_atomic(target, data)
    except OSError as exc:
        raise ArchiveError(f"cannot write {target}: {exc.strerror or exc}") from None


def _write_gpkg(target: Path, states: list[dict[str, Any]]) -> None:
    import geopandas as gpd

    try:
        pending = atomic.AtomicFile(target, suffix=".gpkg")
    except OSError as exc:
        raise ArchiveError(f"cannot write {target}: {exc.strerror or exc}") from None
    try:
        pending.handle.close()
        pending.tmp.unlink()  # GDAL creates the GeoPackage itself, one layer after another
        by_layer: dict[str, list[dict[str, Any]]] = {}
        for state in states:
            by_layer.setdefault(state["properties"]["layer"], []).append(state)
        if not by_layer:
            raise ArchiveError(f"{target}: no state to write" + (" on that date" if states == [] else ""))
        for layer, items in by_layer.items():
            frame = gpd.GeoDataFrame(
                [i["properties"] for i in items], geometry=[i["geometry"] for i in items], crs="EPSG:4326"
            )
            frame.to_file(pending.tmp, layer=layer, driver="GPKG", engine="pyogrio")
        pending.commit()
    except OSError as exc:
        raise ArchiveError(f"cannot write {target}: {exc.strerror or exc}") from None
    finally:
        pending.discard()


__all__ = [
    "EXPORT_SUFFIXES",
    "FRONT_BOX",
    "LAYERS",
    "SERIES_COLUMNS",
    "STATUS",
    "STORE_ENV",
    "ArchiveError",
    "ImportReport",
    "archive_info",
    "default_store_path",
    "export_archive",
    "import_archive",
    "list_archives",
    "open_read_only",
    "read_state",
    "remove_archive",
    "series_rows",
]
