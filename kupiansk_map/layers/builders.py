"""Layer builders: turn the authored definitions into RFC 7946 feature collections.

Offers one public builder per published layer, each returning a FeatureCollection dict:
``build_kupiansk``, ``build_industrial_zone``, ``build_oskil``, ``build_railways``, ``build_occupied``,
``build_front_line``, ``build_front_buffer``, ``build_kursk_salient``, ``build_state_border``,
``build_places``, ``build_events``, ``build_front_overview``; ``BUILDERS`` and ``build_layers`` to build
them all; and ``state_border``, the border line and the Russian side, for other modules.

Buffers and distances are computed in UTM 37N (Kupiansk) or UTM 36N (Kursk); areas and lengths are
geodesic. ``build_front_buffer`` takes the front lines and the distance so the app can offer others.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import shapely
from shapely.geometry import LineString, Point, Polygon, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import nearest_points

from kupiansk_map.geo import geojson
from kupiansk_map.geo.crs import to_lonlat, to_metric
from kupiansk_map.geo.geometry import (
    border_sides,
    calibrate_area,
    drop_slivers,
    east_of,
    front_buffer,
    front_line_of,
    largest_part,
    repaired,
    river_north_of,
    sector,
)
from kupiansk_map.geo.measure import geodesic_area_km2, geodesic_length_km, offset_point
from kupiansk_map.layers import reference
from kupiansk_map.layers.definitions import citations, events, figures, places, shapes, timeline

Collection = dict[str, Any]
_log = logging.getLogger("kupiansk_map.layers.build")
KUP = timeline.KUPIANSK_UTM_EPSG
KUR = timeline.KURSK_UTM_EPSG
_MIN_PART_M2 = 1e6  # polygon parts under 1 km² are slivers of the overlay


@dataclass(frozen=True)
class _Context:
    """Geometry shared by several layers, computed once per build."""

    centre: Point
    city: Polygon
    oskil: LineString
    border: LineString
    russia: Polygon
    sector_m: Polygon  # the Kupiansk sector, Ukrainian side, UTM 37N
    place_points: Mapping[str, Point]


@lru_cache(maxsize=1)
def _context() -> _Context:
    centre = Point(places.KUPIANSK.lon, places.KUPIANSK.lat)
    border_lines = reference.border_line()
    border = max(border_lines.geoms, key=lambda g: g.length)
    russia, ukraine = border_sides(border)
    centre_m = to_metric(centre, KUP)
    west, south, east, north = (km * 1e3 for km in timeline.SECTOR_EXTENT_KM)
    sector_m = sector(centre_m, extent_m=(west, south, east, north)).intersection(to_metric(ukraine, KUP))
    return _Context(
        centre, Polygon(shapes.CITY_OUTLINE), reference.oskil_line(), border, russia, sector_m, _place_points()
    )


def state_border() -> tuple[LineString, Polygon]:
    """The Russia-Ukraine border line (GSHHG) and the Russian side of it, in lon/lat, for other modules."""
    ctx = _context()
    return ctx.border, ctx.russia


def _place_points() -> dict[str, Point]:
    points: dict[str, Point] = {}
    for place in places.PLACES:
        if place.offset is not None:
            origin = points[place.offset.from_id]
            points[place.id] = offset_point(
                origin, distance_km=place.offset.distance_km, bearing_deg=place.offset.bearing_deg
            )
        else:
            points[place.id] = Point(place.lon, place.lat)
    return points


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _feature(
    geometry: BaseGeometry,
    *,
    id: str,
    name: str,
    status: str,
    source: str,
    note: str,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A feature with the data-model properties plus ``area_km2`` or ``length_km`` measured geodesically.

    An invalid authored geometry is repaired and the repair is logged (the build command prints it).
    """
    geometry, problem = repaired(geometry)
    if problem:
        _log.warning("feature %r: %s; repaired with make_valid", id, problem)
    geometry = geojson.to_rfc7946(geometry)
    props: dict[str, Any] = {
        "id": id,
        "name": name,
        "valid_from": _iso(valid_from),
        "valid_to": _iso(valid_to),
        "status": status,
        "source": source,
        "note": note,
        **extra,
    }
    if geometry.geom_type in ("Polygon", "MultiPolygon"):
        props["area_km2"] = round(geodesic_area_km2(geometry), 3)
    elif geometry.geom_type in ("LineString", "MultiLineString"):
        props["length_km"] = round(geodesic_length_km(geometry), 3)
    return geojson.feature(geometry, props)


def _collection(features: list[dict[str, Any]]) -> Collection:
    return geojson.feature_collection(features)


# --- Places and context -------------------------------------------------------------------------------


def build_kupiansk() -> Collection:
    """The city outline, on both banks of the Oskil."""
    return _collection(
        [
            _feature(
                _context().city,
                id="kupiansk-city",
                name="Kupiansk",
                status="schematic",
                source=citations.PROJECT_SCHEMATIC,
                note="Schematic, approximate city outline on both banks of the Oskil; most of the city lies on the "
                "west bank.",
                population_prewar=figures.POPULATION_PREWAR.value,
                population_nov_2024=figures.POPULATION_NOV_2024.value,
                population_source=figures.POPULATION_PREWAR.source,
            )
        ]
    )


def build_industrial_zone() -> Collection:
    """The industrial zone and the suburbs that the 13 November 2024 assault partly entered."""
    source = f"{citations.PROJECT_SCHEMATIC}; entry reported by {citations.REUTERS_BESEDIN}"
    return _collection(
        [
            _feature(
                Polygon(shapes.INDUSTRIAL_ZONE),
                id="industrial-zone",
                name="Industrial zone",
                kind="industrial",
                note="Attackers partly entered the industrial zone on 13 November 2024. Schematic: the report "
                "does not say where in the city it lies.",
                status="schematic",
                source=source,
            ),
            _feature(
                Polygon(shapes.NORTHERN_SUBURBS),
                id="north-eastern-suburbs",
                name="North-eastern suburbs",
                kind="suburb",
                note="Attackers partly entered the suburbs on 13 November 2024. Schematic: drawn on the side the "
                "attack came from; the exact streets are not reported.",
                status="schematic",
                source=source,
            ),
        ]
    )


def build_oskil() -> Collection:
    """The Oskil from above Valuyki to the Siverskyi Donets, from GSHHG."""
    return _collection(
        [
            _feature(
                _context().oskil,
                id="oskil",
                name="Oskil river",
                status="assessed",
                source=reference.GSHHG_CITATION,
                note="River course from the GSHHG world database (WDB-II rivers); accurate to roughly 0.5-1 km. "
                "It flows from north to south through Kupiansk.",
            )
        ]
    )


def build_railways() -> Collection:
    """The lines radiating from the Kupiansk junction."""
    junction = _context().place_points["kupiansk-vuzlovyi"]
    return _collection(
        [
            _feature(
                LineString([(junction.x, junction.y), *coords]),
                id=line_id,
                name=name,
                status="schematic",
                source=citations.PROJECT_SCHEMATIC,
                note="Schematic: straight segments between the junction, stations and towns, not the track alignment.",
            )
            for line_id, (name, coords) in shapes.RAILWAYS.items()
        ]
    )


def build_state_border() -> Collection:
    """The Russia-Ukraine border from the Kursk salient to east of Kupiansk, from GSHHG."""
    return _collection(
        [
            _feature(
                _context().border,
                id="border-russia-ukraine",
                name="Russia-Ukraine state border",
                status="assessed",
                source=reference.GSHHG_CITATION,
                note="International border from the GSHHG world database, accurate to roughly 0.5-1 km.",
            )
        ]
    )


def build_places() -> Collection:
    """Named places used in the story."""
    points = _context().place_points
    return _collection(
        [
            _feature(
                points[p.id],
                id=p.id,
                name=p.name,
                status=p.status,
                source=p.source,
                note=p.note,
                kind=p.kind,
                region=p.region,
                country=p.country,
            )
            for p in places.PLACES
        ]
    )


# --- The Kupiansk sector ---------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _sector_states() -> tuple[tuple[timeline.SectorState, BaseGeometry, BaseGeometry], ...]:
    """Each sector state with its occupied area and front line, both in UTM 37N."""
    ctx = _context()
    city_m = to_metric(ctx.city, KUP)
    built = []
    for state in timeline.SECTOR_STATES:
        line: list[tuple[float, float]] = []
        river_m = None
        if state.river_until_lat is not None:
            river = river_north_of(ctx.oskil, state.river_until_lat)
            river_m = to_metric(river, KUP)
            line.extend(river.coords)
        line.extend(state.waypoints)
        occupied = ctx.sector_m.intersection(to_metric(east_of(LineString(line)), KUP))
        if river_m is not None:
            occupied = occupied.difference(river_m.buffer(timeline.EAST_BANK_SETBACK_M, quad_segs=16))
        if state.city_clearance_km is not None:
            occupied = occupied.difference(city_m.buffer(state.city_clearance_km * 1e3, quad_segs=64))
        occupied = drop_slivers(occupied, min_area_m2=_MIN_PART_M2)
        built.append((state, occupied, front_line_of(occupied, ctx.sector_m)))
    return tuple(built)


def build_occupied() -> Collection:
    """Dated polygons of Russian-held ground in the Kupiansk sector."""
    return _collection(
        [
            _feature(
                to_lonlat(occupied, KUP),
                id=f"occupied-{state.id}",
                name=state.name,
                status="schematic",
                source=state.source,
                note=f"Schematic outline. {state.note}",
                valid_from=state.valid_from,
                valid_to=state.valid_to,
            )
            for state, occupied, _ in _sector_states()
        ]
    )


def build_front_line() -> Collection:
    """Dated front lines: the edge of each occupied state inside Ukraine."""
    return _collection(
        [
            _feature(
                to_lonlat(front, KUP),
                id=f"front-{state.id}",
                name=f"Front line: {state.name}",
                status="schematic",
                source=state.source,
                valid_from=state.valid_from,
                valid_to=state.valid_to,
                note="Schematic line: the edge of the Russian-held area inside Ukraine, for the same dates. "
                + state.note,
            )
            for state, _, front in _sector_states()
        ]
    )


def build_front_buffer(
    front_lines: Collection | None = None, *, distance_km: float = timeline.FRONT_BUFFER_KM
) -> Collection:
    """For each dated front line, the zone within ``distance_km`` of it, buffered in UTM 37N."""
    front_lines = front_lines if front_lines is not None else build_front_line()
    out = []
    for feat in front_lines["features"]:
        props = feat["properties"]
        zone = front_buffer(to_metric(shape(feat["geometry"]), KUP), distance_km=distance_km)
        label = f"{distance_km:g} km"
        out.append(
            _feature(
                to_lonlat(zone, KUP),
                id=f"buffer-{props['id']}",
                name=f"Within {label} of the front line",
                status=props["status"],
                source=props["source"],
                valid_from=_date_or_none(props["valid_from"]),
                valid_to=_date_or_none(props["valid_to"]),
                distance_km=float(distance_km),
                front_id=props["id"],
                note=f"Ground within {label} of the schematic front line, measured in metres in UTM zone 37N.",
            )
        )
    return _collection(out)


def _date_or_none(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


# --- Kursk ------------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _kursk_states() -> tuple[tuple[timeline.KurskState, BaseGeometry], ...]:
    """Each Kursk state with its held area in UTM 36N, calibrated to the reported figure."""
    russia_m = to_metric(_context().russia.intersection(shapely.box(33.8, 50.3, 37.0, 52.2)), KUR)

    def area(geometry_m: BaseGeometry) -> float:
        return geodesic_area_km2(to_lonlat(geometry_m, KUR))

    built: list[tuple[timeline.KurskState, BaseGeometry]] = []
    for state in timeline.KURSK_STATES:
        clip = built[-1][1] if state.inside_previous else russia_m
        outline = to_metric(Polygon(state.outline), KUR)
        if state.figure is None:
            held = largest_part(outline.intersection(clip))
        else:
            held = calibrate_area(outline, clip=clip, target_km2=state.figure.value, area_km2=area)
        built.append((state, drop_slivers(held, min_area_m2=_MIN_PART_M2)))
    return tuple(built)


def build_kursk_salient() -> Collection:
    """Dated polygons of the Ukrainian-held area in Kursk region."""
    out = []
    for state, held in _kursk_states():
        fig = state.figure
        out.append(
            _feature(
                to_lonlat(held, KUR),
                id=f"kursk-{state.id}",
                name=state.name,
                status="schematic",
                source=f"{citations.PROJECT_SCHEMATIC}; area: {fig.source if fig else 'no reported figure'}",
                note="Outline schematic; " + ("area calibrated to the reported figure. " if fig else "") + state.note,
                valid_from=state.valid_from,
                valid_to=state.valid_to,
                reported_area_km2=fig.value if fig else None,
                area_status=fig.status if fig else None,
                area_source=fig.source if fig else None,
            )
        )
    return _collection(out)


# --- Events and the whole front ----------------------------------------------------------------------------


def _event_geometry(event: events.Event) -> BaseGeometry:
    ctx = _context()
    kind, _, rest = event.at.partition(":")
    if kind == "place":
        return ctx.place_points[rest]
    if kind == "industrial":
        return Polygon(shapes.INDUSTRIAL_ZONE).point_on_surface()
    if kind == "suburbs":
        return Polygon(shapes.NORTHERN_SUBURBS).point_on_surface()
    if kind == "border-near":
        return nearest_points(ctx.border, ctx.place_points[rest])[0]
    if kind == "offset":
        place_id, km, bearing = rest.split(":")
        return offset_point(ctx.place_points[place_id], distance_km=float(km), bearing_deg=float(bearing))
    if kind == "axis":
        return LineString(event.axis)
    raise ValueError(f"event {event.id!r}: unknown location {event.at!r}")


def build_events() -> Collection:
    """Dated events, claims and the assault axes of 13 November 2024."""
    out = []
    for event in events.EVENTS:
        extra: dict[str, Any] = {"kind": event.kind, "event_date": event.event_date.isoformat(), **dict(event.extra)}
        if event.claimant:
            extra["claimant"] = event.claimant
        if event.claim:
            extra["claim"] = event.claim
        out.append(
            _feature(
                _event_geometry(event),
                id=event.id,
                name=event.name,
                status=event.status,
                source=event.source,
                note=event.note,
                valid_from=event.valid_from,
                valid_to=event.valid_to,
                **extra,
            )
        )
    return _collection(out)


def build_front_overview() -> Collection:
    """The whole front line in November 2024, at small scale, sharing the Kupiansk sector's line."""
    state, _, front_m = next(item for item in _sector_states() if item[0].valid_to == timeline.STORY_END)
    sector_front = to_lonlat(front_m, KUP)
    if sector_front.geom_type != "LineString":
        raise ValueError(f"front state {state.id}: expected one continuous front line")
    coords = list(sector_front.coords)
    if coords[0][1] < coords[-1][1]:
        coords.reverse()
    line = LineString([*shapes.FRONT_OVERVIEW_NORTH, *coords, *shapes.FRONT_OVERVIEW_SOUTH])
    return _collection(
        [
            _feature(
                line.simplify(0.0005),
                id="front-overview-2024-11",
                name="Front line, November 2024",
                status="schematic",
                source=f"{citations.PROJECT_SCHEMATIC}; length: {figures.FRONT_LENGTH_KM.source}",
                note="Schematic, small-scale sketch of the whole front, from Kharkiv region to the Dnipro delta; near "
                "Kupiansk it follows the sector's front line. President Zelensky described a front of more than "
                "1,000 km; a sketch this coarse measures less.",
                valid_from=state.valid_from,
                valid_to=state.valid_to,
                reported_length_km=figures.FRONT_LENGTH_KM.value,
            )
        ]
    )


BUILDERS: dict[str, Callable[[], Collection]] = {
    "kupiansk": build_kupiansk,
    "industrial_zone": build_industrial_zone,
    "oskil": build_oskil,
    "railways": build_railways,
    "occupied": build_occupied,
    "front_line": build_front_line,
    "front_buffer": build_front_buffer,
    "kursk_salient": build_kursk_salient,
    "state_border": build_state_border,
    "places": build_places,
    "events": build_events,
    "front_overview": build_front_overview,
}


def build_layers() -> dict[str, Collection]:
    """Every published layer, keyed by layer id, in catalog order."""
    return {layer_id: builder() for layer_id, builder in BUILDERS.items()}
