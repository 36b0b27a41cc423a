"""What the command modules share.

Offers:
- ``load_layers_reporting(data_dir)``: the layers of ``data_dir`` (read and validated by ``layers.store``) and
  whether any was left out; each one left out is a ``warning:`` line on standard error.
- ``progress_printer(stream)``: the progress display of a long import (a bar on a terminal, lines in logs).
- ``iso_date(text)``: the argparse ``type`` of every date option: a ``datetime.date``, parsed here at the
  boundary, or argparse's usage error (exit 2) quoting the text.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO


def iso_date(text: str) -> dt.date:
    """A command-line date, ``YYYY-MM-DD``; the commands below take only ``date`` objects."""
    from kupiansk_map.model import parse_iso_date

    try:
        return parse_iso_date(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def load_layers_reporting(data_dir: Path, *, err: TextIO | None = None) -> tuple[dict[str, Any], bool]:
    """``(layers, incomplete)`` for ``data_dir``, warning on ``err`` (standard error) about each layer left out.

    A command still runs on the layers that loaded; ``incomplete`` is its cue to exit with 1 instead of 0.
    """
    from kupiansk_map.layers.store import load_layers

    out = err if err is not None else sys.stderr
    loaded = load_layers(data_dir)
    for layer_id, error in loaded.errors.items():
        print(f"warning: layer {layer_id} left out: {error}", file=out)
    return loaded.layers, bool(loaded.errors)


def progress_printer(
    out: TextIO, *, width: int = 30, interactive: bool | None = None
) -> Callable[[int, int, str], None]:
    """A bar redrawn in place on a terminal; plain lines at each 10 % (and the end) when not a terminal."""
    tty = out.isatty() if interactive is None else interactive
    shown = [-1]
    start = time.monotonic()

    def draw(done: int, total: int, name: str) -> None:
        if tty:
            step = done * width // total if total else width
            if step == shown[0] and done != total:
                return
            shown[0] = step
            out.write(f"\r[{'#' * step}{' ' * (width - step)}] {done}/{total}")
            if done == total:
                out.write("\n")
        else:
            tenth = done * 10 // total if total else 10
            if tenth == shown[0]:
                return
            shown[0] = tenth
            out.write(
                f"import: {done}/{total} days read ({done * 100 // max(total, 1)} %, "
                f"{time.monotonic() - start:.1f} s), last {name}\n"
            )
        out.flush()

    return draw
