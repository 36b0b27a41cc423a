"""Areas over time: the Kursk-held area and the Russian-held ground near Kupiansk, date by date.

Offers:
- ``DEFAULT_WITHIN_KM``: (10, 20), the distances around the city the figures use.
- ``MAX_ROWS``: 10,000; longer series are refused (ask for a larger ``step_days``).
- ``sample_dates``: the dates a series is computed for.
- ``area_series``: one row (a plain dict) per sampled date.
- ``series_csv``: the rows as UTF-8 CSV bytes.
- ``segments``: the unbroken runs of one figure, for drawing gaps as gaps.
- ``figure_name``: the plain-words name of a figure column (``kursk_area_km2``, ``occupied_within_10km_km2``).

Sampling: ``start``, ``end``, every state boundary of the ``occupied`` and ``kursk_salient`` layers inside
that span (the first day of each state and its last day, so a line chart draws steps, not ramps), and either
the first day of each month (``step_days=None``, the default) or every ``step_days`` days from ``start``.
By default the span runs from the first state's first day to the last state's last day (valid_to is
exclusive).

Each row holds ``date``; ``state_change`` (a state begins or ends that day); ``kursk_state`` and
``kursk_area_km2`` (the union of the ``kursk_salient`` features valid that day, geodesic, None when none);
``occupied_state`` and, for each distance N in ``within_km``, ``occupied_within_<N>km_km2``: the
Russian-held ground within N km of the city outline, exactly as ``stats.figures_on`` measures it (the
outline buffered by N km in UTM 37N, intersected with ``occupied``, measured geodesically), rounded to
0.1 km² like the figures. A figure is None when its layer is missing or holds nothing that day, and on any
day its sector has no mapped state (``coverage``): the series shows a gap there, never a zero. ``segments``
numbers the runs of a figure between gaps, so a chart draws them as separate lines.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from kupiansk_map.analysis import coverage
from kupiansk_map.analysis.stats import FIGURE_LABELS
from kupiansk_map.geo.crs import to_lonlat, to_metric, utm_epsg
from kupiansk_map.geo.measure import geodesic_area_km2
from kupiansk_map.model import features_on, parse_iso_date, require_date

DEFAULT_WITHIN_KM: tuple[float, ...] = (10.0, 20.0)
MAX_ROWS = 10_000
_MAX_WITHIN_KM = 100.0
_LAYERS = ("occupied", "kursk_salient")


def within_key(km: float) -> str:
    """The row key of the figure for ``km``: ``occupied_within_10km_km2`` for 10."""
    return f"occupied_within_{km:g}km_km2"


def figure_name(key: str) -> str:
    """The name people read for the figure column ``key`` of a row (its unit, km², is not included)."""
    if key in FIGURE_LABELS:
        return FIGURE_LABELS[key][0]
    found = re.fullmatch(r"occupied_within_(\d+(?:\.\d+)?)km_km2", key)
    if found:  # a distance other than the figures' 10 and 20 km: the same words
        return f"Russian-held ground within {float(found.group(1)):g} km of the city"
    raise ValueError(f"{key!r} is not a figure column of the area series (kursk_area_km2 or occupied_within_<N>km_km2)")


def _features(layers: Mapping[str, Any], layer_id: str) -> list[Mapping[str, Any]]:
    collection = layers.get(layer_id)
    if isinstance(collection, Mapping) and isinstance(collection.get("features"), list):
        return collection["features"]
    return []


def _bounds(layers: Mapping[str, Any]) -> tuple[set[dt.date], set[dt.date]]:
    """First days of states (valid_from and valid_to) and their last days (valid_to - 1)."""
    edges: set[dt.date] = set()
    last_days: set[dt.date] = set()
    for layer_id in _LAYERS:
        for feat in _features(layers, layer_id):
            props = feat.get("properties") or {}
            if props.get("valid_from"):
                edges.add(parse_iso_date(props["valid_from"]))
            if props.get("valid_to"):
                end = parse_iso_date(props["valid_to"])
                edges.add(end)
                last_days.add(end - dt.timedelta(days=1))
    return edges, last_days


def _checked(
    layers: Any, start: Any, end: Any, step_days: Any, within_km: Any
) -> tuple[dt.date, dt.date, int | None, tuple[float, ...]]:
    """The one place the input is checked; raises ``ValueError`` listing every problem."""
    problems: list[str] = []
    if not isinstance(layers, Mapping):
        raise ValueError(
            f"cannot compute the series:\n  layers must map layer ids to FeatureCollections, "
            f"got {type(layers).__name__}"
        )
    edges, last_days = _bounds(layers)  # the layers were validated once, by the store
    days: dict[str, dt.date | None] = {}
    for label, value, default in (
        ("start", start, min(edges, default=None)),
        ("end", end, max(last_days, default=max(edges, default=None))),
    ):
        if value is None:
            days[label] = default
            continue
        days[label] = require_date(value, name=label)
    first, last = days.get("start"), days.get("end")
    for label, value in (("start", start), ("end", end)):
        if value is None and days.get(label) is None:
            problems.append(f"{label}: no dated occupied or kursk_salient feature to take it from; give {label}")
    if first and last and first > last:
        problems.append(f"start ({first.isoformat()}) comes after end ({last.isoformat()})")
    if step_days is not None and (not isinstance(step_days, int) or isinstance(step_days, bool) or step_days < 1):
        problems.append(
            f"step_days must be a whole number of days, 1 or more, or None for month starts; got {step_days!r}"
        )
    distances: list[float] = []
    if isinstance(within_km, (int, float)) and not isinstance(within_km, bool):
        within_km = (within_km,)
    if isinstance(within_km, (str, bytes)) or not isinstance(within_km, Sequence):
        problems.append(f"within_km: expected a list of distances in km, got {within_km!r}")
        within_km = ()
    for i, km in enumerate(within_km):
        if (
            not isinstance(km, (int, float))
            or isinstance(km, bool)
            or not math.isfinite(km)
            or not 0 < km <= _MAX_WITHIN_KM
        ):
            problems.append(f"within_km[{i}]: {km!r} is not a distance above 0 and at most {_MAX_WITHIN_KM:g} km")
        elif float(km) in distances:
            problems.append(f"within_km[{i}]: {km:g} km is listed twice")
        else:
            distances.append(float(km))
    if not problems and first and last and step_days is not None and (last - first).days // step_days > MAX_ROWS:
        problems.append(
            f"{(last - first).days // step_days} samples from {first} to {last} every {step_days} "
            f"days is over the limit of {MAX_ROWS}; use a larger step_days"
        )
    if problems:
        raise ValueError("cannot compute the series:\n  " + "\n  ".join(problems))
    assert first is not None and last is not None
    return first, last, step_days, tuple(distances)


def _month_starts(first: dt.date, last: dt.date) -> list[dt.date]:
    out = []
    day = dt.date(first.year, first.month, 1)
    while day <= last:
        if day >= first:
            out.append(day)
        day = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return out


def sample_dates(
    layers: Mapping[str, Any],
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    step_days: int | None = None,
) -> list[dt.date]:
    """The sorted dates ``area_series`` computes rows for (see the module docstring)."""
    first, last, step, _ = _checked(layers, start, end, step_days, DEFAULT_WITHIN_KM)
    edges, last_days = _bounds(layers)
    dates = {first, last} | {d for d in edges | last_days if first <= d <= last}
    if step is None:
        dates.update(_month_starts(first, last))
    else:
        dates.update(first + dt.timedelta(days=k) for k in range(0, (last - first).days + 1, step))
    return sorted(dates)


def _union(features: Sequence[Mapping[str, Any]]) -> BaseGeometry:
    return shapely.union_all([shape(f["geometry"]) for f in features])


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def area_series(
    layers: Mapping[str, Mapping[str, Any]],
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    step_days: int | None = None,
    within_km: Sequence[float] = DEFAULT_WITHIN_KM,
) -> list[dict[str, Any]]:
    """One row per sampled date: the Kursk-held area and the occupied ground within each distance of the city.

    Raises ``ValueError`` listing every problem with the input. Geometry is computed once per state.
    """
    first, last, step, distances = _checked(layers, start, end, step_days, within_km)
    dates = sample_dates(layers, start=first, end=last, step_days=step)
    edges, last_days = _bounds(layers)
    occupied = _features(layers, "occupied")
    kursk = _features(layers, "kursk_salient")
    city_features = _features(layers, "kupiansk")
    city_m = epsg = None
    if city_features:
        city = _union(city_features)
        epsg = utm_epsg(city.centroid.x, city.centroid.y)
        city_m = to_metric(city, epsg)
    rings = {km: city_m.buffer(km * 1e3, quad_segs=32) for km in distances} if city_m is not None else {}

    mapped = {sector: coverage.mapped_ranges(layers, sector) for sector in coverage.SECTORS}
    kursk_cache: dict[tuple[str, ...], float] = {}
    occupied_cache: dict[tuple[str, ...], dict[float, float]] = {}
    rows: list[dict[str, Any]] = []
    for day in dates:
        row: dict[str, Any] = {"date": day.isoformat(), "state_change": day in edges or day in last_days}
        # A sector not mapped that day holds no state: its figures stay empty (a gap), whatever the layers hold.
        on_kursk = features_on(kursk, day) if coverage.is_mapped(mapped["kursk"], day) else []
        key = tuple(str((f.get("properties") or {}).get("id")) for f in on_kursk)
        if on_kursk and key not in kursk_cache:
            kursk_cache[key] = geodesic_area_km2(_union(on_kursk))
        row["kursk_state"] = ", ".join(key) if on_kursk else None
        row["kursk_area_km2"] = _round(kursk_cache[key]) if on_kursk else None
        on_occupied = features_on(occupied, day) if coverage.is_mapped(mapped["kupiansk"], day) else []
        key = tuple(str((f.get("properties") or {}).get("id")) for f in on_occupied)
        if on_occupied and city_m is not None and epsg is not None and key not in occupied_cache:
            occupied_m = to_metric(_union(on_occupied), epsg)
            occupied_cache[key] = {}
            for km, ring in rings.items():
                part = occupied_m.intersection(ring)
                occupied_cache[key][km] = 0.0 if part.is_empty else geodesic_area_km2(to_lonlat(part, epsg))
        row["occupied_state"] = ", ".join(key) if on_occupied else None
        for km in distances:
            value = occupied_cache[key][km] if on_occupied and city_m is not None else None
            row[within_key(km)] = _round(value)
        rows.append(row)
    return rows


def segments(rows: Sequence[Mapping[str, Any]], key: str) -> list[int | None]:
    """For each row, the number of the unbroken run of ``key`` it belongs to (None where the value is None).

    A chart that draws each run as its own line shows a gap where the series has no value."""
    out: list[int | None] = []
    run, previous = 0, None
    for row in rows:
        value = row.get(key)
        if value is not None and previous is None:
            run += 1
        out.append(run if value is not None else None)
        previous = value
    return out


def series_csv(rows: Sequence[Mapping[str, Any]]) -> bytes:
    """The rows as UTF-8 CSV with a header row; None becomes an empty cell, booleans ``true``/``false``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    columns = list(rows[0]) if rows else ["date"]
    writer.writerow(columns)
    for row in rows:
        writer.writerow(
            [
                "" if row.get(c) is None else ("true" if row[c] is True else "false" if row[c] is False else row[c])
                for c in columns
            ]
        )
    return out.getvalue().encode("utf-8")


__all__ = [
    "DEFAULT_WITHIN_KM",
    "MAX_ROWS",
    "area_series",
    "figure_name",
    "sample_dates",
    "segments",
    "series_csv",
    "within_key",
]
