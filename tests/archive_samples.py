"""Made-up front-line archives in every layout the archive store reads, written by the tests themselves.

No third-party data: each day is a rectangle east of Kupiansk whose east edge moves with ``size``, so tests
choose which days are identical. ``ring(size)`` is lon/lat, counter-clockwise.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path

Ring = list[list[float]]
START = dt.date(2024, 11, 10)
SALIENT: Ring = [[35.10, 51.20], [35.30, 51.20], [35.30, 51.30], [35.10, 51.30], [35.10, 51.20]]


def ring(size: int = 0) -> Ring:
    """A rectangle of Russian-held ground east of Kupiansk; ``size`` moves its west edge 1 km per step."""
    west = round(37.70 - 0.014 * size, 6)
    return [[west, 49.78], [37.90, 49.78], [37.90, 49.95], [west, 49.95], [west, 49.78]]


def days(sizes: Sequence[int | None], *, start: dt.date = START) -> list[tuple[dt.date, int]]:
    """(date, size) for consecutive dates; None leaves that date out (a missing day)."""
    return [(start + dt.timedelta(days=k), s) for k, s in enumerate(sizes) if s is not None]


def feature_collection(rings: Iterable[Ring]) -> dict:
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {},
                "geometry": {"type": "MultiPolygon", "coordinates": [[r] for r in rings]},
            }
        ],
    }


def write_daily_geojson(
    folder: Path, plan: Sequence[tuple[dt.date, int]], *, dashed: bool = False, suffix: str = ".geojson"
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for day, size in plan:
        stamp = day.isoformat() if dashed else day.strftime("%Y%m%d")
        (folder / f"deepstatemap_data_{stamp}{suffix}").write_text(
            json.dumps(feature_collection([ring(size)])), encoding="utf-8"
        )
    return folder


def zip_folder(folder: Path, target: Path) -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.iterdir()):
            archive.write(path, f"archive/{path.name}")
    return target


def owl_day(size: int, *, salient: bool = True, swap: bool = False) -> dict:
    """An owlmaps day: rings [lat, lon] (or, with ``swap``, wrongly [lon, lat])."""

    def latlon(r: Ring) -> Ring:
        return [list(p) for p in r] if swap else [[lat, lon] for lon, lat in r]

    return {
        "areas": [latlon(ring(size))],
        "areas_ua": [latlon(SALIENT)] if salient else [],
        "frontline": [[49.95, 37.70], [49.78, 37.70]],
        "geos": {"ru": [{"c": [37.80, 49.85], "d": "made up"}], "ua": []},
        "units": {"ru": [], "ua": []},
        "unit_count": {"ru": 0, "ua": 0},
    }


def write_owlmaps(folder: Path, plan: Sequence[tuple[dt.date, int]], *, salient_until: dt.date | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for day, size in plan:
        held = salient_until is None or day < salient_until
        (folder / f"{day:%Y%m%d}.json").write_text(json.dumps(owl_day(size, salient=held)), encoding="utf-8")
    return folder


def kml_text(size: int, *, folder_name: str = "Russian-occupied territory", coords: Ring | None = None) -> str:
    points = " ".join(f"{lon},{lat},0" for lon, lat in (coords or ring(size)))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2"><Document>'
        f"<name>Control map</name><Folder><name>{folder_name}</name><Placemark><name>area</name>"
        f"<Polygon><outerBoundaryIs><LinearRing><coordinates>{points}</coordinates></LinearRing>"
        "</outerBoundaryIs></Polygon></Placemark></Folder>"
        "<Folder><name>Cities</name><Placemark><name>Kupiansk</name><Point><coordinates>37.6167,49.7064,0"
        "</coordinates></Point></Placemark></Folder></Document></kml>\n"
    )


def write_kml(
    folder: Path,
    plan: Sequence[tuple[dt.date, int]],
    *,
    kmz: bool = False,
    folder_name: str = "Russian-occupied territory",
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for day, size in plan:
        text = kml_text(size, folder_name=folder_name)
        if kmz:
            with zipfile.ZipFile(folder / f"control_{day:%Y-%m-%d}.kmz", "w", zipfile.ZIP_DEFLATED) as archive:
                archive.writestr("doc.kml", text)
        else:
            (folder / f"control_{day:%Y-%m-%d}.kml").write_text(text, encoding="utf-8")
    return folder


def multi_rows(plan: Sequence[tuple[dt.date, int]]) -> list[dict]:
    return [
        {
            "type": "Feature",
            "properties": {"id": k, "date": day.isoformat()},
            "geometry": {"type": "MultiPolygon", "coordinates": [[ring(size)]]},
        }
        for k, (day, size) in enumerate(plan)
    ]


def write_multi_geojson(
    path: Path, plan: Sequence[tuple[dt.date, int]], *, gz: bool = False, features: list[dict] | None = None
) -> Path:
    data = json.dumps({"type": "FeatureCollection", "features": features or multi_rows(plan)}).encode("utf-8")
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


def _frame(plan: Sequence[tuple[dt.date, int]]):
    import geopandas as gpd
    from shapely.geometry import Polygon

    return gpd.GeoDataFrame(
        {"date": [d.isoformat() for d, _ in plan]}, geometry=[Polygon(ring(s)) for _, s in plan], crs="EPSG:4326"
    )


def write_multi_gpkg(path: Path, plan: Sequence[tuple[dt.date, int]]) -> Path:
    _frame(plan).to_file(path, driver="GPKG", layer="front", engine="pyogrio")
    return path


def write_multi_parquet(path: Path, plan: Sequence[tuple[dt.date, int]]) -> Path:
    _frame(plan).to_parquet(path)
    return path


def zip_bomb(path: Path, *, inner: str = "deepstatemap_data_20241110.geojson") -> Path:
    """A zip whose one entry expands about 1,000 times (a few MB of spaces after a JSON start)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(inner, b"{" + b" " * (8 * 2**20) + b"}")
    return path


def gzip_bomb(path: Path) -> Path:
    path.write_bytes(gzip.compress(b'{"type": "FeatureCollection", "features": [' + b" " * (16 * 2**20) + b"]}"))
    return path
