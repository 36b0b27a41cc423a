"""kupiansk-map: an interactive front-line map of the 13 November 2024 assault on Kupiansk and its context.

Subpackages and modules:
- ``definitions``: authored facts, figures, places, dates and schematic shapes.
- ``reference``: the GSHHG extract (Oskil, state border).
- ``crs``, ``measure``, ``geometry``: projections, geodesic measures and shared geometry operations.
- ``layers``, ``build``: build the published layers into ``data/geo/``.
- ``geojson``, ``validate``, ``store``: write, check and read GeoJSON.
- ``stats``: figures for a date, computed from the layers.
- ``cli``: the ``kupiansk-map`` command.
"""

__version__ = "0.1.0"
