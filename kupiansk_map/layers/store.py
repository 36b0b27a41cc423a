"""Reading the built layers from ``data/geo/``: one bad file never hides the good ones.

Offers:
- ``LoadedLayers``: the layers that loaded, and a clear error for each one that did not.
- ``load_layers``: read every catalogued layer from a folder.
- ``read_layer``: read and validate one layer file: the collection, or a clear error.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kupiansk_map import paths
from kupiansk_map.model import LAYERS
from kupiansk_map.validate.checks import load_feature_collection, validate_object


@dataclass(frozen=True)
class LoadedLayers:
    """``layers`` maps a layer id to its FeatureCollection; ``errors`` maps a layer id to what went wrong."""

    layers: dict[str, dict[str, Any]]
    errors: dict[str, str] = field(default_factory=dict)


def read_layer(path: Path | str) -> tuple[dict[str, Any] | None, str | None]:
    """One layer file read and checked against the data model: ``(collection, None)`` or ``(None, error)``."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, f"{path}: cannot be read ({exc.strerror or exc})"
    collection, problems = load_feature_collection(data, name=str(path))
    if collection is not None and not problems:
        problems = validate_object(collection, name=str(path))
    if problems or collection is None:
        shown = "; ".join(str(p) for p in problems[:3]) or f"{path}: could not be read"
        more = f" (and {len(problems) - 3} more problems)" if len(problems) > 3 else ""
        return None, shown + more
    return collection, None


def load_layers(data_dir: Path | str | None = None) -> LoadedLayers:
    """Load and validate each layer file; a missing or broken file becomes an error for that layer only.

    ``data_dir`` defaults to ``paths.data_dir()`` (``$KUPIANSK_MAP_DATA_DIR`` or ``data/geo/``)."""
    data_dir = paths.data_dir() if data_dir is None else Path(data_dir)
    layers: dict[str, dict[str, Any]] = {}
    errors: dict[str, str] = {}
    for spec in LAYERS:
        collection, error = read_layer(data_dir / spec.file)
        if error is not None:
            errors[spec.id] = error
        else:
            assert collection is not None  # read_layer returns a collection or an error, never neither
            layers[spec.id] = collection
    return LoadedLayers(layers, errors)
