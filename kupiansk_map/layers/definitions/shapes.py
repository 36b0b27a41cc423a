"""Hand-authored schematic outlines and waypoints, in (lon, lat).

Nothing here is measured: these are approximations drawn for illustration, and every feature
built from them carries ``status: schematic``. Measured geography (the Oskil, the state border,
place coordinates) lives in ``gshhg_extract.json`` and ``places.py``.
"""

from __future__ import annotations

Coords = tuple[tuple[float, float], ...]

# Kupiansk: most of the city on the west bank, districts on the east bank.
CITY_OUTLINE: Coords = (
    (37.566, 49.704),
    (37.568, 49.718),
    (37.578, 49.730),
    (37.594, 49.739),
    (37.610, 49.743),
    (37.624, 49.742),
    (37.636, 49.735),
    (37.646, 49.727),
    (37.651, 49.716),
    (37.650, 49.703),
    (37.644, 49.692),
    (37.630, 49.685),
    (37.612, 49.680),
    (37.594, 49.681),
    (37.578, 49.688),
    (37.569, 49.695),
)

# The article names the industrial zone and the suburbs but not where they are. Both are drawn on the
# city's north-eastern edge, on the east bank, the side the attack came from.
INDUSTRIAL_ZONE: Coords = (
    (37.628, 49.713),
    (37.641, 49.711),
    (37.644, 49.722),
    (37.636, 49.728),
    (37.627, 49.722),
)
NORTHERN_SUBURBS: Coords = (
    (37.629, 49.736),
    (37.636, 49.735),
    (37.646, 49.727),
    (37.651, 49.716),
    (37.650, 49.708),
    (37.645, 49.709),
    (37.6455, 49.724),
    (37.637, 49.731),
    (37.630, 49.732),
)

# Front lines of the Kupiansk sector, north to south. Each runs past the sector's edges so that it cuts
# the sector in two; Russian-held ground is on the east side. ``None`` marks where the line follows the
# Oskil (see timeline.py).
FRONT_2022_FEB: Coords = (
    (36.90, 50.50),
    (36.86, 50.25),
    (36.88, 50.05),
    (36.83, 49.85),
    (36.85, 49.65),
    (36.78, 49.50),
    (36.85, 49.30),
    (36.95, 49.00),
)
FRONT_2022_OCT: Coords = (
    (38.06, 50.10),
    (37.98, 49.88),
    (37.93, 49.75),
    (37.93, 49.62),
    (37.97, 49.50),
    (38.02, 49.38),
    (38.08, 49.25),
    (38.12, 49.00),
)
# November 2024: Russian forces on the east bank of the Oskil north of the city (the river part is taken
# from GSHHG); from the point where they leave the river, the line passes north-north-east of the city and
# then bends south-east, leaving Ukraine the ground east of the river around and south of the city.
FRONT_2024_NOV_LEAVES_RIVER_AT_LAT = 49.775
FRONT_2024_NOV: Coords = (
    (37.652, 49.750),
    (37.700, 49.758),
    (37.760, 49.745),
    (37.800, 49.705),
    (37.830, 49.630),
    (37.860, 49.550),
    (37.900, 49.450),
    (37.950, 49.350),
    (38.000, 49.250),
    (38.050, 49.000),
)

# The Kursk salient. Each outline dips south of the border; the build keeps only the Russian side and
# scales the outline to the reported area.
KURSK_START: Coords = (
    (35.06, 51.12),
    (35.10, 51.20),
    (35.17, 51.24),
    (35.26, 51.16),
    (35.30, 51.06),
    (35.25, 50.98),
    (35.12, 51.02),
)
KURSK_PEAK: Coords = (
    (34.92, 51.22),
    (34.93, 51.30),
    (35.02, 51.37),
    (35.12, 51.42),
    (35.24, 51.43),
    (35.36, 51.40),
    (35.46, 51.33),
    (35.50, 51.20),
    (35.45, 51.05),
    (35.32, 50.95),
    (35.15, 51.05),
    (35.00, 51.15),
)
KURSK_SEP_OCT: Coords = (
    (35.00, 51.22),
    (35.02, 51.32),
    (35.10, 51.39),
    (35.22, 51.41),
    (35.34, 51.38),
    (35.44, 51.31),
    (35.48, 51.18),
    (35.42, 51.03),
    (35.30, 50.95),
    (35.10, 51.08),
)
KURSK_NOV: Coords = (
    (35.03, 51.22),
    (35.06, 51.30),
    (35.13, 51.35),
    (35.24, 51.36),
    (35.35, 51.32),
    (35.41, 51.22),
    (35.39, 51.05),
    (35.30, 50.95),
    (35.10, 51.08),
)

# Railways from the Kupiansk junction (Kupiansk-Vuzlovyi, placed by places.py), drawn between stations
# and towns, not along the track. Each runs from the junction outwards.
RAILWAYS: dict[str, tuple[str, Coords]] = {
    "railway-kharkiv": (
        "Railway to Kharkiv",
        ((37.635, 49.672), (37.612, 49.690), (37.300, 49.700), (36.900, 49.800), (36.25475, 49.98177)),
    ),
    "railway-valuyki": (
        "Railway to Valuyki (Russia)",
        ((37.675, 49.700), (37.690, 49.780), (37.740, 49.870), (37.880, 50.020), (38.11674, 50.19661)),
    ),
    "railway-svatove": ("Railway to Svatove", ((37.800, 49.580), (38.000, 49.470), (38.15534, 49.40926))),
    "railway-lyman": ("Railway to Lyman", ((37.665, 49.500), (37.670, 49.250), (37.80843, 48.99012))),
}

# Assault axes of 13 November 2024: from the front towards the suburbs and the industrial zone.
AXIS_NORTH: Coords = ((37.668, 49.790), (37.650, 49.765), (37.640, 49.730))
AXIS_NORTH_EAST: Coords = ((37.700, 49.775), (37.670, 49.745), (37.636, 49.718))

# The whole front in November 2024 at small scale: north of Kharkiv, then (in the build) the November 2024
# front line of the Kupiansk sector, then south through Donetsk region and west along the Dnipro.
FRONT_OVERVIEW_NORTH: Coords = ((36.38, 50.30), (36.55, 50.20), (36.94, 50.29), (37.20, 50.30))
FRONT_OVERVIEW_SOUTH: Coords = (
    (38.05, 48.98),
    (38.15, 48.85),
    (37.95, 48.70),
    (37.87, 48.59),
    (37.85, 48.40),
    (37.55, 48.33),
    (37.30, 48.27),
    (37.30, 47.98),
    (37.25, 47.78),
    (36.85, 47.84),
    (36.45, 47.66),
    (36.10, 47.55),
    (35.83, 47.45),
    (35.40, 47.47),
    (35.10, 47.52),
    (34.65, 47.52),
    (34.30, 47.35),
    (33.90, 47.05),
    (33.48, 46.81),
    (33.20, 46.72),
    (32.90, 46.66),
    (32.62, 46.62),
    (32.30, 46.53),
    (31.90, 46.55),
    (31.55, 46.55),
)
# The whole front as an area: from the Dnipro's mouth the line is carried out to sea, so that it cuts Ukraine's land
# in two (schematic).
FRONT_AREA_SEA_END: Coords = ((31.35, 46.35),)
