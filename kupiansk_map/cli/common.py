"""What the command modules share.

Offers:
- ``load_layers_reporting(data_dir)``: the layers of ``data_dir`` (read and validated by ``layers.store``) and
  whether any was left out; each one left out is a ``warning:`` line on standard error.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, TextIO


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
