"""Share compiled Jinja templates between folium/branca elements.

branca compiles a Jinja template for every element instance, and folium compiles its tooltip and popup
templates on every render: the same few sources are compiled over a hundred times per map, which was most of
the time the app spent building a map (profiled: ~90 of ~130 ms). A compiled template is immutable, so one
compiled copy per (environment, source, template class) is shared. ``install`` is idempotent.

Every element's rendered output is wrapped in a new element whose "template" is that output: a map's layer data,
hundreds of KB that Jinja lexed on every render (profiled: ~16 ms of a playback step's ~83 ms) and that filled the
cache with one-off entries. A source with no Jinja syntax at all renders to itself, so it is not compiled.
"""

from __future__ import annotations

from collections import OrderedDict
from functools import wraps
from threading import Lock
from types import SimpleNamespace
from typing import Any

import jinja2

# Least recently used first; bounded, since some elements are built from one-off template strings.
_CACHE: OrderedDict[tuple[jinja2.Environment, str, Any], jinja2.Template] = OrderedDict()
_MAX_ENTRIES = 1024
# Structural templates are short; a long source usually embeds data and is compiled once anyway.
_MAX_SOURCE_CHARS = 20_000
_LOCK = Lock()


class _Verbatim:
    """A template with no Jinja syntax in it, which renders to its text as Jinja would (less one trailing
    newline, unless the environment keeps it)."""

    def __init__(self, text: str) -> None:
        self._text = text
        self.module = SimpleNamespace()  # no macros: branca looks for "header", "html" and "script" here

    def render(self, *args: Any, **kwargs: Any) -> str:
        return self._text


def _verbatim(env: jinja2.Environment, source: str) -> _Verbatim | None:
    """``source`` as a ``_Verbatim`` if Jinja would only copy it (no tags, no line statements, no newlines to
    normalise), else None."""
    if env.line_statement_prefix or env.line_comment_prefix or "\r" in source:
        return None
    starts = (env.block_start_string, env.variable_start_string, env.comment_start_string)
    if any(start in source for start in starts):
        return None
    if source.endswith("\n") and not env.keep_trailing_newline:
        source = source[:-1]
    return _Verbatim(source)


def install() -> None:
    """Memoise ``jinja2.Environment.from_string`` for plain string sources without extra globals."""
    original = jinja2.Environment.from_string
    if getattr(original, "_kupiansk_cached", False):
        return

    @wraps(original)
    def from_string(self: jinja2.Environment, source: Any, globals: Any = None, template_class: Any = None):
        if globals is not None or not isinstance(source, str):
            return original(self, source, globals, template_class)
        if (plain := _verbatim(self, source)) is not None:
            return plain
        if len(source) > _MAX_SOURCE_CHARS:
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
