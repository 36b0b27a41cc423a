"""``kupiansk-map export``: the story, a single map, the static site or a PNG handout, as files.

Offers ``add_parsers(sub)``, which registers the ``export`` subcommand (called by ``cli._parser``):

- ``export --story OUT.html [--lang en|uk]``: the chaptered story as one self-contained HTML file.
- ``export --html OUT.html [--date D] [--view V] [--layers a,b] [--lang en|uk]``: one map as a self-contained HTML file
  (defaults: 2024-11-13, kupiansk, every layer).
- ``export --site DIR [--lang en|uk]``: the static site (``site.write_site``): index and maps in that language.
- ``export --png OUT.png --chapter N [--lang en|uk]``: one story chapter as a PNG, drawn by headless Chromium.

Exactly one of ``--story``/``--html``/``--site``/``--png``. ``--story-file`` reads another story,
``--data-dir`` other layers (default: ``$KUPIANSK_MAP_DATA_DIR`` or ``data/geo/``). A broken layer is reported on
stderr and left out; the export then still happens and the exit code is 1. Story problems found against the
layers are reported as warnings. A bad option (date, view, chapter, language, output path) or a story file that
cannot be read exits 2 with a one-line message; no traceback. Files are written atomically (temporary file and
``os.replace``).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

_MODES = ("story", "html", "site", "png")


class _UsageError(Exception):
    """A bad option: reported as one line, exit 2."""


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """Register the ``export`` subcommand."""
    p = sub.add_parser(
        "export",
        help="write the story, a map, the static site or a PNG handout",
        description="Write the chaptered story, one map, the static site or a PNG of one chapter. "
        "Give exactly one of --story, --html, --site or --png.",
    )
    p.add_argument("--story", type=Path, metavar="OUT.html", help="the story as one self-contained HTML file")
    p.add_argument("--html", type=Path, metavar="OUT.html", help="one map as one self-contained HTML file")
    p.add_argument(
        "--site",
        type=Path,
        metavar="DIR",
        help="the static site, into a new or empty folder (or one an earlier --site export wrote)",
    )
    p.add_argument("--png", type=Path, metavar="OUT.png", help="one chapter of the story as a PNG")
    p.add_argument(
        "--lang", metavar="en|uk", help="language of every export (default: en); a --site has the story in each"
    )
    p.add_argument("--chapter", metavar="N", help="chapter for --png, from 1")
    p.add_argument("--date", metavar="YYYY-MM-DD", help="date for --html (default: 2024-11-13)")
    p.add_argument(
        "--view", metavar="V", help="preset view for --html: overview, kupiansk or kursk (default: kupiansk)"
    )
    p.add_argument("--layers", metavar="a,b,c", help="layers for --html (default: all)")
    p.add_argument("--story-file", type=Path, metavar="FILE", help="story JSON (default: the packaged story)")
    p.add_argument("--data-dir", type=Path, metavar="DIR", help="folder of built layers (default: data/geo/)")
    p.set_defaults(func=_cmd_export)


# ---------------------------------------------------------------------------------------------------------------
# checks


def _mode(args: argparse.Namespace) -> str:
    given = [mode for mode in _MODES if getattr(args, mode) is not None]
    if len(given) != 1:
        named = ", ".join(f"--{mode}" for mode in given)
        raise _UsageError("give exactly one of --story, --html, --site or --png" + (f" (got {named})" if given else ""))
    mode = given[0]
    allowed = {
        "story": {"lang"},
        "html": {"date", "view", "layers", "lang"},
        "site": {"lang"},
        "png": {"lang", "chapter"},
    }
    for option in ("lang", "chapter", "date", "view", "layers"):
        if getattr(args, option) is not None and option not in allowed[mode]:
            raise _UsageError(f"--{option} does not apply to --{mode}")
    return mode


def _lang(args: argparse.Namespace) -> str:
    from kupiansk_map.story.chapters import LANGUAGES

    lang = args.lang or "en"
    if lang not in LANGUAGES:
        raise _UsageError(f"--lang {lang!r} is not one of {', '.join(LANGUAGES)}")
    return lang


def _output_file(path: Path, option: str) -> Path:
    if path.is_dir():
        raise _UsageError(f"--{option} {path}: is a folder; give a file name")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise _UsageError(f"--{option} {path}: the folder {parent} does not exist")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise _UsageError(f"--{option} {path}: the folder {parent} is not writable")
    if path.exists() and not os.access(path, os.W_OK):
        raise _UsageError(f"--{option} {path}: the file is not writable")
    return path


def _data_dir(args: argparse.Namespace) -> Path:
    from kupiansk_map import paths

    return args.data_dir if args.data_dir is not None else paths.data_dir()


def _load_layers(args: argparse.Namespace) -> tuple[dict[str, Any], bool]:
    from kupiansk_map.cli.common import load_layers_reporting

    data_dir = _data_dir(args)
    if not data_dir.is_dir():
        raise _UsageError(f"--data-dir {data_dir}: not a folder")
    layers, incomplete = load_layers_reporting(data_dir)
    if not layers:
        raise _UsageError(f"no layer in {data_dir} could be read")
    return layers, incomplete


def _load_story(args: argparse.Namespace, layers: dict[str, Any]) -> Any:
    from kupiansk_map.story.chapters import STORY_PATH, StoryError, load_story, validate_story

    path = args.story_file or STORY_PATH
    try:
        story = load_story(path)
    except StoryError as exc:
        count = len(exc.problems)
        first = exc.problems[0] if exc.problems else str(path)
        more = f" (and {count - 1} more problem(s))" if count > 1 else ""
        raise _UsageError(f"the story cannot be used: {first}{more}") from None
    for problem in validate_story(story, layers):
        print(f"warning: story: {problem}", file=sys.stderr)
    return story


def _chapter_number(args: argparse.Namespace) -> int:
    if args.chapter is None:
        raise _UsageError("--png needs --chapter N")
    try:
        return int(args.chapter)
    except ValueError:
        raise _UsageError(f"--chapter {args.chapter!r} is not a whole number") from None


def _chapter(args: argparse.Namespace, story: Any) -> int:
    number = _chapter_number(args)
    if not 1 <= number <= len(story.chapters):
        raise _UsageError(f"--chapter {number} is out of range: the story has chapters 1 to {len(story.chapters)}")
    return number


def _html_state(args: argparse.Namespace, layers: dict[str, Any]) -> Any:
    import datetime as dt
    from dataclasses import replace

    from kupiansk_map.model import MAP_LAYER_IDS, parse_iso_date
    from kupiansk_map.story.chapters import data_period
    from kupiansk_map.web.views import DEFAULT_STATE, VIEWS

    state = replace(DEFAULT_STATE, basemap="none")
    if args.date is not None:
        try:
            state = replace(state, date=parse_iso_date(args.date))
        except ValueError as exc:
            raise _UsageError(f"--date: {exc}") from None
    if args.view is not None:
        if args.view not in VIEWS:
            raise _UsageError(f"--view {args.view!r} is not one of {', '.join(VIEWS)}")
        state = replace(state, view=args.view)
    if args.layers is not None:
        wanted = [part.strip() for part in args.layers.split(",") if part.strip()]
        unknown = [part for part in wanted if part not in MAP_LAYER_IDS]
        if unknown or not wanted:
            raise _UsageError(
                f"--layers: unknown layer(s) {', '.join(map(repr, unknown))}; known: {', '.join(MAP_LAYER_IDS)}"
                if unknown
                else "--layers: name at least one layer"
            )
        state = replace(state, layers=tuple(layer for layer in MAP_LAYER_IDS if layer in wanted))
    period = data_period(layers)
    if period is not None and not period[0] <= state.date < period[1]:
        last = period[1] - dt.timedelta(days=1)
        raise _UsageError(
            f"--date {state.date.isoformat()} is outside the data ({period[0].isoformat()} to {last.isoformat()})"
        )
    return replace(state, layers=tuple(layer for layer in state.layers if layer in layers))


# ---------------------------------------------------------------------------------------------------------------
# the command


def _write(path: Path, text: str | bytes) -> int:
    from kupiansk_map.atomic import write_atomic

    data = text.encode("utf-8") if isinstance(text, str) else text
    try:
        write_atomic(path, data)
    except OSError as exc:
        raise _UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
    return len(data)


def _run(args: argparse.Namespace) -> int:
    mode = _mode(args)
    lang = _lang(args)
    if mode == "png":
        _chapter_number(args)
    if mode in ("story", "html", "png"):
        _output_file(getattr(args, mode), mode)
    layers, broken = _load_layers(args)

    if mode == "html":
        from kupiansk_map.export.story_page import map_html

        state = _html_state(args, layers)
        size = _write(args.html, map_html(layers, state, lang=lang))
        print(f"wrote {args.html} ({size:,} bytes): {state.view} on {state.date.isoformat()}")
        return 1 if broken else 0

    story = _load_story(args, layers)
    if mode == "story":
        from kupiansk_map.export.story_page import story_html

        size = _write(args.story, story_html(layers, story, lang=lang))
        print(f"wrote {args.story} ({size:,} bytes): {len(story.chapters)} chapters in {lang}")
    elif mode == "site":
        from kupiansk_map.export.site import SiteError, write_site

        try:
            written = write_site(args.site, layers, story, lang=lang)
        except SiteError as exc:
            raise _UsageError(str(exc)) from None
        print(f"wrote {len(written)} files to {args.site}; open {args.site / 'index.html'}")
    else:
        from kupiansk_map.export.handout import HandoutError, chapter_png

        number = _chapter(args, story)
        try:
            path = chapter_png(args.png, layers, story, chapter=number, lang=lang)
        except HandoutError as exc:
            raise _UsageError(str(exc)) from None
        print(f"wrote {path} ({path.stat().st_size:,} bytes): chapter {number} in {lang}")
    return 1 if broken else 0


def _cmd_export(args: argparse.Namespace) -> int:
    try:
        return _run(args)
    except _UsageError as exc:
        print(f"export: {exc}", file=sys.stderr)
        return 2
