"""Recognise a front-line archive's layout from its content and read it as dated days.

Offers:
- ``DAILY_GEOJSON``, ``MULTI_DATE``, ``OWLMAPS``, ``KML``: the layouts (``FORMATS`` lists them), described in
  ``shared/notes/archive-formats.md``.
- ``READ_LAYERS``: ``occupied`` and ``ukrainian_held``, the layers a file can hold (the store derives
  ``front_line`` from ``occupied``).
- ``DEFAULT_KML_LAYERS``: which KML folder, style or placemark names go to which layer by default.
- ``ArchiveDay``: one day read: its date, the file (or file and row) it came from, the sha256 of what was read,
  and its layers as valid lon/lat (multi)polygons, or the ``problem`` that makes it unusable.
- ``ArchiveSource`` and ``open_source``: an archive on disk, its layout, the number of days, the files it
  ignored, and ``days()``, which yields the days in date order one at a time (constant memory for daily
  files).
- ``FormatError``: the whole source cannot be read (unknown layout, a zip or gzip bomb, a damaged container);
  the message names the file.

Detection never trusts the extension: a folder or zip is read entry by entry and its layout is taken from
the first dated entry's content (a FeatureCollection, a JSON object with ``areas``, XML with ``<kml>`` or a
zip holding a KML); a single file is gzip, SQLite (GeoPackage), Parquet (``PAR1``) or JSON by its first
bytes. A FeatureCollection whose features carry a ``date`` property is one multi-date file; without one it
is a single day, dated by its name.

Every polygon is checked to be lon/lat inside the map's region (``validate.REGION_BOUNDS``); swapped
coordinates are named as such (owlmaps rings are latitude first, every other layout longitude first).
Invalid polygons are repaired with ``make_valid``.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import io
import json
import os
import re
import stat
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any
from xml.etree.ElementTree import Element

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from kupiansk_map.ingest import uploads
from kupiansk_map.ingest.snapshots import _Corrupt, _polygons, date_from_name
from kupiansk_map.validate.checks import MAX_FILE_BYTES, REGION_BOUNDS, format_size, load_feature_collection

DAILY_GEOJSON = "daily GeoJSON"
MULTI_DATE = "multi-date file"
OWLMAPS = "owlmaps daily JSON"
KML = "dated KML/KMZ"
FORMATS: tuple[str, ...] = (DAILY_GEOJSON, MULTI_DATE, OWLMAPS, KML)
READ_LAYERS: tuple[str, ...] = ("occupied", "ukrainian_held")

# Checked in this order, so "Ukrainian-held area in Russia" is not taken for occupied ground by "russia".
DEFAULT_KML_LAYERS: tuple[tuple[str, str], ...] = (
    ("ukrainian-held", "ukrainian_held"),
    ("ukrainian held", "ukrainian_held"),
    ("kursk", "ukrainian_held"),
    ("occupied", "occupied"),
    ("russian", "occupied"),
    ("russia", "occupied"),
)
MAX_ARCHIVE_ENTRIES = 20_000  # about 55 years of daily files
MAX_ARCHIVE_BYTES = 8 * 2**30  # a zip of daily files, expanded
MAX_MULTI_DATE_BYTES = 2 * 2**30  # one multi-date file (expanded, for gzip)
MAX_GZIP_RATIO = 100

_DAILY_SUFFIXES = (".geojson", ".json", ".kml", ".kmz")


class FormatError(ValueError):
    """The source cannot be read at all; the message names the file."""


@dataclass
class ArchiveDay:
    """One day of an archive: ``layers`` maps a layer name to a lon/lat (multi)polygon; ``problem`` if unusable."""

    day: dt.date
    file: str
    sha256: str
    layers: dict[str, BaseGeometry] = field(default_factory=dict)
    problem: str | None = None


@dataclass
class ArchiveSource:
    """An archive on disk: its layout, how many days it holds and the entries without a date (ignored)."""

    path: Path
    format: str
    total: int
    ignored: list[str]
    _days: Callable[[], Iterator[ArchiveDay]]

    def days(self) -> Iterator[ArchiveDay]:
        """The days in date order (two days may share a date: the store refuses the second)."""
        return self._days()


# --- geometry checks ----------------------------------------------------------------------------------


def _polygonal(geometry: BaseGeometry) -> BaseGeometry:
    """The polygonal parts of ``geometry`` (lon/lat), as one Polygon or MultiPolygon (maybe empty)."""
    parts = shapely.get_parts(geometry)
    parts = parts[shapely.get_type_id(parts) == 3] if parts.size else parts
    parts = parts[~shapely.is_empty(parts)] if parts.size else parts
    if parts.size == 0:
        return Polygon()
    return parts[0] if parts.size == 1 else MultiPolygon(list(parts))


def _union(polygons: Sequence[BaseGeometry] | np.ndarray) -> BaseGeometry:
    """One valid (multi)polygon from several, repairing invalid ones."""
    array = np.asarray(polygons, dtype=object)
    if array.size == 0:
        return Polygon()
    invalid = ~shapely.is_valid(array)
    if invalid.any():
        array[invalid] = shapely.make_valid(array[invalid])
    merged = array[0] if array.size == 1 and not invalid.any() else shapely.union_all(array)
    return _polygonal(merged)


def _check_region(geometry: BaseGeometry, *, order: str = "[lon, lat]") -> None:
    """Raise ``_Corrupt`` unless every position lies in the map's region, naming swapped coordinates."""
    lon_min, lat_min, lon_max, lat_max = REGION_BOUNDS
    x0, y0, x1, y1 = geometry.bounds
    if lon_min <= x0 and x1 <= lon_max and lat_min <= y0 and y1 <= lat_max:
        return
    swapped = lon_min <= y0 and y1 <= lon_max and lat_min <= x0 and x1 <= lat_max
    where = f"the polygons span longitude {x0:g}..{x1:g}, latitude {y0:g}..{y1:g}"
    if swapped:
        raise _Corrupt(
            f"wrong coordinate order: {where}, which fits the map's region only with longitude and "
            f"latitude swapped; this layout's positions must be {order}"
        )
    raise _Corrupt(
        f"{where}, outside the map's region (longitude {lon_min:g}..{lon_max:g}, latitude {lat_min:g}..{lat_max:g})"
    )


# --- one daily file, by its content -------------------------------------------------------------------


def _kind(data: bytes) -> str | None:
    """The layout of one daily file from its first bytes (JSON is told apart by ``_parse_json_day``)."""
    head = data[:256].lstrip(b"\xef\xbb\xbf \t\r\n")
    if data.startswith(b"PK\x03\x04"):
        return KML  # a KMZ
    if head.startswith(b"<"):
        return KML
    if head.startswith(b"{"):
        return "json"
    return None


def _json_layout(obj: Any) -> str | None:
    if isinstance(obj, dict) and obj.get("type") == "FeatureCollection":
        return DAILY_GEOJSON
    if isinstance(obj, dict) and "areas" in obj:
        return OWLMAPS
    return None


def _load_json(data: bytes, name: str) -> Any:
    obj, problems = load_feature_collection(data, name=name, max_bytes=max(len(data), 1))
    fatal = [p for p in problems if p.field != "encoding"]
    if obj is None or fatal:
        shown = fatal[0] if fatal else (problems[0] if problems else None)
        raise _Corrupt(shown.message if shown else "the file could not be read")
    return obj


def _geojson_day(obj: Any) -> dict[str, BaseGeometry]:
    polygons, _ = _polygons(obj)
    if polygons.size == 0:
        raise _Corrupt(
            "the day has no polygon (no Polygon or MultiPolygon feature): an empty day is not "
            "evidence that nothing was held"
        )
    occupied = _union(polygons)
    _check_region(occupied)
    return {"occupied": occupied}


def _owl_rings(value: Any, key: str) -> BaseGeometry:
    if not isinstance(value, list):
        raise _Corrupt(f'"{key}" is not a list of rings')
    rings = []
    for index, ring in enumerate(value):
        try:
            xy = np.asarray(ring, dtype=float)
        except (TypeError, ValueError):
            raise _Corrupt(f'"{key}"[{index}] is not a list of [lat, lon] pairs') from None
        if xy.ndim != 2 or xy.shape[1] < 2 or len(xy) < 3:
            raise _Corrupt(f'"{key}"[{index}] is not a ring of at least three [lat, lon] pairs')
        if not np.isfinite(xy).all():
            raise _Corrupt(f'"{key}"[{index}] holds a position that is not a finite number')
        lonlat = xy[:, [1, 0]]
        if not np.array_equal(lonlat[0], lonlat[-1]):
            lonlat = np.vstack([lonlat, lonlat[:1]])
        if len(lonlat) < 4:
            raise _Corrupt(f'"{key}"[{index}] has fewer than three distinct positions')
        rings.append(shapely.polygons(lonlat))
    geometry = _union(rings)
    if not geometry.is_empty:
        try:
            _check_region(geometry, order="[lat, lon] (latitude first)")
        except _Corrupt as exc:
            raise _Corrupt(f'"{key}": {exc}') from None
    return geometry


def _owlmaps_day(obj: Any) -> dict[str, BaseGeometry]:
    occupied = _owl_rings(obj.get("areas"), "areas")
    if occupied.is_empty:
        raise _Corrupt('the day has no polygon: "areas" holds no ring of the Russian-held area')
    layers = {"occupied": occupied}
    held = _owl_rings(obj.get("areas_ua") or [], "areas_ua")
    if not held.is_empty:
        layers["ukrainian_held"] = held
    return layers


def _kml_root(data: bytes) -> Element:
    try:
        if data.startswith(b"PK\x03\x04"):  # KMZ: the first (or doc.kml) document, under the upload guards
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                infos = [i for i in uploads._checked_entries(archive) if i.filename.lower().endswith(".kml")]
                if not infos:
                    raise _Corrupt("the KMZ holds no .kml document")
                main = next((i for i in infos if i.filename.lower() == "doc.kml"), infos[0])
                data = b"".join(uploads._read_entry(archive, main, [MAX_FILE_BYTES]))
        root = uploads._parse_xml(data)
    except uploads._Refused as exc:
        raise _Corrupt(str(exc)) from None
    except uploads._XmlRefused as exc:
        raise _Corrupt(str(exc)) from None
    except zipfile.BadZipFile as exc:
        raise _Corrupt(f"a damaged KMZ ({exc})") from None
    if root.tag != "kml":
        raise _Corrupt(f"not a KML file: the root element is <{root.tag[:40]}>, not <kml>")
    return root


def _kml_day(data: bytes, mapping: Sequence[tuple[str, str]]) -> dict[str, BaseGeometry]:
    root = _kml_root(data)
    found: dict[str, list[BaseGeometry]] = {}

    def layer_of(names: list[str]) -> str | None:
        lowered = [n.lower() for n in names if n]
        for pattern, layer in mapping:
            if any(pattern in n for n in lowered):
                return layer
        return None

    def walk(element: Element, names: list[str]) -> None:
        for child in element:
            if child.tag in ("Document", "Folder"):
                walk(child, [*names, uploads._text(uploads._child(child, "name")) or ""])
            elif child.tag == "Placemark":
                style = (uploads._text(uploads._child(child, "styleUrl")) or "").lstrip("#")
                layer = layer_of([*names, style, uploads._text(uploads._child(child, "name")) or ""])
                if layer is None:
                    continue
                try:
                    geometries = uploads._kml_geometries(child)
                except ValueError as exc:
                    raise _Corrupt(
                        f"placemark {uploads._text(uploads._child(child, 'name')) or '(no name)'}: {exc}"
                    ) from None
                for geometry in geometries:
                    if geometry["type"] in ("Polygon", "MultiPolygon"):
                        polygons = (
                            [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
                        )
                        for rings in polygons:
                            arrays = [np.asarray(r, dtype=float) for r in rings]
                            if any(len(a) < 4 or not np.isfinite(a).all() for a in arrays):
                                raise _Corrupt("a polygon ring has fewer than four positions or a non-number")
                            found.setdefault(layer, []).append(shapely.polygons(arrays[0], arrays[1:] or None))

    walk(root, [])
    layers = {layer: _union(polygons) for layer, polygons in found.items()}
    layers = {layer: g for layer, g in layers.items() if not g.is_empty}
    if "occupied" not in layers:
        patterns = ", ".join(repr(p) for p, layer in mapping if layer == "occupied")
        raise _Corrupt(
            "the day has no polygon of the Russian-held area: no Placemark polygon in a folder, style "
            f"or name matching {patterns} (map another name with --kml-layer NAME=occupied)"
        )
    for layer, geometry in layers.items():
        try:
            _check_region(geometry)
        except _Corrupt as exc:
            raise _Corrupt(f"{layer}: {exc}") from None
    return layers


def read_day(
    data: bytes,
    *,
    name: str,
    day: dt.date,
    expected: str | None,
    kml_layers: Sequence[tuple[str, str]] = DEFAULT_KML_LAYERS,
) -> tuple[str | None, ArchiveDay]:
    """Read one daily file's bytes: its layout and the day (with ``problem`` set when it is unusable).

    ``expected`` is the archive's layout (None for the first file); a file in another layout is a problem.
    """
    digest = hashlib.sha256(data).hexdigest()
    record = ArchiveDay(day, name, digest)
    layout = _kind(data)
    try:
        if len(data) > MAX_FILE_BYTES:
            raise _Corrupt(f"the file is {format_size(len(data))}, over the limit of {format_size(MAX_FILE_BYTES)}")
        if not data.strip():
            raise _Corrupt("the file is empty")
        obj = None
        if layout == "json":
            obj = _load_json(data, name)
            layout = _json_layout(obj)
            if layout is None:
                raise _Corrupt('JSON, but neither a GeoJSON FeatureCollection nor an owlmaps day (no "areas")')
        if layout is None:
            raise _Corrupt("not a daily archive file: neither GeoJSON, owlmaps JSON, KML nor KMZ")
        if expected is not None and layout != expected:
            raise _Corrupt(f"this file is {layout} but the archive is {expected}")
        if layout == DAILY_GEOJSON:
            record.layers = _geojson_day(obj)
        elif layout == OWLMAPS:
            record.layers = _owlmaps_day(obj)
        else:
            record.layers = _kml_day(data, kml_layers)
    except _Corrupt as exc:
        record.problem = str(exc)
    except (MemoryError, RecursionError) as exc:
        record.problem = f"too large or too deeply nested to read ({type(exc).__name__})"
    except shapely.errors.GEOSException as exc:
        record.problem = f"the geometry could not be processed ({str(exc)[:120]})"
    return (layout if layout in FORMATS else None), record


# --- daily files in a folder or a zip -----------------------------------------------------------------


@dataclass(frozen=True)
class _Entry:
    name: str
    day: dt.date
    read: Callable[[], bytes]


def _folder_entries(folder: Path, ignored: list[str]) -> list[_Entry]:
    entries = []
    for item in sorted(os.scandir(folder), key=lambda e: e.name):
        if item.name.startswith(".") or not item.is_file(follow_symlinks=False):
            continue
        day = date_from_name(Path(item.name).stem)
        if day is None or not item.name.lower().endswith(_DAILY_SUFFIXES):
            ignored.append(item.name)
            continue
        entries.append(_Entry(item.name, day, _file_reader(Path(item.path))))
    return entries


def _file_reader(path: Path) -> Callable[[], bytes]:
    def read() -> bytes:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise _Corrupt(f"the file is {format_size(size)}, over the limit of {format_size(MAX_FILE_BYTES)}")
        with open(path, "rb") as handle:
            return handle.read(MAX_FILE_BYTES + 1)

    return read


def _zip_entries(path: Path, ignored: list[str]) -> tuple[zipfile.ZipFile, list[_Entry]]:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise FormatError(f"{path}: not a zip archive, or a damaged one ({exc})") from None
    try:
        infos = uploads._checked_entries(archive, max_entries=MAX_ARCHIVE_ENTRIES, max_total=MAX_ARCHIVE_BYTES)
    except uploads._Refused as exc:
        archive.close()
        raise FormatError(f"{path}: {exc}") from None
    budget = [MAX_ARCHIVE_BYTES]
    entries = []
    for info in sorted(infos, key=lambda i: i.filename):
        base = PurePosixPath(info.filename).name
        if info.is_dir() or base.startswith(".") or "__MACOSX" in info.filename:
            continue
        day = date_from_name(PurePosixPath(base).stem)
        if day is None or not base.lower().endswith(_DAILY_SUFFIXES):
            ignored.append(info.filename)
            continue

        def read(info: zipfile.ZipInfo = info) -> bytes:
            if info.file_size > MAX_FILE_BYTES:
                raise _Corrupt(
                    f"the entry is {format_size(info.file_size)}, over the limit of {format_size(MAX_FILE_BYTES)}"
                )
            try:
                return b"".join(uploads._read_entry(archive, info, budget))
            except uploads._Refused as exc:
                raise FormatError(f"{path}: {exc}") from None

        entries.append(_Entry(f"{path.name}/{info.filename}", day, read))
    return archive, entries


def _daily_source(
    path: Path,
    entries: list[_Entry],
    ignored: list[str],
    *,
    closer: Callable[[], None] | None,
    kml_layers: Sequence[tuple[str, str]],
) -> ArchiveSource:
    entries.sort(key=lambda e: (e.day, e.name))
    layout: str | None = None
    for entry in entries[:20]:  # the first dated file in a known layout names the archive's layout
        try:
            data = entry.read()
        except (_Corrupt, OSError):
            continue
        layout, _ = read_day(data, name=entry.name, day=entry.day, expected=None, kml_layers=kml_layers)
        if layout is not None:
            break
    if layout is None:
        if closer:
            closer()
        what = (
            f"none of its first {min(len(entries), 20)} dated files is daily GeoJSON, owlmaps JSON or KML/KMZ"
            if entries
            else "it holds no file with a date (YYYYMMDD or YYYY-MM-DD) in its name"
        )
        raise FormatError(f"{path}: not a front-line archive in a known layout: {what}")

    def days() -> Iterator[ArchiveDay]:
        try:
            for entry in entries:
                try:
                    data = entry.read()
                except _Corrupt as exc:
                    yield ArchiveDay(entry.day, entry.name, "", problem=str(exc))
                    continue
                except OSError as exc:
                    yield ArchiveDay(entry.day, entry.name, "", problem=f"cannot be read ({exc.strerror or exc})")
                    continue
                yield read_day(data, name=entry.name, day=entry.day, expected=layout, kml_layers=kml_layers)[1]
        finally:
            if closer:
                closer()

    return ArchiveSource(path, layout, len(entries), ignored, days)


# --- one multi-date file ------------------------------------------------------------------------------


def _gunzipped_size(path: Path) -> int:
    """The expanded size of a gzip file, refusing bombs before any parser sees it."""
    compressed = max(path.stat().st_size, 1)
    total = 0
    try:
        with gzip.open(path, "rb") as handle:
            while chunk := handle.read(1 << 20):
                total += len(chunk)
                if total > MAX_MULTI_DATE_BYTES or (total > 2**20 and total > MAX_GZIP_RATIO * compressed):
                    raise FormatError(
                        f"{path}: the gzip file expands more than {MAX_GZIP_RATIO} times (past "
                        f"{format_size(total)} from {format_size(compressed)}) or past "
                        f"{format_size(MAX_MULTI_DATE_BYTES)}; this looks like a gzip bomb, so "
                        "it was refused and nothing was read"
                    )
    except (OSError, EOFError, zipfile.BadZipFile) as exc:
        raise FormatError(f"{path}: a damaged gzip file ({exc})") from None
    return total


def _iso_day(value: Any) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, np.datetime64):
        return None if np.isnat(value) else dt.date.fromisoformat(str(value.astype("datetime64[D]")))
    text = str(value).strip()
    if re.fullmatch(r"\d{8}", text):
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


def _date_column(names: Sequence[str], path: Path) -> int:
    lowered = [str(n).lower() for n in names]
    for wanted in ("date", "day", "datetime", "valid_from"):
        if wanted in lowered:
            return lowered.index(wanted)
    raise FormatError(
        f"{path}: a multi-date file needs a date column (named date), but its columns are "
        f"{', '.join(map(str, names)) or 'none'}"
    )


def _rows_ogr(path: Path, vsi: str, label: str) -> tuple[list[Any], np.ndarray, Any]:
    import pyogrio
    from pyogrio import raw

    try:
        listed = pyogrio.list_layers(vsi)
        layer = next((str(n) for n, g in listed if g is not None), None)
        if layer is None:
            raise FormatError(f"{path}: the {label} has no layer with geometry")
        meta, _, wkb, fields = raw.read(vsi, layer=layer, datetime_as_string=True)
    except FormatError:
        raise
    except Exception as exc:
        raise FormatError(f"{path}: not a readable {label} ({uploads._gdal_message(exc)})") from None
    names = [str(n) for n in meta.get("fields", [])]
    dates = list(fields[_date_column(names, path)])
    geometries = shapely.from_wkb(np.asarray(wkb, dtype=object), on_invalid="ignore")
    return dates, geometries, meta.get("crs")


def _rows_parquet(path: Path) -> tuple[list[Any], np.ndarray, Any]:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise FormatError(f"{path}: reading GeoParquet needs pyarrow (pip install pyarrow)") from None
    try:
        table = pq.read_table(path)
    except Exception as exc:
        raise FormatError(f"{path}: not a readable Parquet file ({str(exc)[:160]})") from None
    geo = json.loads((table.schema.metadata or {}).get(b"geo", b"{}") or b"{}")
    column = geo.get("primary_column") or ("geometry" if "geometry" in table.column_names else None)
    if column is None or column not in table.column_names:
        raise FormatError(f"{path}: a Parquet file without a GeoParquet geometry column")
    info = (geo.get("columns") or {}).get(column, {})
    if info.get("encoding", "WKB").upper() != "WKB":
        raise FormatError(f"{path}: GeoParquet geometry encoded as {info.get('encoding')!r}; only WKB is read")
    names = [n for n in table.column_names if n != column]
    dates = table.column(names[_date_column(names, path)]).to_pylist()
    geometries = shapely.from_wkb(np.asarray(table.column(column).to_pylist(), dtype=object), on_invalid="ignore")
    crs = info.get("crs", "EPSG:4326")  # GeoParquet: no crs member means OGC:CRS84
    return dates, geometries, crs if crs is not None else None


def _multi_source(path: Path, kind: str) -> ArchiveSource:
    if kind == "parquet":
        dates, geometries, crs = _rows_parquet(path)
        label = "GeoParquet"
    else:
        vsi = f"/vsigzip/{path}" if kind == "gzip" else str(path)
        label = {"gzip": "GeoJSON.gz", "gpkg": "GeoPackage", "geojson": "GeoJSON"}[kind]
        dates, geometries, crs = _rows_ogr(path, vsi, label)
    notes: list[str] = []
    try:
        with np.errstate(all="ignore"):
            geometries = uploads._to_wgs84(geometries, crs, label=str(path), notes=notes)
    except uploads._Refused as exc:
        raise FormatError(f"{path}: {exc}") from None
    rows = sorted(range(len(dates)), key=lambda i: (_iso_day(dates[i]) or dt.date.min, i))

    def days() -> Iterator[ArchiveDay]:
        for i in rows:
            name = f"{path.name}, row {i}"
            day = _iso_day(dates[i])
            geometry = geometries[i]
            digest = hashlib.sha256(
                f"{dates[i]}|".encode() + (b"" if geometry is None else shapely.to_wkb(geometry))
            ).hexdigest()
            if day is None:
                yield ArchiveDay(
                    dt.date.min, name, digest, problem=f"the date {str(dates[i])[:40]!r} is not a date (YYYY-MM-DD)"
                )
                continue
            record = ArchiveDay(day, name, digest)
            try:
                if geometry is None or geometry.is_empty:
                    raise _Corrupt("the row has no polygon (its geometry is empty, missing or could not be read)")
                coords = shapely.get_coordinates(geometry)
                if not np.isfinite(coords).all():
                    raise _Corrupt("the geometry holds a coordinate that is not a finite number")
                occupied = _union([geometry])
                if occupied.is_empty:
                    raise _Corrupt(
                        "the row has no polygon (its geometry is a "
                        f"{geometry.geom_type}, not a Polygon or MultiPolygon)"
                    )
                _check_region(occupied)
                record.layers = {"occupied": occupied}
            except _Corrupt as exc:
                record.problem = str(exc)
            except shapely.errors.GEOSException as exc:
                record.problem = f"the geometry could not be processed ({str(exc)[:120]})"
            yield record

    return ArchiveSource(path, f"{MULTI_DATE} ({label})", len(rows), [], days)


# --- the entry point ----------------------------------------------------------------------------------


def open_source(
    source: str | os.PathLike, *, kml_layers: Sequence[tuple[str, str]] = DEFAULT_KML_LAYERS
) -> ArchiveSource:
    """The archive at ``source`` (a folder, a zip or one file), its layout recognised from the content.

    ``kml_layers`` are (name fragment, layer) pairs, checked in order against a placemark's folder names,
    style and name (lower case). Raises ``FormatError`` naming the file when nothing matches.
    """
    path = Path(source)
    ignored: list[str] = []
    try:
        info = path.stat()
    except OSError as exc:
        raise FormatError(f"{path}: {exc.strerror or exc}") from None
    if stat.S_ISDIR(info.st_mode):
        return _daily_source(path, _folder_entries(path, ignored), ignored, closer=None, kml_layers=kml_layers)
    if not stat.S_ISREG(info.st_mode):
        raise FormatError(f"{path}: not a regular file or folder")
    with open(path, "rb") as handle:
        head = handle.read(4096)
    if not head.strip():
        raise FormatError(f"{path}: the file is empty")
    if head.startswith(b"\x1f\x8b"):
        _gunzipped_size(path)
        with gzip.open(path, "rb") as handle:
            inner = handle.read(256).lstrip(b"\xef\xbb\xbf \t\r\n")
        if not inner.startswith(b"{"):
            raise FormatError(f"{path}: a gzip file that does not hold GeoJSON")
        return _multi_source(path, "gzip")
    if head.startswith(b"SQLite format 3\x00"):
        return _multi_source(path, "gpkg")
    if head.startswith(b"PAR1"):
        return _multi_source(path, "parquet")
    day = date_from_name(path.stem)
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as probe:
                names = [i.filename.lower() for i in probe.infolist()]
        except (zipfile.BadZipFile, OSError) as exc:
            raise FormatError(f"{path}: not a zip archive, or a damaged one ({exc})") from None
        single_kmz = (
            day is not None
            and any(n.endswith(".kml") for n in names)
            and not any(date_from_name(PurePosixPath(n).stem) for n in names)
        )
        if not single_kmz:
            archive, entries = _zip_entries(path, ignored)
            return _daily_source(path, entries, ignored, closer=archive.close, kml_layers=kml_layers)
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"{") and info.st_size <= MAX_MULTI_DATE_BYTES and _is_multi_date_geojson(path):
        return _multi_source(path, "geojson")
    if day is not None and _kind(head) is not None:
        entries = [_Entry(path.name, day, _file_reader(path))]
        return _daily_source(path, entries, ignored, closer=None, kml_layers=kml_layers)
    raise FormatError(
        f"{path}: not a front-line archive in a known layout (a folder or zip of dated daily "
        "GeoJSON, owlmaps JSON or KML/KMZ files; one multi-date GeoJSON, GeoJSON.gz, GeoPackage "
        "or GeoParquet file; or one dated daily file)"
    )


def _is_multi_date_geojson(path: Path) -> bool:
    """A FeatureCollection whose first feature has a date property (read through GDAL, never all in Python)."""
    import pyogrio

    try:
        info = pyogrio.read_info(path)
    except Exception:
        return False
    return any(str(f).lower() in ("date", "day", "datetime") for f in info.get("fields", []))


__all__ = [
    "DAILY_GEOJSON",
    "DEFAULT_KML_LAYERS",
    "FORMATS",
    "KML",
    "MULTI_DATE",
    "OWLMAPS",
    "READ_LAYERS",
    "ArchiveDay",
    "ArchiveSource",
    "FormatError",
    "open_source",
    "read_day",
]
