"""Browser code shipped with the package: JavaScript, CSS and HTML templates kept in files of their own.

Offers:
- ``static_text``: the text of one file under ``web/static/``, read once with ``importlib.resources``.
- ``script_json``: data as JSON that is safe inside any ``<script>`` element (the one implementation).
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any


def script_json(data: Any) -> str:
    """Compact JSON with ``<`` and the two JavaScript line separators escaped: inside a script element only
    ``</script`` and ``<!--`` are markup, and both start with ``<``. ``&`` and ``>`` need no escape there, and
    escaping them would cost five bytes each in every popup's HTML."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


@cache
def static_text(name: str) -> str:
    """The UTF-8 text of ``web/static/<name>``; raises ``FileNotFoundError`` naming the file."""
    if not isinstance(name, str) or not name or name.startswith("/") or ".." in name.split("/"):
        raise ValueError(f"expected a file name under web/static/, got {name!r}")
    resource = resources.files(__package__).joinpath("static", name)
    if not resource.is_file():
        raise FileNotFoundError(f"kupiansk_map/web/static/{name} is not in the package")
    return resource.read_text(encoding="utf-8")
