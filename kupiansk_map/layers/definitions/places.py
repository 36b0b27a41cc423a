"""Named places with their coordinates and where the coordinates come from."""

from __future__ import annotations

from dataclasses import dataclass

from kupiansk_map.layers.definitions import citations


@dataclass(frozen=True)
class Offset:
    """A position given as a distance and bearing from another place, as a source describes it."""

    from_id: str
    distance_km: float
    bearing_deg: float


@dataclass(frozen=True)
class Place:
    """A named point. ``kind`` is city, town or village; ``region`` is the map area it belongs to.

    A place has either ``lon``/``lat`` or an ``offset`` from another place.
    """

    id: str
    name: str
    lon: float | None
    lat: float | None
    kind: str
    region: str
    country: str
    source: str
    status: str = "reported"
    note: str = ""
    offset: Offset | None = None

    @property
    def lonlat(self) -> tuple[float, float]:
        """``(lon, lat)`` of a place that has its own coordinates; ``ValueError`` for one placed by an offset."""
        if self.lon is None or self.lat is None:
            raise ValueError(f"place {self.id!r} has no coordinates of its own (it is placed by an offset)")
        return self.lon, self.lat


KUPIANSK = Place(
    "kupiansk",
    "Kupiansk",
    37.6167,
    49.7064,
    "city",
    "kupiansk",
    "UA",
    citations.WIKIPEDIA_COORDS,
    note="Railway hub on the Oskil; the main city lies on the west bank.",
)
SUDZHA = Place(
    "sudzha",
    "Sudzha",
    35.2706,
    51.1914,
    "town",
    "kursk",
    "RU",
    citations.WIKIPEDIA_COORDS,
    note="Town in Russia's Kursk region, inside the Ukrainian-held area through November 2024.",
)

PLACES: tuple[Place, ...] = (
    KUPIANSK,
    # The brief places the junction town about 8 km SSE of the centre, east of the river; the builder puts
    # it there. GeoNames has its point 4.5 km SSE, which the note records.
    Place(
        "kupiansk-vuzlovyi",
        "Kupiansk-Vuzlovyi",
        None,
        None,
        "town",
        "kupiansk",
        "UA",
        "Project brief (about 8 km SSE of Kupiansk)",
        status="schematic",
        note="Railway junction town east of the Oskil. Placed 8 km SSE of the city centre as described in "
        "the brief; GeoNames puts its point about 4.5 km SSE.",
        offset=Offset("kupiansk", 8.0, 157.5),
    ),
    SUDZHA,
    Place(
        "kursk",
        "Kursk",
        36.18457,
        51.72689,
        "city",
        "kursk",
        "RU",
        citations.GEONAMES,
        note="Regional capital of Russia's Kursk region.",
    ),
    Place(
        "kharkiv",
        "Kharkiv",
        36.25475,
        49.98177,
        "city",
        "kupiansk",
        "UA",
        citations.GEONAMES,
        note="Ukraine's second-largest city, about 100 km west of Kupiansk.",
    ),
    Place(
        "belgorod",
        "Belgorod",
        36.58091,
        50.60343,
        "city",
        "kupiansk",
        "RU",
        citations.GEONAMES,
        note="Russian regional capital north of Kharkiv.",
    ),
    Place(
        "valuyki",
        "Valuyki",
        38.11674,
        50.19661,
        "town",
        "kupiansk",
        "RU",
        citations.GEONAMES,
        note="Russian town on the Oskil; the railway north from Kupiansk leads here.",
    ),
    Place(
        "svatove",
        "Svatove",
        38.15534,
        49.40926,
        "town",
        "kupiansk",
        "UA",
        citations.GEONAMES,
        note="Town in Luhansk region on the railway south-east from Kupiansk; held by Russia in the period shown.",
    ),
    Place(
        "lyman",
        "Lyman",
        37.80843,
        48.99012,
        "town",
        "kupiansk",
        "UA",
        citations.GEONAMES,
        note="Railway town in Donetsk region, south of Kupiansk.",
    ),
    Place(
        "dvorichna",
        "Dvorichna",
        37.68482,
        49.85099,
        "village",
        "kupiansk",
        "UA",
        citations.GEONAMES,
        note="Village on the Oskil about 16 km north of Kupiansk.",
    ),
    Place(
        "petropavlivka",
        "Petropavlivka",
        37.70905,
        49.72052,
        "village",
        "kupiansk",
        "UA",
        citations.GEONAMES,
        note="Village east of Kupiansk, on the east bank of the Oskil.",
    ),
    Place(
        "kindrashivka",
        "Kindrashivka",
        37.58311,
        49.76569,
        "village",
        "kupiansk",
        "UA",
        citations.GEONAMES,
        note="Village on the west bank north of Kupiansk.",
    ),
    Place(
        "korenevo",
        "Korenevo",
        34.90008,
        51.41065,
        "town",
        "kursk",
        "RU",
        citations.GEONAMES,
        note="Town in Kursk region west of the Ukrainian-held area.",
    ),
    Place(
        "sumy",
        "Sumy",
        34.79906,
        50.91741,
        "city",
        "kursk",
        "UA",
        citations.GEONAMES,
        note="Ukrainian regional capital south of the Kursk border.",
    ),
)
