"""Checking GeoJSON against the data model: structure, geometry, properties and dates, every problem gathered.

Modules:
- ``checks``: ``validate_files``, ``validate_bytes``, ``validate_object``, ``load_feature_collection``,
  ``Problem`` and the size and region limits every reader shares.
"""
