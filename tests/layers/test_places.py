"""Place coordinates: a place placed by coordinates gives them; one placed by an offset says it has none."""

from __future__ import annotations

import pytest

from kupiansk_map.layers.definitions import places


def test_lonlat_of_a_place_with_coordinates() -> None:
    assert places.KUPIANSK.lonlat == (37.6167, 49.7064)


def test_lonlat_of_a_place_placed_by_an_offset_names_it() -> None:
    by_offset = next(p for p in places.PLACES if p.offset is not None)
    with pytest.raises(ValueError, match=f"place '{by_offset.id}' has no coordinates of its own"):
        _ = by_offset.lonlat
