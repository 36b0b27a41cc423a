"""The presenter page's map: chapter keys whatever has focus, a map that fills its frame, narration in fullscreen.

Offers:
- ``PresenterControls``: the element to add to the presenter's base map (``render.base_map(presenter=True)``).
- ``narration_group``: a feature group that puts a chapter's narration in the fullscreen box; it travels with the
  chapter's layers through streamlit-folium's ``feature_group_to_add``, so the map's iframe is never rebuilt.
"""

from __future__ import annotations

import folium
from branca.element import MacroElement
from jinja2 import Template

from kupiansk_map.i18n import N_, translator
from kupiansk_map.web import script_json, static_text

FOLD_NARRATION = N_("Click to fold or unfold the narration")


class PresenterControls(MacroElement):
    """Key forwarding, frame filling and the fullscreen narration box (``web/static/presenter-map.js``)."""

    _template = Template("""
        {% macro header(this, kwargs) %}<style>{{ this.css }}</style>{% endmacro %}
        {% macro script(this, kwargs) %}
        ({{ this.js }})({{ this._parent.get_name() }}, {{ this.texts | tojson }});
        {% endmacro %}
    """)

    def __init__(self, *, lang: str = "en") -> None:
        super().__init__()
        self._name = "PresenterControls"
        self.texts = {"foldNarration": translator(lang).gettext(FOLD_NARRATION)}
        self.css = static_text("presenter-map.css")
        self.js = static_text("presenter-map.js")


class _Narration(MacroElement):
    _template = Template("""
        {% macro script(this, kwargs) %}
        ({{ this.js }})({{ this._parent.get_name() }}, {{ this.chapter }});
        {% endmacro %}
    """)

    def __init__(self, chapter: str) -> None:
        super().__init__()
        self._name = "Narration"
        self.js = static_text("narration.js")
        self.chapter = chapter


def narration_group(*, counter: str, date: str, title: str, text: str) -> folium.FeatureGroup:
    """A feature group (drawing nothing) that shows this chapter's narration in the fullscreen box.

    The texts are plain text; they are embedded as script-safe JSON (``script_json``) and set as ``textContent``."""
    for name, value in (("counter", counter), ("date", date), ("title", title), ("text", text)):
        if not isinstance(value, str):
            raise TypeError(f"{name} must be a str, got {type(value).__name__}")
    chapter = script_json({"counter": counter, "date": date, "title": title, "text": text})
    group = folium.FeatureGroup(name="Narration", show=True)
    _Narration(chapter).add_to(group)
    return group
