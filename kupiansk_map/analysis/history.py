"""Figures over time from one source: computed once per change date, never per day.

Offers:
- ``HistoryPoint``: the figures from one change date until the next (``until``, exclusive; None for the last).
- ``WeekChange``: one ISO week's net change in the source's Russian-held area (km²), None across a gap.
- ``ReportedMark``: a reported Kursk figure (value, date, who reported it, status; ``claimed-ua`` is Ukraine's
  own claim).
- ``History``: the points, the weeks and the marks of one source.
- ``change_dates``: every ``valid_from``/``valid_to`` of the situation layers' features (and their
  ``valid_spans``).
- ``history_from``: the history from a ``Callable[[date], layers]`` and the change dates.
- ``history_of``: the history of layers that hold every state (the built-in source).
- ``archive_history``: the history of an archive of the store (``ingest.sources.ArchiveSource``).
- ``weekly_change``: the ISO weeks' net change from the points.
- ``reported_marks``: the reported figures of the built-in Kursk features.
- ``step_rows``: one figure as chart rows: each unbroken run its own ``segment``, closed on its last day.
- ``FIGURES``: the point figures, with their units.
- ``CSV_TABLES`` and ``history_csv``: each chart's numbers as UTF-8 CSV, columns named in plain words with
  units; a not-mapped span is a row with empty values and the note "not mapped", never a zero.

Why per change date: a figure changes only where a state starts or ends, so the values at each change date
hold until the next one. A date no source describes (``coverage.mapped_ranges``) is a gap: None, never a zero
and never the previous value carried over.

The figures are measured as ``stats.figures_on`` measures them (the city outline in UTM 37N; the front line's
distance, the Russian-held ground within 10 and 20 km of the outline, measured geodesically), and rounded the
same way. Whole-front geometry is first clipped to a box around the city ``clip_km`` wider than the outline on
every side: the areas within ``within_km`` (at most ``clip_km``) are then exact, and so is the distance when the
nearest front point lies inside the box (any point outside it is farther than ``clip_km``); otherwise the
distance is measured to the whole line.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import shapely
from shapely.geometry import box, shape
from shapely.geometry.base import BaseGeometry

from kupiansk_map.analysis import coverage
from kupiansk_map.geo.crs import to_lonlat, to_metric
from kupiansk_map.geo.measure import geodesic_area_km2
from kupiansk_map.i18n import N_
from kupiansk_map.ingest.sources import ARCHIVE_LAYERS, ArchiveSource, StateSpan
from kupiansk_map.layers.definitions.timeline import KUPIANSK_UTM_EPSG as KUP
from kupiansk_map.model import features_on, parse_iso_date, require_date

Layers = Mapping[str, Mapping[str, Any]]
SITUATION_LAYERS: tuple[str, ...] = ("occupied", "front_line", "kursk_salient")
DEFAULT_WITHIN_KM: tuple[float, float] = (10.0, 20.0)
DEFAULT_CLIP_KM = 30.0
_ONE_DAY = dt.timedelta(days=1)

FIGURES: dict[str, tuple[str, str]] = {
    "city_to_front_km": (N_("Distance from the city to the front line"), "km"),
    "occupied_within_10km_km2": (N_("Russian-held ground within 10 km of the city"), "km²"),
    "occupied_within_20km_km2": (N_("Russian-held ground within 20 km of the city"), "km²"),
    "occupied_area_km2": (N_("Russian-held area of the source"), "km²"),
    "kursk_area_km2": (N_("Ukrainian-held area in Kursk region"), "km²"),
}


@dataclass(frozen=True)
class HistoryPoint:
    """The figures that hold from ``date`` up to, not including, ``until`` (None: the last change date)."""

    date: dt.date
    until: dt.date | None
    city_to_front_km: float | None
    occupied_within_10km_km2: float | None
    occupied_within_20km_km2: float | None
    occupied_area_km2: float | None
    kursk_area_km2: float | None
    distance_clipped: bool = False  # measured on the clipped line (exact, see the module docstring)
    kursk_outline_only: bool = False  # a schematic Kursk state with no reported figure: it only marks a place

    def value(self, key: str) -> float | None:
        if key not in FIGURES:
            raise KeyError(f"{key!r} is not a history figure; known: {', '.join(FIGURES)}")
        value: float | None = getattr(self, key)
        return value

    def shown(self, key: str) -> float | None:
        """``value``, except a Kursk outline that only marks a place: its area is no figure to read (None)."""
        return None if key == "kursk_area_km2" and self.kursk_outline_only else self.value(key)


@dataclass(frozen=True)
class WeekChange:
    """ISO week ``year``-W``week`` (``monday`` its first day): the Russian-held area on ``last_day`` (its last
    mapped day) and ``change_km2``, that minus the previous week's, None when either week is not mapped or a
    not-mapped day lies between them."""

    year: int
    week: int
    monday: dt.date
    last_day: dt.date | None
    area_km2: float | None
    change_km2: float | None


@dataclass(frozen=True)
class ReportedMark:
    """A reported figure for the Kursk area: ``area_km2`` for the state from ``date`` to ``until`` (exclusive),
    reported by ``source``; ``status`` ``claimed-ua`` is a claim by Ukraine, not an independent figure."""

    date: dt.date
    until: dt.date | None
    area_km2: float
    source: str
    status: str
    state: str

    @property
    def is_claim(self) -> bool:
        return self.status.startswith("claimed")


@dataclass(frozen=True)
class History:
    """A source's figures over time: ``points`` per change date, ``weeks``, and the reported Kursk ``marks``.

    ``mapped`` holds each sector's mapped ranges (first and last day, both included)."""

    points: tuple[HistoryPoint, ...]
    weeks: tuple[WeekChange, ...]
    marks: tuple[ReportedMark, ...]
    mapped: Mapping[str, tuple[coverage.Range, ...]]

    def has(self, key: str) -> bool:
        """Whether any point has a value for figure ``key``."""
        return any(p.value(key) is not None for p in self.points)

    def point_on(self, day: dt.date) -> HistoryPoint | None:
        """The point whose span holds ``day``, or None before the first change date."""
        found = None
        for point in self.points:
            if point.date > day:
                break
            found = point
        return found


def _dates_of(collection: Mapping[str, Any]) -> set[dt.date]:
    out: set[dt.date] = set()
    for start, end in collection.get("valid_spans", []) or []:
        out.update((parse_iso_date(start), parse_iso_date(end)))
    for feat in collection.get("features", []) or []:
        props = feat.get("properties") or {}
        for key in ("valid_from", "valid_to"):
            if props.get(key):
                out.add(parse_iso_date(props[key]))
    return out


def change_dates(layers: Layers, *, layer_ids: Sequence[str] = SITUATION_LAYERS) -> tuple[dt.date, ...]:
    """Every first day and end (``valid_to``, the day after the last) of the layers' states, sorted."""
    out: set[dt.date] = set()
    for layer_id in layer_ids:
        out |= _dates_of(layers.get(layer_id) or {})
    return tuple(sorted(out))


def _geometry(feature: Mapping[str, Any]) -> BaseGeometry:
    geometry = feature["geometry"]
    return geometry if isinstance(geometry, BaseGeometry) else shape(geometry)


def _union(features: Sequence[Mapping[str, Any]]) -> BaseGeometry | None:
    if not features:
        return None
    if len(features) == 1:
        return _geometry(features[0])
    return shapely.union_all([_geometry(f) for f in features])


def _area_km2(features: Sequence[Mapping[str, Any]], held: BaseGeometry) -> float:
    """The geodesic area; one feature's own ``area_km2`` (measured geodesically when it was built or stored)
    saves measuring a whole-front polygon again."""
    if len(features) == 1:
        stored = (features[0].get("properties") or {}).get("area_km2")
        if isinstance(stored, (int, float)) and not isinstance(stored, bool):
            return float(stored)
    return geodesic_area_km2(held)


def _ids(features: Sequence[Mapping[str, Any]]) -> tuple[str, ...]:
    return tuple(str((f.get("properties") or {}).get("id")) for f in features)


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


class _Measurer:
    """Measures one date's layers against the city outline, each state once (keyed by its feature ids)."""

    def __init__(self, city: BaseGeometry | None, *, within_km: tuple[float, float], clip_km: float) -> None:
        self.city_m = None if city is None else to_metric(city, KUP)
        self.clip_m = clip_km * 1e3
        self.box = None
        if self.city_m is not None:
            x0, y0, x1, y1 = self.city_m.bounds
            self.box = box(x0 - self.clip_m, y0 - self.clip_m, x1 + self.clip_m, y1 + self.clip_m)
        self.within_km = within_km
        self.rings = {} if self.city_m is None else {km: self.city_m.buffer(km * 1e3, quad_segs=32) for km in within_km}
        self._front: dict[tuple[str, ...], tuple[float, bool]] = {}
        self._occupied: dict[tuple[str, ...], tuple[float, float, float]] = {}
        self._kursk: dict[tuple[str, ...], float] = {}

    def distance(self, features: Sequence[Mapping[str, Any]]) -> tuple[float | None, bool]:
        if self.city_m is None or self.box is None or not features:
            return None, False
        key = _ids(features)
        if key not in self._front:
            front_m = to_metric(_union(features), KUP)
            clipped = shapely.clip_by_rect(front_m, *self.box.bounds)
            near = None if clipped.is_empty else self.city_m.distance(clipped)
            # Exact only when the nearest point is inside the box: anything outside is farther than clip_m.
            if near is not None and near <= self.clip_m:
                self._front[key] = (near / 1e3, True)
            else:
                self._front[key] = (self.city_m.distance(front_m) / 1e3, False)
        return self._front[key]

    def occupied(self, features: Sequence[Mapping[str, Any]]) -> tuple[float | None, float | None, float | None]:
        if not features:
            return None, None, None
        key = _ids(features)
        if key not in self._occupied:
            held = _union(features)
            assert held is not None
            total = _area_km2(features, held)
            near: list[float] = [float("nan"), float("nan")]
            if self.city_m is not None and self.box is not None:
                # The rings lie inside the box (within_km <= clip_km), so clipping first changes no area.
                held_m = to_metric(held, KUP).intersection(self.box)
                for i, km in enumerate(self.within_km):
                    part = held_m.intersection(self.rings[km])
                    near[i] = 0.0 if part.is_empty else geodesic_area_km2(to_lonlat(part, KUP))
            self._occupied[key] = (near[0], near[1], total)
        a, b, total = self._occupied[key]
        return (None if a != a else a), (None if b != b else b), total

    def kursk(self, features: Sequence[Mapping[str, Any]]) -> float | None:
        if not features:
            return None
        key = _ids(features)
        if key not in self._kursk:
            held = _union(features)
            assert held is not None
            self._kursk[key] = _area_km2(features, held)
        return self._kursk[key]


def _outline_only(features: Sequence[Mapping[str, Any]]) -> bool:
    """A schematic state with no reported figure: its outline marks where it was, its area is no figure."""
    return any(
        (f.get("properties") or {}).get("status") == "schematic"
        and (f.get("properties") or {}).get("reported_area_km2") is None
        for f in features
    )


def _checked_within(within_km: Sequence[float], clip_km: float) -> tuple[float, float]:
    if len(within_km) != 2 or not all(0 < km <= clip_km for km in within_km):
        raise ValueError(
            f"within_km must be two distances above 0 and at most clip_km ({clip_km:g}), got {within_km!r}"
        )
    return float(within_km[0]), float(within_km[1])


def history_from(
    layers_on: Callable[[dt.date], Layers],
    *,
    dates: Iterable[dt.date],
    marks: Sequence[ReportedMark] = (),
    within_km: Sequence[float] = DEFAULT_WITHIN_KM,
    clip_km: float = DEFAULT_CLIP_KM,
) -> History:
    """The figures at each of ``dates`` (the source's change dates), from ``layers_on(day)``: the layers that
    hold on a day, with the ``kupiansk`` city outline and each situation layer's mapped spans (as the built-in
    layers hold them in their features, an archive's in ``valid_spans``).

    Raises ``ValueError`` for no dates, or ``within_km`` not two distances up to ``clip_km``."""
    days = sorted({require_date(d, name="change date") for d in dates})
    if not days:
        raise ValueError("no change dates: the source holds no dated state")
    near_km = _checked_within(within_km, clip_km)
    first_layers = layers_on(days[0])
    mapped = {sector: coverage.mapped_ranges(first_layers, sector) for sector in coverage.SECTORS}
    measurer = _Measurer(
        _union(first_layers.get("kupiansk", {}).get("features", [])), within_km=near_km, clip_km=clip_km
    )
    points: list[HistoryPoint] = []
    for i, day in enumerate(days):
        layers = first_layers if i == 0 else layers_on(day)

        def valid(layer_id: str, sector: str, *, on: dt.date = day, held: Layers = layers) -> list[Mapping[str, Any]]:
            # A sector no source describes on the day has no state, whatever its layers hold: a gap.
            if not coverage.is_mapped(mapped[sector], on):
                return []
            return features_on((held.get(layer_id) or {}).get("features", []), on)

        distance, clipped = measurer.distance(valid("front_line", "kupiansk"))
        near10, near20, total = measurer.occupied(valid("occupied", "kupiansk"))
        points.append(
            HistoryPoint(
                date=day,
                until=days[i + 1] if i + 1 < len(days) else None,
                city_to_front_km=_round(distance, 2),
                occupied_within_10km_km2=_round(near10, 1),
                occupied_within_20km_km2=_round(near20, 1),
                occupied_area_km2=_round(total, 1),
                kursk_area_km2=_round(measurer.kursk(valid("kursk_salient", "kursk")), 1),
                distance_clipped=clipped,
                kursk_outline_only=_outline_only(valid("kursk_salient", "kursk")),
            )
        )
    occupied_ranges = coverage.mapped_ranges(first_layers, "occupied")
    return History(tuple(points), weekly_change(points, mapped=occupied_ranges), tuple(marks), mapped)


def history_of(layers: Layers, **options: Any) -> History:
    """``history_from`` for layers that hold every state (the built-in source), at their own change dates and
    with the reported figures of their Kursk features as marks. Options as ``history_from``'s."""
    options.setdefault("marks", reported_marks(layers))
    return history_from(lambda _day: layers, dates=change_dates(layers), **options)


def _archive_feature(archive: ArchiveSource, layer: str, state: StateSpan) -> dict[str, Any]:
    # The geometry as it is read (no GeoJSON round trip: a whole-front state has thousands of vertices).
    props: dict[str, Any] = {
        "id": f"{archive.name}-{layer}-{state.valid_from.isoformat()}",
        "valid_from": state.valid_from.isoformat(),
        "valid_to": state.valid_to.isoformat(),
    }
    if state.measure is not None and layer != "front_line":
        props["area_km2"] = state.measure
    return {"type": "Feature", "properties": props, "geometry": archive.geometry(state)}


def archive_history(archive: ArchiveSource, base_layers: Layers, **options: Any) -> History:
    """``history_from`` for an archive of the store: its states' first days and ends (every layer's) as the
    change dates, the city outline from ``base_layers``, and the reported figures of ``base_layers``' Kursk
    features as marks. Options as ``history_from``'s."""
    spans = {
        map_layer: [[a.isoformat(), (b + _ONE_DAY).isoformat()] for a, b in archive.mapped_ranges(layer)]
        for map_layer, layer in ARCHIVE_LAYERS.items()
    }

    def layers_on(day: dt.date) -> Layers:
        out: dict[str, Mapping[str, Any]] = {"kupiansk": base_layers.get("kupiansk") or {"features": []}}
        for map_layer, layer in ARCHIVE_LAYERS.items():
            state = archive.state_on(layer, day)
            features = [] if state is None else [_archive_feature(archive, layer, state)]
            out[map_layer] = {"type": "FeatureCollection", "features": features, "valid_spans": spans[map_layer]}
        return out

    dates = {d for states in archive.spans.values() for s in states for d in (s.valid_from, s.valid_to)}
    options.setdefault("marks", reported_marks(base_layers))
    return history_from(layers_on, dates=dates, **options)


def _iso_monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def weekly_change(
    points: Sequence[HistoryPoint], *, mapped: Sequence[coverage.Range], key: str = "occupied_area_km2"
) -> tuple[WeekChange, ...]:
    """The ISO weeks from the first point's week to the last mapped day's: each week's area at its last mapped
    day (``mapped``: the area's mapped ranges) minus the previous week's. None when either week has no mapped
    day or a not-mapped day lies between the two days (a change across a gap has no week)."""
    ranges = tuple(mapped)
    if not points or not ranges:
        return ()
    ordered = sorted(points, key=lambda p: p.date)

    def value_on(day: dt.date) -> float | None:
        found = None
        for point in ordered:
            if point.date > day:
                break
            found = point
        return None if found is None else found.value(key)

    def last_mapped(monday: dt.date) -> dt.date | None:
        sunday = monday + dt.timedelta(days=6)
        best = None
        for start, last in ranges:
            if start <= sunday and last >= monday:
                best = max(best or start, min(last, sunday))
        return best

    def joined(a: dt.date, b: dt.date) -> bool:  # every day from a to b mapped
        return any(start <= a and b <= last for start, last in ranges)

    monday = _iso_monday(ordered[0].date)
    end = max(last for _start, last in ranges)
    weeks: list[WeekChange] = []
    previous: tuple[dt.date, float] | None = None
    while monday <= end:
        day = last_mapped(monday)
        area = None if day is None else value_on(day)
        change = None
        if day is not None and area is not None and previous is not None and joined(previous[0], day):
            change = round(area - previous[1], 1)
        year, week, _weekday = monday.isocalendar()
        weeks.append(WeekChange(year, week, monday, day, area, change))
        previous = (day, area) if day is not None and area is not None else None
        monday += dt.timedelta(days=7)
    return tuple(weeks)


def reported_marks(layers: Layers) -> tuple[ReportedMark, ...]:
    """The Kursk features' reported figures (``reported_area_km2``, ``area_source``, ``area_status``) at their
    states' first days; features with no reported figure give none."""
    marks = []
    for feat in (layers.get("kursk_salient") or {}).get("features", []):
        props = feat.get("properties") or {}
        if props.get("reported_area_km2") is None or not props.get("valid_from"):
            continue
        marks.append(
            ReportedMark(
                date=parse_iso_date(props["valid_from"]),
                until=parse_iso_date(props["valid_to"]) if props.get("valid_to") else None,
                area_km2=float(props["reported_area_km2"]),
                source=str(props.get("area_source") or props.get("source") or ""),
                status=str(props.get("area_status") or "reported"),
                state=str(props.get("id")),
            )
        )
    return tuple(sorted(marks, key=lambda m: m.date))


def step_rows(points: Sequence[HistoryPoint], key: str) -> list[dict[str, Any]]:
    """Figure ``key`` as rows for a step chart: one per point with a value (``date``, ``last_day``, ``value``,
    ``segment``), and each unbroken run closed by a row on its last day, so that a chart draws the last state's
    span, and a gap where no state is mapped. A run ends at a point with no value (``HistoryPoint.shown``: a
    Kursk outline that only marks a place has none) or at the last point."""
    rows: list[dict[str, Any]] = []
    segment = 0
    run: list[dict[str, Any]] = []

    def close() -> None:
        if run and run[-1]["last_day"] is not None and run[-1]["last_day"] != run[-1]["date"]:
            run.append({**run[-1], "date": run[-1]["last_day"]})
        rows.extend(run)
        run.clear()

    for point in sorted(points, key=lambda p: p.date):
        value = point.shown(key)
        if value is None:
            close()
            continue
        if not run:
            segment += 1
        last = None if point.until is None else point.until - _ONE_DAY
        run.append({"date": point.date, "first_day": point.date, "last_day": last, "value": value, "segment": segment})
    close()
    return rows


CSV_TABLES: tuple[str, ...] = ("distance", "within", "kursk", "weekly")
_NOT_MAPPED = "not mapped"


def _cell(value: Any) -> Any:
    return "" if value is None else value.isoformat() if isinstance(value, dt.date) else value


def _last_day(point: HistoryPoint) -> dt.date | None:
    return None if point.until is None else point.until - _ONE_DAY


def _table(found: History, table: str) -> tuple[list[str], list[list[Any]]]:
    span = ["first day", "last day"]
    if table == "distance":
        header = [*span, "distance from the city to the front line (km)", "note"]
        keys = ["city_to_front_km"]
    elif table == "within":
        header = [
            *span,
            "Russian-held ground within 10 km of the city (km²)",
            "Russian-held ground within 20 km of the city (km²)",
            "note",
        ]
        keys = ["occupied_within_10km_km2", "occupied_within_20km_km2"]
    elif table == "kursk":
        header = [
            *span,
            "Ukrainian-held area in Kursk region on the map (km²)",
            "reported figure (km²)",
            "reported by",
            "status of the reported figure",
            "note",
        ]
        keys = ["kursk_area_km2"]
    elif table == "weekly":
        header = [
            "ISO week",
            "first day of the week",
            "last mapped day of the week",
            "Russian-held area on that day (km²)",
            "net change from the previous week (km²)",
            "note",
        ]
        rows = [
            [
                f"{w.year}-W{w.week:02d}",
                w.monday,
                w.last_day,
                w.area_km2,
                w.change_km2,
                _NOT_MAPPED if w.last_day is None else "" if w.change_km2 is not None else "no previous mapped week",
            ]
            for w in found.weeks
        ]
        return header, rows
    else:
        raise ValueError(f"unknown history table {table!r}; known: {', '.join(CSV_TABLES)}")
    marks = {m.date: m for m in found.marks} if table == "kursk" else {}
    ranges = found.mapped.get("kursk" if table == "kursk" else "kupiansk") or ()
    rows = []
    for point in found.points:
        if point.until is None or not ranges or point.until <= ranges[0][0] or point.date > ranges[-1][1]:
            continue  # outside the sector's first and last mapped days (the last change date only ends a state)
        values = [point.shown(k) for k in keys]
        row: list[Any] = [point.date, _last_day(point), *values]
        if table == "kursk":
            mark = next(
                (m for d, m in marks.items() if point.date <= d and (point.until is None or d < point.until)), None
            )
            status = None if mark is None else f"{mark.status}: a claim by Ukraine" if mark.is_claim else mark.status
            row += [mark.area_km2, mark.source, status] if mark else ["", "", ""]
        note = _NOT_MAPPED if all(v is None for v in values) else ""
        if table == "kursk" and point.kursk_outline_only:
            note = "schematic outline with no reported figure: it only marks where the area was"
        row.append(note)
        rows.append(row)
    return header, rows


def history_csv(found: History, table: str) -> bytes:
    """The numbers of chart ``table`` (one of ``CSV_TABLES``) as UTF-8 CSV with a header row."""
    header, rows = _table(found, table)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([[_cell(v) for v in row] for row in rows])
    return out.getvalue().encode("utf-8")


__all__ = [
    "CSV_TABLES",
    "DEFAULT_CLIP_KM",
    "DEFAULT_WITHIN_KM",
    "FIGURES",
    "History",
    "HistoryPoint",
    "ReportedMark",
    "WeekChange",
    "archive_history",
    "change_dates",
    "history_csv",
    "history_from",
    "history_of",
    "reported_marks",
    "step_rows",
    "weekly_change",
]
