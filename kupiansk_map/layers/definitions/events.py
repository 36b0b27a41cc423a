"""Dated events, claims and assault axes. Locations are described, not computed, here:
``at`` names a place id, a built feature (``industrial``, ``suburbs``), a border point or an axis."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kupiansk_map.layers.definitions import citations, figures, shapes
from kupiansk_map.layers.definitions.timeline import (
    ASSAULT,
    EAST_BANK_CLEARED,
    KURSK_INCURSION,
    KURSK_PEAK,
    KURSK_SEP_OCT,
    NOV_2024,
    OCCUPATION,
    RECAPTURE,
    STORY_END,
)


@dataclass(frozen=True)
class Event:
    """A dated event. ``kind`` is event, claim, assessment, force or axis.

    ``at`` is one of: ``place:<id>``, ``industrial``, ``suburbs``, ``border-near:<place id>``,
    ``offset:<place id>:<km>:<bearing>``, or ``axis`` (then ``axis`` holds the waypoints). ``claim`` says in a
    few words what a claim claims; it becomes the claim's map label ("Ukraine claims: <claim> (unverified)").
    """

    id: str
    name: str
    kind: str
    event_date: dt.date
    valid_from: dt.date
    valid_to: dt.date
    status: str
    source: str
    note: str
    at: str
    axis: shapes.Coords = ()
    claimant: str | None = None
    extra: tuple[tuple[str, float], ...] = ()
    claim: str | None = None


EVENTS: tuple[Event, ...] = (
    Event(
        "occupation-2022",
        "Kupiansk occupied",
        "event",
        OCCUPATION,
        OCCUPATION,
        RECAPTURE,
        "reported",
        citations.TIMELINE_2022,
        "Russian forces took the city in the first days of the full-scale invasion and held it from 27 February 2022.",
        "place:kupiansk",
    ),
    Event(
        "recapture-2022",
        "Ukraine re-enters Kupiansk",
        "event",
        RECAPTURE,
        RECAPTURE,
        EAST_BANK_CLEARED,
        "reported",
        citations.TIMELINE_2022,
        "During the Kharkiv counteroffensive Ukrainian troops entered the city on 10 September 2022; the "
        "districts east of the Oskil were cleared later in September.",
        "place:kupiansk",
    ),
    Event(
        "kursk-incursion-2024",
        "Incursion into Kursk region",
        "event",
        KURSK_INCURSION,
        KURSK_INCURSION,
        KURSK_PEAK,
        "reported",
        citations.REUTERS,
        "Ukrainian forces crossed the border into Russia's Kursk region on 6 August 2024. The marker sits on "
        "the border at the point nearest Sudzha.",
        "border-near:sudzha",
    ),
    Event(
        "kursk-claim-1000",
        "Ukraine: over 1,000 km² held",
        "claim",
        dt.date(2024, 8, 12),
        KURSK_PEAK,
        KURSK_SEP_OCT,
        "claimed-ua",
        figures.KURSK_CLAIM_AUG_2024_KM2.source,
        "Ukrainian officials said in August 2024 that they held over 1,000 km² of Kursk region, a figure "
        "that counted contested ground. It was not independently verified.",
        "place:sudzha",
        claimant="Ukraine",
        extra=(("claimed_area_km2", figures.KURSK_CLAIM_AUG_2024_KM2.value),),
        claim="over 1,000 km² of Kursk region held",
    ),
    Event(
        "kursk-force-50000",
        "About 50,000 Russian troops massed",
        "force",
        NOV_2024,
        NOV_2024,
        STORY_END,
        "claimed-ua",
        citations.REUTERS_KYIV,
        "Kyiv said some 50,000 Russian troops were gathered in Kursk region to push Ukrainian forces out. "
        "The marker only shows the region; troop positions are not mapped.",
        "offset:sudzha:30:20",
        claimant="Ukraine",
        extra=(("troops", figures.KURSK_TROOPS.value),),
        claim="about 50,000 Russian troops massed",
    ),
    Event(
        "kursk-vdv",
        "Airborne troops lead the counter-offensive",
        "assessment",
        NOV_2024,
        NOV_2024,
        STORY_END,
        "assessed",
        citations.REUTERS_WESTERN_OFFICIALS,
        "Western officials believed Russia's airborne forces (VDV) were leading the push to retake ground in "
        "Kursk region. Reports also spoke of thousands of North Korean soldiers recruited by Russia.",
        "offset:sudzha:22:60",
    ),
    Event(
        "assault-2024-11-13",
        "Four-wave assault on Kupiansk",
        "event",
        ASSAULT,
        ASSAULT,
        STORY_END,
        "reported",
        citations.REUTERS_GENERAL_STAFF,
        "Russian forces attacked in four waves with tanks, armoured vehicles and infantry; Ukraine's General "
        "Staff counted about 15 pieces of hardware. Some attackers were reported to wear Ukrainian uniforms.",
        "industrial",
        extra=(("vehicles", figures.ASSAULT_VEHICLES.value), ("waves", figures.ASSAULT_WAVES.value)),
    ),
    Event(
        "assault-entered-outskirts",
        "Attackers partly entered the suburbs and industrial zone",
        "event",
        ASSAULT,
        ASSAULT,
        STORY_END,
        "reported",
        citations.REUTERS_BESEDIN,
        "According to the head of the city's military administration, attackers got partly into the suburbs "
        "and the industrial zone before they were destroyed. It was the first time since September 2022 that "
        "Russian troops had been inside the city.",
        "suburbs",
    ),
    Event(
        "claim-ua-repelled",
        "Ukraine: assault repelled, city held",
        "claim",
        ASSAULT,
        ASSAULT,
        STORY_END,
        "claimed-ua",
        citations.REUTERS_GENERAL_STAFF,
        "Ukraine's General Staff said the attack was beaten back and the city remained under Ukrainian "
        "control. Not independently verified. The marker sits inside the city, apart from its name.",
        "offset:kupiansk:1.6:235",
        claimant="Ukraine",
        claim="assault repelled, city held",
    ),
    Event(
        "claim-ru-foothold",
        "Russia: foothold on the outskirts",
        "claim",
        ASSAULT,
        ASSAULT,
        STORY_END,
        "claimed-ru",
        citations.REUTERS_GANCHEV,
        "A Moscow-installed official said Russian forces were establishing themselves on the city's outskirts. "
        "Not independently verified.",
        "offset:kupiansk:4.2:30",
        claimant="Russia",
        claim="foothold on the city's outskirts",
    ),
    Event(
        "assessment-paroinen",
        "Analyst: an opportunistic attack",
        "assessment",
        ASSAULT,
        ASSAULT,
        STORY_END,
        "assessed",
        citations.REUTERS_PAROINEN,
        "A Finnish analyst judged the attack opportunistic and said most of the troops that reached the "
        "outskirts were cut off and destroyed.",
        "offset:kupiansk:5:60",
    ),
    Event(
        "axis-north",
        "Assault axis from the north",
        "axis",
        ASSAULT,
        ASSAULT,
        STORY_END,
        "schematic",
        f"{citations.PROJECT_SCHEMATIC}; {citations.OSINT_NOV_2024}",
        "Schematic direction of attack along the east bank from the north; the route is not known in detail.",
        "axis",
        axis=shapes.AXIS_NORTH,
    ),
    Event(
        "axis-north-east",
        "Assault axis from the north-east",
        "axis",
        ASSAULT,
        ASSAULT,
        STORY_END,
        "schematic",
        f"{citations.PROJECT_SCHEMATIC}; {citations.OSINT_NOV_2024}",
        "Schematic direction of attack from the north-east towards the industrial zone; the route is not "
        "known in detail.",
        "axis",
        axis=shapes.AXIS_NORTH_EAST,
    ),
)
