"""Authored source definitions: what the map says, kept apart from the geometry code that builds it.

Offers:
- ``citations``: the short citations every feature points to.
- ``figures``: reported figures (population, vehicles, areas...) with their sources.
- ``places``: named points with measured coordinates and where they come from.
- ``shapes``: hand-authored schematic outlines and waypoints, in lon/lat.
- ``timeline``: key dates and the dated states of the occupied area and the Kursk salient.
- ``gshhg_extract.json``: the Oskil and the state border, extracted from GSHHG by ``kupiansk_map.layers.reference``.
"""
