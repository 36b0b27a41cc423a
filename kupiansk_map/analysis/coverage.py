"""Which dates the layers describe: the mapped ranges of each sector, worked out in one place.

Offers:
- ``SECTORS``: the sectors and the dated layers that describe each (the Kupiansk sector: ``occupied``,
  ``front_line``, ``front_buffer``; the Kursk salient: ``kursk_salient``).
- ``SECTOR_NAMES``: how a sentence names each sector.
- ``sector_of``: the sector a layer belongs to, or None.
- ``mapped_ranges``: the date ranges (first and last day, both included) on which a sector has a mapped state.
- ``is_mapped``: whether a date falls inside one of them.
- ``describe_ranges``: the ranges in words, "27 February 2022 – 31 December 2022, ..." (in a language, ``lang``).
- ``not_mapped_message`` / ``describe_not_mapped``: the words for a date a sector has no mapped state on.
- ``NotMapped``: the ``ValueError`` raised for a date with no mapped state, with a message naming the ranges.
- ``require_mapped``: raise ``NotMapped`` unless the sector is mapped on a date.
- ``unmapped_between``: the unmapped spans strictly between two mapped dates (change across them has no date).
- ``undated_change``: the words for such a change, "happened at an unknown time between X and Y".

Why: a state holds only while our sources describe it. Between two states with no source (and before the first
or after the last) the map knows nothing, so no figure may be computed there, and a difference across such a
gap happened at an unknown time. The ranges come from the features' ``valid_from``/``valid_to`` (``valid_to``
exclusive), so a rebuilt timeline changes them with no code to edit.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping
from typing import Any

from kupiansk_map.i18n import N_, format_date, translator
from kupiansk_map.model import parse_iso_date

Range = tuple[dt.date, dt.date]  # first and last day, both included

SECTORS: dict[str, tuple[str, ...]] = {
    "kupiansk": ("occupied", "front_line", "front_buffer"),
    "kursk": ("kursk_salient",),
}
SECTOR_NAMES: dict[str, str] = {"kupiansk": N_("the Kupiansk sector"), "kursk": N_("the Kursk salient")}
_ONE_DAY = dt.timedelta(days=1)


def sector_of(layer_id: str) -> str | None:
    """The sector whose states ``layer_id`` draws (``kupiansk`` or ``kursk``), or None for other layers."""
    for sector, layer_ids in SECTORS.items():
        if layer_id in layer_ids:
            return sector
    return None


def _layer_ids(sector: str) -> tuple[str, ...]:
    if sector in SECTORS:
        return SECTORS[sector]
    if sector_of(sector) is not None:  # a layer id names its own coverage
        return (sector,)
    raise KeyError(f"unknown sector {sector!r}; known sectors: {', '.join(SECTORS)} (or one of their layers)")


def mapped_ranges(layers: Mapping[str, Mapping[str, Any]], sector: str) -> tuple[Range, ...]:
    """The merged date ranges on which any layer of ``sector`` (or the one layer named) has a feature.

    Touching or overlapping intervals merge; an open bound (null) is open, as in ``model.is_valid_on``. A
    collection's ``valid_spans`` member (an archive's layer, ``ingest.sources``) adds its spans. Empty when
    none of the sector's layers is loaded."""
    spans: list[Range] = []
    for layer_id in _layer_ids(sector):
        # A layer read from an archive holds only the states of the date in use, and lists the spans of all its
        # states (first day, day after the last) in ``valid_spans`` (see ``ingest.sources``).
        for start_text, end_text in (layers.get(layer_id) or {}).get("valid_spans", []):
            spans.append((parse_iso_date(start_text), parse_iso_date(end_text) - _ONE_DAY))
        for feat in (layers.get(layer_id) or {}).get("features", []):
            props = feat.get("properties") or {}
            start = dt.date.min if props.get("valid_from") is None else parse_iso_date(props["valid_from"])
            end = dt.date.max if props.get("valid_to") is None else parse_iso_date(props["valid_to"]) - _ONE_DAY
            if start <= end:
                spans.append((start, end))
    merged: list[Range] = []
    for start, last in sorted(spans):
        if merged and (merged[-1][1] == dt.date.max or start <= merged[-1][1] + _ONE_DAY):
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((start, last))
    return tuple(merged)


def is_mapped(ranges: tuple[Range, ...], day: dt.date) -> bool:
    """True when ``day`` lies inside one of ``ranges``."""
    return any(start <= day <= last for start, last in ranges)


def _date_words(day: dt.date, lang: str = "en") -> str:
    return format_date(day, lang=lang)


def describe_ranges(ranges: tuple[Range, ...], *, lang: str = "en") -> str:
    """The ranges in words in ``lang``, for messages; "no date" when there are none."""
    words = ", ".join(f"{_date_words(a, lang)} – {_date_words(b, lang)}" for a, b in ranges)
    return words or translator(lang).gettext("no date")


def not_mapped_message(sector: str, day: dt.date, ranges: tuple[Range, ...], *, lang: str = "en") -> str:
    """ "the Kursk salient is not mapped on 1 May 2023; mapped: ..." in ``lang`` (``NotMapped``'s message)."""
    _ = translator(lang).gettext
    name = _(SECTOR_NAMES[sector]) if sector in SECTOR_NAMES else _("layer {layer}").format(layer=sector)
    return _("{sector} is not mapped on {date}; mapped: {ranges}").format(
        sector=name, date=_date_words(day, lang), ranges=describe_ranges(ranges, lang=lang)
    )


def describe_not_mapped(
    layers: Mapping[str, Mapping[str, Any]], sector: str, day: dt.date, *, lang: str = "en"
) -> str | None:
    """``not_mapped_message`` for ``sector`` on ``day`` in ``lang``, or None when it is mapped then."""
    ranges = mapped_ranges(layers, sector)
    return None if is_mapped(ranges, day) else not_mapped_message(sector, day, ranges, lang=lang)


class NotMapped(ValueError):
    """A date on which a sector has no mapped state. ``str()`` is the message people read."""

    def __init__(self, sector: str, day: dt.date, ranges: tuple[Range, ...], *, also: tuple[str, ...] = ()) -> None:
        self.sector, self.day, self.ranges = sector, day, ranges
        # ``also``: further messages of the same refusal (another sector or date), each on its own line.
        super().__init__("\n".join((not_mapped_message(sector, day, ranges), *also)))


def require_mapped(layers: Mapping[str, Mapping[str, Any]], sector: str, day: dt.date) -> tuple[Range, ...]:
    """The sector's ranges; raises ``NotMapped`` when ``day`` is outside all of them."""
    ranges = mapped_ranges(layers, sector)
    if not is_mapped(ranges, day):
        raise NotMapped(sector, day, ranges)
    return ranges


def undated_change(ranges: tuple[Range, ...], d1: dt.date, d2: dt.date, *, lang: str = "en") -> str | None:
    """For two mapped dates: "happened at an unknown time between X and Y" when unmapped spans lie between
    them (X the last mapped day before the first span, Y the first mapped day after the last), else None."""
    gaps = unmapped_between(ranges, d1, d2)
    if not gaps:
        return None
    before, after = gaps[0][0] - _ONE_DAY, gaps[-1][1] + _ONE_DAY
    return (
        translator(lang)
        .gettext("happened at an unknown time between {start} and {end}")
        .format(start=_date_words(before, lang), end=_date_words(after, lang))
    )


def unmapped_between(ranges: tuple[Range, ...], d1: dt.date, d2: dt.date) -> tuple[Range, ...]:
    """The unmapped spans (first and last unmapped day) that lie between ``d1`` and ``d2``, in order."""
    gaps = [(a[1] + _ONE_DAY, b[0] - _ONE_DAY) for a, b in itertools.pairwise(ranges)]
    return tuple((first, last) for first, last in gaps if d1 < first and last < d2)


__all__ = [
    "SECTORS",
    "SECTOR_NAMES",
    "NotMapped",
    "Range",
    "describe_not_mapped",
    "describe_ranges",
    "is_mapped",
    "mapped_ranges",
    "not_mapped_message",
    "require_mapped",
    "sector_of",
    "undated_change",
    "unmapped_between",
]
