"""Key dates and the dated states of the Kupiansk sector and the Kursk salient."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kupiansk_map.i18n import N_
from kupiansk_map.layers.definitions import citations, figures, shapes
from kupiansk_map.layers.definitions.figures import Figure

OCCUPATION = dt.date(2022, 2, 27)
RECAPTURE = dt.date(2022, 9, 10)
EAST_BANK_CLEARED = dt.date(2022, 10, 1)  # "later that month": the state after the east bank was cleared
# Our sources describe the sector after the counteroffensive only for the autumn of 2022: that state ends here
# (exclusive), and the sector is not mapped from 1 January 2023 until the November 2024 state.
SECTOR_2022_END = dt.date(2023, 1, 1)
KURSK_INCURSION = dt.date(2024, 8, 6)
KURSK_PEAK = dt.date(2024, 8, 20)
KURSK_SEP_OCT = dt.date(2024, 9, 15)
NOV_2024 = dt.date(2024, 11, 1)
ASSAULT = dt.date(2024, 11, 13)
ARTICLE = dt.date(2024, 11, 14)
# The map tells the story up to the article; no state is claimed to hold after this (exclusive) date.
STORY_END = dt.date(2024, 11, 15)
KAKHOVKA_DAM_DESTROYED = dt.date(2023, 6, 6)  # the reservoir drained after it (project brief)

# Buffers and distances in the Kupiansk sector are in UTM 37N; the Kursk area is in UTM 36N.
KUPIANSK_UTM_EPSG = 32637
KURSK_UTM_EPSG = 32636
FRONT_BUFFER_KM = 2.5
# The Kupiansk sector: a rectangle around the city centre (km west, south, east, north), Ukrainian side only.
SECTOR_EXTENT_KM = (75.0, 60.0, 60.0, 75.0)
# Where Russian positions followed the Oskil, the line is drawn this far east of the GSHHG river line:
# on the east bank, and inside that dataset's stated accuracy of 0.5-1 km.
EAST_BANK_SETBACK_M = 500.0


@dataclass(frozen=True)
class SectorState:
    """One dated state of Russian-held ground in the Kupiansk sector.

    The line is ``river_until_lat`` (follow the Oskil from the border down to that latitude, or None)
    followed by ``waypoints``. Russian-held ground is east of it. ``city_clearance_km`` keeps the line at
    least that far from the city outline.
    """

    id: str
    name: str
    valid_from: dt.date
    valid_to: dt.date
    waypoints: shapes.Coords
    river_until_lat: float | None
    city_clearance_km: float | None
    source: str
    note: str


SECTOR_STATES: tuple[SectorState, ...] = (
    SectorState(
        "2022-02-27",
        "Kupiansk sector under Russian control",
        OCCUPATION,
        RECAPTURE,
        shapes.FRONT_2022_FEB,
        None,
        None,
        citations.TIMELINE_2022,
        "Russian forces took Kupiansk in the first days of the full-scale invasion. The western edge is a "
        "rough sketch of the line along the Siverskyi Donets valley; it is far outside the city.",
    ),
    SectorState(
        "2022-09-10",
        "Ukraine retakes the west bank",
        RECAPTURE,
        EAST_BANK_CLEARED,
        (),
        49.0,
        None,
        citations.TIMELINE_2022,
        "Ukrainian forces entered the city on 10 September 2022; Russian forces still held the east bank of "
        "the Oskil until later that month. The line is drawn 0.5 km east of the GSHHG river line.",
    ),
    SectorState(
        "2022-10-01",
        "After the autumn 2022 counteroffensive",
        EAST_BANK_CLEARED,
        SECTOR_2022_END,
        shapes.FRONT_2022_OCT,
        None,
        None,
        citations.TIMELINE_2022,
        "After the east bank was cleared the line lay roughly along the Kharkiv-Luhansk regional boundary. "
        "Drawn for the last months of 2022 only: from 2023 until November 2024 the sector is not mapped.",
    ),
    SectorState(
        "2024-11",
        "Front line in November 2024",
        NOV_2024,
        STORY_END,
        shapes.FRONT_2024_NOV,
        shapes.FRONT_2024_NOV_LEAVES_RIVER_AT_LAT,
        figures.CITY_TO_FRONT_KM.value,
        f"{citations.OSINT_NOV_2024}; {citations.REUTERS}",
        "Russian forces held the east bank of the Oskil north of the city, and the line came closest from the "
        "north-north-east, 2.5 km from the city as reported. Ukraine held the city on both banks and the "
        "ground east of the river around and south of it.",
    ),
)


@dataclass(frozen=True)
class KurskState:
    """One dated state of the Ukrainian-held area in Kursk region.

    ``figure`` is the reported area the outline is calibrated to, or None where no figure was reported.
    ``inside_previous`` keeps the state inside the one before it (the area shrank after the peak).
    """

    id: str
    name: str
    valid_from: dt.date
    valid_to: dt.date
    outline: shapes.Coords
    figure: Figure | None
    inside_previous: bool
    note: str


KURSK_STATES: tuple[KurskState, ...] = (
    KurskState(
        "2024-08-06",
        "Incursion begins",
        KURSK_INCURSION,
        KURSK_PEAK,
        shapes.KURSK_START,
        None,
        False,
        "Ukrainian forces crossed into Kursk region on 6 August 2024. No area figure for the first days is "
        "in our sources: this outline only marks where the incursion started, and its area is not a figure.",
    ),
    KurskState(
        "2024-08-20",
        "Peak of the incursion",
        KURSK_PEAK,
        KURSK_SEP_OCT,
        shapes.KURSK_PEAK,
        figures.KURSK_CLAIM_AUG_2024_KM2,
        False,
        "The held area peaked in late August and early September 2024. Its size is calibrated to Ukraine's "
        "claim of over 1,000 km², which counted contested ground and was not independently verified.",
    ),
    KurskState(
        "2024-09-15",
        "Salient at 800-900 km²",
        KURSK_SEP_OCT,
        NOV_2024,
        shapes.KURSK_SEP_OCT,
        figures.KURSK_SEP_OCT_2024_KM2,
        True,
        "Reports put the held area at 800-900 km² in September and October 2024; the outline is calibrated to 850 km².",
    ),
    KurskState(
        "2024-11",
        "Salient at about 600 km²",
        NOV_2024,
        STORY_END,
        shapes.KURSK_NOV,
        figures.KURSK_NOV_2024_KM2,
        True,
        "By mid-November 2024 the held area had shrunk to about 600 km², against a Russian force Kyiv put at "
        "about 50,000.",
    ),
)

# Dates a timeline control should mark, with short labels.
KEY_DATES: tuple[tuple[dt.date, str], ...] = (
    (OCCUPATION, N_("Kupiansk occupied")),
    (RECAPTURE, N_("Ukraine re-enters Kupiansk")),
    (EAST_BANK_CLEARED, N_("East bank cleared")),
    (KURSK_INCURSION, N_("Kursk incursion begins")),
    (KURSK_PEAK, N_("Kursk salient at its peak")),
    (KURSK_SEP_OCT, N_("Kursk salient 800-900 km²")),
    (NOV_2024, N_("Kursk salient about 600 km²")),
    (ASSAULT, N_("Four-wave assault on Kupiansk")),
)
