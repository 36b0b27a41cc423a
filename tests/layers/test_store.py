import shutil

from kupiansk_map.layers.store import load_layers
from kupiansk_map.model import LAYERS


def test_all_committed_layers_load(data_dir):
    loaded = load_layers(data_dir)
    assert loaded.errors == {}
    assert len(loaded.layers) == len(LAYERS)


def test_a_corrupt_layer_is_reported_and_the_others_still_load(tmp_path, data_dir):
    shutil.copytree(data_dir, tmp_path / "geo")
    (tmp_path / "geo" / "occupied.geojson").write_text('{"type": "FeatureCollection", "features": [', "utf-8")
    (tmp_path / "geo" / "places.geojson").unlink()
    loaded = load_layers(tmp_path / "geo")
    assert set(loaded.errors) == {"occupied", "places"}
    assert "occupied.geojson" in loaded.errors["occupied"]
    assert "places.geojson" in loaded.errors["places"]
    assert len(loaded.layers) == len(LAYERS) - 2 and "front_line" in loaded.layers


def test_a_layer_that_breaks_the_data_model_is_left_out(tmp_path, data_dir):
    shutil.copytree(data_dir, tmp_path / "geo")
    path = tmp_path / "geo" / "events.geojson"
    path.write_text(path.read_text("utf-8").replace('"status":"claimed-ru"', '"status":"true"'), "utf-8")
    loaded = load_layers(tmp_path / "geo")
    assert list(loaded.errors) == ["events"]
    assert "status" in loaded.errors["events"]


def test_read_layer_gives_the_collection_or_one_clear_error(tmp_path, data_dir):
    from kupiansk_map.layers.store import read_layer

    collection, error = read_layer(data_dir / "places.geojson")
    assert error is None and collection["features"]
    broken = tmp_path / "broken.geojson"
    broken.write_text("[1, 2", encoding="utf-8")
    assert read_layer(broken)[0] is None and "broken.geojson" in read_layer(broken)[1]
    assert "cannot be read" in read_layer(tmp_path / "missing.geojson")[1]
