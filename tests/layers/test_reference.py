"""The committed GSHHG extract is exactly what Debian's GMT gives (scripts/install --test installs it)."""

import shutil

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
