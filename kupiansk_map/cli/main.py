"""The ``kupiansk-map`` command.

Offers ``main`` with these subcommands:
- ``build [--check]``: build every layer into ``data/geo/`` atomically, or check that the committed files are
  current (exit 1 naming the stale files).
- ``validate FILE...``: check GeoJSON files against the data model; one line per problem, exit 1 if any.
- ``stats [--date D] [--json]``: the figures for a date, computed from the layers.
- ``serve [--port N] [--offline] [--headless] [--store PATH]``: become the Streamlit app's server (same process,
  so stopping it stops the server); prints the URL and never prompts; ``--store`` picks the archive store.
- ``export``, ``compare``, ``bands``, ``series``, ``import-snapshots``, ``archive``: registered by ``cli_export``,
  ``cli_analysis`` and ``cli_archive``.
- ``extract-reference [--check]``: regenerate (or check) the GSHHG extract; needs Debian's gmt packages.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from kupiansk_map.cli.common import iso_date
from kupiansk_map.layers.definitions.timeline import ASSAULT


def _cmd_build(args: argparse.Namespace) -> int:
    import logging

    from kupiansk_map.layers.build import BuildError, build, check

    logging.basicConfig(level=logging.WARNING, format="warning: %(message)s")  # repairs are reported

    try:
        if args.check:
            stale = check(args.data_dir)
            if stale:
                print(f"{args.data_dir} is stale; run `kupiansk-map build`:", file=sys.stderr)
                for name in stale:
                    print(f"  {name}", file=sys.stderr)
                return 1
            print(f"{args.data_dir} matches a fresh build.")
            return 0
        texts = build(args.data_dir)
    except BuildError as exc:
        print(f"build failed, nothing was written: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"build failed, {args.data_dir} was left as it was: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {len(texts)} files to {args.data_dir}")
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    from kupiansk_map.validate.checks import validate_files

    problems = validate_files(args.files, require_model=not args.plain)
    for problem in problems:
        print(problem)
    if problems:
        files = len({p.file for p in problems})
        print(f"{len(problems)} problem(s) in {files} file(s)", file=sys.stderr)
        return 1
    print(f"{len(args.files)} file(s) valid")
    return 0


def _cmd_stats(args: argparse.Namespace) -> int:
    from kupiansk_map.analysis.stats import FIGURE_LABELS, figures_on
    from kupiansk_map.cli.common import load_layers_reporting

    day = args.date
    layers, incomplete = load_layers_reporting(args.data_dir)
    result = figures_on(layers, day)
    figures = result.as_dict()
    # A sector with no mapped state on the date has no figures: said on standard error, and the exit code is 1
    # when that is the Kupiansk sector (the map's subject) or nothing is mapped that day.
    for message in result.not_mapped.values():
        print(f"stats: {message}", file=sys.stderr)
    refused = not result.sector_mapped("kupiansk")
    if args.json:
        print(json.dumps(figures, indent=2, ensure_ascii=False))
        return 1 if incomplete or refused else 0
    print(f"Figures for {figures['date']} (computed from the layers in {args.data_dir})")
    for key, (label, unit) in FIGURE_LABELS.items():
        value = figures[key]
        shown = (
            "n/a"
            if value is None
            else (f"{value:,}" if isinstance(value, (int, float)) and not isinstance(value, bool) else str(value))
        )
        print(f"  {label}: {shown} {unit if value is not None else ''}".rstrip())
    if figures["kursk_previous_state"]:
        print(f"  (Kursk change measured against state {figures['kursk_previous_state']})")
    return 1 if incomplete or refused else 0


def _cmd_serve(args: argparse.Namespace) -> int:
    from kupiansk_map.cli.serve import serve

    try:
        serve(port=args.port, offline=args.offline, headless=args.headless, store=args.store)
    except ValueError as exc:  # a bad --port, refused before anything starts
        print(f"serve: {exc}", file=sys.stderr)
        return 2


def _cmd_extract_reference(args: argparse.Namespace) -> int:
    from kupiansk_map.layers import reference

    try:
        fresh = reference.extract_gshhg()
    except (RuntimeError, OSError) as exc:
        print(f"extract-reference: {exc}", file=sys.stderr)
        return 2
    if args.check:
        current = json.loads(reference.EXTRACT_PATH.read_text(encoding="utf-8"))
        if current != fresh:
            print(f"{reference.EXTRACT_PATH} differs from GSHHG; run `kupiansk-map extract-reference`", file=sys.stderr)
            return 1
        print(f"{reference.EXTRACT_PATH} matches GSHHG")
        return 0
    reference.write_extract(fresh)
    print(f"wrote {reference.EXTRACT_PATH}")
    return 0


def _parser() -> argparse.ArgumentParser:
    from kupiansk_map.paths import data_dir

    parser = argparse.ArgumentParser(prog="kupiansk-map", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("build", help="build every layer into data/geo/")
    p.add_argument("--check", action="store_true", help="write nothing; exit 1 if the files are stale")
    p.add_argument("--data-dir", type=Path, default=data_dir(), help=argparse.SUPPRESS)
    p.set_defaults(func=_cmd_build)

    p = sub.add_parser("validate", help="check GeoJSON files against the data model")
    p.add_argument("files", nargs="+", help="GeoJSON files")
    p.add_argument(
        "--plain", action="store_true", help="only check structure and geometry, not the project's required properties"
    )
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser("stats", help="figures for a date, computed from the layers")
    p.add_argument("--date", type=iso_date, default=ASSAULT, help="YYYY-MM-DD (default: %(default)s)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--data-dir", type=Path, default=data_dir(), help="folder of built layers")
    p.set_defaults(func=_cmd_stats)

    p = sub.add_parser("serve", help="start the map app (runs `streamlit run app.py` in this process)")
    p.add_argument("--port", type=int, default=8501, help="port to listen on (default: %(default)s)")
    p.add_argument("--offline", action="store_true", help="serve every JS/CSS asset locally; no internet needed")
    p.add_argument("--headless", action="store_true", help="do not try to open a browser")
    p.add_argument(
        "--store",
        type=Path,
        default=None,
        help="the archive store whose archives the app offers as sources (default: $KUPIANSK_MAP_STORE, else "
        "archives/store.gpkg); read only",
    )
    p.set_defaults(func=_cmd_serve)

    from kupiansk_map.cli import analysis as cli_analysis
    from kupiansk_map.cli import archive as cli_archive
    from kupiansk_map.cli import export as cli_export

    cli_export.add_parsers(sub)
    cli_analysis.add_parsers(sub)
    cli_archive.add_parsers(sub)

    p = sub.add_parser("extract-reference", help="regenerate the GSHHG extract (needs Debian's gmt)")
    p.add_argument("--check", action="store_true", help="compare instead of writing")
    p.set_defaults(func=_cmd_extract_reference)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
