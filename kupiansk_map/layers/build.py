"""Build every layer into ``data/geo/``: deterministic files, a catalog, and an atomic swap.

Offers:
- ``DATA_DIR``: the default output folder, ``data/geo`` in the repository.
- ``render``: every output file's name and bytes, in memory, checked against the data model.
- ``build``: render, then replace the output folder atomically. A failure leaves it as it was.
- ``check``: compare the folder with a fresh render; returns the names of stale, missing or extra files.
- ``catalog``: the catalog dict for a set of rendered layers (the build's and the static site's).
- ``BuildError``: raised when the rendered output breaks the data model.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from kupiansk_map import atomic, paths
from kupiansk_map.geo import geojson
from kupiansk_map.layers.builders import build_layers
from kupiansk_map.model import LAYERS, layer_spec

DATA_DIR = paths.DEFAULT_DATA_DIR
CATALOG_FILE = "catalog.json"

_FAMILIES = {"MultiPolygon": "Polygon", "MultiLineString": "LineString", "MultiPoint": "Point"}


class BuildError(RuntimeError):
    """The build produced output that breaks the data model; nothing was written."""


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def catalog(layers: Mapping[str, Mapping[str, Any]], texts: Mapping[str, bytes]) -> dict[str, Any]:
    """The catalog entry of every layer in ``layers`` (in the order of ``LAYERS``; a layer not given is left out):
    id, title, file, geometry type, feature count, the SHA-256 of its file in ``texts``, description, dated."""
    entries = []
    for spec in LAYERS:
        if spec.id not in layers:
            continue
        collection = layers[spec.id]
        entries.append(
            {
                "id": spec.id,
                "title": spec.title,
                "file": spec.file,
                "geometry_type": spec.geometry_type,
                "feature_count": len(collection["features"]),
                "sha256": _sha256(texts[spec.file]),
                "description": spec.description,
                "dated": spec.dated,
            }
        )
    return {"layers": entries}


def _check_types(layer_id: str, collection: Mapping[str, Any]) -> list[str]:
    allowed = set(layer_spec(layer_id).geometry_type.split("/"))
    problems = []
    for index, feat in enumerate(collection["features"]):
        kind = feat["geometry"]["type"]
        if _FAMILIES.get(kind, kind) not in allowed:
            problems.append(
                f"{layer_id}: feature {index} ({feat['properties']['id']!r}) is a {kind}, "
                f"the layer holds {'/'.join(sorted(allowed))}"
            )
    return problems


def render(*, validate: Callable[[bytes, str], list[str]] | None = None) -> dict[str, bytes]:
    """Build every layer and the catalog in memory; raise ``BuildError`` listing every problem."""
    layers = build_layers()
    texts = {layer_spec(layer_id).file: geojson.dumps(fc).encode("utf-8") for layer_id, fc in layers.items()}
    problems = [p for layer_id, fc in layers.items() for p in _check_types(layer_id, fc)]
    if validate is None:
        from kupiansk_map.validate.checks import validate_bytes

        def validate(data: bytes, name: str) -> list[str]:
            return [str(p) for p in validate_bytes(data, name=name, strict_format=True)]

    for name, data in texts.items():
        problems.extend(validate(data, name))
    if problems:
        raise BuildError("the build broke the data model:\n" + "\n".join(problems))
    texts[CATALOG_FILE] = (json.dumps(catalog(layers, texts), indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    return texts


def build(out_dir: Path = DATA_DIR, *, texts: Mapping[str, bytes] | None = None) -> dict[str, bytes]:
    """Render every file, write them to a staging folder, then swap it in place of ``out_dir``.

    The swap is two renames on one file system (``atomic.replace_folder``); a failure at any earlier point
    leaves ``out_dir`` byte-identical, and an interruption between the renames is repaired by the next build.
    """
    out_dir = Path(out_dir)
    texts = dict(texts) if texts is not None else render()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    atomic.restore_interrupted(out_dir)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.staging-", dir=out_dir.parent))
    try:
        atomic.write_files(staging, dict(sorted(texts.items())))
        atomic.replace_folder(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return texts


def check(out_dir: Path = DATA_DIR, *, texts: Mapping[str, bytes] | None = None) -> list[str]:
    """Names of files in ``out_dir`` that differ from a fresh build, are missing, or should not be there."""
    out_dir = Path(out_dir)
    texts = texts if texts is not None else render()
    stale = []
    for name, data in sorted(texts.items()):
        path = out_dir / name
        if not path.is_file():
            stale.append(f"{name} (missing)")
        elif path.read_bytes() != data:
            stale.append(f"{name} (differs from a fresh build)")
    if out_dir.is_dir():
        stale.extend(f"{p.name} (not produced by the build)" for p in sorted(out_dir.iterdir()) if p.name not in texts)
    return stale
