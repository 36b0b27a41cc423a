"""Browser code shipped with the package: JavaScript, CSS and HTML templates kept in files of their own.

Offers:
- ``static_text``: the text of one file under ``web/static/``, read once with ``importlib.resources``.
"""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def static_text(name: str) -> str:
    """The UTF-8 text of ``web/static/<name>``; raises ``FileNotFoundError`` naming the file."""
    if not isinstance(name, str) or not name or name.startswith("/") or ".." in name.split("/"):
        raise ValueError(f"expected a file name under web/static/, got {name!r}")
    resource = resources.files(__package__).joinpath("static", name)
    if not resource.is_file():
        raise FileNotFoundError(f"kupiansk_map/web/static/{name} is not in the package")
    return resource.read_text(encoding="utf-8")
