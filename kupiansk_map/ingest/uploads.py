"""Read a user's file into the project's data model, safely: GeoJSON, GeoPackage, KML/KMZ, zipped Shapefile.

Offers:
- ``MAX_FILE_BYTES``: the largest upload accepted, ``validate.MAX_FILE_BYTES`` (25 MiB); checked before
  anything is parsed (for a file on disk, before it is read).
- ``MAX_ZIP_ENTRIES`` (1,000), ``MAX_UNCOMPRESSED_BYTES`` (100 MiB, all entries together),
  ``MAX_COMPRESSION_RATIO`` (100, for entries over ``RATIO_CHECK_BYTES``, 1 MiB): zip archives (zipped
  Shapefiles and KMZ) beyond these are refused before anything is extracted, as are archives with encrypted
  entries, symbolic links, absolute paths or ``..`` in a name (path traversal).
- ``MAX_FEATURES`` (100,000 per upload), ``MAX_LAYERS`` (100), ``MAX_XML_DEPTH`` (100 nested elements).
- ``FORMATS``: the formats read, by name.
- ``UploadResult``: the file name, its format, its layers (layer name to FeatureCollection), the problems
  (``validate.Problem``) and informative notes; ``layers_on(day)`` filters the layers to a date.
- ``read_upload``: read the bytes of an upload (for example Streamlit's ``UploadedFile.getvalue()``).
- ``read_upload_file``: read a file on disk, refusing it unread if it is too big.
- ``extract_zip``: unpack the dated files of an uploaded zip (a snapshot archive) under the same guards.

What happens to an upload:
- The format is recognised from the content (zip, SQLite and XML signatures, JSON), then the extension.
- GeoJSON goes through ``validate.load_feature_collection``. Every other format is converted to a GeoJSON
  FeatureCollection first: GeoPackage layers and Shapefiles are read with pyogrio from a private temporary
  folder (never ``data/geo/``) and reprojected to EPSG:4326 when they carry another CRS; a layer without a
  CRS is taken as lon/lat if its coordinates fit, and refused if they look projected. KML is parsed with
  expat with every DOCTYPE, ENTITY, notation or external reference refused (so XXE and "billion laughs"
  payloads are never expanded); its polygons are wound as RFC 7946 wants, since KML does not say.
- Every layer then passes ``validate.validate_object(..., require_model=False)``, the validator of the
  project's own data: user files need not carry the project's properties, but those present must be valid.
- A feature whose geometry or ``valid_from``/``valid_to`` has a problem is left out (it could not be drawn,
  or not be placed on the timeline). Wrong polygon winding is repaired. A duplicate or bad ``id`` is
  replaced by ``upload-<index>``, and any other bad project property (``status``, ``name``, ...) by the
  default below, its value kept as ``original_<key>``. Each repair is said in the problem's message.
- Output features keep their properties (values that are not text, numbers, booleans or null become
  text; NaN becomes null) and carry the data model: ``id`` (kept, else ``upload-<index>``), ``name`` (kept,
  else ``Name``/``NAME``/``title``, else the id), ``valid_from``/``valid_to`` (kept, else null: shown on
  every date), ``status`` (kept, else ``schematic``: an uploaded shape is not verified), ``source``
  (kept, else ``Uploaded file <name>``), ``note``, and ``area_km2``/``length_km`` measured geodesically
  (a different value the file carried is kept as ``original_area_km2``/``original_length_km``).
  Coordinates are lon/lat WGS84, 2D, rounded to 6 decimals, outer rings counter-clockwise.
- Nothing raises for bad input: every problem is a ``Problem`` naming the file (and the layer when the file
  has several), the feature (index and id) and the field.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import os
import re
import shutil
import stat
import tempfile
import zipfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any
from xml.etree.ElementTree import Element, TreeBuilder
from xml.parsers import expat

import numpy as np
import shapely
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

from kupiansk_map.geo import geojson
from kupiansk_map.geo.measure import geodesic_area_km2, geodesic_length_km
from kupiansk_map.model import features_on
from kupiansk_map.validate.checks import MAX_FILE_BYTES, Problem, format_size, load_feature_collection, validate_object

Collection = dict[str, Any]

MAX_ZIP_ENTRIES = 1000
MAX_UNCOMPRESSED_BYTES = 4 * MAX_FILE_BYTES
MAX_COMPRESSION_RATIO = 100
RATIO_CHECK_BYTES = 1024 * 1024
MAX_FEATURES = 100_000
MAX_LAYERS = 100
MAX_XML_DEPTH = 100
FORMATS: tuple[str, ...] = ("GeoJSON", "GeoPackage", "KML", "KMZ", "Shapefile (zip)")

_DEFAULT_STATUS = "schematic"
_NOTE = "Uploaded by the user; not checked against the project's sources."
_NAME_KEYS = ("name", "Name", "NAME", "title", "Title", "label")
_SHAPEFILE_PARTS = frozenset({".shp", ".shx", ".dbf", ".prj", ".cpg", ".qix", ".sbn", ".sbx"})
_MAX_TEXT = 10_000  # longest property text kept; longer values are cut
_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class UploadResult:
    """An upload read into the data model. ``layers`` is empty when nothing could be used."""

    name: str
    layers: dict[str, Collection]
    problems: list[Problem]
    format: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def feature_count(self) -> int:
        return sum(len(c["features"]) for c in self.layers.values())

    @property
    def dated(self) -> bool:
        """True when some feature has a ``valid_from`` or ``valid_to``: the upload follows the timeline."""
        return any(
            f["properties"].get("valid_from") or f["properties"].get("valid_to")
            for c in self.layers.values()
            for f in c["features"]
        )

    def layers_on(self, day: dt.date) -> dict[str, Collection]:
        """Each layer with only the features valid on ``day`` (undated features are always valid)."""
        return {key: geojson.feature_collection(features_on(c["features"], day)) for key, c in self.layers.items()}


class _Refused(Exception):
    """The whole file (or layer) is refused; the message says why."""


# --- entry points ---------------------------------------------------------------------------------------


def read_upload_file(path: str | os.PathLike, *, max_bytes: int = MAX_FILE_BYTES) -> UploadResult:
    """Read the upload at ``path``; a file over ``max_bytes`` is refused before it is read."""
    name = os.fsdecode(path)
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            return UploadResult(name, {}, [Problem(name, "this is not a regular file")])
        if info.st_size > max_bytes:
            return UploadResult(name, {}, [Problem(name, _too_big(info.st_size, max_bytes))])
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        return UploadResult(name, {}, [Problem(name, f"the file cannot be read: {exc.strerror or exc}")])
    return read_upload(data, name=name, max_bytes=max_bytes)


def extract_zip(
    data: bytes,
    *,
    name: str,
    target: str | os.PathLike,
    suffixes: tuple[str, ...] = (".geojson", ".json"),
    max_bytes: int = MAX_FILE_BYTES,
) -> list[Problem]:
    """Extract the regular files with ``suffixes`` from an uploaded zip into ``target``, flattened.

    The same guards as every upload apply before anything is written (size, entry count, bombs, traversal,
    links, encryption); each entry is written under its base name only. Returns the problems (empty when the
    archive was extracted); never raises for bad input.
    """
    if len(data) > max_bytes:
        return [
            Problem(
                name,
                f"the file is {format_size(len(data))}, over the limit of {format_size(max_bytes)}; it was "
                "refused before it was read",
            )
        ]
    folder = Path(target)
    try:
        archive = _open_zip(data)
        with archive:
            for info in _checked_entries(archive):
                base = PurePosixPath(info.filename).name
                if info.is_dir() or not base.lower().endswith(suffixes) or base.startswith("."):
                    continue
                with archive.open(info) as source, open(folder / base, "wb") as out:
                    shutil.copyfileobj(source, out, length=1 << 20)
    except _Refused as exc:
        return [Problem(name, str(exc))]
    except OSError as exc:
        return [Problem(name, f"could not be extracted ({exc.strerror or exc})")]
    return []


def read_upload(data: bytes, *, name: str, max_bytes: int = MAX_FILE_BYTES) -> UploadResult:
    """Read an upload's bytes into the data model; ``name`` is the file name (it names the problems)."""
    name = str(name) if name else "<upload>"
    if not isinstance(data, (bytes, bytearray, memoryview)):
        return UploadResult(name, {}, [Problem(name, f"expected the bytes of a file, got {type(data).__name__}")])
    size = data.nbytes if isinstance(data, memoryview) else len(data)
    if size > max_bytes:
        return UploadResult(name, {}, [Problem(name, _too_big(size, max_bytes))])
    data = bytes(data)
    if not data.strip():
        return UploadResult(name, {}, [Problem(name, "the file is empty")])
    fmt = _detect(data, name)
    reader = _READERS.get(fmt or "")
    if fmt is None or reader is None:
        return UploadResult(
            name,
            {},
            [
                Problem(
                    name,
                    (
                        "the format is not recognised; upload GeoJSON (.geojson/.json), GeoPackage (.gpkg), "
                        "KML (.kml), KMZ (.kmz) or a zipped Shapefile (.zip)"
                    ),
                )
            ],
        )
    job = _Job(name, fmt)
    try:
        reader(job, data)
    except _Refused as exc:
        job.problem(str(exc))
        job.layers.clear()
    except (MemoryError, RecursionError) as exc:
        job.problem(f"the file is too large or too deeply nested to read ({type(exc).__name__})")
        job.layers.clear()
    except Exception as exc:  # a reader bug must not become a traceback in the app
        job.problem(
            f"internal error while reading the file ({type(exc).__name__}: {_short(str(exc))}); "
            "nothing was read, please report this"
        )
        job.layers.clear()
    return UploadResult(name, job.layers, job.problems, job.format, job.notes)


# --- format detection -----------------------------------------------------------------------------------


def _detect(data: bytes, name: str) -> str | None:
    suffix = Path(name).suffix.lower()
    head = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "KMZ" if suffix == ".kmz" else "zip"
    if data.startswith(b"SQLite format 3\x00"):
        return "GeoPackage"
    if head.startswith(b"<") or data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "KML"
    if head.startswith((b"{", b"[")):
        return "GeoJSON"
    return {
        ".geojson": "GeoJSON",
        ".json": "GeoJSON",
        ".kml": "KML",
        ".gpkg": "GeoPackage",
        ".kmz": "not-zip",
        ".zip": "not-zip",
    }.get(suffix)


# --- collecting layers and problems ---------------------------------------------------------------------


class _Job:
    """The one place an upload's layers, problems and notes are gathered."""

    def __init__(self, name: str, fmt: str) -> None:
        self.name = name
        self.format = fmt
        self.layers: dict[str, Collection] = {}
        self.problems: list[Problem] = []
        self.notes: list[str] = []
        self.features_read = 0

    def problem(
        self,
        message: str,
        *,
        file: str | None = None,
        index: int | None = None,
        feature_id: str | None = None,
        field: str | None = None,
    ) -> None:
        self.problems.append(Problem(file or self.name, message, index, feature_id, field))

    def count(self, n: int) -> None:
        self.features_read += n
        if self.features_read > MAX_FEATURES:
            raise _Refused(f"the upload holds more than {MAX_FEATURES:,} features, the limit; nothing was read")

    def add_layer(
        self, key: str, collection: Any, *, label: str, origins: list[tuple[int, str | None]] | None = None
    ) -> None:
        """Validate one converted layer and keep its usable features. ``label`` names the layer in problems;
        ``origins`` maps each converted feature to the index and id it had in the file."""
        if len(self.layers) >= MAX_LAYERS:
            raise _Refused(f"the upload has more than {MAX_LAYERS} layers, the limit; nothing was read")
        problems = validate_object(collection, name=label, require_model=False)
        features = collection.get("features") if isinstance(collection, dict) else None
        if not isinstance(features, list):
            self.problems.extend(problems)
            return
        by_index: dict[int, list[Problem]] = {}
        for p in problems:
            if p.index is None:
                self.problems.append(p)
            else:
                by_index.setdefault(p.index, []).append(p)
        out: list[dict[str, Any]] = []
        used_ids: set[str] = set()
        for index, feat in enumerate(features):
            origin, origin_id = origins[index] if origins else (index, None)
            converted = _convert_feature(feat, index, by_index.get(index, []), used_ids, upload=self.name)
            for p in converted.problems:
                self.problems.append(replace(p, index=origin, feature_id=p.feature_id or origin_id))
            if converted.feature is not None:
                out.append(converted.feature)
        key = _unique_key(key, self.layers)
        self.layers[key] = geojson.feature_collection(out)
        if features and not out:
            self.notes.append(f"{label}: no feature could be used")


def _unique_key(key: str, taken: Mapping[str, Any]) -> str:
    key = re.sub(r"[^\w.-]+", "_", key).strip("_") or "upload"
    candidate, n = key, 2
    while candidate in taken:
        candidate, n = f"{key}_{n}", n + 1
    return candidate


# --- one feature: repair, or leave out ------------------------------------------------------------------


@dataclass
class _Converted:
    feature: dict[str, Any] | None
    problems: list[Problem]


def _convert_feature(feat: Any, index: int, problems: list[Problem], used_ids: set[str], *, upload: str) -> _Converted:
    """The feature in the data model, with the repairs said in its problems; None when it must be left out."""
    geometry_problems = [p for p in problems if (p.field or "").startswith("geometry") or p.field is None]
    blocking = [p for p in problems if p.field in ("type", "properties.valid_from", "properties.valid_to")]
    if not isinstance(feat, dict):
        return _Converted(None, [_left_out(p) for p in problems])
    geometry: BaseGeometry | None = None
    with np.errstate(all="ignore"):  # NaN coordinates are the validator's to report, not warnings
        if not any(p.field is None for p in geometry_problems):
            geometry = _read_geometry(feat.get("geometry"))
        if geometry is not None and geometry_problems and not _rewinding_fixes(geometry):
            geometry = None
    if geometry is None or blocking:
        return _Converted(None, [_left_out(p) for p in problems])
    try:
        geometry = geojson.to_rfc7946(shapely.force_2d(geometry))
    except ValueError as exc:
        return _Converted(
            None,
            [
                *[_left_out(p) for p in problems],
                Problem(upload, f"{exc}; the feature was left out", index, None, "geometry"),
            ],
        )
    said = [
        replace(p, message=p.message + "; repaired in the upload: the rings were re-wound") for p in geometry_problems
    ]
    props_in = feat.get("properties")
    props, repairs = _properties(
        props_in if isinstance(props_in, dict) else {}, feat, index, problems, used_ids, upload=upload
    )
    if not isinstance(props_in, dict) and props_in is not None:
        props["original_properties"] = _clean_value(props_in)
    _measure(props, geometry)
    out = {"type": "Feature", "properties": _ordered(props), "geometry": _listify(mapping(geometry))}
    return _Converted(out, said + repairs)


def _left_out(problem: Problem) -> Problem:
    return replace(problem, message=problem.message + "; the feature was left out")


def _read_geometry(value: Any) -> BaseGeometry | None:
    try:
        geometry = shape(value)
    except Exception:  # malformed: the validator has said why
        return None
    return None if geometry.is_empty else geometry


def _rewinding_fixes(geometry: BaseGeometry) -> bool:
    """True when the geometry passes the validator once its rings are wound as RFC 7946 wants."""
    try:
        rewound = shapely.orient_polygons(geometry, exterior_cw=False)
        probe = {
            "type": "FeatureCollection",
            "features": [{"type": "Feature", "properties": None, "geometry": _listify(mapping(rewound))}],
        }
    except Exception:
        return False
    return not validate_object(probe, name="probe", require_model=False)


def _properties(
    props: dict[str, Any], feat: dict[str, Any], index: int, problems: list[Problem], used_ids: set[str], *, upload: str
) -> tuple[dict[str, Any], list[Problem]]:
    out = {str(k): _clean_value(v) for k, v in props.items()}
    said: list[Problem] = []
    bad_keys: dict[str, list[Problem]] = {}
    for p in problems:
        if (p.field or "").startswith("properties.") or p.field in ("properties", "id"):
            bad_keys.setdefault((p.field or "").removeprefix("properties."), []).append(p)

    # id: kept when valid and unique, else upload-<index>
    raw_id = props.get("id") if "id" not in bad_keys else None
    if (
        raw_id is None
        and "id" not in bad_keys
        and isinstance(feat.get("id"), (str, int))
        and not isinstance(feat.get("id"), bool)
    ):
        raw_id = feat["id"]
    new_id = str(raw_id).strip() if isinstance(raw_id, (str, int)) and not isinstance(raw_id, bool) else ""
    if not new_id or new_id in used_ids:
        new_id = f"upload-{index}"
        n = 2
        while new_id in used_ids:
            new_id, n = f"upload-{index}-{n}", n + 1
    used_ids.add(new_id)
    if "id" in props and str(props["id"]) != new_id:
        out["original_id"] = _clean_value(props["id"])
    out["id"] = new_id

    defaults = {"status": _DEFAULT_STATUS, "source": f"Uploaded file {Path(upload).name}", "note": _NOTE}
    for key, key_problems in bad_keys.items():
        if key in ("id", "", "properties"):
            for p in key_problems:
                said.append(
                    replace(
                        p,
                        message=p.message + f"; repaired in the upload: the id is {new_id!r}"
                        if key == "id"
                        else p.message + "; the properties were left out",
                    )
                )
            continue
        if key in props:
            out[f"original_{key}"] = _clean_value(props[key])
        out.pop(key, None)
        replacement = defaults.get(key)
        if replacement is not None:
            out[key] = replacement
        for p in key_problems:
            said.append(
                replace(p, message=p.message + f"; repaired in the upload: the value is kept as original_{key}")
            )
    if not isinstance(out.get("name"), str) or not out["name"].strip():
        name = next(
            (
                props[k]
                for k in _NAME_KEYS
                if isinstance(props.get(k), (str, int, float))
                and not isinstance(props.get(k), bool)
                and str(props[k]).strip()
            ),
            None,
        )
        out["name"] = str(name)[:200] if name is not None else new_id
    for key in ("valid_from", "valid_to"):
        out[key] = props.get(key) if isinstance(props.get(key), str) else None
    for key, value in defaults.items():
        if out.get(key) is None or (key != "note" and not str(out.get(key)).strip()):
            out[key] = value
    return out, said


def _measure(props: dict[str, Any], geometry: BaseGeometry) -> None:
    if geometry.geom_type in ("Polygon", "MultiPolygon"):
        key, value = "area_km2", round(geodesic_area_km2(geometry), 3)
    elif geometry.geom_type in ("LineString", "MultiLineString"):
        key, value = "length_km", round(geodesic_length_km(geometry), 3)
    else:
        return
    previous = props.get(key)
    if previous is not None and previous != value:
        props[f"original_{key}"] = previous
    props[key] = value


def _ordered(props: dict[str, Any]) -> dict[str, Any]:
    first = ("id", "name", "valid_from", "valid_to", "status", "source", "note")
    return {**{k: props[k] for k in first}, **{k: props[k] for k in sorted(props) if k not in first}}


def _clean_value(value: Any) -> Any:
    """A JSON-safe property value: text, finite number, boolean or null; anything else becomes text."""
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value if abs(value) < 2**53 else str(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, str):
        return value[:_MAX_TEXT]
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray, memoryview)):
        return f"<{len(bytes(value))} bytes of binary data>"
    if isinstance(value, (dict, list, tuple)):
        try:
            return json.dumps(value, ensure_ascii=False, allow_nan=False, default=str)[:_MAX_TEXT]
        except (ValueError, RecursionError):
            return f"<{type(value).__name__}>"
    return str(value)[:_MAX_TEXT]


def _listify(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _listify(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_listify(v) for v in value]
    if isinstance(value, float):
        return round(value, geojson.COORDINATE_DECIMALS) if math.isfinite(value) else value
    return value


# --- GeoJSON --------------------------------------------------------------------------------------------


def _read_geojson(job: _Job, data: bytes) -> None:
    obj, problems = load_feature_collection(data, name=job.name)
    job.problems.extend(problems)
    if obj is None:
        return
    features = obj.get("features")
    job.count(len(features) if isinstance(features, list) else 0)
    job.add_layer(Path(job.name).stem, obj, label=job.name)


# --- GeoPackage and Shapefile (pyogrio) -----------------------------------------------------------------


def _read_gpkg(job: _Job, data: bytes) -> None:
    with tempfile.TemporaryDirectory(prefix="kupiansk-upload-") as folder:
        path = Path(folder) / "upload.gpkg"
        path.write_bytes(data)
        import pyogrio

        try:
            listed = pyogrio.list_layers(path)
        except Exception as exc:
            raise _Refused(f"not a readable GeoPackage ({_gdal_message(exc)})") from None
        if len(listed) == 0:
            raise _Refused("the GeoPackage has no layers")
        if len(listed) > MAX_LAYERS:
            raise _Refused(f"the GeoPackage has {len(listed)} layers; at most {MAX_LAYERS} are read")
        several = len(listed) > 1
        for layer_name, geometry_type in listed:
            label = f"{job.name}, layer {layer_name}" if several else job.name
            if geometry_type is None:
                job.notes.append(f"{job.name}: layer {layer_name} has no geometry and was skipped")
                continue
            _read_ogr_layer(job, path, layer=str(layer_name), key=str(layer_name), label=label)


def _read_shapefile_zip(job: _Job, archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> None:
    shapefiles = [i for i in infos if PurePosixPath(i.filename).suffix.lower() == ".shp"]
    wanted = [i for i in infos if PurePosixPath(i.filename).suffix.lower() in _SHAPEFILE_PARTS]
    with tempfile.TemporaryDirectory(prefix="kupiansk-upload-") as folder:
        root = Path(folder)
        paths = _extract(archive, wanted, root)
        several = len(shapefiles) > 1
        for info in shapefiles:
            entry = info.filename
            label = f"{job.name}, {entry}" if several else job.name
            _read_ogr_layer(job, paths[entry], layer=None, key=PurePosixPath(entry).stem, label=label)


def _read_ogr_layer(job: _Job, path: Path, *, layer: str | None, key: str, label: str) -> None:
    from pyogrio import raw

    try:
        meta, _, wkb, fields = raw.read(path, layer=layer, datetime_as_string=True, max_features=MAX_FEATURES + 1)
    except Exception as exc:
        job.problem(f"the layer cannot be read ({_gdal_message(exc)}); it was left out", file=label)
        return
    if wkb is None:
        job.notes.append(f"{label}: no geometry column; skipped")
        return
    job.count(len(wkb))
    with np.errstate(all="ignore"):  # NaN coordinates are reported by the validator, not as warnings
        geometries = shapely.force_2d(shapely.from_wkb(np.asarray(wkb, dtype=object), on_invalid="ignore"))
        try:
            geometries = _to_wgs84(geometries, meta.get("crs"), label=label, notes=job.notes)
        except _Refused as exc:
            job.problem(f"{exc}; the layer was left out", file=label)
            return
    names = [str(n) for n in meta.get("fields", [])]
    features: list[dict[str, Any]] = []
    origins: list[tuple[int, str | None]] = []
    for i, geometry in enumerate(geometries):
        props = {n: _clean_value(column[i]) for n, column in zip(names, fields, strict=True)}
        if geometry is None and wkb[i] is not None:
            job.problem(
                "the geometry cannot be read (a curved or otherwise unsupported geometry type); the "
                "feature was left out",
                file=label,
                index=i,
                feature_id=_id_of(props),
                field="geometry",
            )
            continue
        with np.errstate(all="ignore"):
            oriented = None if geometry is None else shapely.orient_polygons(geometry, exterior_cw=False)
        features.append(
            {
                "type": "Feature",
                "properties": props,
                "geometry": None if oriented is None else _listify(mapping(oriented)),
            }
        )
        origins.append((i, _id_of(props)))
    job.add_layer(key, geojson.feature_collection(features), label=label, origins=origins)


def _id_of(props: Mapping[str, Any]) -> str | None:
    value = props.get("id")
    return str(value) if value is not None else None


def _to_wgs84(geometries: np.ndarray, crs: Any, *, label: str, notes: list[str]) -> np.ndarray:
    """The geometries in lon/lat WGS84; without a CRS, only when the coordinates look like degrees."""
    from pyproj import CRS, Transformer

    present = geometries[~shapely.is_missing(geometries)]
    if not crs:
        coords = shapely.get_coordinates(present)
        finite = coords[np.isfinite(coords).all(axis=1)]
        if finite.size and (np.abs(finite[:, 0]).max() > 180 or np.abs(finite[:, 1]).max() > 90):
            x, y = finite[np.argmax(np.abs(finite).max(axis=1))]
            raise _Refused(
                f"the layer has no coordinate reference system (no .prj file or CRS) and its "
                f"coordinates, such as [{x:.6g}, {y:.6g}], look projected (metres), not longitude/"
                "latitude; save it with its CRS or reproject it to EPSG:4326"
            )
        notes.append(f"{label}: no coordinate reference system; the coordinates are taken as lon/lat WGS84")
        return geometries
    try:
        source = CRS.from_user_input(crs)
    except Exception:
        raise _Refused(f"the coordinate reference system {_short(str(crs))!r} is not understood") from None
    if source.equals(CRS.from_epsg(4326), ignore_axis_order=True):
        return geometries
    transformer = Transformer.from_crs(source, 4326, always_xy=True)
    described = source.to_string() if len(source.to_string()) < 40 else source.name
    notes.append(f"{label}: reprojected from {described} to EPSG:4326")
    return shapely.transform(geometries, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1])))


def _gdal_message(exc: Exception) -> str:
    """GDAL's message without the private temporary folder's path."""
    text = str(exc).replace(os.sep, "/")
    text = re.sub(r"'[^']*kupiansk-upload-[^']*'", "the file", text)
    text = re.sub(r"\S*kupiansk-upload-\S*", "the file", text)
    return _short(text, 160) or type(exc).__name__


# --- zip archives: zipped Shapefiles and KMZ ------------------------------------------------------------


def _read_zip(job: _Job, data: bytes) -> None:
    archive = _open_zip(data)
    with archive:
        infos = _checked_entries(archive)
        files = [i for i in infos if not i.is_dir()]
        suffixes = {PurePosixPath(i.filename).suffix.lower() for i in files}
        if job.format == "KMZ" or (".shp" not in suffixes and ".kml" in suffixes):
            job.format = "KMZ"
            _read_kmz(job, archive, files)
        elif ".shp" in suffixes:
            job.format = "Shapefile (zip)"
            _read_shapefile_zip(job, archive, files)
        else:
            raise _Refused("the zip archive holds no Shapefile (.shp with its .shx and .dbf) and no KML")


def _not_a_zip(job: _Job, data: bytes) -> None:
    job.format = "zip"
    raise _Refused(
        "not a zip archive: the file does not start with a zip signature, so it is damaged or in "
        "another format; zip the Shapefile's .shp, .shx, .dbf and .prj together"
    )


def _open_zip(data: bytes) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise _Refused(f"not a zip archive, or a damaged one ({_short(str(exc))})") from None


def _checked_entries(
    archive: zipfile.ZipFile, *, max_entries: int | None = None, max_total: int | None = None
) -> list[zipfile.ZipInfo]:
    """The archive's entries, after refusing bombs, traversal, links and encryption (nothing extracted yet).

    ``max_entries`` and ``max_total`` (all entries expanded) default to the upload limits; the archive
    store (``ingest``) passes larger ones, since a daily archive holds a file per day for years.
    """
    max_entries = MAX_ZIP_ENTRIES if max_entries is None else max_entries
    max_total = MAX_UNCOMPRESSED_BYTES if max_total is None else max_total
    infos = archive.infolist()
    if len(infos) > max_entries:
        raise _Refused(
            f"the zip archive has {len(infos):,} entries, over the limit of {max_entries:,}; nothing was extracted"
        )
    total = 0
    for info in infos:
        name = info.filename
        unsafe = _unsafe_name(name)
        if unsafe:
            raise _Refused(f"the zip entry {name[:200]!r} {unsafe}; the archive was refused and nothing was extracted")
        if stat.S_ISLNK(info.external_attr >> 16):
            raise _Refused(f"the zip entry {name[:200]!r} is a symbolic link; the archive was refused")
        if info.flag_bits & 0x1:
            raise _Refused(f"the zip entry {name[:200]!r} is encrypted; upload an archive without a password")
        total += info.file_size
        if info.file_size > RATIO_CHECK_BYTES and info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1):
            ratio = info.file_size / max(info.compress_size, 1)
            raise _Refused(
                f"the zip entry {name[:200]!r} expands {ratio:,.0f} times (to "
                f"{format_size(info.file_size)}), over the limit of {MAX_COMPRESSION_RATIO} times; this "
                "looks like a zip bomb, so the archive was refused and nothing was extracted"
            )
    if total > max_total:
        raise _Refused(
            f"the zip archive would expand to {format_size(total)}, over the limit of "
            f"{format_size(max_total)}; nothing was extracted"
        )
    return infos


def _unsafe_name(name: str) -> str | None:
    if not name or "\x00" in name:
        return "has an empty name or a NUL character"
    normal = name.replace("\\", "/")
    if normal.startswith("/") or re.match(r"^[A-Za-z]:", normal):
        return "has an absolute path (path traversal)"
    if any(part == ".." for part in normal.split("/")):
        return "climbs out of the archive with '..' (path traversal)"
    return None


def _read_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: list[int]) -> Iterator[bytes]:
    """The entry's bytes in chunks, never more than declared nor than the remaining budget."""
    read = 0
    with archive.open(info) as handle:
        while True:
            chunk = handle.read(_CHUNK)
            if not chunk:
                return
            read += len(chunk)
            budget[0] -= len(chunk)
            if read > info.file_size or budget[0] < 0:
                raise _Refused(
                    f"the zip entry {info.filename[:200]!r} expands beyond its declared size or the "
                    f"limit of {format_size(MAX_UNCOMPRESSED_BYTES)}; the archive was refused"
                )
            yield chunk


def _extract(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo], root: Path) -> dict[str, Path]:
    """Extract ``infos`` below ``root`` as plain files; returns entry name to path."""
    budget = [MAX_UNCOMPRESSED_BYTES]
    paths: dict[str, Path] = {}
    resolved_root = root.resolve()
    for info in infos:
        parts = [p for p in info.filename.replace("\\", "/").split("/") if p not in ("", ".")]
        target = root.joinpath(*parts)
        if resolved_root not in target.resolve().parents:
            raise _Refused(f"the zip entry {info.filename[:200]!r} would be written outside the archive's folder")
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            with open(target, "xb") as out:
                for chunk in _read_entry(archive, info, budget):
                    out.write(chunk)
        except FileExistsError:
            raise _Refused(f"the zip archive holds {info.filename[:200]!r} twice") from None
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
            raise _Refused(f"the zip entry {info.filename[:200]!r} cannot be extracted ({_short(str(exc))})") from None
        paths[info.filename] = target
    return paths


def _read_kmz(job: _Job, archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> None:
    kmls = [i for i in infos if PurePosixPath(i.filename).suffix.lower() == ".kml"]
    if not kmls:
        raise _Refused("the KMZ holds no .kml document")
    main = next((i for i in kmls if i.filename.lower() == "doc.kml"), kmls[0])
    if main.file_size > MAX_FILE_BYTES:
        raise _Refused(
            f"the KML inside the KMZ is {format_size(main.file_size)}, over the size limit of "
            f"{format_size(MAX_FILE_BYTES)}"
        )
    data = b"".join(_read_entry(archive, main, [MAX_FILE_BYTES]))
    label = f"{job.name}, {main.filename}" if len(kmls) > 1 else job.name
    if len(kmls) > 1:
        job.notes.append(f"{job.name}: {len(kmls)} KML documents inside; only {main.filename} was read")
    _read_kml_bytes(job, data, key=Path(job.name).stem, label=label)


# --- KML ------------------------------------------------------------------------------------------------


class _XmlRefused(Exception):
    pass


def _parse_xml(data: bytes) -> Element:
    """Parse XML with expat, refusing DOCTYPE, ENTITY, notation and external references outright."""
    builder = TreeBuilder()
    parser = expat.ParserCreate(namespace_separator="}")
    depth = [0]

    def refuse(what: str) -> Callable[..., Any]:
        def handler(*_: Any) -> Any:
            raise _XmlRefused(
                f"the file contains {what}; DOCTYPE and ENTITY declarations are refused because "
                "they can read local files (XXE) or expand into gigabytes (billion laughs), so "
                "nothing was read"
            )

        return handler

    def start(tag: str, attrs: dict[str, str]) -> None:
        depth[0] += 1
        if depth[0] > MAX_XML_DEPTH:
            raise _XmlRefused(f"the XML nests more than {MAX_XML_DEPTH} elements deep; nothing was read")
        builder.start(tag.rsplit("}", 1)[-1], {k.rsplit("}", 1)[-1]: v for k, v in attrs.items()})

    def end(tag: str) -> None:
        depth[0] -= 1
        builder.end(tag.rsplit("}", 1)[-1])

    parser.StartDoctypeDeclHandler = refuse("a DOCTYPE declaration")
    parser.EntityDeclHandler = refuse("an ENTITY declaration")
    parser.UnparsedEntityDeclHandler = refuse("an unparsed ENTITY declaration")
    parser.NotationDeclHandler = refuse("a NOTATION declaration")
    parser.ExternalEntityRefHandler = refuse("an external entity reference")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = builder.data
    parser.buffer_text = True
    parser.ordered_attributes = False
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise _XmlRefused(
            f"not well-formed XML at line {exc.lineno}, column {exc.offset + 1}: {expat.ErrorString(exc.code)}"
        ) from None
    return builder.close()


def _read_kml(job: _Job, data: bytes) -> None:
    _read_kml_bytes(job, data, key=Path(job.name).stem, label=job.name)


def _text(element: Element | None) -> str | None:
    if element is None:
        return None
    text = "".join(element.itertext()).strip()
    return text or None


def _child(element: Element, tag: str) -> Element | None:
    return next((c for c in element if c.tag == tag), None)


def _read_kml_bytes(job: _Job, data: bytes, *, key: str, label: str) -> None:
    try:
        root = _parse_xml(data)
    except _XmlRefused as exc:
        raise _Refused(str(exc)) from None
    if root.tag != "kml":
        raise _Refused(f"not a KML file: the root element is <{root.tag[:40]}>, not <kml>")
    placemarks = list(root.iter("Placemark"))
    job.count(len(placemarks))
    features: list[dict[str, Any]] = []
    origins: list[tuple[int, str | None]] = []
    for index, placemark in enumerate(placemarks):
        props: dict[str, Any] = {}
        if placemark.get("id"):
            props["id"] = placemark.get("id")
        for tag in ("name", "description"):
            if _text(_child(placemark, tag)) is not None:
                props[tag] = _text(_child(placemark, tag))
        extended = _child(placemark, "ExtendedData")
        if extended is not None:
            for data_el in extended.iter("Data"):
                if field := data_el.get("name"):
                    props[field] = _text(_child(data_el, "value"))
            for simple in extended.iter("SimpleData"):
                if field := simple.get("name"):
                    props[field] = _text(simple)
        feature_id = str(props.get("id") or props.get("name") or "") or None
        try:
            groups = _kml_geometries(placemark)
        except ValueError as exc:
            job.problem(
                f"{exc}; the feature was left out",
                file=label,
                index=index,
                feature_id=feature_id,
                field="geometry.coordinates",
            )
            continue
        if not groups:
            job.problem(
                "the placemark has no Point, LineString, LinearRing or Polygon; the feature was left out",
                file=label,
                index=index,
                feature_id=feature_id,
                field="geometry",
            )
            continue
        for n, geometry in enumerate(groups):
            part_props = dict(props)
            if len(groups) > 1 and "id" in part_props:
                part_props["id"] = f"{part_props['id']}-{n + 1}"
            features.append({"type": "Feature", "properties": part_props, "geometry": geometry})
            origins.append((index, feature_id))
    job.add_layer(key, geojson.feature_collection(features), label=label, origins=origins)


def _kml_coordinates(element: Element | None, where: str) -> list[list[float]]:
    text = _text(_child(element, "coordinates")) if element is not None else None
    if not text:
        raise ValueError(f"{where} has no coordinates")
    positions = []
    for k, token in enumerate(text.split()):
        values = token.split(",")
        try:
            numbers = [float(v) for v in values if v != ""]
        except ValueError:
            raise ValueError(f"{where}: position {k} {token[:40]!r} is not lon,lat[,altitude]") from None
        if len(numbers) < 2:
            raise ValueError(f"{where}: position {k} {token[:40]!r} needs a longitude and a latitude")
        positions.append(numbers[:2])
    return positions


def _kml_geometries(placemark: Element) -> list[dict[str, Any]]:
    """The placemark's geometries as GeoJSON dicts, one per kind (points, lines, polygons)."""
    points: list[list[float]] = []
    lines: list[list[list[float]]] = []
    polygons: list[list[list[list[float]]]] = []

    def walk(element: Element) -> None:
        for child in element:
            if child.tag == "Point":
                points.append(_kml_coordinates(child, "a Point")[0])
            elif child.tag in ("LineString", "LinearRing"):
                lines.append(_kml_coordinates(child, f"a {child.tag}"))
            elif child.tag == "Polygon":
                outer = _child(child, "outerBoundaryIs")
                rings = [
                    _kml_coordinates(
                        _child(outer, "LinearRing") if outer is not None else None, "a Polygon's outer boundary"
                    )
                ]
                for inner in (c for c in child if c.tag == "innerBoundaryIs"):
                    rings.append(_kml_coordinates(_child(inner, "LinearRing"), "a Polygon's inner boundary"))
                polygons.append(_wound(rings))
            elif child.tag == "MultiGeometry":
                walk(child)

    walk(placemark)
    out: list[dict[str, Any]] = []
    if points:
        out.append(
            {"type": "Point", "coordinates": points[0]}
            if len(points) == 1
            else {"type": "MultiPoint", "coordinates": points}
        )
    if lines:
        out.append(
            {"type": "LineString", "coordinates": lines[0]}
            if len(lines) == 1
            else {"type": "MultiLineString", "coordinates": lines}
        )
    if polygons:
        out.append(
            {"type": "Polygon", "coordinates": polygons[0]}
            if len(polygons) == 1
            else {"type": "MultiPolygon", "coordinates": polygons}
        )
    return out


def _wound(rings: list[list[list[float]]]) -> list[list[list[float]]]:
    """Rings wound as RFC 7946 wants (KML leaves the winding open): outer counter-clockwise, holes clockwise."""
    out = []
    for r, ring in enumerate(rings):
        xy = np.asarray(ring, dtype=float)
        if len(xy) >= 4 and np.isfinite(xy).all():
            area = float(np.dot(xy[:-1, 0], xy[1:, 1]) - np.dot(xy[1:, 0], xy[:-1, 1]))
            if (r == 0 and area < 0) or (r > 0 and area > 0):
                ring = ring[::-1]
        out.append(ring)
    return out


# --- small helpers --------------------------------------------------------------------------------------


def _too_big(size: int, limit: int) -> str:
    return (
        f"the file is {format_size(size)}, over the upload limit of {format_size(limit)}; it was refused without "
        "being read"
    )


def _short(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "..."


_READERS: dict[str, Callable[[_Job, bytes], None]] = {
    "GeoJSON": _read_geojson,
    "GeoPackage": _read_gpkg,
    "KML": _read_kml,
    "KMZ": _read_zip,
    "zip": _read_zip,
    "not-zip": _not_a_zip,
}

__all__ = [
    "FORMATS",
    "MAX_COMPRESSION_RATIO",
    "MAX_FEATURES",
    "MAX_FILE_BYTES",
    "MAX_LAYERS",
    "MAX_UNCOMPRESSED_BYTES",
    "MAX_XML_DEPTH",
    "MAX_ZIP_ENTRIES",
    "RATIO_CHECK_BYTES",
    "UploadResult",
    "extract_zip",
    "read_upload",
    "read_upload_file",
]
