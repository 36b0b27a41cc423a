"""Measured reference geography: the Oskil and the Russia-Ukraine border from GSHHG 2.3.7.

The build never calls GMT. It reads ``definitions/gshhg_extract.json``, which this module
writes from Debian's ``gmt`` + ``gmt-gshhg-full`` packages, so the extract can be regenerated
and checked against the original at any time.

Offers:
- ``GSHHG_CITATION``: the citation put on every feature made from the extract.
- ``EXTRACT_PATH``: where the committed extract lives.
- ``extract_gshhg``: run ``gmt coast`` and return the extract as a dict.
- ``write_extract``: write that dict as the committed JSON file.
- ``load_extract``: read the committed extract; ``oskil_line`` / ``border_line`` give shapely lines.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import LineString, MultiLineString, Point
from shapely.ops import linemerge

from kupiansk_map import paths

GSHHG_CITATION = "GSHHG 2.3.7 full resolution (Wessel & Smith), via Debian gmt-gshhg-full"
EXTRACT_PATH = paths.DEFINITIONS_DIR / "gshhg_extract.json"

# Region handed to gmt coast for each feature: lon_min/lon_max/lat_min/lat_max.
_RIVER_REGION = "36.5/38.6/48.9/51.0"
_BORDER_REGION = "33.8/39.2/49.5/52.2"
# The Oskil is kept between these latitudes: from above Valuyki to the Donets confluence.
_OSKIL_LAT_RANGE = (49.10, 50.30)
_KUPIANSK_CENTRE = (37.6167, 49.7064)


def _gmt_segments(args: list[str]) -> list[list[tuple[float, float]]]:
    gmt = shutil.which("gmt")
    if gmt is None:
        raise RuntimeError("gmt is not installed; install Debian's gmt and gmt-gshhg-full to regenerate the extract")
    with tempfile.TemporaryDirectory() as scratch:  # gmt leaves a history file in its working folder
        out = subprocess.run(
            [gmt, "coast", *args, "-Df", "-M"], check=True, capture_output=True, text=True, cwd=scratch
        ).stdout
    segments: list[list[tuple[float, float]]] = []
    for line in out.splitlines():
        if line.startswith(">"):
            segments.append([])
        elif line.strip():
            lon, lat = (float(v) for v in line.split()[:2])
            segments[-1].append((lon, lat))
    return [s for s in segments if len(set(s)) >= 2]


def _merge(segments: list[list[tuple[float, float]]]) -> list[LineString]:
    merged = linemerge(MultiLineString(segments))
    return list(merged.geoms) if isinstance(merged, MultiLineString) else [merged]


def _chain(lines: list[LineString], *, gap_deg: float) -> list[LineString]:
    """Join lines whose ends lie within ``gap_deg`` of each other (GSHHG bins leave small gaps)."""
    pieces = [list(line.coords) for line in lines]
    joined = True
    while joined:
        joined = False
        for i, a in enumerate(pieces):
            for j, b in enumerate(pieces):
                if i == j:
                    continue
                for candidate in (b, b[::-1]):
                    if Point(a[-1]).distance(Point(candidate[0])) <= gap_deg:
                        pieces[i] = a + candidate[1:] if a[-1] == candidate[0] else a + candidate
                        del pieces[j]
                        joined = True
                        break
                if joined:
                    break
            if joined:
                break
    return [LineString(p) for p in pieces]


def _coords(line: LineString) -> list[list[float]]:
    return [[round(x, 6), round(y, 6)] for x, y in line.coords]


def extract_gshhg() -> dict[str, Any]:
    """Run ``gmt coast`` for the Oskil and the national border and return the extract."""
    rivers = _merge(_gmt_segments([f"-R{_RIVER_REGION}", "-Ia"]))
    centre = Point(_KUPIANSK_CENTRE)
    oskil = min(rivers, key=centre.distance)
    lat_min, lat_max = _OSKIL_LAT_RANGE
    window = shapely.box(36.0, lat_min, 39.0, lat_max)
    oskil = oskil.intersection(window)
    if isinstance(oskil, MultiLineString):
        oskil = min(oskil.geoms, key=centre.distance)
    # GSHHG lists the Oskil from source to mouth, north to south.
    if oskil.coords[0][1] < oskil.coords[-1][1]:
        oskil = oskil.reverse()
    borders = _chain(_merge(_gmt_segments([f"-R{_BORDER_REGION}", "-N1"])), gap_deg=0.005)
    lon_min, lon_max, lat_min, lat_max = (float(v) for v in _BORDER_REGION.split("/"))
    clipped = shapely.box(lon_min, lat_min, lon_max, lat_max).intersection(MultiLineString(borders))
    borders = list(getattr(clipped, "geoms", [clipped]))
    borders.sort(key=lambda g: (-g.length, g.coords[0]))
    return {
        "source": GSHHG_CITATION,
        "command": f"gmt coast -Df -M; rivers -R{_RIVER_REGION} -Ia; borders -R{_BORDER_REGION} -N1",
        "oskil": _coords(oskil),
        "state_border": [_coords(line) for line in borders],
    }


def write_extract(extract: dict[str, Any], path: Path = EXTRACT_PATH) -> None:
    """Write the extract as stable JSON (one line per line feature)."""
    path.write_text(json.dumps(extract, separators=(",", ":")) + "\n", encoding="utf-8")


@lru_cache(maxsize=1)
def load_extract(path: Path = EXTRACT_PATH) -> dict[str, Any]:
    """The committed extract."""
    return json.loads(path.read_text(encoding="utf-8"))


def oskil_line() -> LineString:
    """The Oskil, north to south, in lon/lat."""
    return LineString(load_extract()["oskil"])


def border_line() -> MultiLineString:
    """The Russia-Ukraine border lines of the extract, in lon/lat."""
    return MultiLineString(load_extract()["state_border"])
