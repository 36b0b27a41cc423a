"""kupiansk-map: an interactive front-line map of the 13 November 2024 assault on Kupiansk and its context.

Subpackages, each importing only from those listed before it:
- ``model``, ``paths``: the data model every layer follows; the project's paths and environment variables.
- ``geo``: projections, geodesic measures, shared geometry operations, RFC 7946 output.
- ``validate``: checking GeoJSON against the data model.
- ``layers``: authored definitions -> geometry -> the built layers in ``data/geo/`` and reading them back.
- ``ingest``: uploads, zip safety, daily snapshot folders and the local archive store.
- ``analysis``: figures for a date, comparisons, distance bands, series, the text summary.
- ``web``: the pure map builder (layers + view state -> ``folium.Map``), styles, legends, popups, the chart,
  vendored assets and the browser files in ``web/static/``.
- ``story``: the presentation story and presenter mode's state.
- ``export``: offline exports (single map, story page, site, handout) and downloads.
- ``app``: the Streamlit app's state and panels (``app.py`` at the root is the entry point).
- ``cli``: the ``kupiansk-map`` command.
"""

__version__ = "0.1.0"
