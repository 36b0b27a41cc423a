"""Where two archives disagree: the ground one source has as Russian-held on a date and the other does not.

Offers:
- ``SourceFigures``: one archive's figures on the date: its Russian-held area in the AOI, and the distance from
  the city to its front line.
- ``Dispute``: both sources' figures, the disputed area (km²) and the two one-sided shapes (lon/lat).
- ``dispute(store, a, b, day, *, aoi=None, city=None)``: the comparison, or ``DisputeError`` naming each
  problem (an unknown archive, a date an archive does not hold).
- ``dispute_collection(dispute)``: the two one-sided shapes as a GeoJSON FeatureCollection with provenance.

The disputed area is the geodesic area (WGS84 ellipsoid) of the symmetric difference of the two Russian-held
(``occupied``) areas within the AOI: ground held by Russia in one source and not in the other. The overlay is
done in lon/lat, where RFC 7946 defines the edges as straight: reprojected first, two shapes that share an edge
would part by metres along it and leave slivers that no source drew. The AOI circle is drawn in its UTM zone and
brought back to lon/lat; areas are measured on the ellipsoid and distances in the city's UTM zone. Neither source
is taken as fact: both are trackers' assessments, and the figures say which source holds what.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import shapely
from shapely.geometry.base import BaseGeometry

from kupiansk_map.geo import geojson
from kupiansk_map.geo.crs import to_lonlat
from kupiansk_map.geo.measure import distance_km, geodesic_area_km2
from kupiansk_map.ingest import archive_store
from kupiansk_map.ingest.snapshots import Aoi
from kupiansk_map.model import require_date

_WHOLE_FRONT_EPSG = 32637  # UTM 37N, Kupiansk's zone: distances are measured there when no AOI is given


class DisputeError(ValueError):
    """A comparison that cannot be made; the message lists every problem."""


@dataclass(frozen=True)
class SourceFigures:
    """One archive on the date: its name, attribution, Russian-held km² in the AOI, km from the city to its front."""

    name: str
    attribution: str | None
    occupied_km2: float
    front_distance_km: float | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "attribution": self.attribution,
            "occupied_km2": round(self.occupied_km2, 2),
            "front_distance_km": None if self.front_distance_km is None else round(self.front_distance_km, 2),
        }


@dataclass(frozen=True)
class Dispute:
    """Two sources on one date: their figures, the disputed km² and where each alone has Russian-held ground."""

    day: dt.date
    aoi: Aoi | None
    a: SourceFigures
    b: SourceFigures
    only_a: BaseGeometry
    only_b: BaseGeometry
    only_a_km2: float
    only_b_km2: float

    @property
    def disputed_km2(self) -> float:
        return self.only_a_km2 + self.only_b_km2

    def as_dict(self) -> dict[str, Any]:
        return {
            "date": self.day.isoformat(),
            "aoi": None if self.aoi is None else self.aoi.describe(),
            "sources": [self.a.as_dict(), self.b.as_dict()],
            "disputed_km2": round(self.disputed_km2, 2),
            "only_in_a_km2": round(self.only_a_km2, 2),
            "only_in_b_km2": round(self.only_b_km2, 2),
            "measure": "geodesic area of the symmetric difference of the two Russian-held areas within the AOI",
        }


def _checked(con: sqlite3.Connection, names: Sequence[str], day: dt.date) -> None:
    """The one place the request is checked: every unknown archive and every date not held, all at once."""
    problems: list[str] = []
    for name in names:
        try:
            status = archive_store.day_status(con, name, day)
        except archive_store.ArchiveError as exc:
            problems.append(str(exc))
            continue
        if status != "ok":
            meta = archive_store.archive_meta(con, name)
            first, last = meta["first_day"], meta["last_day"]
            held = f"; it holds {first.isoformat()} to {last.isoformat()}" if first and last else ""
            problems.append(f"archive {name!r}: {day.isoformat()} {archive_store.NOT_MAPPED[status]}{held}")
    if problems:
        raise DisputeError("cannot compare the sources:\n  " + "\n  ".join(problems))


def _held(con: sqlite3.Connection, name: str, day: dt.date, aoi: BaseGeometry | None) -> BaseGeometry:
    held = archive_store.read_state(con, name, day, layer="occupied")
    if held is None:
        return shapely.Polygon()
    return held.intersection(aoi) if aoi is not None else held


def _front_distance(
    con: sqlite3.Connection, name: str, day: dt.date, city: BaseGeometry | None, epsg: int
) -> float | None:
    if city is None:
        return None
    front = archive_store.read_state(con, name, day, layer="front_line")
    return None if front is None else distance_km(city, front, epsg=epsg)


def _km2(geometry: BaseGeometry) -> float:
    return 0.0 if geometry.is_empty else geodesic_area_km2(geometry)


def dispute(
    store: str | os.PathLike | sqlite3.Connection | None,
    a: str,
    b: str,
    day: dt.date,
    *,
    aoi: Aoi | None = None,
    city: BaseGeometry | None = None,
) -> Dispute:
    """Compare archives ``a`` and ``b`` on ``day`` within ``aoi`` (the whole of both without one).

    ``city`` (lon/lat) is what each source's front-line distance is measured from; without it the distances are
    None. Raises ``DisputeError`` listing every problem: an archive the store does not hold, a date either
    archive does not hold (missing, skipped or outside its days)."""
    day = require_date(day)
    if a == b:
        raise DisputeError(f"cannot compare the sources:\n  archive {a!r} is given twice; pick two archives")
    with archive_store.reading(store) as con:
        _checked(con, (a, b), day)
        epsg = aoi.epsg if aoi is not None else _WHOLE_FRONT_EPSG
        circle = to_lonlat(aoi.metric(), aoi.epsg) if aoi is not None else None
        held_a = _held(con, a, day, circle)
        held_b = _held(con, b, day, circle)
        only_a = held_a.difference(held_b)
        only_b = held_b.difference(held_a)
        figures = [
            SourceFigures(
                name,
                archive_store.archive_meta(con, name).get("attribution"),
                _km2(held),
                _front_distance(con, name, day, city, epsg),
            )
            for name, held in ((a, held_a), (b, held_b))
        ]
    return Dispute(
        day=day,
        aoi=aoi,
        a=figures[0],
        b=figures[1],
        only_a=only_a,
        only_b=only_b,
        only_a_km2=_km2(only_a),
        only_b_km2=_km2(only_b),
    )


def dispute_collection(found: Dispute) -> dict[str, Any]:
    """The two one-sided shapes as an RFC 7946 FeatureCollection; each names which source holds what."""
    features = []
    for holder, other, geometry, km2 in (
        (found.a, found.b, found.only_a, found.only_a_km2),
        (found.b, found.a, found.only_b, found.only_b_km2),
    ):
        if geometry.is_empty:
            continue
        features.append(
            geojson.feature(
                geometry,
                {
                    "id": f"disputed-{holder.name}-{found.day.isoformat()}",
                    "name": f"Russian-held in {holder.name}, not in {other.name}",
                    "valid_from": found.day.isoformat(),
                    "valid_to": (found.day + dt.timedelta(days=1)).isoformat(),
                    "status": "assessed",
                    "source": f"Derived from archives {holder.name} and {other.name}",
                    "note": (
                        f"{km2:,.1f} km² that {holder.name} assesses as Russian-held on {found.day.isoformat()} and "
                        f"{other.name} does not. Both are trackers' assessments; neither is taken as fact."
                    ),
                    "area_km2": round(km2, 2),
                },
            )
        )
    return geojson.feature_collection(features)
