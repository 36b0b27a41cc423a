import hashlib
import json
import os
import re

import pytest

from kupiansk_map import atomic
from kupiansk_map.layers.build import CATALOG_FILE, BuildError, build, catalog, check, render
from kupiansk_map.model import LAYERS
from kupiansk_map.validate.checks import validate_bytes


@pytest.fixture(scope="module")
def texts():
    return render()


def _snapshot(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_two_renders_are_byte_identical(texts):
    assert render() == texts


def test_render_gives_every_layer_file_and_the_catalog(texts):
    assert sorted(texts) == sorted([spec.file for spec in LAYERS] + [CATALOG_FILE])


def test_rendered_files_meet_the_strict_format(texts):
    for name, data in texts.items():
        if name != CATALOG_FILE:
            assert validate_bytes(data, name=name, strict_format=True) == [], name
            assert b'"crs"' not in data


def test_catalog_describes_each_file(texts):
    entries = json.loads(texts[CATALOG_FILE])["layers"]
    assert [e["id"] for e in entries] == [spec.id for spec in LAYERS]
    for entry in entries:
        data = texts[entry["file"]]
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert entry["feature_count"] == len(json.loads(data)["features"])
        assert set(entry) >= {"id", "title", "file", "geometry_type", "feature_count", "sha256", "description"}


def test_committed_files_match_a_fresh_build(texts, data_dir):
    assert check(data_dir, texts=texts) == []


def test_build_writes_then_check_passes(tmp_path, texts):
    out = tmp_path / "geo"
    build(out, texts=texts)
    assert _snapshot(out) == dict(texts)
    assert check(out, texts=texts) == []


def test_check_names_stale_missing_and_extra_files(tmp_path, texts):
    out = tmp_path / "geo"
    build(out, texts=texts)
    (out / "occupied.geojson").write_text("{}", encoding="utf-8")
    (out / "places.geojson").unlink()
    (out / "notes.txt").write_text("x", encoding="utf-8")
    assert check(out, texts=texts) == [
        "occupied.geojson (differs from a fresh build)",
        "places.geojson (missing)",
        "notes.txt (not produced by the build)",
    ]


def test_a_failure_mid_write_leaves_the_folder_byte_identical(tmp_path, texts, monkeypatch):
    out = tmp_path / "geo"
    build(out, texts=texts)
    (out / "occupied.geojson").write_bytes(b"old but good")
    before = _snapshot(out)
    calls = {"n": 0}
    real_fsync = os.fsync

    def failing_fsync(fd):
        calls["n"] += 1
        if calls["n"] == 5:
            raise OSError("disk full (injected)")
        real_fsync(fd)

    monkeypatch.setattr(atomic.os, "fsync", failing_fsync)  # the build writes through kupiansk_map.atomic
    with pytest.raises(OSError, match="injected"):
        build(out, texts=texts)
    assert _snapshot(out) == before
    assert [p.name for p in tmp_path.iterdir()] == ["geo"]  # no staging folder left behind


def test_a_failure_during_the_swap_restores_the_previous_output(tmp_path, texts, monkeypatch):
    out = tmp_path / "geo"
    build(out, texts=texts)
    before = _snapshot(out)
    real_rename = type(out).rename

    def failing_rename(self, target):
        if self.name.startswith(".geo.staging-"):
            raise OSError("rename failed (injected)")
        return real_rename(self, target)

    monkeypatch.setattr(type(out), "rename", failing_rename)
    with pytest.raises(OSError, match="injected"):
        build(out, texts=texts)
    monkeypatch.undo()
    assert _snapshot(out) == before


def test_an_interrupted_swap_is_repaired_by_the_next_build(tmp_path, texts):
    out = tmp_path / "geo"
    build(out, texts=texts)
    out.rename(tmp_path / ".geo.previous")  # as if the process died between the two renames
    build(out, texts=texts)
    assert check(out, texts=texts) == [] and not (tmp_path / ".geo.previous").exists()


def test_render_refuses_output_that_breaks_the_data_model():
    with pytest.raises(BuildError, match=re.escape("occupied.geojson: bad")):
        render(validate=lambda data, name: [f"{name}: bad"] if name == "occupied.geojson" else [])


def test_catalog_uses_the_layer_order():
    layers = {spec.id: {"features": []} for spec in LAYERS}
    texts = {spec.file: b"" for spec in LAYERS}
    assert [e["file"] for e in catalog(layers, texts)["layers"]] == [spec.file for spec in LAYERS]


def test_catalog_leaves_out_the_layers_not_given(texts):
    """The static site writes a catalog of the layers it was given, through this same function."""
    layers = {spec.id: json.loads(texts[spec.file]) for spec in LAYERS if spec.id in ("occupied", "front_line")}
    entries = catalog(layers, texts)["layers"]
    assert [e["id"] for e in entries] == [spec.id for spec in LAYERS if spec.id in layers]
    assert entries[0]["sha256"] == hashlib.sha256(texts[entries[0]["file"]]).hexdigest()
