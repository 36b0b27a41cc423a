"""Import a folder of daily snapshots (DeepStateMap-style archives) into dated layers for an area of interest.

Offers:
- ``AOI_PRESETS``: ``kupiansk`` (30 km around the Kupiansk centre) and ``kursk`` (60 km around Sudzha).
- ``MAX_RADIUS_KM``: 300; the largest area of interest accepted.
- ``Aoi`` and ``parse_aoi``: an area of interest from a preset name, ``"LON,LAT,RADIUS_KM"`` or a tuple.
- ``date_from_name``: the date in a file name (``YYYYMMDD`` or ``YYYY-MM-DD`` anywhere in it).
- ``SkippedFile``, ``ImportReport``: what an import did, skipped and found missing.
- ``import_snapshots``: the importer.

Input: a folder of ``.geojson``/``.json`` files, one per day, the date in the name; each a FeatureCollection
whose Polygons and MultiPolygons together make up the occupied area that day (other geometries are
ignored). Files without a date in the name are listed as ignored; a second file with the same date is
skipped. A file larger than ``validate.MAX_FILE_BYTES`` (25 MiB), unreadable, not JSON, not a
FeatureCollection, holding a polygon that cannot be read (bad structure, NaN, coordinates that are not
lon/lat), or whose geometry GEOS cannot process makes a *corrupt* day; a date with no file between the
first and the last is a *missing* day. Both are reported and skipped, never abort the import, and break
the run of identical days (a state never covers a day nobody looked at). Invalid polygons are repaired
with ``make_valid`` and counted.

For each day: the polygons are clipped to the area of interest (a circle buffered in metres in its UTM
zone, ``crs.utm_epsg``: 37N east of 36° E, 36N from 30° E to 36° E) and measured geodesically. The front
line is the edge of the occupied area inside Ukraine (the AOI minus Russia, from the project's GSHHG border
through ``layers.state_border()``), without the AOI's own edge and the state border: edges within
``border_tolerance_m`` (1 km, the GSHHG accuracy) of the border are left out, since archives draw the border
differently; pieces under 100 m are dropped. The project has no coastline, so on a coast the shore would
count as front: keep AOIs inland (the two presets are).

Output, into ``out_dir`` (never ``data/geo/``; each file written to a temporary name and renamed, so a
reader never sees half a file): ``occupied.geojson`` and ``front_line.geojson`` in the project's data model,
one feature per run of identical consecutive days (``valid_from`` the first day, ``valid_to`` the day after
the last, exclusive; ``days`` the number of days), and ``series.csv`` with ``date,occupied_km2,
front_length_km`` for every imported day. A state whose area inside the AOI is empty gives no feature.

Memory: the files are read one at a time and only the current state's geometry is kept, so the import
runs in constant memory whatever the number of days. ``progress(done, total, name)`` is called after each
file, for a progress bar.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
import os
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Point, Polygon
from shapely.geometry.base import BaseGeometry

from kupiansk_map import atomic
from kupiansk_map.geo import geojson
from kupiansk_map.geo.crs import to_lonlat, to_metric, utm_epsg
from kupiansk_map.geo.geometry import front_line_of
from kupiansk_map.geo.measure import geodesic_area_km2, geodesic_length_km
from kupiansk_map.layers.definitions import places
from kupiansk_map.validate.checks import MAX_FILE_BYTES, REGION_BOUNDS, load_feature_collection

MAX_RADIUS_KM = 300.0
AOI_PRESETS: dict[str, tuple[float, float, float]] = {
    "kupiansk": (*places.KUPIANSK.lonlat, 30.0),
    "kursk": (*places.SUDZHA.lonlat, 60.0),
}
SUFFIXES: tuple[str, ...] = (".geojson", ".json")

_DATE_IN_NAME = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)|(?<!\d)(\d{4})(\d{2})(\d{2})(?!\d)")
_MIN_FRONT_M = 100.0
_MIN_PART_M2 = 100.0  # polygon parts under 100 m² after clipping are overlay slivers
_QUAD_SEGS = 64
_OUTPUTS = ("occupied.geojson", "front_line.geojson", "series.csv")

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class Aoi:
    """A circle of ``radius_km`` around (``lon``, ``lat``), named ``name``."""

    name: str
    lon: float
    lat: float
    radius_km: float

    @property
    def epsg(self) -> int:
        return utm_epsg(self.lon, self.lat)

    def metric(self) -> BaseGeometry:
        """The circle in its UTM zone (metres)."""
        return to_metric(Point(self.lon, self.lat), self.epsg).buffer(self.radius_km * 1e3, quad_segs=_QUAD_SEGS)

    def describe(self) -> str:
        return f"{self.radius_km:g} km around {self.lon:.4f}° E {self.lat:.4f}° N"


def parse_aoi(aoi: str | tuple[float, float, float] | Aoi) -> Aoi:
    """An ``Aoi`` from ``kupiansk``, ``kursk``, ``"LON,LAT,RADIUS_KM"`` or ``(lon, lat, radius_km)``.

    Raises ``ValueError`` naming what is wrong: the centre must lie in the map's region
    (``validate.REGION_BOUNDS``) and the radius be above 0 and at most ``MAX_RADIUS_KM``.
    """
    if isinstance(aoi, Aoi):
        return aoi
    name = None
    if isinstance(aoi, str):
        key = aoi.strip().lower()
        if key in AOI_PRESETS:
            name, values = key, AOI_PRESETS[key]
        else:
            parts = [p.strip() for p in aoi.split(",")]
            if len(parts) != 3:
                raise ValueError(
                    f"--aoi {aoi!r}: use {', '.join(AOI_PRESETS)} or LON,LAT,RADIUS_KM (for example 37.6,49.7,25)"
                )
            try:
                values = (float(parts[0]), float(parts[1]), float(parts[2]))
            except ValueError:
                raise ValueError(f"--aoi {aoi!r}: LON,LAT,RADIUS_KM must be three numbers") from None
    elif isinstance(aoi, (tuple, list)) and len(aoi) == 3:
        values = aoi
    else:
        raise ValueError(
            f"aoi: expected {', '.join(AOI_PRESETS)}, 'LON,LAT,RADIUS_KM' or a (lon, lat, radius_km) tuple, got {aoi!r}"
        )
    problems = []
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in values):
        raise ValueError(f"aoi: {values!r} must be three finite numbers")
    lon, lat, radius = (float(v) for v in values)
    lon_min, lat_min, lon_max, lat_max = REGION_BOUNDS
    if not (lon_min <= lon <= lon_max and lat_min <= lat <= lat_max):
        problems.append(
            f"the centre {lon:g}, {lat:g} (lon, lat) is outside the map's region (longitude "
            f"{lon_min:g}..{lon_max:g}, latitude {lat_min:g}..{lat_max:g})"
            + (
                "; did you swap longitude and latitude?"
                if lon_min <= lat <= lon_max and lat_min <= lon <= lat_max
                else ""
            )
        )
    if not 0 < radius <= MAX_RADIUS_KM:
        problems.append(f"the radius {radius:g} km must be above 0 and at most {MAX_RADIUS_KM:g} km")
    if problems:
        raise ValueError("aoi: " + "; ".join(problems))
    return Aoi(name or f"{lon:g},{lat:g},{radius:g}km", lon, lat, radius)


def date_from_name(name: str) -> dt.date | None:
    """The first real date written ``YYYYMMDD`` or ``YYYY-MM-DD`` in ``name``, else None."""
    for match in _DATE_IN_NAME.finditer(name):
        y, m, d = (int(g) for g in (match.groups()[:3] if match.group(1) else match.groups()[3:]))
        try:
            return dt.date(y, m, d)
        except ValueError:
            continue
    return None


@dataclass(frozen=True)
class SkippedFile:
    """A file that was not imported: its name, its date (if any) and why."""

    name: str
    date: str | None
    reason: str

    def __str__(self) -> str:
        return f"{self.name}" + (f" ({self.date})" if self.date else "") + f": {self.reason}"


@dataclass
class ImportReport:
    """What an import did. ``gaps`` are runs of missing days as (first, last) ISO dates, both included."""

    src_dir: str
    out_dir: str
    aoi: Aoi
    days_imported: int = 0
    states: int = 0
    first_day: str | None = None
    last_day: str | None = None
    skipped: list[SkippedFile] = field(default_factory=list)
    gaps: list[tuple[str, str]] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    repaired_polygons: int = 0
    other_geometries: int = 0
    outputs: list[str] = field(default_factory=list)

    @property
    def missing_days(self) -> int:
        return sum((dt.date.fromisoformat(b) - dt.date.fromisoformat(a)).days + 1 for a, b in self.gaps)

    @property
    def problems(self) -> list[str]:
        """One line per skipped file and per gap, for a CLI or the app."""
        lines = [f"skipped {s}" for s in self.skipped]
        for first, last in self.gaps:
            lines.append(
                f"missing: no file for {first}"
                if first == last
                else f"missing: no files from {first} to {last} "
                f"({(dt.date.fromisoformat(last) - dt.date.fromisoformat(first)).days + 1} days)"
            )
        return lines

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["skipped"] = [asdict(s) for s in self.skipped]
        out["gaps"] = [list(g) for g in self.gaps]
        out["missing_days"] = self.missing_days
        return out


# --- the region, once per AOI -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Frame:
    aoi: Aoi
    epsg: int
    aoi_m: BaseGeometry
    clip_box: tuple[float, float, float, float]  # lon/lat, padded
    region_m: BaseGeometry  # the AOI minus Russia
    border_zone_m: BaseGeometry | None  # within border_tolerance_m of the border


@lru_cache(maxsize=8)
def _frame(aoi: Aoi, border_tolerance_m: float) -> _Frame:
    from kupiansk_map.layers.builders import state_border

    border_line, russia = state_border()
    epsg = aoi.epsg
    aoi_m = aoi.metric()
    lon0, lat0, lon1, lat1 = to_lonlat(aoi_m, epsg).bounds
    pad = 0.02
    box = (lon0 - pad, lat0 - pad, lon1 + pad, lat1 + pad)
    russia_m = to_metric(shapely.clip_by_rect(russia, *box), epsg)
    region_m = aoi_m.difference(russia_m) if not russia_m.is_empty else aoi_m
    border = shapely.clip_by_rect(border_line, *box)
    zone = None
    if not border.is_empty and border_tolerance_m > 0:
        zone = to_metric(border, epsg).buffer(border_tolerance_m, quad_segs=16)
    return _Frame(aoi, epsg, aoi_m, box, region_m, zone)


# --- one day ------------------------------------------------------------------------------------------


class _Corrupt(Exception):
    """The day's file cannot be used; the message says why."""


@dataclass
class _Day:
    day: dt.date
    name: str
    occupied: BaseGeometry  # lon/lat, rounded and oriented; may be empty
    occupied_m: BaseGeometry
    key: bytes
    repaired: int
    other: int


def _polygons(collection: Any) -> tuple[np.ndarray, int]:
    """The polygon geometries of a parsed collection, and the count of other geometries."""
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        raise _Corrupt("not a GeoJSON FeatureCollection")
    features = collection.get("features")
    if not isinstance(features, list):
        raise _Corrupt('"features" is not an array')
    geometries: list[BaseGeometry] = []
    other = 0
    for index, feat in enumerate(features):
        geometry = feat.get("geometry") if isinstance(feat, dict) else None
        gtype = geometry.get("type") if isinstance(geometry, dict) else None
        if not isinstance(geometry, dict) or gtype not in ("Polygon", "MultiPolygon"):
            other += 1
            continue
        try:
            geometries.append(_shape(gtype, geometry.get("coordinates")))
        except Exception as exc:
            raise _Corrupt(
                f"feature {index}{_id_text(feat)}: geometry: the {gtype} cannot be read "
                f"({type(exc).__name__}: {str(exc)[:80]})"
            ) from None
    array = np.array(geometries, dtype=object)
    if array.size:
        coords, which = shapely.get_coordinates(array, return_index=True)
        bad = ~np.isfinite(coords).all(axis=1) | (np.abs(coords[:, 0]) > 180) | (np.abs(coords[:, 1]) > 90)
        if bad.any():
            k = int(np.flatnonzero(bad)[0])
            index = _feature_index(features, int(which[k]))
            x, y = coords[k]
            raise _Corrupt(
                f"feature {index}{_id_text(features[index])}: geometry.coordinates: [{x}, {y}] is not "
                "a finite longitude, latitude (projected coordinates or NaN)"
            )
    return array, other


def _rings(rings: Any) -> BaseGeometry:
    """A Polygon from GeoJSON rings, built in C from numpy arrays (``shape`` loops in Python per vertex)."""
    if not isinstance(rings, list) or not rings:
        raise ValueError("a polygon needs at least one ring")
    arrays = [np.asarray(ring, dtype=float) for ring in rings]
    if any(a.ndim != 2 or a.shape[1] < 2 for a in arrays):
        raise ValueError("a ring must be an array of [lon, lat] positions")
    built = [shapely.linearrings(a[:, :2]) for a in arrays]
    return shapely.polygons(built[0], built[1:] or None)


def _shape(gtype: str, coordinates: Any) -> BaseGeometry:
    if gtype == "Polygon":
        return _rings(coordinates)
    if not isinstance(coordinates, list) or not coordinates:
        raise ValueError("a MultiPolygon needs at least one polygon")
    return MultiPolygon([_rings(polygon) for polygon in coordinates])


def _feature_index(features: list[Any], polygon_number: int) -> int:
    seen = -1
    for index, feat in enumerate(features):
        geometry = feat.get("geometry") if isinstance(feat, dict) else None
        if isinstance(geometry, dict) and geometry.get("type") in ("Polygon", "MultiPolygon"):
            seen += 1
            if seen == polygon_number:
                return index
    return polygon_number


def _id_text(feat: Any) -> str:
    props = feat.get("properties") if isinstance(feat, dict) else None
    fid = (props.get("id") if isinstance(props, dict) else None) or (feat.get("id") if isinstance(feat, dict) else None)
    return f" (id {str(fid)[:60]!r})" if fid is not None else ""


def _polygonal(geometry: BaseGeometry) -> BaseGeometry:
    parts = shapely.get_parts(geometry)
    parts = parts[(shapely.get_type_id(parts) == 3)] if parts.size else parts
    if parts.size:
        parts = parts[shapely.area(parts) >= _MIN_PART_M2]
    if parts.size == 0:
        return Polygon()
    return parts[0] if parts.size == 1 else MultiPolygon(list(parts))


def _read_day(path: Path, day: dt.date, frame: _Frame, *, max_bytes: int) -> _Day:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise _Corrupt(f"the file is {size / 2**20:.1f} MiB, over the limit of {max_bytes / 2**20:.0f} MiB")
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise _Corrupt(f"the file cannot be read ({exc.strerror or type(exc).__name__})") from None
    collection, problems = load_feature_collection(data, name=path.name, max_bytes=max_bytes)
    fatal = [p for p in problems if p.field != "encoding"]
    if collection is None or fatal:
        shown = fatal[0] if fatal else (problems[0] if problems else None)
        raise _Corrupt(shown.message if shown else "the file could not be read")
    polygons, other = _polygons(collection)
    repaired = 0
    if polygons.size:
        invalid = ~shapely.is_valid(polygons)
        repaired = int(invalid.sum())
        if repaired:
            polygons[invalid] = shapely.make_valid(polygons[invalid])
        clipped = shapely.clip_by_rect(polygons, *frame.clip_box)
        clipped = clipped[~shapely.is_empty(clipped)]
        broken = ~shapely.is_valid(clipped)  # a fast clip does not promise valid output
        if broken.any():
            clipped[broken] = shapely.make_valid(clipped[broken])
        union = shapely.union_all(clipped) if clipped.size else Polygon()
    else:
        union = Polygon()
    if union.is_empty:
        occupied_m: BaseGeometry = Polygon()
    else:
        occupied_m = _polygonal(shapely.intersection(to_metric(union, frame.epsg), frame.aoi_m))
    occupied = Polygon()
    if not occupied_m.is_empty:
        try:
            occupied = geojson.to_rfc7946(to_lonlat(occupied_m, frame.epsg))
        except ValueError:  # collapsed when rounded: nothing left in the AOI
            occupied_m = Polygon()
    key = shapely.to_wkb(shapely.normalize(occupied)) if not occupied.is_empty else b""
    return _Day(day, path.name, occupied, occupied_m, key, repaired, other)


def _same(a: _Day, b: _Day) -> bool:
    if a.key == b.key:
        return True
    if a.occupied.is_empty or b.occupied.is_empty or a.occupied.bounds != b.occupied.bounds:
        return False
    return bool(a.occupied.equals(b.occupied))


def _front(day: _Day, frame: _Frame) -> BaseGeometry:
    """The day's front line in lon/lat (maybe empty): the occupied edge inside Ukraine, no border, no AOI edge."""
    if day.occupied_m.is_empty:
        return shapely.LineString()
    inside = _polygonal(shapely.intersection(day.occupied_m, frame.region_m))
    if inside.is_empty:
        return shapely.LineString()
    try:
        front_m = front_line_of(inside, frame.region_m, tolerance_m=1.0, min_length_m=_MIN_FRONT_M)
    except ValueError:  # no edge inside the region
        return shapely.LineString()
    if frame.border_zone_m is not None:
        front_m = shapely.difference(front_m, frame.border_zone_m)
    parts = shapely.get_parts(shapely.line_merge(front_m)) if not front_m.is_empty else np.array([])
    parts = parts[shapely.length(parts) >= _MIN_FRONT_M] if len(parts) else parts
    if len(parts) == 0:
        return shapely.LineString()
    merged = parts[0] if len(parts) == 1 else shapely.MultiLineString(list(parts))
    try:
        return geojson.to_rfc7946(to_lonlat(merged, frame.epsg))
    except ValueError:
        return shapely.LineString()


# --- output -------------------------------------------------------------------------------------------


class _CollectionWriter:
    """Writes a FeatureCollection feature by feature, in the layout of ``geojson.dumps``."""

    def __init__(self, handle: IO[str]) -> None:
        self.handle = handle
        self.count = 0
        handle.write('{"type":"FeatureCollection","features":[\n')

    def add(self, feat: dict[str, Any]) -> None:
        if self.count:
            self.handle.write(",\n")
        self.handle.write(json.dumps(feat, ensure_ascii=False, separators=(",", ":"), allow_nan=False))
        self.count += 1

    def close(self) -> None:
        self.handle.write("\n]}\n")


@dataclass
class _Run:
    """Identical consecutive days: the first day's geometry, measures and file names."""

    first: _Day
    last_day: dt.date
    last_name: str
    front: BaseGeometry
    area_km2: float
    front_km: float
    days: int = 1


def _write_run(
    run: _Run, frame: _Frame, occupied: _CollectionWriter, fronts: _CollectionWriter, *, status: str, source: str
) -> None:
    first = run.first.day.isoformat()
    valid_to = (run.last_day + dt.timedelta(days=1)).isoformat()
    files = run.first.name if run.days == 1 else f"{run.first.name} to {run.last_name}"
    span = first if run.days == 1 else f"{first} to {run.last_day.isoformat()}"
    common = {
        "valid_from": first,
        "valid_to": valid_to,
        "status": status,
        "source": f"{source}: {files}",
        "days": run.days,
        "aoi": frame.aoi.name,
    }
    merged = (
        "one day"
        if run.days == 1
        else f"{run.days} identical consecutive days merged, valid until the day after the last"
    )
    area_note = f"Occupied ground in the daily snapshots, clipped to {frame.aoi.describe()}; {merged}."
    if not run.first.occupied.is_empty:
        occupied.add(
            geojson.feature(
                run.first.occupied,
                {
                    "id": f"occupied-{first}",
                    "name": f"Occupied area, {span}",
                    "note": area_note,
                    "area_km2": round(run.area_km2, 3),
                    **common,
                },
            )
        )
    if not run.front.is_empty:
        fronts.add(
            geojson.feature(
                run.front,
                {
                    "id": f"front-{first}",
                    "name": f"Front line, {span}",
                    "note": (
                        "Edge of the occupied area inside Ukraine, without the state border and the edge of the area "
                        f"of interest ({frame.aoi.describe()}), for the same days."
                    ),
                    "length_km": round(run.front_km, 3),
                    **common,
                },
            )
        )


def _series_row(writer: Any, day: dt.date, run: _Run) -> None:
    writer.writerow([day.isoformat(), f"{run.area_km2:.3f}", f"{run.front_km:.3f}"])


def _measured(day: _Day, frame: _Frame) -> _Run:
    """A new run starting on ``day``: its front line, area and front length."""
    front = _front(day, frame)
    return _Run(
        day,
        day.day,
        day.name,
        front,
        0.0 if day.occupied.is_empty else geodesic_area_km2(day.occupied),
        0.0 if front.is_empty else geodesic_length_km(front),
    )


def _skip(report: ImportReport, path: Path, day: dt.date, reason: str) -> None:
    report.skipped.append(SkippedFile(path.name, day.isoformat(), reason))


# --- the import ---------------------------------------------------------------------------------------


def _dated_files(src: Path, report: ImportReport) -> list[tuple[dt.date, Path]]:
    dated: list[tuple[dt.date, Path]] = []
    for entry in sorted(os.scandir(src), key=lambda e: e.name):
        if entry.name.startswith(".") or not entry.is_file():
            continue
        path = Path(entry.path)
        day = date_from_name(path.stem)
        if path.suffix.lower() not in SUFFIXES or day is None:
            if path.name not in _OUTPUTS:
                report.ignored.append(path.name)
            continue
        dated.append((day, path))
    dated.sort(key=lambda item: (item[0], item[1].name))
    return dated


def _checked(src_dir: Any, out_dir: Any, aoi: Any, border_tolerance_m: Any, status: Any) -> tuple[Path, Path, Aoi]:
    """The one place the arguments are checked; raises ``ValueError`` listing every problem."""
    from kupiansk_map.layers.build import DATA_DIR
    from kupiansk_map.model import STATUSES

    problems: list[str] = []
    src = Path(src_dir)
    if not src.is_dir():
        problems.append(f"{src}: {'not a folder' if src.exists() else 'no such folder'}")
    out = Path(out_dir)
    try:
        if out.resolve() == Path(DATA_DIR).resolve() or Path(DATA_DIR).resolve() in out.resolve().parents:
            problems.append(f"{out}: the output folder must not be {DATA_DIR} (the project's built layers)")
    except OSError as exc:
        problems.append(f"{out}: {exc.strerror or exc}")
    if out.exists() and not out.is_dir():
        problems.append(f"{out}: the output path exists and is not a folder")
    try:
        parsed = parse_aoi(aoi)
    except ValueError as exc:
        problems.append(str(exc))
        parsed = None
    if (
        not isinstance(border_tolerance_m, (int, float))
        or isinstance(border_tolerance_m, bool)
        or not 0 <= border_tolerance_m <= 10_000
    ):
        problems.append(f"border_tolerance_m must be between 0 and 10,000 m, got {border_tolerance_m!r}")
    if status not in STATUSES:
        problems.append(f"status {status!r} is not one of {', '.join(STATUSES)}")
    if problems:
        raise ValueError("cannot import the snapshots:\n  " + "\n  ".join(problems))
    assert parsed is not None
    return src, out, parsed


def import_snapshots(
    src_dir: str | os.PathLike,
    *,
    aoi: str | tuple[float, float, float] | Aoi,
    out_dir: str | os.PathLike,
    progress: Progress | None = None,
    max_bytes: int = MAX_FILE_BYTES,
    border_tolerance_m: float = 1000.0,
    status: str = "assessed",
    source: str | None = None,
) -> ImportReport:
    """Import the dated files of ``src_dir`` for ``aoi`` into ``out_dir`` (see the module docstring).

    ``status`` (default ``assessed``, as for open-source trackers' maps) and ``source`` (default
    ``Snapshot archive <folder name>``; each feature adds its file names) go on every feature. Raises
    ``ValueError`` for bad arguments (listing them all) and ``OSError`` when ``out_dir`` cannot be written;
    a bad day is reported in the returned ``ImportReport``, never raised.
    """
    src, out, area = _checked(src_dir, out_dir, aoi, border_tolerance_m, status)
    frame = _frame(area, float(border_tolerance_m))
    report = ImportReport(str(src), str(out), area)
    label = source or f"Snapshot archive {src.resolve().name}"
    files = _dated_files(src, report)
    total = len(files)
    if not files:
        return report
    out.mkdir(parents=True, exist_ok=True)
    pending: list[atomic.AtomicFile] = []
    try:
        for name in _OUTPUTS:
            pending.append(atomic.AtomicFile(out / name, text=True))
        handles: list[IO[str]] = [p.handle for p in pending]
        occupied_w = _CollectionWriter(handles[0])
        front_w = _CollectionWriter(handles[1])
        series = csv.writer(handles[2], lineterminator="\n")
        series.writerow(["date", "occupied_km2", "front_length_km"])

        run: _Run | None = None
        previous_day: dt.date | None = None  # the last day read successfully, if the one before this
        expected: dt.date | None = None  # the day after the last dated file seen
        seen_dates: set[dt.date] = set()
        for done, (day, path) in enumerate(files, start=1):
            if day in seen_dates:
                report.skipped.append(
                    SkippedFile(path.name, day.isoformat(), "another file has the same date; only the first is read")
                )
                if progress:
                    progress(done, total, path.name)
                continue
            seen_dates.add(day)
            if expected is not None and day > expected:
                report.gaps.append((expected.isoformat(), (day - dt.timedelta(days=1)).isoformat()))
            expected = day + dt.timedelta(days=1)
            consecutive = previous_day is not None and day == previous_day + dt.timedelta(days=1)
            today, new_state = None, None
            try:
                today = _read_day(path, day, frame, max_bytes=max_bytes)
                if run is None or not consecutive or not _same(run.first, today):
                    new_state = _measured(today, frame)
            except _Corrupt as exc:
                today = None
                _skip(report, path, day, str(exc))
            except (MemoryError, RecursionError) as exc:
                today = None
                _skip(report, path, day, f"too large or too deeply nested to read ({type(exc).__name__})")
            except Exception as exc:  # a GEOS failure or a bug: report the day, never lose the whole import
                today = None
                _skip(
                    report, path, day, f"the geometry could not be processed ({type(exc).__name__}: {str(exc)[:120]})"
                )
            if today is None:
                previous_day = None  # a skipped day breaks the run
            else:
                report.days_imported += 1
                report.repaired_polygons += today.repaired
                report.other_geometries += today.other
                report.first_day = report.first_day or day.isoformat()
                report.last_day = day.isoformat()
                if new_state is None:
                    assert run is not None
                    run.last_day, run.last_name, run.days = day, today.name, run.days + 1
                else:
                    if run is not None:
                        _write_run(run, frame, occupied_w, front_w, status=status, source=label)
                        report.states += 1
                    run = new_state
                today.occupied_m = Polygon()  # keep only the run's geometry in memory
                _series_row(series, day, run)
                previous_day = day
            if progress:
                progress(done, total, path.name)
        if run is not None:
            _write_run(run, frame, occupied_w, front_w, status=status, source=label)
            report.states += 1
        occupied_w.close()
        front_w.close()
        if report.days_imported:
            for output in pending:
                report.outputs.append(str(output.commit()))
    finally:
        for output in pending:
            output.discard()  # nothing to do for a committed file; otherwise out_dir stays as it was
    return report


__all__ = [
    "AOI_PRESETS",
    "MAX_RADIUS_KM",
    "SUFFIXES",
    "Aoi",
    "ImportReport",
    "SkippedFile",
    "date_from_name",
    "import_snapshots",
    "parse_aoi",
]
