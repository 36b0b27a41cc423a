"""Geometry shared by every other part: projections, geodesic measures, shared operations and GeoJSON output.

Modules:
- ``crs``: lon/lat to and from metric CRSs (UTM 37N for Kupiansk, 36N for Kursk), ``utm_epsg``.
- ``measure``: geodesic areas, lengths and bearings on the WGS 84 ellipsoid.
- ``geometry``: operations the builders and the importers share (front lines from occupied areas, repairs).
- ``geojson``: RFC 7946 output (lon/lat, counter-clockwise outer rings, no ``crs`` member), written atomically.
"""
