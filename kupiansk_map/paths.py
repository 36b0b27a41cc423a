"""The project's paths and the environment variables that move them, read when asked (so tests can set them).

Offers:
- ``ROOT``: the checkout the package runs from (the folder holding ``app.py``, ``data/`` and ``static/``).
- ``APP_PATH``: the Streamlit entry point, ``app.py``.
- ``DEFINITIONS_DIR``: the authored definitions shipped with the package (``layers/definitions/``).
- ``VENDOR_DIR``: the browser libraries installed from npm for offline use (``static/vendor/``).
- ``DATA_DIR_ENV``, ``data_dir``: the built layers, ``data/geo/`` unless ``KUPIANSK_MAP_DATA_DIR`` says otherwise.
- ``STORE_ENV``, ``DEFAULT_STORE``, ``store_path``: the local archive store, ``archives/store.gpkg`` unless
  ``KUPIANSK_MAP_STORE`` says otherwise.
- ``OFFLINE_ENV``: set to ``1`` by ``kupiansk-map serve --offline`` for the app.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP_PATH = ROOT / "app.py"
DEFINITIONS_DIR = Path(__file__).resolve().parent / "layers" / "definitions"
VENDOR_DIR = ROOT / "static" / "vendor"
DEFAULT_DATA_DIR = ROOT / "data" / "geo"
DEFAULT_STORE = ROOT / "archives" / "store.gpkg"

DATA_DIR_ENV = "KUPIANSK_MAP_DATA_DIR"
STORE_ENV = "KUPIANSK_MAP_STORE"
OFFLINE_ENV = "KUPIANSK_MAP_OFFLINE"


def data_dir() -> Path:
    """The folder of built layers: ``$KUPIANSK_MAP_DATA_DIR`` if set, else ``data/geo/`` in the checkout."""
    value = os.environ.get(DATA_DIR_ENV)
    return Path(value) if value else DEFAULT_DATA_DIR


def store_path() -> Path:
    """The archive store: ``$KUPIANSK_MAP_STORE`` if set, else ``archives/store.gpkg`` in the checkout."""
    value = os.environ.get(STORE_ENV)
    return Path(value) if value else DEFAULT_STORE
