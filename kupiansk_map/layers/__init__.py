"""The published layers: authored definitions, turned into geometry by the builders, written by the build.

Imports go downward: ``definitions`` (facts, figures, dates, shapes) -> ``reference`` (the GSHHG extract) ->
``builders`` (one builder per layer, shapely/geopandas in metric CRSs) -> ``build`` (render, atomic write, check,
catalog) -> ``store`` (read and validate the built files).
"""
