"""Check GeoJSON files against RFC 7946 and this project's data model.

Offers:
- ``MAX_FILE_BYTES``: the largest input accepted (25 MiB). Anything bigger is refused before it is read.
- ``REGION_BOUNDS``: ``(lon_min, lat_min, lon_max, lat_max)`` of the map's region (Ukraine and western
  Russia). Positions outside it are reported.
- ``Problem``: one thing wrong with an input. ``str(problem)`` is a single line like
  ``FILE: feature 3 (id 'x'): properties.valid_to: MESSAGE``.
- ``load_feature_collection``: bytes to a parsed JSON object, plus the problems found while reading them
  (size, encoding, JSON syntax, nesting depth, NaN/Infinity literals, duplicate member names).
- ``validate_bytes``: every problem in raw bytes, for example an upload.
- ``validate_object``: every problem in an already parsed object.
- ``validate_file`` and ``validate_files``: every problem in one file or in several.
- ``format_size``: a byte count in words, for messages about limits.

Options, all keyword-only:
- ``require_model`` (default True): every feature must carry the project's properties
  (``model.REQUIRED_PROPERTIES``). With False, as for plain GeoJSON uploads, only the structure and the
  geometry are checked, plus the project's properties wherever they are present and not null.
- ``strict_format`` (default False): for the project's own output. Coordinates must also have at most
  ``geojson.COORDINATE_DECIMALS`` decimals. Polygon winding is always checked, because RFC 7946 requires it.
- ``max_bytes``: the size limit, ``MAX_FILE_BYTES`` by default.

None of these functions raise or print for bad input: each problem becomes a ``Problem``. Problems
that repeat for many positions of one feature are reported once per feature, with a count.
"""

from __future__ import annotations

import datetime as _dt
import itertools
import json
import math
import numbers
import os
import re
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple, TypeVar

import numpy as np
import shapely

from kupiansk_map.geo.geojson import COORDINATE_DECIMALS
from kupiansk_map.model import REQUIRED_PROPERTIES, STATUSES, parse_iso_date

MAX_FILE_BYTES: int = 25 * 1024 * 1024
REGION_BOUNDS: tuple[float, float, float, float] = (22.0, 44.0, 40.5, 56.5)

_MAX_DEPTH = 64  # JSON nesting refused above this; MultiPolygon files need about 8
_MAX_PROBLEMS = 1000  # per input; the rest are counted in one closing problem
_MAX_INT_DIGITS = 300  # longer integers are read as floats (Python refuses to read > 4300 digits)
_METRES_HINT = 1000.0  # coordinates beyond this look like projected metres, not degrees
_INTERNAL = "internal error in the validator"

_GEOMETRY_TYPES: tuple[str, ...] = (
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
)
# How deeply each geometry's coordinates nest: a Point is one array, a MultiPolygon four.
_COORDINATE_DEPTH: dict[str, int] = {
    "Point": 1,
    "MultiPoint": 2,
    "LineString": 2,
    "MultiLineString": 3,
    "Polygon": 3,
    "MultiPolygon": 4,
}
_COORDINATE_SHAPE: dict[str, str] = {
    "Point": "one position [lon, lat]",
    "MultiPoint": "an array of positions",
    "LineString": "an array of positions",
    "MultiLineString": "an array of lines, each an array of positions",
    "Polygon": "an array of rings, each an array of positions",
    "MultiPolygon": "an array of polygons, each an array of rings, each an array of positions",
}
_NUMERIC_PROPERTIES: tuple[str, ...] = ("area_km2", "length_km", "reported_area_km2", "distance_km")
_NULLABLE_NUMERIC: frozenset[str] = frozenset({"reported_area_km2"})
_FAST_NUMBER_TYPES: frozenset[type] = frozenset({int, float})
_DATE_PATTERN = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_EPSG_CODE = re.compile(r"EPSG:+(\d+)", re.IGNORECASE)
_GEOS_REASON = re.compile(r"(?P<what>.+?)\s*\[(?P<x>\S+) (?P<y>\S+)(?: \S+)?\]")
_GEOS_PLAIN: dict[str, str] = {
    "Self-intersection": "its outline crosses itself",
    "Ring Self-intersection": "a ring touches itself",
    "Too few points in geometry component": "it has too few distinct points",
    "Hole lies outside shell": "a hole lies outside its outer ring",
    "Nested holes": "a hole lies inside another hole",
    "Interior is disconnected": "its holes cut it into separate pieces",
    "Nested shells": "one polygon lies inside another",
    "Duplicate Rings": "two rings are the same",
    "Invalid Coordinate": "a coordinate is not a finite number",
    "Ring is not closed": "a ring is not closed",
}
_JSON_PLAIN: dict[str, str] = {
    "Expecting value": "expected a value",
    "Expecting ',' delimiter": "expected a comma",
    "Expecting ':' delimiter": "expected a colon",
    "Expecting property name enclosed in double quotes": "expected a member name in double quotes",
    "Unterminated string starting at": "a string is never closed",
    "Invalid control character at": "a raw control character (such as a tab or line break) sits inside a string",
    "Invalid \\escape": "a backslash escape is not valid",
    "Invalid \\uXXXX escape": "a \\u escape is not valid",
    "Extra data": "more data follows the end of the JSON value",
}

_T = TypeVar("_T")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input; ``index`` is None for problems with the file as a whole."""

    file: str
    message: str
    index: int | None = None
    feature_id: str | None = None
    field: str | None = None

    def __str__(self) -> str:
        parts = [self.file or "<unnamed>"]
        if self.index is not None:
            where = f"feature {self.index}"
            if self.feature_id is not None:
                where += f" (id {_quote(self.feature_id)})"
            parts.append(where)
        if self.field:
            parts.append(self.field)
        parts.append(self.message)
        return _one_line(": ".join(parts))


# --- collecting problems -------------------------------------------------------------------------------


class _Report:
    """The one place every problem of one input is gathered, with the per-feature caps."""

    def __init__(self, file: str) -> None:
        self.file = file
        self._problems: list[Problem] = []
        self._seen: set[tuple[int | None, str]] = set()
        self._dropped = 0

    def add(
        self,
        message: str,
        *,
        index: int | None = None,
        feature_id: str | None = None,
        field: str | None = None,
        kind: str | None = None,
    ) -> None:
        """Record a problem; with ``kind``, only the first of that kind per feature is kept."""
        if kind is not None:
            key = (index, kind)
            if key in self._seen:
                return
            self._seen.add(key)
        if len(self._problems) >= _MAX_PROBLEMS:
            self._dropped += 1
            return
        self._problems.append(Problem(self.file, message, index, feature_id, field))

    def feature(self, index: int, feature_id: str | None) -> _FeatureReport:
        return _FeatureReport(self, index, feature_id)

    def result(self) -> list[Problem]:
        problems = list(self._problems)
        if self._dropped:
            problems.append(
                Problem(
                    self.file,
                    f"{self._dropped} more problems were found but are not listed; fix the ones above and check again",
                )
            )
        return problems


class _FeatureReport:
    """Adds problems for one feature of a report."""

    __slots__ = ("feature_id", "index", "report")

    def __init__(self, report: _Report, index: int, feature_id: str | None) -> None:
        self.report = report
        self.index = index
        self.feature_id = feature_id

    def add(self, field: str | None, message: str, *, kind: str | None = None) -> None:
        self.report.add(message, index=self.index, feature_id=self.feature_id, field=field, kind=kind)


# Returned by a stage that could not produce its result; its problems are already reported.
_FAILED: Any = object()


def _safely(report: _Report, func: Callable[..., _T], *args: Any, **kwargs: Any) -> _T:
    """Run one stage of the checks; if it fails anyway, the failure becomes a problem, not a traceback."""
    try:
        return func(*args, **kwargs)
    except (RecursionError, MemoryError) as exc:
        report.add(f"the data is too large or too deeply nested to check ({type(exc).__name__})")
    except Exception as exc:  # a bug here must not turn bad input into a traceback
        report.add(f"{_INTERNAL} ({type(exc).__name__}); the checks stopped early, please report this")
    return _FAILED


# --- public functions ----------------------------------------------------------------------------------


def load_feature_collection(
    data: bytes, *, name: str, max_bytes: int = MAX_FILE_BYTES
) -> tuple[dict | None, list[Problem]]:
    """Parse ``data`` as JSON: the top-level object (None if unusable) and the problems met on the way.

    Reading problems are: too big, a byte order mark, bytes that are not UTF-8, JSON syntax errors,
    nesting deeper than 64 levels, NaN/Infinity literals and member names repeated within an object.
    A byte order mark, stray non-UTF-8 bytes, NaN and repeated names are reported but do not stop the
    parse, so that the rest of the file can still be checked. The object's GeoJSON content is not
    checked here; use ``validate_object`` for that.
    """
    report = _Report(_as_name(name))
    value = _safely(report, _load, data, report, max_bytes=max_bytes)
    if value is _FAILED:
        return None, report.result()
    if not isinstance(value, dict):
        _check_top_level_is_object(value, report)
        return None, report.result()
    return value, report.result()


def validate_object(obj: Any, *, name: str, require_model: bool = True, strict_format: bool = False) -> list[Problem]:
    """Every problem in ``obj``, a parsed GeoJSON FeatureCollection; ``name`` labels the problems."""
    report = _Report(_as_name(name))
    _safely(report, _check_collection, obj, report, require_model=require_model, strict_format=strict_format)
    return report.result()


def validate_bytes(
    data: bytes, *, name: str, max_bytes: int = MAX_FILE_BYTES, require_model: bool = True, strict_format: bool = False
) -> list[Problem]:
    """Every problem in ``data``, the bytes of a GeoJSON file; ``name`` labels the problems."""
    obj, problems = load_feature_collection(data, name=name, max_bytes=max_bytes)
    if obj is not None:
        problems += validate_object(obj, name=name, require_model=require_model, strict_format=strict_format)
    return problems


def validate_file(
    path: str | os.PathLike, *, max_bytes: int = MAX_FILE_BYTES, require_model: bool = True, strict_format: bool = False
) -> list[Problem]:
    """Every problem in the file at ``path``; files bigger than ``max_bytes`` are refused unread."""
    name = _path_name(path)
    report = _Report(name)
    data = _safely(report, _read_file, path, report, max_bytes=max_bytes)
    if data is _FAILED:
        return report.result()
    return validate_bytes(
        data, name=name, max_bytes=max_bytes, require_model=require_model, strict_format=strict_format
    )


def validate_files(
    paths: Iterable[str | os.PathLike],
    *,
    max_bytes: int = MAX_FILE_BYTES,
    require_model: bool = True,
    strict_format: bool = False,
) -> list[Problem]:
    """Every problem in each of ``paths``, in order; the options are those of ``validate_file``."""
    if isinstance(paths, (str, bytes, os.PathLike)):
        paths = [paths]
    problems: list[Problem] = []
    for path in paths:
        problems += validate_file(path, max_bytes=max_bytes, require_model=require_model, strict_format=strict_format)
    return problems


# --- reading files and bytes ---------------------------------------------------------------------------


def _read_file(path: Any, report: _Report, *, max_bytes: int) -> bytes:
    """The file's bytes, or ``_FAILED`` after reporting why they cannot be had."""
    if not isinstance(path, (str, bytes, os.PathLike)):
        report.add(f"{_describe(path)} is not a file path")
        return _FAILED
    try:
        info = os.stat(path)
        if stat.S_ISDIR(info.st_mode):
            report.add("this is a directory, not a file")
            return _FAILED
        if stat.S_ISREG(info.st_mode) and info.st_size > max_bytes:
            report.add(_too_big(info.st_size, max_bytes, what="file"))
            return _FAILED
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except (OSError, ValueError) as exc:
        report.add(_os_error_message(exc))
        return _FAILED
    if len(data) > max_bytes:  # the file grew, or is not a regular file
        report.add(_too_big(None, max_bytes, what="file"))
        return _FAILED
    return data


def _os_error_message(exc: BaseException) -> str:
    if isinstance(exc, FileNotFoundError):
        return "no such file"
    if isinstance(exc, NotADirectoryError):
        return "no such file (part of the path is not a directory)"
    if isinstance(exc, IsADirectoryError):
        return "this is a directory, not a file"
    if isinstance(exc, PermissionError):
        return "the file cannot be read: permission denied"
    if isinstance(exc, OSError):
        return f"the file cannot be read: {exc.strerror or type(exc).__name__}"
    return "the path is not usable (it contains a NUL character or similar)"


def _too_big(size: int | None, max_bytes: int, *, what: str) -> str:
    amount = f"is {format_size(size)}, which is" if size is not None else "is"
    if size is None:
        outcome = "reading stopped at the limit and nothing was checked"
    else:
        outcome = f"it was refused without being {'read' if what == 'file' else 'parsed'}"
    return f"the {what} {amount} over the size limit of {format_size(max_bytes)}; {outcome}"


def format_size(size: int) -> str:
    """A byte count in words: bytes, KiB or MiB."""
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KiB"
    return f"{size / (1024 * 1024):.1f} MiB"


def _load(data: Any, report: _Report, *, max_bytes: int) -> Any:
    """The JSON value in ``data``, or ``_FAILED``; every reading problem goes to ``report``."""
    if isinstance(data, memoryview):
        size = data.nbytes
    elif isinstance(data, (bytes, bytearray)):
        size = len(data)
    else:
        report.add(f"expected the bytes of a file, got {_describe(data)}")
        return _FAILED
    if size > max_bytes:
        report.add(_too_big(size, max_bytes, what="data"))
        return _FAILED
    raw = bytes(data)
    skipped = 0
    if raw.startswith(b"\xef\xbb\xbf"):
        report.add(
            "the file starts with a UTF-8 byte order mark (BOM), which RFC 7946 forbids; save it as UTF-8 without BOM",
            field="encoding",
        )
        raw, skipped = raw[3:], 3
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        report.add(
            "the file is UTF-16 (it starts with a UTF-16 byte order mark); GeoJSON must be UTF-8", field="encoding"
        )
        return _FAILED
    if not raw.strip():
        report.add("the file is empty")
        return _FAILED
    depth = _nesting_depth(raw)
    if depth > _MAX_DEPTH:
        report.add(
            f"the JSON is nested {depth} levels deep; files nested deeper than {_MAX_DEPTH} levels are "
            "refused (a GeoJSON MultiPolygon needs about 8)"
        )
        return _FAILED
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = exc.start
        line = raw.count(b"\n", 0, offset) + 1
        column = offset - (raw.rfind(b"\n", 0, offset) + 1) + 1
        report.add(
            f"byte {offset + skipped} (line {line}, column {column}) is 0x{raw[offset]:02x}, which is not "
            "UTF-8; GeoJSON must be UTF-8, and this file was probably saved in another encoding such as "
            "Latin-1 or Windows-1251 (bad bytes are read as U+FFFD below)",
            field="encoding",
        )
        text = raw.decode("utf-8", errors="replace")
    return _parse_json(text, report)


def _nesting_depth(raw: bytes) -> int:
    """The deepest nesting of arrays and objects, brackets inside strings ignored; linear and cheap."""
    brackets = raw.translate(None, _NOT_BRACKETS)
    if len(brackets) <= _MAX_DEPTH:
        return len(brackets)  # an upper bound, and small enough
    if b'"' in raw:
        brackets = _JSON_STRING.sub(b"", raw).translate(None, _NOT_BRACKETS)
    codes = np.frombuffer(brackets, dtype=np.uint8)
    if codes.size == 0:
        return 0
    steps = np.where((codes == ord("[")) | (codes == ord("{")), 1, -1).astype(np.int64)
    return int(np.cumsum(steps).max())


def _parse_json(text: str, report: _Report) -> Any:
    constants: list[str] = []
    repeated: list[str] = []

    def on_constant(literal: str) -> float:
        constants.append(literal)
        return {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}[literal]

    def on_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        obj = dict(pairs)
        if len(obj) != len(pairs):
            seen: set[str] = set()
            for key, _ in pairs:
                if key in seen:
                    repeated.append(key)
                seen.add(key)
        return obj

    def on_int(digits: str) -> int | float:
        return int(digits) if len(digits) <= _MAX_INT_DIGITS else float(digits)

    try:
        value = json.loads(text, parse_constant=on_constant, object_pairs_hook=on_object, parse_int=on_int)
    except json.JSONDecodeError as exc:
        report.add(_json_error_message(exc, text))
        return _FAILED
    except RecursionError:
        report.add("the JSON is nested too deeply to read")
        return _FAILED
    except ValueError as exc:
        report.add(f"the file is not valid JSON ({type(exc).__name__})")
        return _FAILED
    if constants:
        kinds = " and ".join(sorted({c.lstrip("-") for c in constants}))
        times = "" if len(constants) == 1 else f" ({len(constants)} times)"
        report.add(
            f"the file contains {kinds}{times}, which JSON does not allow; write a real number or null", field="json"
        )
    if repeated:
        names = ", ".join(_quote(name, 30) for name in sorted(set(repeated))[:5])
        report.add(
            f"member names repeat within one object ({names}); readers disagree on which value wins, "
            "so each name must appear once per object",
            field="json",
        )
    return value


def _json_error_message(exc: json.JSONDecodeError, text: str) -> str:
    plain = next((words for prefix, words in _JSON_PLAIN.items() if exc.msg.startswith(prefix)), None)
    plain = plain or exc.msg[:1].lower() + exc.msg[1:]
    message = f"not valid JSON at line {exc.lineno}, column {exc.colno}: {plain}"
    rest = text[exc.pos :].strip()  # a truncated file fails at its end, perhaps inside a last word like "nu"
    at_end = len(rest) < 20 and not any(mark in rest for mark in ",:]}\n") and exc.msg != "Extra data"
    if at_end or exc.msg.startswith("Unterminated string"):
        message += "; the file ends too early, so it may be truncated"
    return message


# --- the collection ------------------------------------------------------------------------------------


def _check_top_level_is_object(value: Any, report: _Report) -> bool:
    if isinstance(value, dict):
        return True
    report.add(
        f"the top level is {_describe(value)}, not a JSON object; a GeoJSON file holds one object "
        '{"type": "FeatureCollection", "features": [...]}'
    )
    return False


def _check_collection(obj: Any, report: _Report, *, require_model: bool, strict_format: bool) -> None:
    if not _check_top_level_is_object(obj, report):
        return
    kind = obj.get("type")
    if "type" not in obj:
        report.add('the top-level object has no "type"; it should be "FeatureCollection"', field="type")
    elif kind == "Feature":
        report.add(
            "the top level is a single Feature; put it in a FeatureCollection "
            '{"type": "FeatureCollection", "features": [...]}',
            field="type",
        )
    elif kind in _GEOMETRY_TYPES or kind == "GeometryCollection":
        report.add(
            f"the top level is a bare {kind} geometry; it should be a FeatureCollection of features", field="type"
        )
    elif kind != "FeatureCollection":
        report.add(f'the top-level type is {_describe(kind)}; it should be "FeatureCollection"', field="type")
    if "crs" in obj:
        _check_crs(obj["crs"], report)
    if "features" not in obj:
        if kind not in ("Feature", "GeometryCollection", *_GEOMETRY_TYPES):  # already said what it is
            report.add('the object has no "features" array', field="features")
        return
    features = obj["features"]
    if not isinstance(features, list):
        report.add(f'"features" is {_describe(features)}; it should be an array of features', field="features")
        return
    ids: dict[str, int] = {}
    for index, feature in enumerate(features):
        _check_feature(feature, index, report, ids, require_model=require_model, strict_format=strict_format)


def _check_crs(crs: Any, report: _Report) -> None:
    removed = (
        'the file has a "crs" member, which RFC 7946 removed: GeoJSON coordinates are always '
        "longitude, latitude in degrees on WGS84 (EPSG:4326)"
    )
    crs_name = None
    if isinstance(crs, dict) and isinstance(crs.get("properties"), dict):
        value = crs["properties"].get("name")
        crs_name = value[:200] if isinstance(value, str) else None
    if crs_name is None:
        report.add(f"{removed}; delete the member", field="crs")
        return
    kind = _crs_kind(crs_name)
    named = f"it names {_quote(crs_name)}"
    if kind == "projected":
        tail = (
            f"{named}, a projected system, so the coordinates look projected (metres, not degrees): "
            "reproject them to EPSG:4326 and delete the member"
        )
    elif kind == "wgs84":
        tail = f"{named}, which is WGS84 already, so just delete the member"
    elif kind == "geographic":
        tail = f"{named}, another geographic system: convert the coordinates to EPSG:4326 and delete the member"
    else:
        tail = f"{named}, which is not recognised: make sure the coordinates are lon/lat on WGS84 and delete it"
    report.add(f"{removed}; {tail}", field="crs")


def _crs_kind(crs_name: str) -> str | None:
    """'wgs84', 'geographic', 'projected' or None (unknown) for a CRS name such as 'EPSG:3857'."""
    if "CRS84" in crs_name.upper():
        return "wgs84"
    match = _EPSG_CODE.search(crs_name)
    code = int(match.group(1)) if match and len(match.group(1)) < 7 else None
    if code == 4326:
        return "wgs84"
    if code in (3857, 900913, 3395, 102100) or (
        code is not None and (32601 <= code <= 32660 or 32701 <= code <= 32760)
    ):
        return "projected"
    try:
        import pyproj

        crs = pyproj.CRS.from_user_input(f"EPSG:{code}" if code is not None else crs_name)
    except Exception:  # pyproj missing, or a name it does not know
        return None
    if crs.is_projected:
        return "projected"
    return "geographic" if crs.is_geographic else None


# --- one feature ---------------------------------------------------------------------------------------


def _check_feature(
    feature: Any, index: int, report: _Report, ids: dict[str, int], *, require_model: bool, strict_format: bool
) -> None:
    if not isinstance(feature, dict):
        report.add(f"this is {_describe(feature)}, not a Feature object", index=index)
        return
    feat = report.feature(index, _feature_id(feature))
    if "type" not in feature:
        feat.add("type", 'the feature has no "type"; it should be "Feature"')
    elif feature["type"] != "Feature":
        feat.add("type", f'the type is {_describe(feature["type"])}; it should be "Feature"')
    if "id" in feature and not _is_number(feature["id"]) and not isinstance(feature["id"], str):
        feat.add("id", f"a feature id must be a string or a number, not {_describe(feature['id'])}")
    _check_geometry(feature, feat, strict_format=strict_format)
    _check_properties(feature, feat, ids, require_model=require_model)


def _feature_id(feature: dict) -> str | None:
    """The id to name a feature by: ``properties.id``, else the feature's own ``id``."""
    props = feature.get("properties")
    candidates = [props.get("id")] if isinstance(props, dict) else []
    candidates.append(feature.get("id"))
    for value in candidates:
        key = _id_key(value)
        if key and key.strip():
            return key[:200]
    return None


def _id_key(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() < 200:
        return str(value)
    return None


# --- geometry ------------------------------------------------------------------------------------------


class _Segment(NamedTuple):
    """A run of positions read into an (n, 2) lon/lat array; ``single`` for a Point's one position."""

    path: str
    xy: np.ndarray
    single: bool


class _ShapeReader:
    """Reads a geometry's coordinates into arrays, reporting malformed pieces as it goes."""

    field = "geometry.coordinates"

    def __init__(self, feat: _FeatureReport) -> None:
        self.feat = feat
        self.segments: list[_Segment] = []
        self.lines: list[tuple[str, np.ndarray | None]] = []
        self.polygons: list[list[tuple[str, np.ndarray | None]]] = []
        self.complete = True

    def fail(self, message: str, *, kind: str = "structure") -> None:
        self.complete = False
        self.feat.add(self.field, message, kind=kind)

    def array(self, value: Any, path: str, expected: str) -> list | tuple | None:
        if isinstance(value, (list, tuple)):
            return value
        self.fail(f"{path} should be {expected}, but it is {_describe(value)}")
        return None

    def positions(self, value: Any, path: str) -> np.ndarray | None:
        seq = self.array(value, path, "an array of positions")
        if seq is None:
            return None
        xy = self._read(seq, lambda j: f"{path}[{j}]")
        if xy is not None and len(xy):
            self.segments.append(_Segment(path, xy, False))
        return xy

    def point(self, value: Any, path: str) -> None:
        xy = self._read([value], lambda j: path)
        if xy is not None:
            self.segments.append(_Segment(path, xy, True))

    def rings(self, value: Any, path: str) -> None:
        rings = self.array(value, path, "an array of rings")
        if rings is None:
            return
        if not rings:
            self.fail(f"the polygon {path} has no rings", kind="empty")
            return
        self.polygons.append([(f"{path}[{r}]", self.positions(ring, f"{path}[{r}]")) for r, ring in enumerate(rings)])

    def _read(self, seq: list | tuple, path_of: Callable[[int], str]) -> np.ndarray | None:
        if not seq:
            return np.empty((0, 2))
        try:
            arr = np.array(seq, dtype=np.float64)
        except Exception:  # ragged, non-numeric or too large: the slow path says what is wrong
            arr = None
        if (
            arr is not None
            and arr.ndim == 2
            and arr.shape[1] in (2, 3)
            and _FAST_NUMBER_TYPES.issuperset(map(type, itertools.chain.from_iterable(seq)))
        ):
            if arr.shape[1] == 3 and not np.isfinite(arr[:, 2]).all():
                j = int(np.flatnonzero(~np.isfinite(arr[:, 2]))[0])
                self.feat.add(
                    self.field, f"position {path_of(j)} has an altitude that is NaN or Infinity", kind="non-finite"
                )
            return arr[:, :2]
        return self._read_slowly(seq, path_of)

    def _read_slowly(self, seq: list | tuple, path_of: Callable[[int], str]) -> np.ndarray | None:
        rows: list[list[float]] = []
        ok = True
        for j, position in enumerate(seq):
            where = path_of(j)
            if not isinstance(position, (list, tuple)):
                self.fail(f"{where} should be a position [lon, lat], but it is {_describe(position)}", kind="position")
                ok = False
                continue
            if len(position) < 2:
                self.fail(
                    f"the position {where} has {_count(len(position), 'value')}; it needs longitude and latitude",
                    kind="position",
                )
                ok = False
                continue
            bad = next((k for k, v in enumerate(position) if not _is_number(v)), None)
            if bad is not None:
                self.fail(
                    f"{where}[{bad}] is {_describe(position[bad])}, not a number{_number_hint(position[bad])}",
                    kind="position-value",
                )
                ok = False
                continue
            if len(position) > 3:
                self.feat.add(
                    self.field,
                    f"the position {where} has {len(position)} values; a position is "
                    "[lon, lat] or [lon, lat, altitude]",
                    kind="position-length",
                )
            values = [_to_float(v) for v in position[:3]]
            if len(values) == 3 and not math.isfinite(values[2]):
                self.feat.add(
                    self.field, f"position {where} has an altitude that is NaN or Infinity", kind="non-finite"
                )
            rows.append(values[:2])
        return np.array(rows, dtype=np.float64).reshape(-1, 2) if ok else None


def _check_geometry(feature: dict, feat: _FeatureReport, *, strict_format: bool) -> None:
    if "geometry" not in feature:
        feat.add("geometry", 'the feature has no "geometry" member')
        return
    geom = feature["geometry"]
    if geom is None:
        feat.add("geometry", "the geometry is null, so there is nothing to draw")
        return
    if not isinstance(geom, dict):
        feat.add("geometry", f"the geometry is {_describe(geom)}, not a geometry object")
        return
    gtype = geom.get("type")
    if gtype == "GeometryCollection":
        feat.add("geometry.type", "GeometryCollection is not supported; put each geometry in its own feature")
        return
    if gtype not in _GEOMETRY_TYPES:
        hint = next(
            (
                f' (did you mean "{known}"?)'
                for known in _GEOMETRY_TYPES
                if isinstance(gtype, str) and gtype.lower() == known.lower()
            ),
            "",
        )
        what = (
            f"unknown geometry type {_quote(gtype)}"
            if isinstance(gtype, str)
            else f"the geometry type is {_describe(gtype)}"
        )
        feat.add("geometry.type", f"{what}{hint}; expected one of {', '.join(_GEOMETRY_TYPES)}")
        return
    if "coordinates" not in geom:
        feat.add("geometry.coordinates", f'the {gtype} has no "coordinates" member')
        return
    reader = _ShapeReader(feat)
    _read_coordinates(gtype, geom["coordinates"], reader)
    buildable = reader.complete
    buildable &= _check_positions(reader.segments, feat, strict_format=strict_format)
    buildable &= _check_lines(reader.lines, feat)
    buildable &= _check_rings(reader.polygons, feat)
    if buildable and gtype not in ("Point", "MultiPoint"):
        _check_validity(gtype, reader, feat)


def _read_coordinates(gtype: str, coords: Any, reader: _ShapeReader) -> None:
    if isinstance(coords, (list, tuple)) and not coords:
        reader.fail(f"the {gtype} is empty: it has no coordinates", kind="empty")
        return
    depth = _leading_depth(coords)
    expected = _COORDINATE_DEPTH[gtype]
    if depth is not None and depth != expected:
        reader.fail(
            f"the coordinates are nested {_count(depth, 'array')} deep, but a {gtype} needs {expected}: "
            f"{_COORDINATE_SHAPE[gtype]}"
        )
        return
    if gtype == "Point":
        reader.point(coords, "coordinates")
    elif gtype == "MultiPoint":
        reader.positions(coords, "coordinates")
    elif gtype == "LineString":
        reader.lines.append(("coordinates", reader.positions(coords, "coordinates")))
    elif gtype == "MultiLineString":
        for i, line in enumerate(coords):
            reader.lines.append((f"coordinates[{i}]", reader.positions(line, f"coordinates[{i}]")))
    elif gtype == "Polygon":
        reader.rings(coords, "coordinates")
    else:
        for i, polygon in enumerate(coords):
            reader.rings(polygon, f"coordinates[{i}]")


def _leading_depth(value: Any) -> int | None:
    """How many arrays deep the first elements go (0 for a scalar, at most 6); None if an empty array hides it."""
    depth = 0
    while isinstance(value, (list, tuple)) and depth < 6:
        if not value:
            return None
        depth += 1
        value = value[0]
    return depth


def _check_positions(segments: list[_Segment], feat: _FeatureReport, *, strict_format: bool) -> bool:
    """Finite, in range, in the region, not swapped, rounded: one vectorised pass over all positions."""
    if not segments:
        return True
    xy = np.concatenate([s.xy for s in segments]) if len(segments) > 1 else segments[0].xy
    starts = np.cumsum([0] + [len(s.xy) for s in segments[:-1]])

    def report(mask: np.ndarray, kind: str, message: Callable[[str, str], str]) -> bool:
        hits = np.flatnonzero(mask)
        if hits.size == 0:
            return False
        k = int(hits[0])
        s = int(np.searchsorted(starts, k, side="right") - 1)
        path = segments[s].path if segments[s].single else f"{segments[s].path}[{k - int(starts[s])}]"
        also = "" if hits.size == 1 else f" ({hits.size} positions like this)"
        feat.add("geometry.coordinates", message(path, _position_text(xy[k])) + also, kind=kind)
        return True

    lon, lat = xy[:, 0], xy[:, 1]
    lon_min, lat_min, lon_max, lat_max = REGION_BOUNDS
    with np.errstate(all="ignore"):
        finite = np.isfinite(xy).all(axis=1)
        out_of_range = finite & ((np.abs(lon) > 180) | (np.abs(lat) > 90))
        in_range = finite & ~out_of_range
        inside = in_range & (lon >= lon_min) & (lon <= lon_max) & (lat >= lat_min) & (lat <= lat_max)
        swapped = in_range & ~inside & (lat >= lon_min) & (lat <= lon_max) & (lon >= lat_min) & (lon <= lat_max)
        outside = in_range & ~inside & ~swapped
        too_precise = in_range & (np.round(xy, COORDINATE_DECIMALS) != xy).any(axis=1) if strict_format else None
    ok = not report(
        ~finite, "non-finite", lambda p, v: f"{p} = {v} holds NaN or Infinity; coordinates must be finite numbers"
    )
    if out_of_range.any():
        metres = bool(np.abs(xy[out_of_range]).max() > _METRES_HINT)
        hint = (
            "; values this large look like projected metres (for example Web Mercator EPSG:3857 or UTM), "
            "but GeoJSON files must hold longitude, latitude in degrees on WGS84 (EPSG:4326)"
            if metres
            else ""
        )
        report(
            out_of_range,
            "out-of-range",
            lambda p, v: f"{p} = {v} is outside longitude -180..180 / latitude -90..90{hint}",
        )
    report(
        swapped, "swapped", lambda p, v: f"{p} = {v} looks like latitude and longitude are swapped; write [lon, lat]"
    )
    report(
        outside,
        "outside-region",
        lambda p, v: (
            f"{p} = {v} is outside the map's region (longitude {lon_min}..{lon_max}, latitude {lat_min}..{lat_max})"
        ),
    )
    if too_precise is not None:
        report(
            too_precise,
            "decimals",
            lambda p, v: (
                f"{p} = {v} has more than {COORDINATE_DECIMALS} decimals; "
                f"round coordinates to {COORDINATE_DECIMALS} decimals"
            ),
        )
    return ok


def _check_lines(lines: list[tuple[str, np.ndarray | None]], feat: _FeatureReport) -> bool:
    ok = True
    for path, xy in lines:
        if xy is not None and len(xy) < 2:
            feat.add(
                "geometry.coordinates",
                f"the line {path} has {_count(len(xy), 'position')}; a line needs at least 2",
                kind="line-short",
            )
            ok = False
    return ok


def _check_rings(polygons: list[list[tuple[str, np.ndarray | None]]], feat: _FeatureReport) -> bool:
    """Each ring closed, at least 4 positions, outer rings counter-clockwise and holes clockwise."""
    ok = True
    wrong_winding: list[tuple[str, bool]] = []
    for rings in polygons:
        for r, (path, xy) in enumerate(rings):
            if xy is None:
                continue
            if len(xy) < 4:
                feat.add(
                    "geometry.coordinates",
                    f"the ring {path} has {_count(len(xy), 'position')}; a ring "
                    "needs at least 4, the last repeating the first",
                    kind="ring-short",
                )
                ok = False
            if len(xy) < 2 or not np.isfinite(xy).all():
                continue
            if not np.array_equal(xy[0], xy[-1]):
                feat.add(
                    "geometry.coordinates",
                    f"the ring {path} is not closed: it starts at "
                    f"{_position_text(xy[0])} but ends at {_position_text(xy[-1])}; "
                    "repeat the first position at the end",
                    kind="ring-unclosed",
                )
                ok = False
            elif len(xy) >= 4:
                area = _signed_area(xy)
                if (r == 0 and area < 0) or (r > 0 and area > 0):
                    wrong_winding.append((path, r == 0))
    if wrong_winding:
        path, outer = wrong_winding[0]
        message = (
            f"the outer ring {path} runs clockwise; RFC 7946 wants outer rings counter-clockwise"
            if outer
            else f"the hole {path} runs counter-clockwise; RFC 7946 wants holes clockwise"
        )
        if len(wrong_winding) > 1:
            message += f" ({len(wrong_winding)} rings are wound the wrong way)"
        feat.add("geometry.coordinates", message, kind="winding")
    return ok


def _signed_area(xy: np.ndarray) -> float:
    """Twice the signed area of a closed ring: positive when it runs counter-clockwise."""
    x = xy[:, 0] - xy[0, 0]
    y = xy[:, 1] - xy[0, 1]
    return float(np.dot(x[:-1], y[1:]) - np.dot(x[1:], y[:-1]))


def _check_validity(gtype: str, reader: _ShapeReader, feat: _FeatureReport) -> None:
    try:
        if gtype == "LineString":
            geometry = shapely.LineString(reader.lines[0][1])
        elif gtype == "MultiLineString":
            geometry = shapely.MultiLineString([xy for _, xy in reader.lines])
        else:
            polygons = [shapely.Polygon(rings[0][1], [xy for _, xy in rings[1:]]) for rings in reader.polygons]
            geometry = polygons[0] if gtype == "Polygon" else shapely.MultiPolygon(polygons)
        reason = shapely.is_valid_reason(geometry)
    except Exception as exc:  # GEOS refused to build it
        feat.add(
            "geometry", f"the geometry cannot be built ({type(exc).__name__}: {_short(str(exc), 120)})", kind="invalid"
        )
        return
    if reason is None or reason == "Valid Geometry":
        return
    match = _GEOS_REASON.fullmatch(reason)
    if match:
        what = match.group("what")
        plain = _GEOS_PLAIN.get(what, what[:1].lower() + what[1:])
        message = f"the geometry is not valid: {plain} near [{match.group('x')}, {match.group('y')}]"
    else:
        message = "the geometry is not valid"
    feat.add("geometry", f"{message} (shapely says {_quote(reason, 120)})", kind="invalid")


# --- properties ----------------------------------------------------------------------------------------


def _check_properties(feature: dict, feat: _FeatureReport, ids: dict[str, int], *, require_model: bool) -> None:
    if "properties" not in feature:
        if require_model:
            feat.add("properties", f'the feature has no "properties"; it needs {", ".join(REQUIRED_PROPERTIES)}')
        return
    props = feature["properties"]
    if props is None and not require_model:
        return
    if not isinstance(props, dict):
        feat.add("properties", f"properties is {_describe(props)}, not an object")
        return
    if require_model:
        for key in REQUIRED_PROPERTIES:
            if key not in props:
                feat.add(f"properties.{key}", f"the required property {key!r} is missing")

    def present(key: str) -> bool:
        """In the model every present value is checked; in plain GeoJSON a null counts as absent."""
        return key in props and (require_model or props[key] is not None)

    if present("id"):
        _check_id(props["id"], feat, ids)
    for key, may_be_empty in (("name", False), ("source", False), ("note", True)):
        if present(key):
            _check_text(key, props[key], feat, may_be_empty=may_be_empty)
    start = _read_date("valid_from", props.get("valid_from"), feat)
    end = _read_date("valid_to", props.get("valid_to"), feat)
    if start is not None and end is not None and end <= start:
        if end == start:
            feat.add(
                "properties.valid_to",
                f"valid_to equals valid_from ({start.isoformat()}); valid_to is "
                "exclusive, so the feature would be valid on no day at all",
            )
        else:
            feat.add(
                "properties.valid_to", f"valid_to ({end.isoformat()}) comes before valid_from ({start.isoformat()})"
            )
    if present("status"):
        status = props["status"]
        if not isinstance(status, str) or status not in STATUSES:
            feat.add(
                "properties.status",
                f"status is {_describe(status)}, which is not a known status; use one of: {', '.join(STATUSES)}",
            )
    for key in _NUMERIC_PROPERTIES:
        if key in props:
            _check_amount(key, props[key], feat, may_be_null=key in _NULLABLE_NUMERIC or not require_model)


def _check_id(value: Any, feat: _FeatureReport, ids: dict[str, int]) -> None:
    key = _id_key(value)
    if key is None:
        feat.add("properties.id", f"id should be a non-empty string (or an integer), not {_describe(value)}")
        return
    if not key.strip():
        feat.add("properties.id", "id is empty")
        return
    if key in ids:
        feat.add(
            "properties.id",
            f"the id {_quote(key)} is already used by feature {ids[key]}; ids must be unique within a file",
        )
    else:
        ids[key] = feat.index


def _check_text(key: str, value: Any, feat: _FeatureReport, *, may_be_empty: bool) -> None:
    if not isinstance(value, str):
        feat.add(
            f"properties.{key}",
            f"{key} should be {'a' if may_be_empty else 'a non-empty'} string, not {_describe(value)}",
        )
    elif not may_be_empty and not value.strip():
        feat.add(f"properties.{key}", f"{key} is empty")


def _read_date(key: str, value: Any, feat: _FeatureReport) -> _dt.date | None:
    """The date in ``value`` (None when null or wrong, a wrong value being reported)."""
    field = f"properties.{key}"
    if value is None:
        return None
    if isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
        return value
    if not isinstance(value, str):
        feat.add(field, f"{key} should be a date written YYYY-MM-DD, or null, not {_describe(value)}")
        return None
    if not _DATE_PATTERN.fullmatch(value):
        feat.add(field, f"{key} {_quote(value)} is not a date written YYYY-MM-DD")
        return None
    try:
        return parse_iso_date(value)
    except ValueError:
        feat.add(field, f"{key} {_quote(value)} is a date that does not exist")
        return None


def _check_amount(key: str, value: Any, feat: _FeatureReport, *, may_be_null: bool) -> None:
    if value is None and may_be_null:
        return
    if not _is_number(value) or not math.isfinite(_to_float(value)) or value < 0:
        allowed = " or null" if may_be_null else ""
        feat.add(
            f"properties.{key}", f"{key} should be a finite number of zero or more{allowed}, not {_describe(value)}"
        )


# --- small helpers -------------------------------------------------------------------------------------


def _is_number(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


def _to_float(value: Any) -> float:
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf


def _number_hint(value: Any) -> str:
    if isinstance(value, bool):
        return " (true and false are not numbers)"
    if isinstance(value, str):
        try:
            float(value)
        except ValueError:
            return ""
        return " (a number written as a string: remove the quotes)"
    if isinstance(value, (list, tuple)):
        return " (the coordinates are nested too deeply here)"
    return ""


def _position_text(xy: np.ndarray) -> str:
    return f"[{_number_text(float(xy[0]))}, {_number_text(float(xy[1]))}]"


def _number_text(value: float) -> str:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return repr(value)


def _describe(value: Any) -> str:
    """A short, safe description of any value (never recursive, never huge)."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return f"the number {value}" if value.bit_length() < 200 else "a very large integer"
    if isinstance(value, float):
        return f"the number {_number_text(value)}"
    if isinstance(value, str):
        return f"the string {_quote(value)}" if value else "an empty string"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, (list, tuple)):
        return "an empty array" if not value else f"an array of {_count(len(value), 'item')}"
    return f"a Python {type(value).__name__}"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit] + "..."


def _quote(text: str, limit: int = 60) -> str:
    return repr(_short(text, limit))


def _one_line(text: str) -> str:
    return " ".join(text.splitlines()).encode("utf-8", "backslashreplace").decode("utf-8")


def _as_name(name: Any) -> str:
    return name if isinstance(name, str) else _path_name(name)


def _path_name(path: Any) -> str:
    try:
        return os.fsdecode(path)
    except Exception:  # not a path at all
        return f"<{type(path).__name__}>"
