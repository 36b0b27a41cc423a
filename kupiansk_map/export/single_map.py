"""Standalone HTML: one self-contained file per map, with every JS/CSS asset and all data inlined.

Offers:
- ``standalone_html``: the map for a view state as one HTML page that renders from ``file://`` with no network,
  titled and labelled with its date and view (see ``page_title`` and ``map_label``).
- ``page_title``: the page title of a map export, e.g. "13 November 2024 — Kupiansk".
- ``map_label``: the box at the top left of the map naming the date and the view (a ``MacroElement``).
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Any

from branca.element import MacroElement
from jinja2 import Template

from kupiansk_map.i18n import translator
from kupiansk_map.story.chapters import format_date, load_story
from kupiansk_map.web import assets, static_text
from kupiansk_map.web.render import build_map, map_figure
from kupiansk_map.web.views import VIEWS, ViewState


def page_title(state: ViewState, *, lang: str = "en") -> str:
    """The title of the page for ``state`` in ``lang``: the date first (a tab shows the start), then the view."""
    return f"{format_date(state.date, lang=lang)} — {translator(lang).gettext(VIEWS[state.view].label)}"


class _MapLabel(MacroElement):
    """A Leaflet control naming the date and the view: a saved file carries no app around it to say so."""

    _template = Template("""
        {% macro header(this, kwargs) %}<style>{{ this.css }}</style>{% endmacro %}
        {% macro script(this, kwargs) %}
        ({{ this.js }})({{ this._parent.get_name() }}, {{ this.texts | tojson }});
        {% endmacro %}
    """)

    def __init__(self, texts: Mapping[str, str]) -> None:
        super().__init__()
        self._name = "MapLabel"
        self.texts = dict(texts)
        self.css = static_text("map-label.css")
        self.js = static_text("map-label.js")


def map_label(state: ViewState, *, lang: str = "en") -> MacroElement:
    """The date ("13 November 2024") and view label of ``state`` in ``lang`` as a box at the top left of the map."""
    return _MapLabel(
        {
            "iso": state.date.isoformat(),
            "date": format_date(state.date, lang=lang),
            "view": translator(lang).gettext(VIEWS[state.view].label),
        }
    )


def standalone_html(
    layers: Mapping[str, Mapping[str, Any]], state: ViewState, *, offline: bool = True, lang: str = "en"
) -> str:
    """The map for ``state`` as a single page in ``lang`` (place names from the story's ``names``); with
    ``offline`` it draws no tiles and makes no request at all."""
    story = load_story()
    names, notes = story.names.get(lang, {}), story.notes.get(lang, {})
    fmap = build_map(layers, state, offline=offline, lang=lang, labels=names, notes=notes)
    map_label(state, lang=lang).add_to(fmap)
    map_figure(fmap).title = escape(page_title(state, lang=lang))  # branca writes the title as it is, unescaped
    assets.localize(fmap, base_url=assets.INLINE_URL)
    return assets.inline_html(fmap.get_root().render())
