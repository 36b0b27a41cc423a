"""``kupiansk-map archive import|list|info|remove|export``: the local archive store.

Offers ``add_parsers(sub)``, which registers ``archive`` on the ``kupiansk-map`` subparsers, and
``progress_printer(stream)``, the progress display of a long import. Every subcommand takes ``--store PATH``
(default: ``$KUPIANSK_MAP_STORE``, else ``archives/store.gpkg`` in the checkout).
- ``import SOURCE --name NAME [--attribution TEXT] [--licence TEXT] [--aoi kupiansk|kursk|LON,LAT,RADIUS_KM]
  [--skip-bad] [--kml-layer NAME=LAYER ...] [--quiet] [--json]``: add an archive, or extend it with newer days.
- ``list [--json]``, ``info NAME [--json]``, ``remove NAME``.
- ``export NAME --out FILE [--date D]``: ``.geojson``, ``.gpkg`` or the area series ``.csv``.
- ``diff A B --date D [--aoi kupiansk|kursk|LON,LAT,RADIUS_KM] [--json]``: where two archives disagree on a date
  (``analysis.disputes``): each one's Russian-held km² and front distance from Kupiansk, and the disputed km².

On a terminal the import draws a bar with carriage returns; otherwise (logs, CI) it prints a plain line at
every tenth of the work. Exit codes: 0 success; 1 a refused import or failed write (the store unchanged);
2 bad arguments. Errors are one line per problem on standard error, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

from kupiansk_map.cli.common import iso_date, progress_printer


def _kml_layer(text: str) -> tuple[str, str]:
    from kupiansk_map.ingest.formats import READ_LAYERS

    name, _, layer = text.rpartition("=")
    if not name.strip() or layer.strip() not in READ_LAYERS:
        raise argparse.ArgumentTypeError(f"{text!r}: use NAME=LAYER with LAYER one of {', '.join(READ_LAYERS)}")
    return name.strip().lower(), layer.strip()


def _fail(command: str, exc: Exception) -> int:
    print(f"archive {command}: {exc}", file=sys.stderr)
    return 1


def _cmd_import(args: argparse.Namespace) -> int:
    from kupiansk_map.ingest.archive_store import ArchiveError, import_archive
    from kupiansk_map.ingest.formats import DEFAULT_KML_LAYERS

    progress = None if args.quiet else progress_printer(sys.stderr)
    try:
        report = import_archive(
            args.source,
            name=args.name,
            store=args.store,
            attribution=args.attribution,
            licence=args.licence,
            aoi=args.aoi,
            progress=progress,
            skip_bad=args.skip_bad,
            kml_layers=tuple(args.kml_layer or ()) + DEFAULT_KML_LAYERS,
        )
    except ArchiveError as exc:
        return _fail("import", exc)
    except OSError as exc:
        return _fail("import", OSError(f"cannot write the store: {exc.strerror or exc}"))
    for line in report.skipped:
        print(f"warning: skipped {line}", file=sys.stderr)
    if report.ignored:
        print(f"note: {len(report.ignored)} file(s) without a date in the name ignored", file=sys.stderr)
    if args.json:
        print(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
    else:
        print(report.summary())
        print(f"  store: {report.store}")
    return 0


def _cmd_list(args: argparse.Namespace) -> int:
    from kupiansk_map.ingest.archive_store import ArchiveError, default_store_path, list_archives

    try:
        archives = list_archives(args.store)
    except ArchiveError as exc:
        return _fail("list", exc)
    if args.json:
        print(json.dumps(archives, indent=2, ensure_ascii=False))
        return 0
    store = args.store or default_store_path()
    if not archives:
        print(f"no archives in {store}")
        return 0
    from kupiansk_map.cli.analysis import _table

    rows = [
        {
            "name": a["name"],
            "format": a["format"],
            "first": a["first_day"],
            "last": a["last_day"],
            "ok": a["days"]["ok"],
            "skipped": a["days"]["skipped"],
            "missing": a["days"]["missing"],
            "states": sum(a["states"].values()),
            "aoi": a["aoi"] or "unclipped",
        }
        for a in archives
    ]
    _table(
        rows,
        [
            ("name", "name"),
            ("format", "format"),
            ("first", "first day"),
            ("last", "last day"),
            ("ok", "days ok"),
            ("skipped", "skipped"),
            ("missing", "missing"),
            ("states", "states"),
            ("aoi", "area"),
        ],
        sys.stdout,
    )
    print(f"store: {store}")
    return 0


def _cmd_info(args: argparse.Namespace) -> int:
    from kupiansk_map.ingest.archive_store import ArchiveError, archive_info

    try:
        info = archive_info(args.name, args.store)
    except ArchiveError as exc:
        return _fail("info", exc)
    if args.json:
        print(json.dumps(info, indent=2, ensure_ascii=False))
        return 0
    print(f"{info['name']} ({info['format']})")
    for key, label in (
        ("attribution", "attribution"),
        ("licence", "licence"),
        ("source_path", "imported from"),
        ("imported_at", "imported"),
        ("updated_at", "updated"),
        ("aoi", "area"),
    ):
        print(f"  {label}: {info[key] if info[key] else ('unclipped (the whole front)' if key == 'aoi' else '-')}")
    days = info["days"]
    print(
        f"  days: {info['first_day']} to {info['last_day']}: {days['ok']} ok, {days['skipped']} skipped, "
        f"{days['missing']} missing"
    )
    for layer, entry in info["layers"].items():
        print(f"  {layer}: {entry['states']} state(s), {entry['first']} to {entry['last_valid_to']} (exclusive)")
    for first, last in info["gaps"]:
        print(f"  missing: {first}" + ("" if first == last else f" to {last}"))
    for item in info["skipped"]:
        print(f"  skipped {item['date']} ({item['file']}): {item['reason']}")
    return 0


def _cmd_remove(args: argparse.Namespace) -> int:
    from kupiansk_map.ingest.archive_store import ArchiveError, remove_archive

    try:
        removed = remove_archive(args.name, args.store)
    except ArchiveError as exc:
        return _fail("remove", exc)
    print(f"removed archive {args.name} ({removed} state(s))")
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    from kupiansk_map.ingest.archive_store import ArchiveError, export_archive

    try:
        count = export_archive(args.name, args.out, store=args.store, day=args.date)
    except ArchiveError as exc:
        return _fail("export", exc)
    what = "row(s)" if Path(args.out).suffix.lower() == ".csv" else "state(s)"
    print(f"wrote {count} {what} to {args.out}")
    return 0


def _city_outline() -> BaseGeometry | None:
    """Kupiansk's outline from the built layers (what each source's front distance is measured from)."""
    from shapely.geometry import shape

    from kupiansk_map.layers.store import load_layers

    city = load_layers().layers.get("kupiansk", {}).get("features") or []
    return shape(city[0]["geometry"]) if city else None


def _cmd_diff(args: argparse.Namespace) -> int:
    from kupiansk_map.analysis.disputes import dispute
    from kupiansk_map.ingest.snapshots import parse_aoi

    try:
        aoi = None if args.aoi is None else parse_aoi(args.aoi)
    except ValueError as exc:
        print(f"archive diff: {exc}", file=sys.stderr)
        return 2
    try:
        found = dispute(args.store, args.a, args.b, args.date, aoi=aoi, city=_city_outline())
    except ValueError as exc:  # DisputeError and ArchiveError: an unknown archive, a date not held
        return _fail("diff", exc)
    if args.json:
        print(json.dumps(found.as_dict(), indent=2, ensure_ascii=False))
        return 0
    where = "the whole of both archives" if aoi is None else aoi.describe()
    print(f"Where {args.a} and {args.b} disagree on {args.date.isoformat()}, within {where}")
    for source in (found.a, found.b):
        distance = "no front line" if source.front_distance_km is None else f"{source.front_distance_km:,.2f} km"
        credit = f" ({source.attribution})" if source.attribution else ""
        print(f"  {source.name}{credit}: Russian-held {source.occupied_km2:,.2f} km²; front from Kupiansk: {distance}")
    print(
        f"  disputed: {found.disputed_km2:,.2f} km² (only in {args.a}: {found.only_a_km2:,.2f} km², only in "
        f"{args.b}: {found.only_b_km2:,.2f} km²)"
    )
    return 0


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """Register ``archive`` and its subcommands."""
    top = sub.add_parser("archive", help="the local archive store of real daily front-line archives")
    commands = top.add_subparsers(dest="archive_command", required=True)

    def with_store(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument(
            "--store",
            type=Path,
            default=None,
            help="the store's GeoPackage (default: $KUPIANSK_MAP_STORE, else archives/store.gpkg)",
        )
        return p

    p = with_store(commands.add_parser("import", help="add an archive, or extend it with newer days"))
    p.add_argument("source", help="a folder or zip of daily files, or one multi-date file")
    p.add_argument("--name", required=True, help="the archive's name in the store")
    p.add_argument("--attribution", help="whose assessment this is, as the publisher asks to be credited")
    p.add_argument("--licence", help="the archive's licence text")
    p.add_argument("--aoi", help="clip to kupiansk, kursk or LON,LAT,RADIUS_KM (default: the whole front)")
    p.add_argument(
        "--skip-bad", action="store_true", help="record bad days as skipped instead of refusing the whole import"
    )
    p.add_argument(
        "--kml-layer",
        action="append",
        type=_kml_layer,
        metavar="NAME=LAYER",
        help="KML folder/style/placemark name fragment to read as a layer (occupied or ukrainian_held)",
    )
    p.add_argument("--quiet", action="store_true", help="no progress display")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(func=_cmd_import)

    p = with_store(commands.add_parser("list", help="the archives in the store"))
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=_cmd_list)

    p = with_store(commands.add_parser("info", help="one archive: metadata, days, gaps and states"))
    p.add_argument("name")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=_cmd_info)

    p = with_store(commands.add_parser("remove", help="delete an archive from the store"))
    p.add_argument("name")
    p.set_defaults(func=_cmd_remove)

    p = with_store(commands.add_parser("export", help="write an archive as .geojson, .gpkg or .csv (area series)"))
    p.add_argument("name")
    p.add_argument("--out", required=True, help="FILE.geojson, FILE.gpkg or FILE.csv")
    p.add_argument("--date", type=iso_date, help="only the state of this day, YYYY-MM-DD")
    p.set_defaults(func=_cmd_export)

    p = with_store(
        commands.add_parser(
            "diff",
            help="where two archives disagree on a date",
            description=(
                "Compare two archives on one date. For each: its Russian-held area within the AOI and the distance "
                "from Kupiansk to its front line. The disputed km² is the geodesic area (WGS84 ellipsoid) of the "
                "symmetric difference of the two Russian-held areas within the AOI: ground held by Russia in one "
                "source and not in the other. Both are trackers' assessments; neither is taken as fact."
            ),
        )
    )
    p.add_argument("a", help="the first archive's name")
    p.add_argument("b", help="the second archive's name")
    p.add_argument("--date", type=iso_date, required=True, help="the date to compare, YYYY-MM-DD")
    p.add_argument("--aoi", help="compare within kupiansk, kursk or LON,LAT,RADIUS_KM (default: everything)")
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    p.set_defaults(func=_cmd_diff)


__all__ = ["add_parsers", "progress_printer"]
