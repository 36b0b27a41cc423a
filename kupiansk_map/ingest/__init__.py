"""Importing real daily front-line archives into a local archive store.

Modules:
- ``formats``: recognise an archive's layout from its content (daily GeoJSON files in a folder or zip, one
  multi-date GeoJSON/GeoJSON.gz/GeoPackage/GeoParquet file, owlmaps daily JSON, dated KML/KMZ) and read it
  as dated days, each with its file name, sha256 and the day's polygons in lon/lat (or the problem that
  makes the day unusable).
- ``archive_store``: the store, one GeoPackage file: ``import_archive`` (atomic, idempotent, incremental),
  ``list_archives``, ``archive_info``, ``remove_archive``, ``export_archive``, ``read_state`` and
  ``open_read_only`` for the app.

Nothing here touches ``data/geo/``: the store lives outside the repository's data (``default_store_path``).
"""
