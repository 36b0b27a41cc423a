"""Offline exports for teachers and downloads for analysts.

Modules:
- ``single_map``: one map as a self-contained HTML page, titled with its date and view.
- ``story_page``: the story as one self-contained HTML page.
- ``site``: a static site of the story, each view at each key date, and the data.
- ``handout``: a PNG of one chapter, drawn by headless Chromium (``chromium``).
- ``downloads``: GeoJSON, GeoPackage and CSV downloads from the app.
- ``chromium``: Debian's Chromium, headless, for the handout, the tests and the benchmark.
"""
