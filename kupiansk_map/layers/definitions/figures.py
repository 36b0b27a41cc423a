"""Reported figures, each with its source. The map computes its own figures from geometry;
these are the numbers it is calibrated to and checked against."""

from __future__ import annotations

from dataclasses import dataclass

from kupiansk_map.i18n import N_
from kupiansk_map.layers.definitions import citations


@dataclass(frozen=True)
class Figure:
    """One reported figure: a value, its unit, what it describes and who reported it."""

    value: float
    unit: str
    label: str
    source: str
    status: str = "reported"


POPULATION_PREWAR = Figure(26_000, "people", "Kupiansk population before the full-scale invasion", citations.REUTERS)
POPULATION_NOV_2024 = Figure(3_000, "people", "Kupiansk population in November 2024", citations.REUTERS)
CITY_TO_FRONT_KM = Figure(2.5, "km", "distance from Kupiansk to the front line, November 2024", citations.REUTERS)
ASSAULT_WAVES = Figure(4, "waves", "waves in the 13 November 2024 assault", citations.REUTERS_GENERAL_STAFF)
ASSAULT_VEHICLES = Figure(
    15, "vehicles", "tanks and armoured combat vehicles in the assault", citations.REUTERS_GENERAL_STAFF
)
KURSK_TROOPS = Figure(
    50_000, "troops", "Russian troops massed in the Kursk region", citations.REUTERS_KYIV, status="claimed-ua"
)
FRONT_LENGTH_KM = Figure(1_000, "km", "length of the front line (more than)", citations.REUTERS_ZELENSKY)
KURSK_CLAIM_AUG_2024_KM2 = Figure(
    1_000,
    "km²",
    "area Ukraine said it held in Kursk region, contested ground included",
    citations.UA_OFFICIALS_AUG_2024,
    status="claimed-ua",
)
KURSK_SEP_OCT_2024_KM2 = Figure(
    850, "km²", "area held in Kursk region, reported as 800-900 km² (midpoint)", citations.REUTERS
)
KURSK_NOV_2024_KM2 = Figure(600, "km²", "area held in Kursk region, reported as about 600 km²", citations.REUTERS)
UKRAINE_AREA_KM2 = Figure(603_600, "km²", "area of Ukraine", citations.WIKIPEDIA_UKRAINE_AREA)
RUSSIAN_HELD_SHARE = Figure(
    0.2, "share", N_("about a fifth of Ukraine, Crimea included"), citations.REUTERS_FIFTH_OF_UKRAINE, status="reported"
)
