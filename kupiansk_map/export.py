"""Standalone HTML: one self-contained file per map, with every JS/CSS asset and all data inlined.

Offers:
- ``standalone_html``: the map for a view state as one HTML page that renders from ``file://`` with no network.
"""

from __future__ import annotations

from typing import Any, Mapping

from . import assets
from .render import build_map
from .views import ViewState


def standalone_html(layers: Mapping[str, Mapping[str, Any]], state: ViewState, *, offline: bool = True) -> str:
    """The map for ``state`` as a single page; with ``offline`` it draws no tiles and makes no request at all."""
    fmap = build_map(layers, state, offline=offline)
    assets.localize(fmap, base_url=assets.INLINE_URL)
    return assets.inline_html(fmap.get_root().render())
