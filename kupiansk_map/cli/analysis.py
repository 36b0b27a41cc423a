"""``kupiansk-map compare|bands|series|import-snapshots``: the analyst commands.

Offers ``add_parsers(sub)``, which registers on the ``kupiansk-map`` subparsers:
- ``compare D1 D2 [--layers a,b] [--json]``: ground gained and lost in each dated polygon layer between two
  dates, as a table (or JSON).
- ``bands [--date D] [--distances 2.5,5,10,20] [--json]``: the city's share in each distance band from the
  front line.
- ``series [--start D] [--end D] [--step-days N] [--within 10,20] [--csv OUT] [--json]``: the Kursk area and
  the occupied ground near the city, date by date; ``--csv -`` writes CSV to standard output.
- ``import-snapshots DIR --aoi kupiansk|kursk|LON,LAT,RADIUS_KM --out DIR2 [--quiet] [--json]``: import a
  folder of daily snapshots, with a progress bar on standard error.

Exit codes: 0 success; 1 when the result is incomplete (a layer failed to load, or no snapshot day could be
imported) or a date has no mapped state (the message names the mapped ranges); 2 for bad arguments. Errors
are one line each on standard error, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from kupiansk_map.cli.common import iso_date, load_layers_reporting, progress_printer
from kupiansk_map.layers.definitions.timeline import ASSAULT


def _distances(text: str, *, band_rules: bool = True) -> list[float]:
    """``"10,20"`` as [10.0, 20.0] (``bands.parse_distances``); a problem becomes argparse's usage error."""
    from kupiansk_map.analysis.bands import parse_distances

    try:
        return list(parse_distances(text, band_rules=band_rules))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _within(text: str) -> list[float]:
    """``--within`` distances: numbers, checked by ``series.area_series`` (which has its own rules)."""
    return _distances(text, band_rules=False)


def _error(command: str, exc: Exception) -> int:
    """Report ``exc`` on standard error: 1 for a date with no mapped state (an answer the data cannot give), else 2."""
    from kupiansk_map.analysis.coverage import NotMapped

    print(f"{command}: {exc}", file=sys.stderr)
    return 1 if isinstance(exc, NotMapped) else 2


def _table(rows: Sequence[dict[str, Any]], columns: Sequence[tuple[str, str]], out: TextIO) -> None:
    """A plain text table: ``columns`` are (key, heading); numbers right-aligned with thousands separators."""

    def cell(value: Any) -> str:
        if value is None:
            return "n/a"
        if isinstance(value, bool):
            return "yes" if value else ""
        if isinstance(value, (int, float)):
            return f"{value:,.2f}" if isinstance(value, float) else f"{value:,}"
        return str(value)

    cells = [[cell(row.get(key)) for key, _ in columns] for row in rows]
    widths = [max([len(heading)] + [len(r[i]) for r in cells]) for i, (_, heading) in enumerate(columns)]
    numeric = [
        all(isinstance(row.get(key), (int, float)) or row.get(key) is None for row in rows) for key, _ in columns
    ]

    def line(values: Sequence[str]) -> str:
        return "  ".join(
            v.rjust(w) if n else v.ljust(w) for v, w, n in zip(values, widths, numeric, strict=True)
        ).rstrip()

    print(line([heading for _, heading in columns]), file=out)
    print("  ".join("-" * w for w in widths), file=out)
    for row in cells:
        print(line(row), file=out)


# --- compare ------------------------------------------------------------------------------------------


def _cmd_compare(args: argparse.Namespace) -> int:
    from kupiansk_map.analysis.compare import as_rows, compare_dates

    layers, incomplete = load_layers_reporting(args.data_dir)
    try:
        comparison = compare_dates(layers, args.d1, args.d2, layer_ids=tuple(args.layers.split(",")))
    except ValueError as exc:
        return _error("compare", exc)
    rows = as_rows(comparison)
    undated = [row for row in rows if row["undated"]]
    if args.json:
        print(
            json.dumps(
                {"d1": comparison.d1.isoformat(), "d2": comparison.d2.isoformat(), "rows": rows},
                indent=2,
                ensure_ascii=False,
            )
        )
    else:
        print(f"Ground that changed hands between {comparison.d1} and {comparison.d2} (km², geodesic)")
        _table(
            rows,
            [
                ("layer", "layer"),
                ("area_date_1_km2", comparison.d1.isoformat()),
                ("area_date_2_km2", comparison.d2.isoformat()),
                ("gained_km2", "gained"),
                ("lost_km2", "lost"),
                ("net_change_km2", "net"),
            ],
            sys.stdout,
        )
        for row in undated:
            print(f"{row['layer']}: no source dates this change; it {row['undated']}.")
    return 1 if incomplete else 0


# --- bands --------------------------------------------------------------------------------------------


def _cmd_bands(args: argparse.Namespace) -> int:
    from kupiansk_map.analysis.bands import distance_bands

    layers, incomplete = load_layers_reporting(args.data_dir)
    try:
        bands = distance_bands(layers, args.date, distances_km=args.distances)
    except ValueError as exc:
        return _error("bands", exc)
    rows = [band.as_dict() for band in bands]
    if args.json:
        print(json.dumps({"date": args.date.isoformat(), "bands": rows}, indent=2, ensure_ascii=False))
        return 1 if incomplete else 0
    if not bands:
        print(f"No front line is mapped on {args.date}.")
        return 1 if incomplete else 0
    print(f"The city by distance from the front line on {args.date}")
    for row in rows:
        row["band"] = f"{row['inner_km']:g}-{row['outer_km']:g} km"
    _table(
        rows,
        [
            ("band", "band"),
            ("city_share_pct", "% of the city"),
            ("city_area_km2", "city km²"),
            ("area_km2", "band km²"),
        ],
        sys.stdout,
    )
    return 1 if incomplete else 0


# --- series -------------------------------------------------------------------------------------------


def _cmd_series(args: argparse.Namespace) -> int:
    from kupiansk_map.analysis.series import area_series, series_csv

    layers, incomplete = load_layers_reporting(args.data_dir)
    try:
        rows = area_series(layers, start=args.start, end=args.end, step_days=args.step_days, within_km=args.within)
    except ValueError as exc:
        return _error("series", exc)
    if args.csv is not None:
        data = series_csv(rows)
        if args.csv == "-":
            sys.stdout.write(data.decode("utf-8"))
            return 1 if incomplete else 0
        try:
            Path(args.csv).write_bytes(data)
        except OSError as exc:
            print(f"series: cannot write {args.csv}: {exc.strerror or exc}", file=sys.stderr)
            return 1
        print(f"wrote {len(rows)} rows to {args.csv}", file=sys.stderr if args.json else sys.stdout)
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
    elif args.csv is None:
        columns = [("date", "date"), ("kursk_area_km2", "Kursk km²")]
        columns += (
            [
                (key, key.removeprefix("occupied_").replace("_km2", " km²").replace("_", " "))
                for key in rows[0]
                if key.startswith("occupied_within_")
            ]
            if rows
            else []
        )
        columns += [("state_change", "change")]
        _table(rows, columns, sys.stdout)
    return 1 if incomplete else 0


# --- import-snapshots ---------------------------------------------------------------------------------


def _cmd_import_snapshots(args: argparse.Namespace) -> int:
    from kupiansk_map.ingest.snapshots import import_snapshots

    # The bar even when standard error is not a terminal, as import-snapshots has always drawn it.
    progress = None if args.quiet else progress_printer(sys.stderr, interactive=True)
    try:
        report = import_snapshots(args.dir, aoi=args.aoi, out_dir=args.out, progress=progress)
    except ValueError as exc:
        return _error("import-snapshots", exc)
    except OSError as exc:
        print(f"import-snapshots: cannot write {args.out}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    for line in report.problems:
        print(f"warning: {line}", file=sys.stderr)
    if args.json:
        print(json.dumps(report.as_dict(), indent=2, ensure_ascii=False, default=str))
    elif report.days_imported:
        print(
            f"imported {report.days_imported} day(s) from {report.first_day} to {report.last_day} as "
            f"{report.states} state(s) for {report.aoi.describe()}; "
            f"{len(report.skipped)} file(s) skipped, {report.missing_days} day(s) missing"
        )
        for path in report.outputs:
            print(f"  wrote {path}")
    if report.ignored:
        print(f"note: {len(report.ignored)} file(s) without a date in the name ignored", file=sys.stderr)
    if not report.days_imported:
        print(f"import-snapshots: no day could be imported from {args.dir}; nothing was written", file=sys.stderr)
        return 1
    return 0


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """Register the analysis subcommands."""
    from kupiansk_map.analysis.bands import DEFAULT_DISTANCES_KM
    from kupiansk_map.analysis.compare import DEFAULT_LAYER_IDS
    from kupiansk_map.analysis.series import DEFAULT_WITHIN_KM
    from kupiansk_map.paths import data_dir

    p = sub.add_parser("compare", help="ground gained and lost between two dates")
    p.add_argument("d1", type=iso_date, help="the earlier date, YYYY-MM-DD")
    p.add_argument("d2", type=iso_date, help="the later date, YYYY-MM-DD")
    p.add_argument(
        "--layers", default=",".join(DEFAULT_LAYER_IDS), help="comma-separated polygon layers (default: %(default)s)"
    )
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--data-dir", type=Path, default=data_dir(), help="folder of built layers")
    p.set_defaults(func=_cmd_compare)

    p = sub.add_parser("bands", help="the city's share in each distance band from the front line")
    p.add_argument("--date", type=iso_date, default=ASSAULT, help="YYYY-MM-DD (default: %(default)s)")
    p.add_argument(
        "--distances",
        type=_distances,
        default=list(DEFAULT_DISTANCES_KM),
        help="comma-separated band distances in km, increasing, at most 100 (default: 2.5,5,10,20)",
    )
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--data-dir", type=Path, default=data_dir(), help="folder of built layers")
    p.set_defaults(func=_cmd_bands)

    p = sub.add_parser("series", help="the Kursk area and the occupied ground near the city over time")
    p.add_argument("--start", type=iso_date, help="first date, YYYY-MM-DD (default: the first mapped state)")
    p.add_argument("--end", type=iso_date, help="last date, YYYY-MM-DD (default: the last day of the last state)")
    p.add_argument(
        "--step-days",
        type=int,
        default=None,
        help="sample every N days (default: the first of each month), plus every state change",
    )
    p.add_argument(
        "--within",
        type=_within,
        default=list(DEFAULT_WITHIN_KM),
        help="comma-separated distances from the city in km (default: 10,20)",
    )
    p.add_argument("--csv", metavar="OUT", help="write CSV to OUT ('-' for standard output)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--data-dir", type=Path, default=data_dir(), help="folder of built layers")
    p.set_defaults(func=_cmd_series)

    p = sub.add_parser("import-snapshots", help="import a folder of daily snapshots for an area of interest")
    p.add_argument("dir", help="folder of dated .geojson files (YYYYMMDD or YYYY-MM-DD in each name)")
    p.add_argument("--aoi", required=True, help="kupiansk, kursk, or LON,LAT,RADIUS_KM")
    p.add_argument(
        "--out", required=True, help="folder to write occupied.geojson, front_line.geojson and series.csv into"
    )
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(func=_cmd_import_snapshots)
