"""cli/common.py: the layer loading that every command shares."""

import io
import shutil

from kupiansk_map.cli.common import load_layers_reporting
from kupiansk_map.layers.build import DATA_DIR


def test_the_layers_load_with_no_warning():
    err = io.StringIO()
    layers, incomplete = load_layers_reporting(DATA_DIR, err=err)
    assert "occupied" in layers and "kursk_salient" in layers
    assert not incomplete and err.getvalue() == ""


def test_a_broken_layer_is_left_out_with_a_warning_naming_it(tmp_path):
    geo = tmp_path / "geo"
    shutil.copytree(DATA_DIR, geo)
    (geo / "kursk_salient.geojson").write_text("{not json", encoding="utf-8")
    err = io.StringIO()
    layers, incomplete = load_layers_reporting(geo, err=err)
    assert incomplete and "kursk_salient" not in layers and "occupied" in layers
    lines = err.getvalue().splitlines()
    assert len(lines) == 1 and lines[0].startswith("warning: layer kursk_salient left out: ")
    assert "kursk_salient.geojson" in lines[0]
