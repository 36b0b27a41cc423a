"""Shared fixtures: the layers built in memory once per test session, and the committed files."""

from __future__ import annotations

from pathlib import Path

import pytest
from shapely.geometry import shape

from kupiansk_map.layers.build import DATA_DIR
from kupiansk_map.layers.builders import build_layers

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def layers() -> dict:
    return build_layers()


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA_DIR


def by_id(collection: dict) -> dict:
    """Features of a collection keyed by their id."""
    return {f["properties"]["id"]: f for f in collection["features"]}


def geom(feature: dict):
    return shape(feature["geometry"])


def date_input(at):
    """The explore page's date input in an AppTest run. (Its widget key changes with the date: see
    ``app.timeline._input_key``; the session's date is ``at.session_state["date"]``.)"""
    from kupiansk_map.app.timeline import INPUT_KEY_PREFIX

    found = [widget for widget in at.date_input if (widget.key or "").startswith(INPUT_KEY_PREFIX)]
    assert len(found) == 1, f"expected one date input, found keys {[w.key for w in at.date_input]}"
    return found[0]
