"""Share compiled Jinja templates between folium/branca elements.

branca compiles a Jinja template for every element instance, and folium compiles its tooltip and popup
templates on every render: the same few sources are compiled over a hundred times per map, which was most of
the time the app spent building a map (profiled: ~90 of ~130 ms). A compiled template is immutable, so one
compiled copy per (environment, source, template class) is shared. ``install`` is idempotent.
"""

from __future__ import annotations

from collections import OrderedDict
from functools import wraps
from threading import Lock
from typing import Any

import jinja2

# Least recently used first; bounded, since some elements are built from one-off template strings.
_CACHE: OrderedDict[tuple[jinja2.Environment, str, Any], jinja2.Template] = OrderedDict()
_MAX_ENTRIES = 1024
# Structural templates are short; a long source usually embeds data and is compiled once anyway.
_MAX_SOURCE_CHARS = 20_000
_LOCK = Lock()


def install() -> None:
    """Memoise ``jinja2.Environment.from_string`` for plain string sources without extra globals."""
    original = jinja2.Environment.from_string
    if getattr(original, "_kupiansk_cached", False):
        return

    @wraps(original)
    def from_string(self: jinja2.Environment, source: Any, globals: Any = None, template_class: Any = None):
        if globals is not None or not isinstance(source, str) or len(source) > _MAX_SOURCE_CHARS:
            return original(self, source, globals, template_class)
        key = (self, source, template_class)
        with _LOCK:  # Streamlit runs sessions in threads
            template = _CACHE.get(key)
            if template is not None:
                _CACHE.move_to_end(key)
                return template
        template = original(self, source, globals, template_class)
        with _LOCK:
            _CACHE[key] = template
            while len(_CACHE) > _MAX_ENTRIES:
                _CACHE.popitem(last=False)
        return template

    from_string._kupiansk_cached = True  # type: ignore[attr-defined]
    jinja2.Environment.from_string = from_string  # type: ignore[method-assign]
