"""kupiansk_map.web: browser files shipped as package data."""

from __future__ import annotations

import re

import pytest

from kupiansk_map.web import static_text


def test_static_text_refuses_paths_outside_the_folder() -> None:
    for bad in ("", "/etc/passwd", "../render.py", "a/../../b"):
        with pytest.raises(ValueError, match="web/static"):
            static_text(bad)


def test_static_text_names_a_missing_file() -> None:
    with pytest.raises(FileNotFoundError, match=re.escape("web/static/no-such-file.js")):
        static_text("no-such-file.js")
