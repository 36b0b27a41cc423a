"""The committed GSHHG extract is exactly what Debian's GMT gives (scripts/install --test installs it)."""

import shutil

import shapely
from shapely.geometry import Point

from kupiansk_map.layers import reference


def test_gmt_is_installed_for_the_reference_check():
    assert shutil.which("gmt"), "gmt is missing: run `bash scripts/install --test`"


def test_committed_extract_matches_gshhg():
    assert reference.extract_gshhg() == reference.load_extract()


def test_extract_has_the_oskil_through_kupiansk_and_one_border_line():
    extract = reference.load_extract()
    oskil = reference.oskil_line()
    assert oskil.distance(Point(37.6167, 49.7064)) < 0.01
    assert oskil.coords[0][1] > oskil.coords[-1][1]
    assert len(extract["state_border"]) == 1
    border = reference.border_line().geoms[0]
    assert border.coords[0][1] > border.coords[-1][1]
    assert extract["source"] == reference.GSHHG_CITATION


def test_extract_has_the_basemap_of_the_whole_extent():
    extract = reference.load_extract()
    assert extract["basemap_command"].startswith("gmt coast -Df -M")
    assert len(reference.shorelines()) > 10 and len(reference.lakes()) > 5
    assert len(reference.national_borders()) >= 3  # Russia-Ukraine, Belarus-Ukraine, Belarus-Russia, Moldova...
    lon_min, lon_max, lat_min, lat_max = reference.BASEMAP_REGION
    region = shapely.box(lon_min, lat_min, lon_max, lat_max).buffer(1e-6)
    for line in [*reference.shorelines(), *reference.national_borders()]:
        assert region.contains(line)
    rivers = reference.main_rivers()
    assert set(rivers) == set(reference.RIVER_REFERENCE_POINTS)
    kyiv = Point(30.5238, 50.45466)  # GeoNames 703448, where the Desna meets the Dnipro
    assert rivers["dnipro"].distance(kyiv) < 0.05 and rivers["desna"].distance(kyiv) < 0.1
