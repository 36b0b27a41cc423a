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
